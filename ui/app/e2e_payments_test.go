package app

// End-to-end tests of payments (issue 4): konto runs in a pty against a
// sandbox bank served by the test itself, so the test can read the bank's
// request log and its TAN outbox (GET /sandbox/sms) as a phone would.

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/api/sepa"
)

// payBank is a sandbox bank on a loopback port with a client logged in to it.
type payBank struct {
	bank   *sandbox.Bank
	url    string
	client *api.Client
	token  string // a refresh token for konto
}

func startPayBank(t *testing.T, faults string) *payBank {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e tests skipped in -short mode")
	}
	bank, err := sandbox.New(sandbox.Options{Faults: faults, Now: apitest.Clock(t)})
	if err != nil {
		t.Fatalf("sandbox: %v", err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() { // what konto asked and the bank answered, for whoever reads the failure
			var log strings.Builder
			for _, r := range bank.Requests() {
				fmt.Fprintf(&log, "%s %d %s %s\n", r.Time.Format("15:04:05.000"), r.Status, r.Method, r.Path)
			}
			t.Logf("the sandbox's requests:\n%s", log.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	anon, err := api.New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := anon.CreateRefreshToken(ctx, api.Credentials{Email: sandbox.DefaultLogin, Password: sandbox.DefaultPassword})
	if err != nil {
		t.Fatalf("log in to the sandbox: %v", err)
	}
	src, err := api.NewJWTSource(srv.URL, tok)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.Close)
	client, err := api.New(srv.URL, src)
	if err != nil {
		t.Fatal(err)
	}
	return &payBank{bank: bank, url: srv.URL, client: client, token: tok}
}

// konto starts konto on the bank in a w×h terminal.
func (b *payBank) konto(t *testing.T, w, h int, args ...string) *term {
	t.Helper()
	args = append([]string{"--api-url", b.url}, args...)
	// konto's calendar starts where the bank's clock is now, so both agree on "today".
	env := []string{"KONTO_REFRESH_TOKEN=" + b.token, sandbox.EnvNow + "=" + b.bank.Now().Format(time.RFC3339Nano)}
	return startKontoEnv(t, env, w, h, args...)
}

// balance is the main account's balance at the bank.
func (b *payBank) balance(t *testing.T) int64 {
	t.Helper()
	for _, a := range b.bank.Accounts(sandbox.DefaultLogin) {
		if a.ID == 4711 {
			return a.Balance
		}
	}
	t.Fatal("no account 4711")
	return 0
}

// newestTAN reads the TAN outbox over HTTP and returns the newest TAN.
func (b *payBank) newestTAN(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sms, err := b.client.SandboxSMS(ctx)
	if err != nil || len(sms) == 0 {
		t.Fatalf("read /sandbox/sms: %v (%d messages)", err, len(sms))
	}
	return sms[len(sms)-1].TAN
}

// waitSMS waits until the outbox holds n messages.
func (b *payBank) waitSMS(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(startup)
	for len(b.bank.Outbox()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no SMS number %d arrived", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// count counts the requests with method whose path (without query)
// matches the path.Match-style glob, e.g. "/api/accounts/*/transfer/*".
func (b *payBank) count(method, glob string) int {
	n := 0
	for _, r := range b.bank.Requests() {
		p, _, _ := strings.Cut(r.Path, "?")
		p = strings.TrimSuffix(p, "/")
		if r.Method == method && globMatch(glob, p) {
			n++
		}
	}
	return n
}

// globMatch matches '*' against exactly one path segment.
func globMatch(glob, p string) bool {
	gs, ps := strings.Split(glob, "/"), strings.Split(p, "/")
	if len(gs) != len(ps) {
		return false
	}
	for i := range gs {
		if gs[i] != "*" && gs[i] != ps[i] {
			return false
		}
	}
	return true
}

// bookings counts the bookings of account 4711 to recipient of amount cents.
func (b *payBank) bookings(t *testing.T, recipient string, cents int64) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	page, err := b.client.TransactionsPage(ctx, 4711, 1)
	if err != nil {
		t.Fatalf("list transactions: %v", err)
	}
	n := 0
	for _, tx := range page.Results {
		if api.Str(tx.Name) == recipient && tx.Amount == -cents {
			n++
		}
	}
	return n
}

// fillTransfer opens the transfer form and fills it.
func fillTransfer(t *testing.T, tm *term, recipient, iban, amount, note string) {
	t.Helper()
	tm.Send("t")
	tm.WaitFor(t, "New transfer from", startup)
	tm.Send(recipient, "tab", iban, "tab", amount, "tab", note)
	tm.Send("ctrl+s")
	tm.WaitFor(t, "Review", startup)
}

func testTransfer(t *testing.T, w, h int) {
	b := startPayBank(t, "")
	before := b.balance(t)
	tm := b.konto(t, w, h)
	narrow := w < 90 // one pane at a time: the accounts show on tab
	if narrow {
		tm.waitUntil(t, startup, "the bookings", dateRow.MatchString)
	} else {
		tm.WaitFor(t, sepa.FormatEuro(before), startup)
	}

	fillTransfer(t, tm, "Karl Brenner", "DE89 3704 0044 0532 0130 00", "12,50", "Thank you for lunch")
	tm.WaitFor(t, "twelve euros and fifty cents", startup)
	tm.Send("enter")
	tm.WaitFor(t, "Confirm with TAN", startup)
	b.waitSMS(t, 1)
	right := b.newestTAN(t)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	tm.Send(wrong, "enter")
	tm.WaitFor(t, "wrong TAN, 2 tries left", startup)
	tm.Send(right, "enter")
	tm.WaitGone(t, "Confirm with TAN", startup)
	after := before - 1250
	tm.WaitFor(t, "Karl Brenner", startup)
	if narrow {
		tm.Send("tab") // to the accounts pane
	}
	tm.WaitFor(t, sepa.FormatEuro(after), startup)

	if n := b.count("POST", "/api/accounts/*/transfer"); n != 1 {
		t.Errorf("%d transfer creates reached the bank, want 1", n)
	}
	if n := b.count("PUT", "/api/accounts/*/transfer/*"); n != 2 {
		t.Errorf("%d confirms reached the bank, want 2 (wrong TAN, right TAN)", n)
	}
	if got := b.balance(t); got != after {
		t.Errorf("balance at the bank %s, want %s", sepa.FormatEuro(got), sepa.FormatEuro(after))
	}
	if n := b.bookings(t, "Karl Brenner", 1250); n != 1 {
		t.Errorf("booked %d times, want once", n)
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with %d", code)
	}
}

func TestE2EPaymentTransfer(t *testing.T)       { testTransfer(t, 120, 40) }
func TestE2EPaymentTransferNarrow(t *testing.T) { testTransfer(t, 80, 24) }

func TestE2EPaymentConfirmDropped(t *testing.T) {
	b := startPayBank(t, "drop-after@1:PUT /api/accounts/*/transfer/*")
	before := b.balance(t)
	tm := b.konto(t, 120, 40)
	tm.WaitFor(t, sepa.FormatEuro(before), startup)
	fillTransfer(t, tm, "Karl Brenner", "DE89370400440532013000", "7,00", "dropped line")
	tm.Send("enter")
	tm.WaitFor(t, "Confirm with TAN", startup)
	b.waitSMS(t, 1)
	tm.Send(b.newestTAN(t), "enter")
	// The outcome is unknown; the check finds the booking by its
	// end-to-end id and says so.
	tm.WaitFor(t, "checked: the bank booked the transfer", startup)
	tm.Send("enter", "enter", "enter") // an impatient user
	tm.WaitGone(t, "Confirm with TAN", startup)
	tm.WaitFor(t, sepa.FormatEuro(before-700), startup)
	if n := b.count("PUT", "/api/accounts/*/transfer/*"); n != 1 {
		t.Errorf("%d confirms reached the bank, want 1: an unknown outcome must never be resent", n)
	}
	if n := b.bookings(t, "Karl Brenner", 700); n != 1 {
		t.Errorf("booked %d times, want once", n)
	}
}

// berlinDay is the calendar day days after the bank's today in Berlin, as DD.MM.YYYY.
func (b *payBank) berlinDay(days int) string {
	return b.bank.Now().In(berlin()).AddDate(0, 0, days).Format("02.01.2006")
}

// confirmWithTAN waits for the TAN dialog and types the newest TAN.
func confirmWithTAN(t *testing.T, tm *term, b *payBank, sms int) {
	t.Helper()
	tm.WaitFor(t, "Confirm with TAN", startup)
	b.waitSMS(t, sms)
	tm.Send(b.newestTAN(t), "enter")
	tm.WaitGone(t, "Confirm with TAN", startup)
}

// waitRow waits for a screen line holding every one of parts.
func waitRow(t *testing.T, tm *term, parts ...string) {
	t.Helper()
	tm.waitUntil(t, startup, "a row with "+strings.Join(parts, ", "), func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return true
			}
		}
		return false
	})
}

