package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store/export"
	"konto/ui/app"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fixedNow is the sandbox's start: tests never read the wall clock.
var fixedNow = time.Date(2026, 12, 3, 17, 42, 0, 0, berlin)

// harness is a sandbox bank over real HTTP and a client of its demo user.
type harness struct {
	bank   *sandbox.Bank
	client *api.Client
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return fixedNow }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	client, err := api.New(srv.URL, apitest.BasicAuth(sandbox.DefaultLogin, sandbox.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	return &harness{bank: bank, client: client}
}

// run runs a command in-process and returns its status, stdout and stderr.
func (h *harness) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &app.Factory{
		IO:  app.IOStreams{Out: &out, ErrOut: &errOut},
		Loc: berlin,
		BankFlags: func(*flag.FlagSet) app.Connector {
			return func(context.Context) (*app.Source, error) {
				return &app.Source{Bank: h.client, Now: h.bank.Now, Close: func() {}}, nil
			}
		},
	}
	code := app.Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func (h *harness) must(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := h.run(t, args...)
	if code != 0 {
		t.Fatalf("konto %s: status %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	if errOut != "" {
		t.Errorf("konto %s wrote to stderr: %q", strings.Join(args, " "), errOut)
	}
	return out
}

func TestCommandsAnswerWhatTheBankSays(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	accs, err := h.client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var gotAccs []api.Account
	decode(t, h.must(t, "accounts", "--json"), &gotAccs)
	if !reflect.DeepEqual(gotAccs, accs) {
		t.Errorf("accounts --json = %+v, bank %+v", gotAccs, accs)
	}
	var one []api.Account
	decode(t, h.must(t, "balance", "--account", accs[1].IBAN, "--json"), &one)
	if len(one) != 1 || !reflect.DeepEqual(one[0], accs[1]) {
		t.Errorf("balance --account IBAN = %+v, want %+v", one, accs[1])
	}
	rows := readCSV(t, h.must(t, "balance", "--csv"))
	if rows[0][2] != "balance" || rows[1][2] != decimal(accs[0].Balance) {
		t.Errorf("balance --csv = %q", rows)
	}

	txs, err := h.client.SyncTransactions(ctx, accs[0].ID, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var gotTx []api.Transaction
	decode(t, h.must(t, "tx", "--json"), &gotTx)
	if !sameBookings(gotTx, txs) {
		t.Errorf("tx --json: %d bookings, bank %d (or they differ)", len(gotTx), len(txs))
	}
	// The dashboard's filter: outgoing money above 100 € in November 2026.
	var want []int64
	for _, tx := range txs {
		if tx.Amount < -10000 && tx.BookingDate.In(berlin).Format("2006-01") == "2026-11" {
			want = append(want, tx.ID)
		}
	}
	csvRows := readCSV(t, h.must(t, "tx", "out", "amt:<-100", "date:2026-11", "--csv"))
	if csvRows[0][0] != "date" || len(csvRows)-1 != len(want) || len(want) == 0 {
		t.Fatalf("tx out amt:<-100 date:2026-11 --csv: %d rows, want %d", len(csvRows)-1, len(want))
	}
	for _, row := range csvRows[1:] {
		id, _ := strconv.ParseInt(row[1], 10, 64)
		if !slices.Contains(want, id) || !strings.HasPrefix(row[0], "2026-11-") || !strings.HasPrefix(row[2], "-") {
			t.Errorf("row %q is not one of the bank's bookings the query matches", row)
		}
	}
	tsv := strings.Split(strings.TrimSpace(h.must(t, "tx", "--limit", "3", "--tsv")), "\n")
	if len(tsv) != 4 || !strings.HasPrefix(tsv[0], "date\tid\tamount") {
		t.Errorf("tx --limit 3 --tsv = %q", tsv)
	}
	newest := slices.MaxFunc(txs, func(a, b api.Transaction) int { return a.BookingDate.Compare(b.BookingDate.Time) })
	if !strings.Contains(tsv[3], strconv.FormatInt(newest.ID, 10)) {
		t.Errorf("tx --limit 3 ends with %q, not the newest booking %d", tsv[3], newest.ID)
	}

	standing, err := h.client.StandingOrders(ctx, accs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	timed, err := h.client.TimedOrders(ctx, accs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var orders []map[string]any
	decode(t, h.must(t, "orders", "--json"), &orders)
	if len(orders) != len(standing)+len(timed) || len(standing) == 0 {
		t.Errorf("orders --json: %d, bank %d standing + %d timed", len(orders), len(standing), len(timed))
	}
	var onlyStanding []api.StandingOrder
	decode(t, h.must(t, "orders", "--standing", "--json"), &onlyStanding)
	if !reflect.DeepEqual(onlyStanding, standing) {
		t.Errorf("orders --standing --json differs from the bank's")
	}

	table := h.must(t, "tx", "--limit", "5")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 6 || !strings.HasPrefix(lines[0], "Date") || strings.Contains(table, "\x1b") {
		t.Errorf("tx table without a terminal:\n%s", table)
	}
}

func TestUsageErrorsExitTwoNamingTheProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tx", "amt:>abc"}, "amt:>abc"},
		{[]string{"tx", "date:2026-13"}, "date:2026-13"},
		{[]string{"tx", "--json", "--csv"}, "exclude"},
		{[]string{"balance", "--account", "999"}, "no such account"},
		{[]string{"export", "--format", "xls"}, "xls"},
		{[]string{"export", "--format", "hledger", "--new"}, "--output"},
		{[]string{"tx", "--bogus"}, "bogus"},
		{[]string{"transfer"}, "not a command"},
	} {
		code, out, errOut := h.run(t, tc.args...)
		if code != app.ExitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("konto %s: status %d, stdout %q, stderr %q (want 2 and one line naming %q)", strings.Join(tc.args, " "), code, out, errOut, tc.want)
		}
	}
}

func TestExportIsReadByHledgerAndBeancount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	accs, err := h.client.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	journal := filepath.Join(dir, "bank.journal")
	if err := os.WriteFile(journal, []byte(h.must(t, "export", "--format", "hledger")), 0o600); err != nil {
		t.Fatal(err)
	}
	ledger := filepath.Join(dir, "bank.beancount")
	h.must(t, "export", "--format", "beancount", "--output", ledger)
	second := filepath.Join(dir, "second.journal")
	h.must(t, "export", "--format", "hledger", "--account", strconv.FormatInt(accs[1].ID, 10), "--output", second)

	requireTool(t, "hledger")
	if got := hledgerBalance(t, journal, "assets:bank:kontist:main"); got != accs[0].Balance {
		t.Errorf("hledger bal = %d cents, the bank says %d", got, accs[0].Balance)
	}
	if got := hledgerBalance(t, second, "assets:bank:kontist:account-2"); got != accs[1].Balance {
		t.Errorf("hledger bal of account 2 = %d cents, the bank says %d", got, accs[1].Balance)
	}
	requireTool(t, "bean-check")
	requireTool(t, "bean-query")
	tool(t, "bean-check", ledger)
	if got := beanBalance(t, ledger, "Assets:Bank:Kontist:Main"); got != accs[0].Balance {
		t.Errorf("beancount balance = %d cents, the bank says %d", got, accs[0].Balance)
	}
}

func TestExportNewAddsOnlyWhatIsNew(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dir := t.TempDir()
	for _, format := range []string{"hledger", "beancount", "csv", "json", "qif"} {
		path := filepath.Join(dir, "bank."+format)
		h.must(t, "export", "--format", format, "--output", path, "--new")
		first := known(t, path, format)
		if len(first) < 1000 {
			t.Fatalf("%s: the first --new wrote %d bookings", format, len(first))
		}
		before, _ := os.ReadFile(path)
		h.must(t, "export", "--format", format, "--output", path, "--new")
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("%s: a second --new changed the file", format)
		}
		booked := h.bank.Book(4711, api.Transaction{Amount: -1250, Name: ptr("Späti " + format), Purpose: ptr("late booking")})
		h.must(t, "export", "--format", format, "--output", path, "--new")
		now := known(t, path, format)
		if len(now) != len(first)+1 || !now[booked.ID] {
			t.Errorf("%s: after one new booking the file holds %d bookings, was %d (new id %d there: %v)", format, len(now), len(first), booked.ID, now[booked.ID])
		}
	}
	// The bookings made since the journal's last --new come in with the next.
	h.must(t, "export", "--format", "hledger", "--output", filepath.Join(dir, "bank.hledger"), "--new")
	requireTool(t, "hledger")
	accs, _ := h.client.Accounts(context.Background())
	if got := hledgerBalance(t, filepath.Join(dir, "bank.hledger"), "assets:bank:kontist:main"); got != accs[0].Balance {
		t.Errorf("hledger bal after the appends = %d, the bank says %d", got, accs[0].Balance)
	}
}

