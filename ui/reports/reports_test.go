package reports

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/store/period"
	"konto/store/report"
	"konto/store/rules"
	"konto/theme"
	"konto/ui/common"
	"konto/ui/filter"
	"konto/ui/uitest"
)

// fakeStore is the cache: labels to read, switches kept.
type fakeStore struct {
	mu     sync.Mutex
	labels map[int64]rules.Label
	off    map[string]bool
	saves  int
}

func (s *fakeStore) LoadLabels() (map[int64]rules.Label, error) { return s.labels, nil }
func (s *fakeStore) LoadForecastOff() (map[string]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]bool{}
	for k, v := range s.off {
		out[k] = v
	}
	return out, nil
}
func (s *fakeStore) SaveForecastOff(off map[string]bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.off, s.saves = off, s.saves+1
	return nil
}

type fixture struct {
	tab   *Tab
	bank  *uitest.Bank
	store *fakeStore
	shown []string // the queries enter asked the bookings tab for
}

// newFixture is the tab on the fake bank's two accounts at w×h, visited
// for account 4711 and loaded.
func newFixture(t *testing.T, w, h int, noColor bool) *fixture {
	t.Helper()
	bank := uitest.NewBank(120)
	c := uitest.Common(bank, w, h)
	if noColor {
		c.Styles, c.NoColor = theme.New(true, true), true
	}
	f := &fixture{bank: bank, store: &fakeStore{labels: map[int64]rules.Label{120: {Category: "rent"}}}}
	// One history per version of the bank's bookings, as the root keeps
	// one snapshot until the next sync.
	type version struct {
		first *api.Transaction
		n     int
	}
	histories := map[version]*history.History{}
	historyOf := func(txs []api.Transaction) *history.History {
		if len(txs) == 0 {
			return nil
		}
		v := version{&txs[0], len(txs)}
		if histories[v] == nil {
			histories[v] = history.Of(txs)
		}
		return histories[v]
	}
	data := Data{
		Accounts: func() []api.Account { return bank.Accts },
		History:  func(id int64) *history.History { return historyOf(bank.Txs[id]) },
		Store:    func() Store { return f.store },
		ShowBookings: func(q string) tea.Cmd {
			f.shown = append(f.shown, q)
			return nil
		},
	}
	f.tab = New(c, data, nil)
	f.tab.SetSize(w-2, h-4)
	f.tab.SetFocused(true)
	uitest.Pump(f.tab.Update, uitest.Collect(f.tab.Visit(4711))...)
	return f
}

func (f *fixture) press(ks ...string) {
	for _, k := range ks {
		uitest.Pump(f.tab.Update, uitest.Collect(f.tab.Update(uitest.Key(k)))...)
	}
}

func (f *fixture) view(t *testing.T) string {
	t.Helper()
	out := f.tab.View()
	lines := strings.Split(out, "\n")
	if len(lines) != f.tab.height {
		t.Fatalf("%d lines, want %d", len(lines), f.tab.height)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) != f.tab.width {
			t.Fatalf("line %d is %d cells, want %d: %q", i, ansi.StringWidth(l), f.tab.width, ansi.Strip(l))
		}
	}
	return ansi.Strip(out)
}

// all is every line of the body, scrolled or not.
func (f *fixture) all() string {
	f.tab.refresh()
	var b strings.Builder
	for _, l := range f.tab.lines {
		b.WriteString(ansi.Strip(l.text) + "\n")
	}
	return b.String()
}

// moveTo puts the cursor on the first row whose key starts with prefix.
func (f *fixture) moveTo(t *testing.T, prefix string) *row {
	t.Helper()
	f.press("g")
	for range len(f.tab.lines) {
		if r := f.tab.selectedRow(); r != nil && strings.HasPrefix(r.key, prefix) {
			return r
		}
		f.press("j")
	}
	t.Fatalf("no row %q in:\n%s", prefix, f.all())
	return nil
}

