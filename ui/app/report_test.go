package app_test

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store"
	"konto/store/rules"
	"konto/ui/app"
)

// labelledBank is the sandbox's client with an offline cache beside it,
// as offline.Mirror has one: the labels set on the dashboard live there.
type labelledBank struct {
	*api.Client
	cache *store.Cache
}

func (b labelledBank) Cache() *store.Cache { return b.cache }

// setup is what a command's Source brings beside the bank.
type setup struct {
	rules  *rules.Set
	cache  *store.Cache
	io     app.IOStreams // Out and ErrOut are set by runWith
	called *bool         // set when the command connected to the bank
}

func (h *harness) runWith(t *testing.T, s setup, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := s.io
	streams.Out, streams.ErrOut = &out, &errOut
	f := &app.Factory{
		IO:  streams,
		Loc: berlin,
		BankFlags: func(*flag.FlagSet) app.Connector {
			return func(context.Context) (*app.Source, error) {
				if s.called != nil {
					*s.called = true
				}
				var bank app.ScriptReader = h.client
				if s.cache != nil {
					bank = labelledBank{Client: h.client, cache: s.cache}
				}
				return &app.Source{Bank: bank, Now: h.bank.Now, Close: func() {}, Rules: s.rules}, nil
			}
		},
	}
	code := app.Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func (h *harness) mustWith(t *testing.T, s setup, args ...string) string {
	t.Helper()
	code, out, errOut := h.runWith(t, s, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("konto %s: status %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	return out
}

// reportJSON is konto report --json as a script reads it.
type reportJSON struct {
	From, To   string
	In, Out    int64
	Count      int
	Categories []struct {
		Category *string
		In, Out  int64
		Count    int
	}
	Months []struct {
		Month   string
		In, Out int64
		Count   int
	}
	Counterparties []struct {
		Name    *string
		IBAN    string
		In, Out int64
		Count   int
	}
}

// txJSON is a booking of konto tx --json with konto's fields.
type txJSON struct {
	ID           int64     `json:"id"`
	Amount       int64     `json:"amount"`
	Name         *string   `json:"name"`
	BookingDate  time.Time `json:"bookingDate"`
	Category     *string   `json:"category"`
	Tags         []string  `json:"tags"`
	Note         *string   `json:"note"`
	Marked       bool      `json:"marked"`
	BalanceAfter *int64    `json:"balanceAfter"`
}

type sums struct {
	in, out int64
	count   int
}

func (s *sums) add(amount int64) {
	if amount > 0 {
		s.in += amount
	} else {
		s.out += amount
	}
	s.count++
}

// The report's figures are the sums of the bookings konto tx lists for
// the same period, added up here on their own.
func TestReportAgreesWithTx(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	accs, err := h.client.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var all [][]txJSON
	for _, a := range accs {
		var txs []txJSON
		decode(t, h.must(t, "tx", "--json", "--account", strconv.FormatInt(a.ID, 10)), &txs)
		all = append(all, txs)
	}
	for _, c := range []struct {
		args     []string
		from, to string // the days the period holds
		accounts []int  // whose bookings count
	}{
		{[]string{"--period", "2026-11"}, "2026-11-01", "2026-11-30", []int{0}},
		{[]string{"--period", "lastmonth"}, "2026-11-01", "2026-11-30", []int{0}}, // fixedNow is 3 December 2026
		{nil, "2026-12-01", "2026-12-31", []int{0}},                               // thismonth
		{[]string{"--period", "2026-Q3", "--account", accs[1].IBAN}, "2026-07-01", "2026-09-30", []int{1}},
		{[]string{"--period", "2026-01..2026-06", "--account", "all"}, "2026-01-01", "2026-06-30", []int{0, 1}},
		{[]string{"--period", "11.2026", "--account", "ALL"}, "2026-11-01", "2026-11-30", []int{0, 1}},
	} {
		var rep reportJSON
		decode(t, h.must(t, append([]string{"report", "--json"}, c.args...)...), &rep)
		var total sums
		cats, months := map[string]*sums{}, map[string]*sums{}
		for _, i := range c.accounts {
			for _, tx := range all[i] {
				day := tx.BookingDate.In(berlin).Format("2006-01-02")
				if day < c.from || day > c.to {
					continue
				}
				total.add(tx.Amount)
				cat := "\x00" // uncategorised
				if tx.Category != nil {
					cat = *tx.Category
				}
				if cats[cat] == nil {
					cats[cat] = &sums{}
				}
				cats[cat].add(tx.Amount)
				if months[day[:7]] == nil {
					months[day[:7]] = &sums{}
				}
				months[day[:7]].add(tx.Amount)
			}
		}
		name := strings.Join(c.args, " ")
		if total.count == 0 {
			t.Fatalf("report %s: the sandbox has no bookings there: a useless case", name)
		}
		if rep.From != c.from || rep.To != c.to || rep.In != total.in || rep.Out != total.out || rep.Count != total.count {
			t.Errorf("report %s: %s..%s in %d out %d count %d; the bookings: %s..%s in %d out %d count %d",
				name, rep.From, rep.To, rep.In, rep.Out, rep.Count, c.from, c.to, total.in, total.out, total.count)
		}
		if len(rep.Categories) != len(cats) {
			t.Errorf("report %s: %d categories, the bookings have %d", name, len(rep.Categories), len(cats))
		}
		for _, got := range rep.Categories {
			key := "\x00"
			if got.Category != nil {
				key = *got.Category
			}
			want := cats[key]
			if want == nil || got.In != want.in || got.Out != want.out || got.Count != want.count {
				t.Errorf("report %s: category %q %+v, the bookings %+v", name, key, got, want)
			}
		}
		for _, got := range rep.Months {
			want := months[got.Month]
			if want == nil {
				want = &sums{}
			}
			if got.In != want.in || got.Out != want.out || got.Count != want.count {
				t.Errorf("report %s: month %s %+v, the bookings %+v", name, got.Month, got, want)
			}
		}
		var parties sums
		for _, p := range rep.Counterparties {
			parties.in, parties.out, parties.count = parties.in+p.In, parties.out+p.Out, parties.count+p.Count
		}
		if parties != total {
			t.Errorf("report %s: the counterparties add up to %+v, the bookings to %+v", name, parties, total)
		}
	}
}

// The running balance in konto tx --json is the account's balance once
// each booking was booked, counted from the bank's balance, with or
// without a filter.
func TestTxBalanceAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	accs, err := h.client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bank, err := h.client.SyncTransactions(ctx, accs[0].ID, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The bank lists newest first: the balance before a booking is the one
	// after it minus its amount.
	want := map[int64]int64{}
	balance := accs[0].Balance
	for _, tx := range bank {
		want[tx.ID] = balance
		balance -= tx.Amount
	}
	for _, args := range [][]string{{"tx", "--json"}, {"tx", "out", "amt:<-100", "--json"}, {"tx", "--limit", "7", "--json"}} {
		var txs []txJSON
		decode(t, h.must(t, args...), &txs)
		if len(txs) == 0 {
			t.Fatalf("%s: no bookings", strings.Join(args, " "))
		}
		for _, tx := range txs {
			if tx.BalanceAfter == nil || *tx.BalanceAfter != want[tx.ID] {
				t.Errorf("%s: booking %d balanceAfter %v, want %d", strings.Join(args, " "), tx.ID, tx.BalanceAfter, want[tx.ID])
				break
			}
		}
	}
}

const clientRules = `
[[rules]]
counterparty = "nordlicht medien"
category = "clients"
payee = "Nordlicht"
tags = ["invoice"]
`

func ruleSet(t *testing.T, text string) *rules.Set {
	t.Helper()
	cfg, err := store.ParseConfig("config.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	set, err := cfg.Profile("").RuleSet()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// The config's rules categorise what report, tx and export show.
func TestRulesFromTheConfigChangeTheOutput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	withRules := setup{rules: ruleSet(t, clientRules)}

	var plain, ruled reportJSON
	decode(t, h.must(t, "report", "--period", "2026", "--json"), &plain)
	decode(t, h.mustWith(t, withRules, "report", "--period", "2026", "--json"), &ruled)
	category := func(r reportJSON, name string) (int64, bool) {
		for _, c := range r.Categories {
			if c.Category != nil && *c.Category == name {
				return c.In, true
			}
		}
		return 0, false
	}
	if _, ok := category(plain, "clients"); ok {
		t.Fatal("a category clients without the rule")
	}
	if _, ok := category(plain, "rent"); !ok {
		t.Error("the built-in rules did not find the rent")
	}
	var clients []txJSON
	decode(t, h.mustWith(t, withRules, "tx", "cat:clients", "date:2026", "--json"), &clients)
	var want int64
	for _, tx := range clients {
		if tx.Name == nil || !strings.Contains(*tx.Name, "Nordlicht Medien") || tx.Category == nil || *tx.Category != "clients" ||
			len(tx.Tags) != 1 || tx.Tags[0] != "invoice" {
			t.Errorf("tx cat:clients: %+v", tx)
		}
		want += tx.Amount
	}
	if len(clients) == 0 {
		t.Fatal("tx cat:clients lists nothing: the sandbox has no Nordlicht Medien in 2026")
	}
	if got, ok := category(ruled, "clients"); !ok || got != want {
		t.Errorf("report with the rule: clients in %d (%v), tx cat:clients sums %d", got, ok, want)
	}
	if ruled.In != plain.In || ruled.Out != plain.Out || ruled.Count != plain.Count {
		t.Error("a rule changed the totals")
	}
	var payee bool
	for _, p := range ruled.Counterparties {
		payee = payee || (p.Name != nil && *p.Name == "Nordlicht" && p.In == want)
	}
	if !payee {
		t.Error("the rule's payee is not a counterparty of its own")
	}
	var tagged, uncategorised []txJSON
	decode(t, h.mustWith(t, withRules, "tx", "tag:invoice", "date:2026", "--json"), &tagged)
	decode(t, h.mustWith(t, withRules, "tx", "uncategorised", "--json"), &uncategorised)
	if len(tagged) != len(clients) {
		t.Errorf("tag:invoice: %d bookings, cat:clients %d", len(tagged), len(clients))
	}
	for _, tx := range uncategorised {
		if tx.Category != nil {
			t.Fatalf("uncategorised lists %d of category %s", tx.ID, *tx.Category)
		}
	}
	table := h.mustWith(t, withRules, "report", "--period", "2026")
	if !strings.Contains(table, "clients") || !strings.Contains(table, "Nordlicht ") {
		t.Errorf("report table without the rule's category and payee:\n%s", table)
	}
	csv := h.mustWith(t, withRules, "export", "--format", "csv", "cat:clients", "date:2026")
	if rows := readCSV(t, csv); len(rows)-1 != len(clients) || rows[1][4] != "clients" {
		t.Errorf("export --format csv cat:clients: %q", rows)
	}
	// default_rules = false leaves the built-in ones out.
	var own reportJSON
	decode(t, h.mustWith(t, setup{rules: ruleSet(t, "default_rules = false\n"+clientRules)}, "report", "--period", "2026", "--json"), &own)
	if _, ok := category(own, "rent"); ok {
		t.Error("default_rules = false still finds the rent")
	}
}

// What the user set on the dashboard (kept in the offline cache) is in the
// read commands, and their tokens find it.
func TestLabelsFromTheCache(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cache, err := store.OpenCache(filepath.Join(t.TempDir(), "cache.db"), store.CacheOptions{Now: h.bank.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	var txs []txJSON
	decode(t, h.must(t, "tx", "date:2026-11", "--json"), &txs)
	chosen := txs[len(txs)/2]
	if _, err := cache.UpdateLabel(chosen.ID, func(rules.Label) rules.Label {
		return rules.Label{Category: "office", Note: "Quittung \x1b[31mabgelegt", Marked: true, Tags: []string{"receipt"}}
	}); err != nil {
		t.Fatal(err)
	}
	s := setup{cache: cache}
	for _, query := range []string{"marked", "note:quittung", "cat:office", "tag:receipt"} {
		var got []txJSON
		decode(t, h.mustWith(t, s, "tx", query, "--json"), &got)
		if len(got) != 1 || got[0].ID != chosen.ID || !got[0].Marked || got[0].Note == nil ||
			*got[0].Note != "Quittung \x1b[31mabgelegt" || *got[0].Category != "office" || !slices.Contains(got[0].Tags, "receipt") {
			t.Errorf("tx %s --json = %+v, want booking %d with its label", query, got, chosen.ID)
		}
	}
	var rep reportJSON
	decode(t, h.mustWith(t, s, "report", "--period", "2026-11", "--json"), &rep)
	found := false
	for _, c := range rep.Categories {
		found = found || (c.Category != nil && *c.Category == "office" && c.Count == 1 && c.In+c.Out == chosen.Amount)
	}
	if !found {
		t.Errorf("report: no category office of one booking of %d: %+v", chosen.Amount, rep.Categories)
	}
	table := h.mustWith(t, s, "tx", "marked")
	if strings.Contains(table, "\x1b") || !strings.Contains(table, "office") || !strings.Contains(table, "Quittung") {
		t.Errorf("tx marked table:\n%s", table)
	}
	// A plain Index (no labels) matches no label token.
	if out := h.must(t, "tx", "marked", "--csv"); strings.Count(out, "\n") != 1 {
		t.Errorf("tx marked without a cache:\n%s", out)
	}
}

// A period konto cannot read is a usage error naming it, before the bank
// is asked.
func TestReportRefusesABadPeriod(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, args := range [][]string{
		{"report", "--period", "lastmonthly"},
		{"report", "--period", "2026-13"},
		{"report", "--period", "2026-12..2026-01"},
		{"report", "--period", ""},
		{"report", "2026-11"},
		{"report", "--top", "-1"},
	} {
		called := false
		code, out, errOut := h.runWith(t, setup{called: &called}, args...)
		name := strings.Join(args, " ")
		if code != app.ExitUsage || out != "" || called {
			t.Errorf("konto %s: status %d, stdout %q, connected %v", name, code, out, called)
		}
		if bad := args[len(args)-1]; !strings.Contains(errOut, strconv.Quote(bad)) && !strings.Contains(errOut, bad) {
			t.Errorf("konto %s: %q does not name %q", name, errOut, bad)
		}
		if strings.Count(errOut, "\n") != 1 {
			t.Errorf("konto %s: stderr is not one line: %q", name, errOut)
		}
	}
}

// The tables fit the terminal's width, and colour comes only on a
// terminal without NO_COLOR.
func TestReportTableFitsAndColours(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, width := range []int{60, 80, 200} {
		for _, args := range [][]string{{"report", "--period", "2026"}, {"report", "--account", "all"}, {"tx", "date:2026-11"}} {
			out := h.mustWith(t, setup{io: app.IOStreams{Width: width}}, args...)
			for _, line := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("%s at width %d: a line of %d cells: %q", strings.Join(args, " "), width, w, line)
					break
				}
			}
		}
	}
	plain := h.must(t, "report")
	noColor := h.mustWith(t, setup{io: app.IOStreams{OutTTY: true, NoColor: true, Width: 100}}, "report")
	colour := h.mustWith(t, setup{io: app.IOStreams{OutTTY: true, Width: 100}}, "report")
	if strings.Contains(plain, "\x1b") || strings.Contains(noColor, "\x1b") {
		t.Error("escape sequences without a terminal or with NO_COLOR")
	}
	if !strings.Contains(colour, "\x1b[31m") || !strings.Contains(colour, "\x1b[32m") {
		t.Error("no colour on a terminal")
	}
	if ansi.Strip(colour) != noColor {
		t.Error("colour changes the text")
	}
	for _, want := range []string{"December 2026", "Spending", "Income", "Paid the most", "Paid in the most", "█", "▒", "12.2026"} {
		if !strings.Contains(plain, want) {
			t.Errorf("report table without %q:\n%s", want, plain)
		}
	}
}