func known(t *testing.T, path, format string) map[int64]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids, err := export.KnownIDs(f, export.Format(format))
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// sameBookings compares the bank's fields; category is konto's own (the
// bank's is always null), checked where the rules are.
func sameBookings(a, b []api.Transaction) bool {
	if len(a) != len(b) {
		return false
	}
	byID := map[int64]api.Transaction{}
	for _, tx := range b {
		byID[tx.ID] = tx
	}
	for _, tx := range a {
		want, ok := byID[tx.ID]
		tx.Category = want.Category
		if !ok || !reflect.DeepEqual(mustJSON(tx), mustJSON(want)) {
			return false
		}
	}
	return true
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%.300s", err, s)
	}
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("not CSV: %v\n%.300s", err, s)
	}
	for i := range rows {
		for j := range rows[i] {
			rows[i][j] = strings.TrimSpace(rows[i][j])
		}
	}
	return rows
}

func decimal(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(cents/10%10, 10) + strconv.FormatInt(cents%10, 10)
}

func ptr(s string) *string { return &s }

func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed: %v (apt-get install hledger beancount)", name, err)
	}
}

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v: %s%s", name, strings.Join(args, " "), err, stderr.String(), out)
	}
	return string(out)
}

// hledgerBalance is the account's balance in cents as hledger sums it.
func hledgerBalance(t *testing.T, path, account string) int64 {
	t.Helper()
	for _, row := range readCSV(t, tool(t, "hledger", "-f", path, "bal", account, "-O", "csv", "-N")) {
		if len(row) == 2 && row[0] == account {
			return parseEUR(t, row[1])
		}
	}
	t.Fatalf("hledger bal %s: no row for the account", account)
	return 0
}