// listRow finds the first row of an order list holding name: the index of
// the list's first row (under its "status … recipient" header) and of that
// row, at -1 when there is none (a notice naming it does not count).
func listRow(lines []string, name string) (first, at int) {
	first, at = -1, -1
	for i, line := range lines {
		if strings.Contains(line, "status") && strings.Contains(line, "recipient") {
			first = i + 1
		}
		if first >= 0 && at < 0 && strings.Contains(line, name) {
			at = i
		}
	}
	return first, at
}

// selectedOrder matches the selected row of an order list: the "▸" mark,
// the status (standing orders) or the date (timed orders), then the recipient.
var selectedOrder = regexp.MustCompile(`▸(?:[a-z]+|\d\d\.\d\d\.\d{4}) +(\S.*?)  `)

// selectRow moves the selection of the focused order list onto the row of
// name: it counts the rows above it on screen and goes there from the top.
func selectRow(t *testing.T, tm *term, name string) {
	t.Helper()
	var first, at int
	tm.waitUntil(t, startup, "a row of "+name+" in the list", func(string) bool {
		first, at = listRow(tm.Lines(), name)
		return at >= 0
	})
	tm.Send("g")
	for range at - first {
		tm.Send("j")
	}
	tm.waitUntil(t, startup, name+" selected", func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			if m := selectedOrder.FindStringSubmatch(line); m != nil && strings.HasPrefix(m[1], name) {
				return true
			}
		}
		return false
	})
}