func TestReportOfTheMonthAgreesWithTheBookings(t *testing.T) {
	f := newFixture(t, 80, 24, false)
	s := f.view(t)
	if !strings.Contains(s, "November 2026 ‹ ›") || !strings.Contains(s, "month · this account") {
		t.Fatalf("header:\n%s", s)
	}
	// The totals, summed here from the bookings independently.
	var in, out int64
	n := 0
	for _, tx := range f.bank.Txs[4711] {
		if d := tx.BookingDate.In(f.tab.c.Loc); d.Year() == 2026 && d.Month() == 11 {
			n++
			if tx.Amount > 0 {
				in += tx.Amount
			} else {
				out += tx.Amount
			}
		}
	}
	want := "in " + common.Signed(in) + "  out " + common.Signed(out)
	if !strings.Contains(s, want) || !strings.Contains(s, " "+strconv.Itoa(n)+" bookings") {
		t.Fatalf("want %q and %d bookings:\n%s", want, n, s)
	}
	body := f.all()
	for _, w := range []string{"Money in and out by month", "[Nov]", "Spending · ", "rent", "Income · ",
		"Largest counterparties", "Forecast · next 90 days", "lowest ", "Upcoming", "standing order", "John Doe"} {
		if !strings.Contains(body, w) {
			t.Fatalf("missing %q:\n%s", w, body)
		}
	}
}

func TestPeriodKeys(t *testing.T) {
	f := newFixture(t, 80, 24, false)
	for _, tc := range []struct{ key, want string }{
		{"]", "December 2026"}, {"[", "November 2026"}, {"[", "October 2026"},
		{"}", "Q4 2026"}, {"}", "2026 ‹ ›"}, {"[", "2025 ‹ ›"}, {"{", "Q1 2025"}, {"{", "January 2025"},
	} {
		f.press(tc.key)
		if s := f.view(t); !strings.Contains(s, tc.want) {
			t.Fatalf("after %s want %q:\n%s", tc.key, tc.want, s)
		}
	}
}

// enter on a category shows its bookings: a query the filter reads.
func TestEnterOnACategoryFiltersTheBookings(t *testing.T) {
	f := newFixture(t, 80, 24, false)
	r := f.moveTo(t, "cat:out:rent")
	if r.query != "cat:rent out date:2026-11" {
		t.Fatalf("query %q", r.query)
	}
	f.press("enter")
	if len(f.shown) != 1 || f.shown[0] != r.query {
		t.Fatalf("enter asked for %v", f.shown)
	}
	for _, q := range []string{r.query, categoryQuery(nil, "in", "2026-Q4"), categoryQuery(ptr("a b"), "out", "2026")} {
		if _, err := filter.Parse(q, period.DateOf(uitest.Now, f.tab.c.Loc)); err != nil {
			t.Fatalf("%q does not parse: %v", q, err)
		}
	}
	if !strings.Contains(keyHelp(f.tab), "show bookings") {
		t.Fatalf("help lacks enter: %s", keyHelp(f.tab))
	}
}

func ptr(s string) *string { return &s }

func keyHelp(t *Tab) string {
	var parts []string
	for _, b := range t.KeyMap().ShortHelp() {
		parts = append(parts, b.Help().Key+" "+b.Help().Desc)
	}
	return strings.Join(parts, " · ")
}

// x switches a forecast item off (every date of it) and keeps that in the
// cache; x again switches it on.
func TestSwitchingAForecastItemOff(t *testing.T) {
	f := newFixture(t, 80, 24, false)
	r := f.moveTo(t, "item:standing:6:")
	before := f.tab.figures.proj
	f.press("x")
	if !f.store.off["standing:6"] || f.store.saves != 1 {
		t.Fatalf("not kept: %v", f.store.off)
	}
	after := f.tab.figures.proj
	if len(after.Off) == 0 || after.Days[len(after.Days)-1].Balance != before.Days[len(before.Days)-1].Balance-r.item.Amount*int64(len(after.Off)) {
		t.Fatalf("the projection did not change by the item: before %d, after %d, off %d",
			before.Days[len(before.Days)-1].Balance, after.Days[len(after.Days)-1].Balance, len(after.Off))
	}
	if sel := f.tab.selectedRow(); sel == nil || sel.key != r.key {
		t.Fatalf("the cursor left the item: %+v", sel)
	}
	if !strings.Contains(f.all(), "off · standing order") || !strings.Contains(keyHelp(f.tab), "x switch on") {
		t.Fatalf("not shown off:\n%s\n%s", f.all(), keyHelp(f.tab))
	}
	f.press("x")
	if f.store.off["standing:6"] || len(f.tab.figures.proj.Off) != 0 {
		t.Fatalf("x again did not switch it on: %v", f.store.off)
	}

	// A new tab reads the switches from the cache.
	f.store.off = map[string]bool{"standing:6": true}
	g := newFixture(t, 80, 24, false)
	g.store = f.store
	g.tab.data.Store = func() Store { return f.store }
	g.tab.visited = false
	uitest.Pump(g.tab.Update, uitest.Collect(g.tab.Visit(4711))...)
	if !strings.Contains(g.all(), "off · standing order") {
		t.Fatalf("the kept switch is not read:\n%s", g.all())
	}
}