// beanBalance is the sum of the account's positions as bean-query sees it.
func beanBalance(t *testing.T, path, account string) int64 {
	t.Helper()
	rows := readCSV(t, tool(t, "bean-query", "-f", "csv", path, "SELECT sum(position) WHERE account = '"+account+"'"))
	if len(rows) != 2 || len(rows[1]) != 1 {
		t.Fatalf("bean-query sum: %q", rows)
	}
	return parseEUR(t, rows[1][0])
}

// parseEUR reads "1000.00 EUR" or "-6.59 EUR" as cents, exactly.
func parseEUR(t *testing.T, s string) int64 {
	t.Helper()
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "EUR"))
	neg := strings.HasPrefix(s, "-")
	euros, cents, ok := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	e, err1 := strconv.ParseInt(euros, 10, 64)
	c, err2 := strconv.ParseInt(cents, 10, 64)
	if !ok || len(cents) != 2 || err1 != nil || err2 != nil {
		t.Fatalf("not an amount in EUR: %q", s)
	}
	if neg {
		return -(e*100 + c)
	}
	return e*100 + c
}

// Relative dates in QUERY count from the bank's day, not the machine's:
// on a demo clock of 15 March 2025, date:lastmonth is February 2025.
func TestQueryRelativeDatesUseTheBanksDay(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 3, 15, 12, 0, 0, 0, berlin)
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return start }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	client, err := api.New(srv.URL, apitest.BasicAuth(sandbox.DefaultLogin, sandbox.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{bank: bank, client: client}
	relative := h.must(t, "tx", "date:lastmonth", "--csv")
	absolute := h.must(t, "tx", "date:2025-02", "--csv")
	if relative != absolute || strings.Count(absolute, "\n") < 2 {
		t.Errorf("date:lastmonth gave\n%s\ndate:2025-02 gave\n%s", relative, absolute)
	}
	if code, _, errOut := h.run(t, "tx", "date:lastmonthly"); code != 2 || !strings.Contains(errOut, "date:lastmonthly: not a date") {
		t.Errorf("date:lastmonthly: status %d, %q", code, errOut)
	}
}