func TestE2EPaymentStandingOrder(t *testing.T) {
	b := startPayBank(t, "")
	tm := b.konto(t, 120, 40)
	tm.WaitFor(t, "Accounts", startup)
	tm.Send("2")
	tm.WaitFor(t, "Tierheim", startup)

	// Create.
	tm.Send("n")
	tm.WaitFor(t, "New standing order", startup)
	tm.Send("Ottilie Oktober", "tab", "DE89370400440532013000", "tab", "42,00", "tab", "Pocket money", "tab",
		"tab", "right", "tab", b.berlinDay(1), "ctrl+s")
	tm.WaitFor(t, "Review", startup)
	tm.WaitFor(t, "quarterly", startup)
	tm.Send("enter")
	confirmWithTAN(t, tm, b, 1)
	// The list row, not the notice in the top line, which shows first.
	waitRow(t, tm, "Ottilie Oktober", "−42,00")

	// Edit: the list puts the next to run first, so find the new order.
	selectRow(t, tm, "Ottilie Oktober")
	tm.Send("e")
	tm.WaitFor(t, "Change standing order to Ottilie Oktober", startup)
	tm.Send("ctrl+u", "50", "ctrl+s")
	tm.WaitFor(t, "42,00 € → 50,00 €", startup)
	tm.Send("enter")
	confirmWithTAN(t, tm, b, 2)
	waitRow(t, tm, "Ottilie Oktober", "−50,00")

	// Cancel: y, the one key that cancels (enter does nothing there).
	selectRow(t, tm, "Ottilie Oktober")
	tm.Send("x")
	tm.WaitFor(t, "Cancel this standing order?  y cancel it · n/esc keep it", startup)
	tm.Send("y")
	confirmWithTAN(t, tm, b, 3)
	tm.waitUntil(t, startup, "the order shown as canceled", func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			if strings.Contains(line, "Ottilie Oktober") && strings.Contains(line, "canceled") {
				return true
			}
		}
		return false
	})

	checks := []struct {
		method, glob string
		want         int
	}{
		{"POST", "/api/accounts/*/standing-orders", 1},
		{"PATCH", "/api/accounts/*/standing-orders/*", 1},
		{"PATCH", "/api/accounts/*/standing-orders/*/cancel", 1},
		{"POST", "/api/accounts/*/standing-orders/confirm", 3},
	}
	for _, c := range checks {
		if n := b.count(c.method, c.glob); n != c.want {
			t.Errorf("%s %s: %d requests, want %d", c.method, c.glob, n, c.want)
		}
	}
}

func TestE2EPaymentTimedOrder(t *testing.T) {
	b := startPayBank(t, "")
	tm := b.konto(t, 120, 40)
	tm.WaitFor(t, "Accounts", startup)
	tm.Send("3")
	tm.WaitFor(t, "scheduled", startup)

	// Far in the future, so it is the last of the list (sorted by date).
	day := b.berlinDay(400)
	tm.Send("n")
	tm.WaitFor(t, "New timed order", startup)
	tm.Send("Tim Termin", "tab", "DE89370400440532013000", "tab", "99,99", "tab", "Once", "tab", "tab", day, "ctrl+s")
	tm.WaitFor(t, "Review", startup)
	tm.Send("enter")
	confirmWithTAN(t, tm, b, 1)
	// Its row in the list, not the notice that names it: x must not
	// cancel the order selected before the list has it.
	selectRow(t, tm, "Tim Termin")
	tm.Send("x")
	tm.WaitFor(t, "Cancel this timed order?  y cancel it · n/esc keep it", startup)
	tm.Send("y")
	tm.WaitGone(t, "Tim Termin", startup)
	if n := b.count("POST", "/api/accounts/*/timed-orders"); n != 1 {
		t.Errorf("%d timed-order creates, want 1", n)
	}
	if n := b.count("POST", "/api/accounts/*/timed-orders/*/confirm"); n != 1 {
		t.Errorf("%d timed-order confirms, want 1", n)
	}
	if n := b.count("PATCH", "/api/accounts/*/timed-orders/*/cancel"); n != 1 {
		t.Errorf("%d timed-order cancels, want 1", n)
	}
}

func TestE2EPaymentReadOnly(t *testing.T) {
	b := startPayBank(t, "")
	tm := b.konto(t, 120, 40, "--read-only")
	tm.WaitFor(t, "read-only", startup)
	tm.WaitFor(t, "Accounts", startup)
	tm.Send("t")
	tm.WaitFor(t, "read-only: payments off", startup)
	if strings.Contains(tm.Screen(), "New transfer") {
		t.Error("the transfer form opened in read-only mode")
	}
	if n := b.count("POST", "/api/accounts/*/transfer"); n != 0 {
		t.Errorf("%d creates in read-only mode", n)
	}
}