// a sums all accounts; the forecast then is of all of them.
func TestAllAccounts(t *testing.T) {
	f := newFixture(t, 80, 24, false)
	one := f.tab.figures.rep.Count
	f.press("a")
	if s := f.view(t); !strings.Contains(s, "all accounts") {
		t.Fatalf("a did not switch:\n%s", s)
	}
	all := report.Build(append(append([]api.Transaction(nil), f.bank.Txs[4711]...), f.bank.Txs[4712]...), nil,
		f.tab.period, f.tab.c.Loc)
	if got := f.tab.figures.rep; got.Count != all.Count || got.In != all.In || got.Out != all.Out || got.Count <= one {
		t.Fatalf("all accounts: %d %d %d, want %d %d %d", got.Count, got.In, got.Out, all.Count, all.In, all.Out)
	}
	if f.tab.figures.proj.Account != 0 || f.tab.figures.proj.Balance != 1732500+410000 {
		t.Fatalf("forecast of all: %+v", f.tab.figures.proj.Balance)
	}
}

// The charts keep their meaning without colour and fit both sizes.
func TestChartsAtBothSizesWithoutColour(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		f := newFixture(t, size[0], size[1], true)
		f.view(t) // sizes checked there
		body := f.all()
		months := strings.Count(body, "Jan") + strings.Count(body, "Feb") + strings.Count(body, "Mar") +
			strings.Count(body, "Apr") + strings.Count(body, "May") + strings.Count(body, "Jun") +
			strings.Count(body, "Jul") + strings.Count(body, "Aug") + strings.Count(body, "Sep") +
			strings.Count(body, "Oct") + strings.Count(body, "Nov") + strings.Count(body, "Dec")
		wantMonths := 12
		if size[0] == 80 {
			wantMonths = 11 // fewer months at 80 columns
		}
		if months < wantMonths {
			t.Fatalf("%v: %d months labelled, want %d:\n%s", size, months, wantMonths, body)
		}
		for _, w := range []string{"▄ in above the line", "[Nov]", "▲", "lowest ", "┼"} {
			if size[0] == 80 && w == "▄ in above the line" {
				w = "in ↑ · out ↓"
			}
			if !strings.Contains(body, w) {
				t.Fatalf("%v: missing %q:\n%s", size, w, body)
			}
		}
		for i, l := range f.tab.lines {
			if ansi.StringWidth(l.text) > f.tab.width {
				t.Fatalf("%v: line %d is %d wide: %q", size, i, ansi.StringWidth(l.text), ansi.Strip(l.text))
			}
		}
	}
}

func TestCompactAndEuroWhole(t *testing.T) {
	for _, tc := range []struct {
		cents int64
		want  string
	}{{0, "0"}, {95000, "+950"}, {-230000, "−2,3k"}, {1234567, "+12k"}, {-99999999, "−1M"}} {
		if got := compact(tc.cents); got != tc.want {
			t.Errorf("compact(%d) = %q, want %q", tc.cents, got, tc.want)
		}
	}
	if got := euroWhole(1124199); got != "11.241 €" {
		t.Errorf("euroWhole = %q", got)
	}
}
