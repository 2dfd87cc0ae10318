package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store/alerts"
	"konto/ui/app"
)

// syncBuffer is a buffer the watch writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// restartable is the sandbox bank behind a server that can go down and
// come back on the same address, the bank's state kept.
type restartable struct {
	bank *sandbox.Bank
	addr string
	srv  *http.Server
}

func (r *restartable) start(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port of the last run may take a moment to free
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.srv = &http.Server{Handler: r.bank}
	go r.srv.Serve(ln)
}

func (r *restartable) stop() { r.srv.Close() }

// Every booking made through the API while konto watch runs is one event:
// none twice, none missed, also across the bank going down and coming back.
func TestWatchPrintsEachNewBookingOnce(t *testing.T) {
	t.Parallel()
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return fixedNow }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	r := &restartable{bank: bank, addr: "127.0.0.1:0"}
	r.start(t)
	t.Cleanup(func() { r.stop() })
	client, err := api.New("http://"+r.addr, apitest.BasicAuth(sandbox.DefaultLogin, sandbox.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	accs, err := client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}

	tick := make(chan time.Time)
	var out, errOut syncBuffer
	f := &app.Factory{
		IO:  app.IOStreams{Out: &out, ErrOut: &errOut},
		Loc: berlin,
		BankFlags: func(*flag.FlagSet) app.Connector {
			return func(context.Context) (*app.Source, error) {
				return &app.Source{Bank: client, Now: bank.Now, Close: func() {},
					Alerts: []alerts.Rule{{Kind: alerts.MoneyOut, Amount: 10000}}}, nil
			}
		},
		After: func(time.Duration) <-chan time.Time { return tick },
	}
	done := make(chan int)
	go func() { done <- app.Run(ctx, f, []string{"watch", "--json"}) }()
	// A tick is taken only once the poll before it has finished: two ticks
	// mean at least one whole poll after what came before.
	poll := func() {
		for range 2 {
			select {
			case tick <- time.Time{}:
			case code := <-done:
				t.Fatalf("watch ended with %d: %s", code, errOut.String())
			}
		}
	}
	pay := func(amount int64) {
		t.Helper()
		p, err := client.CreateTransfer(ctx, accs[0].ID, api.TransferRequest{Recipient: "Druckerei Nord", IBAN: "DE75512108001245126199", Amount: amount})
		if err != nil {
			t.Fatal(err)
		}
		outbox := bank.Outbox()
		if _, err := client.ConfirmTransfer(ctx, p, outbox[len(outbox)-1].TAN); err != nil {
			t.Fatal(err)
		}
	}
	poll()
	if out.String() != "" {
		t.Fatalf("the history there at the start was printed: %.300s", out.String())
	}
	pay(1234)
	pay(25000)
	poll()
	pay(500)
	r.stop()
	poll() // the bank is down: said on stderr, nothing lost
	if !strings.Contains(errOut.String(), "trying again") {
		t.Errorf("stderr %q: the failing poll is not reported", errOut.String())
	}
	r.start(t)
	poll()
	pay(777)
	poll()
	poll()

	var bookings []int64
	var amounts []int64
	alertsSeen := 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var e app.WatchEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not one JSON object: %q", line)
		}
		switch e.Event {
		case "booking":
			bookings = append(bookings, e.Transaction.ID)
			amounts = append(amounts, e.Transaction.Amount)
		case "alert":
			alertsSeen++
			if e.Transaction == nil || e.Transaction.Amount != -25000 || !strings.HasPrefix(e.Text, "money out: −250,00 €") {
				t.Errorf("alert %+v", e)
			}
		}
		if e.Account != accs[0].ID {
			t.Errorf("event on account %d", e.Account)
		}
	}
	if want := []int64{-1234, -25000, -500, -777}; len(amounts) != len(want) || amounts[0] != want[0] || amounts[1] != want[1] || amounts[2] != want[2] || amounts[3] != want[3] {
		t.Errorf("booking events %v, want one each of %v", amounts, want)
	}
	seen := map[int64]bool{}
	for _, id := range bookings {
		if seen[id] {
			t.Errorf("booking %d twice", id)
		}
		seen[id] = true
	}
	if alertsSeen != 1 {
		t.Errorf("%d alerts, want 1 (the one above 100 €)", alertsSeen)
	}
	cancel()
	if code := <-done; code != app.ExitOK {
		t.Errorf("after the end: status %d, stderr %q", code, errOut.String())
	}
}

// --exec runs a program with the event on stdin, never through a shell; a
// failing one is reported and the watch goes on.
func TestWatchExec(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dir := t.TempDir()
	tick := make(chan time.Time)
	var out, errOut syncBuffer
	f := &app.Factory{
		IO: app.IOStreams{Out: &out, ErrOut: &errOut}, Loc: berlin, Exec: true,
		BankFlags: func(*flag.FlagSet) app.Connector {
			return func(context.Context) (*app.Source, error) {
				return &app.Source{Bank: h.client, Now: h.bank.Now, Close: func() {}}, nil
			}
		},
		After: func(time.Duration) <-chan time.Time { return tick },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	// tee writes stdin to a file; "; false" would be a shell's: here it is two arguments.
	go func() {
		done <- app.Run(ctx, f, []string{"watch", "--exec", "tee " + dir + "/event " + dir + "/;false"})
	}()
	tick <- time.Time{}
	h.bank.Book(4711, api.Transaction{Amount: 4200, Name: api.Ptr("ACME \x1b[31mGmbH")})
	tick <- time.Time{}
	tick <- time.Time{}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("status %d: %s", code, errOut.String())
	}
	if got := out.String(); !strings.HasPrefix(got, "booking  03.12.2026 ") || !strings.Contains(got, "+42,00 €  ACME GmbH") || strings.Count(got, "\n") != 1 {
		t.Errorf("stdout %q", got)
	}
	// tee wrote the file named ";false" too: it ran as a program, not in a shell.
	if !strings.Contains(errOut.String(), `"event":"booking"`) {
		t.Errorf("the command's output (tee's stdout) goes to stderr: %q", errOut.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, ";false")); err != nil || !strings.Contains(string(b), `"amount":4200`) {
		t.Errorf("the event on stdin: %q %v", b, err)
	}

	// A command that cannot run is reported, and the watch goes on.
	out.b.Reset()
	errOut.b.Reset()
	ctx, cancel = context.WithCancel(context.Background())
	go func() { done <- app.Run(ctx, f, []string{"watch", "--exec", filepath.Join(dir, "no-such-program")}) }()
	tick <- time.Time{}
	h.bank.Book(4711, api.Transaction{Amount: 100, Name: api.Ptr("one")})
	tick <- time.Time{}
	h.bank.Book(4711, api.Transaction{Amount: 200, Name: api.Ptr("two")})
	tick <- time.Time{}
	tick <- time.Time{}
	cancel()
	if code := <-done; code != 0 || strings.Count(errOut.String(), "konto watch: --exec ") != 2 || strings.Count(out.String(), "\n") != 2 {
		t.Errorf("status %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

func TestWatchFlags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, bad := range [][]string{{"watch", "--interval", "1s"}, {"watch", "--exec", "x"}, {"watch", "extra"}} {
		if code, _, errOut := h.run(t, bad...); code != app.ExitUsage || !strings.HasPrefix(errOut, "konto watch: ") {
			t.Errorf("%q: status %d, stderr %q", bad, code, errOut)
		}
	}
}
