package transactions

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/uitest"
)

// The filter never shows results that do not belong to the query on the
// filter line: not the whole list for a query that matches nothing, not a
// shorter query's result while a token does not parse, and the count and sum
// in the header are always those of the rows below.

// header is the list's first line, without styles.
func header(m *Model) string { return ansi.Strip(strings.SplitN(m.View(), "\n", 2)[0]) }

// body is everything below the header, without styles.
func body(m *Model) string {
	parts := strings.SplitN(ansi.Strip(m.View()), "\n", 2)
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// bookingRows is the number of bookings the list shows (under a filter: its
// result).
func bookingRows(m *Model) int {
	n := 0
	for _, r := range m.rows {
		if r.kind == rowTx {
			n++
		}
	}
	return n
}

func typeQuery(m *Model, s string) { uitest.Pump(m.Update, uitest.Type(s)...) }

// assertNothingShown checks an empty result: no booking on screen, none
// selected, and enter asks for no details.
func assertNothingShown(t *testing.T, m *Model, what string) {
	t.Helper()
	if n := bookingRows(m); n != 0 {
		t.Fatalf("%s: %d bookings listed, want none\n%s", what, n, ansi.Strip(m.View()))
	}
	if sel := m.Selected(); sel != nil {
		t.Fatalf("%s: booking %d selected though none is shown", what, sel.ID)
	}
	if !m.Filtering() {
		if seen := uitest.Pump(m.Update, uitest.Key("enter")); has[common.OpenDetailMsg](seen) {
			t.Fatalf("%s: enter asked for the details of a hidden booking", what)
		}
	}
}

func TestFilterMatchingNothingShowsZeroMatches(t *testing.T) {
	for _, query := range []string{"zzzzqq", "amt:>999999", `"lagerfeld karl"`, "in out"} {
		m, _ := loaded(t, 300, 80, 20)
		press(m, "/")
		typeQuery(m, query)
		if h := header(m); !strings.Contains(h, "0 matches") {
			t.Fatalf("%s: header %q, want 0 matches", query, h)
		}
		if b := body(m); !strings.Contains(b, "nothing matches the filter") {
			t.Fatalf("%s: no empty-state line:\n%s", query, b)
		}
		assertNothingShown(t, m, query+" typing")

		press(m, "enter") // keeps the empty result
		if m.Filtering() {
			t.Fatalf("%s: enter did not close the filter line", query)
		}
		if h := header(m); !strings.Contains(h, "/ "+query) || !strings.Contains(h, "0 matches") {
			t.Fatalf("%s kept: header %q, want the query and 0 matches", query, h)
		}
		if b := body(m); !strings.Contains(b, "nothing matches the filter") {
			t.Fatalf("%s kept: no empty-state line:\n%s", query, b)
		}
		assertNothingShown(t, m, query+" kept")
		for _, k := range []string{"j", "G", "k", "g", "ctrl+d", "pgup"} {
			press(m, k)
			if m.Selected() != nil {
				t.Fatalf("%s kept: %s selected a hidden booking", query, k)
			}
		}

		press(m, "esc") // clears it: the whole list is back
		if h := header(m); !strings.Contains(h, "300 bookings") || bookingRows(m) != 300 || m.Selected() == nil {
			t.Fatalf("%s: esc left header %q, %d rows", query, h, bookingRows(m))
		}
	}
}

func TestFilterInvalidTokenShowsNoOtherQuerysResult(t *testing.T) {
	for _, query := range []string{"amt:abc", "date:2025-02-30g", "zurich amt:abc", "amt:abc zurich"} {
		m, _ := loaded(t, 300, 80, 20)
		press(m, "/")
		typeQuery(m, query)
		h := header(m)
		if !strings.Contains(h, ": not a") {
			t.Fatalf("%s: header %q shows no error", query, h)
		}
		if strings.Contains(h, "match") || strings.Contains(h, "sum") {
			t.Fatalf("%s: header %q shows a count or sum of another query", query, h)
		}
		assertNothingShown(t, m, query+" typing")

		press(m, "enter") // keeps the text and the error, not a result
		h = header(m)
		if m.Filtering() || !strings.Contains(h, "/ "+query) || !strings.Contains(h, ": not a") {
			t.Fatalf("%s kept: header %q, want the query and its error", query, h)
		}
		if strings.Contains(h, "match") || strings.Contains(h, "sum") || strings.Contains(h, "bookings") {
			t.Fatalf("%s kept: header %q shows a count or sum", query, h)
		}
		assertNothingShown(t, m, query+" kept")

		press(m, "/") // the text is still there to fix
		if m.input.Value() != query {
			t.Fatalf("%s: the filter line reopened with %q", query, m.input.Value())
		}
		press(m, "esc")
		if bookingRows(m) != 300 {
			t.Fatalf("%s: esc did not bring the list back", query)
		}
	}
}

// While a token is being typed (amt:, date:2026-1) the header says it is
// unfinished, calmly, and shows no other query's count; once it parses, the
// header counts its result.
func TestFilterWhileATokenIsTyped(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	press(m, "/")
	typeQuery(m, "zurich")
	zurich := m.matchSummary()
	for _, step := range []string{" amt:", ">", "1", "0", "0"} {
		typeQuery(m, step)
		h := header(m)
		switch m.queryText {
		case "zurich amt:", "zurich amt:>":
			if !strings.Contains(h, "is unfinished") || strings.Contains(h, "match") {
				t.Fatalf("%q: header %q, want it unfinished and no count", m.queryText, h)
			}
			if strings.Contains(h, zurich) {
				t.Fatalf("%q: header shows the count of zurich alone", m.queryText)
			}
			assertNothingShown(t, m, m.queryText)
		default:
			if !strings.Contains(h, "matches") || strings.Contains(h, "unfinished") {
				t.Fatalf("%q: header %q, want a count", m.queryText, h)
			}
		}
	}
	want := 0
	for _, tx := range bank.Txs[4711] {
		if strings.Contains(api.Str(tx.Name), "Zürich") && tx.Amount > 10000 {
			want++
		}
	}
	if len(m.matches) != want {
		t.Fatalf("zurich amt:>100: %d matches, want %d", len(m.matches), want)
	}

	press(m, "esc", "/")
	month := uitest.Now.In(m.c.Loc).Format("2006-01")
	typeQuery(m, "date:"+month[:6]) // "2026-1" on its way to a month
	if h := header(m); !strings.Contains(h, "is unfinished") || strings.Contains(h, "match") {
		t.Fatalf("date:%s: header %q, want it unfinished", month[:6], h)
	}
	assertNothingShown(t, m, "date:"+month[:6])
	typeQuery(m, month[6:])
	if h := header(m); !strings.Contains(h, "matches · sum") || bookingRows(m) == 0 {
		t.Fatalf("date:%s: header %q, %d rows", month, h, bookingRows(m))
	}
}

// A match still running when the query stops parsing must not put its
// result on screen under the broken query.
func TestFilterOlderResultDoesNotLandUnderAnInvalidQuery(t *testing.T) {
	m, _ := loaded(t, 300, 80, 20)
	press(m, "/")
	var cmds []tea.Cmd
	for _, k := range uitest.Type("kar amt:x") {
		cmds = append(cmds, m.Update(k))
	}
	for _, c := range cmds {
		uitest.Pump(m.Update, uitest.Collect(c)...)
	}
	if h := header(m); strings.Contains(h, "match") || !strings.Contains(h, "not an amount") {
		t.Fatalf("header %q, want the error and no count", h)
	}
	assertNothingShown(t, m, "kar amt:x")
}

func TestFilterFindsTheEndToEndID(t *testing.T) {
	bank := uitest.NewBank(300)
	bank.Txs[4711][40].E2EID = api.Ptr("INV-2026-011")
	want := bank.Txs[4711][40].ID
	c := uitest.Common(bank, 80, 20)
	m := New(c)
	m.SetSize(80, 20)
	m.SetFocused(true)
	loadNow(m, c, 4711)
	press(m, "/")
	typeQuery(m, "INV-2026-011")
	if len(m.matches) != 1 || m.Selected() == nil || m.Selected().ID != want {
		t.Fatalf("INV-2026-011: %d matches, selected %+v; want booking %d", len(m.matches), m.Selected(), want)
	}
	if h := header(m); !strings.Contains(h, "1 match ·") {
		t.Fatalf("header %q, want 1 match", h)
	}
}

// New bookings arriving under a kept filter show only if they match, and
// until the query has run on them the header counts nothing it has not seen.
func TestKeptFilterAndNewBookings(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	press(m, "/")
	typeQuery(m, "zurich")
	press(m, "enter", "j", "j")
	before := len(m.matches)
	selected := m.Selected().ID

	txs := bank.Txs[4711]
	match, other := txs[1], txs[0] // txs[1] is a Café Zürich booking
	if !strings.Contains(api.Str(match.Name), "Zürich") || strings.Contains(api.Str(other.Name), "Zürich") {
		t.Fatalf("fixture changed: %q, %q", api.Str(match.Name), api.Str(other.Name))
	}
	match.ID, other.ID = 900001, 900002
	grown := append([]api.Transaction{other, match}, txs...)
	cmd := m.setTransactions(history.Of(grown))
	if h := header(m); strings.Contains(h, "0 matches") || strings.Contains(h, "sum 0,00") {
		t.Fatalf("while the new data is matched the header says %q", h)
	}
	for i := range m.rowCount() {
		if r := m.row(i); r.kind == rowTx && !strings.Contains(api.Str(m.txs.At(int(r.idx)).Name), "Zürich") {
			t.Fatalf("while the new data is matched a non-matching booking is listed: %q", api.Str(m.txs.At(int(r.idx)).Name))
		}
	}
	uitest.Pump(m.Update, uitest.Collect(cmd)...)
	if len(m.matches) != before+1 {
		t.Fatalf("%d matches after a new matching booking, want %d", len(m.matches), before+1)
	}
	for _, i := range m.matches {
		if m.txs.At(i).ID == other.ID {
			t.Fatalf("the new booking that does not match is listed")
		}
	}
	if h := header(m); !strings.Contains(h, m.matchSummary()) {
		t.Fatalf("header %q lacks %q", h, m.matchSummary())
	}
	if sel := m.Selected(); sel == nil || sel.ID != selected {
		t.Fatalf("after the new data the selection is %+v, want booking %d as before", sel, selected)
	}
}

// A kept filter stays when the account changes: the new account's list is
// filtered by it, a kept error stays an error, and neither shows the other
// account's result.
func TestKeptFilterFollowsTheAccount(t *testing.T) {
	m, bank := loaded(t, 300, 80, 20)
	press(m, "/")
	typeQuery(m, "karl")
	press(m, "enter")
	show := m.Show(4712, history.Of(bank.Txs[4712]))
	if h := header(m); strings.Contains(h, "match") && !strings.Contains(h, "matching") {
		t.Fatalf("before the query ran on 4712 the header says %q", h)
	}
	if bookingRows(m) != 0 {
		t.Fatalf("before the query ran on 4712, %d bookings listed", bookingRows(m))
	}
	uitest.Pump(m.Update, uitest.Collect(show)...)
	want := 0
	for _, tx := range bank.Txs[4712] {
		if strings.Contains(api.Str(tx.Name), "Karl") {
			want++
		}
	}
	if len(m.matches) != want || bookingRows(m) != want {
		t.Fatalf("4712 under karl: %d matches, %d rows; want %d", len(m.matches), bookingRows(m), want)
	}
	if sel := m.Selected(); sel == nil || sel.ID < 100000 || !strings.Contains(api.Str(sel.Name), "Karl") {
		t.Fatalf("selected %+v, want 4712's first Karl booking", sel)
	}

	press(m, "/", "backspace", "backspace", "backspace", "backspace")
	typeQuery(m, "amt:abc")
	press(m, "enter")
	uitest.Pump(m.Update, uitest.Collect(m.Show(4711, history.Of(bank.Txs[4711])))...)
	if h := header(m); !strings.Contains(h, "not an amount") || strings.Contains(h, "match") {
		t.Fatalf("kept error after the switch: header %q", h)
	}
	assertNothingShown(t, m, "amt:abc on 4711")
}

// The error of a query that does not parse is never cut: the query and the
// hint give way, as they do for the count and sum.
func TestFilterHeaderKeepsTheError(t *testing.T) {
	for _, w := range []int{40, 52, 60, 78} {
		m, _ := loaded(t, 100, w, 20)
		press(m, "/")
		typeQuery(m, "invoice out amt:1,2,3")
		want := "amt:1,2,3: not an amount"
		if h := header(m); !strings.Contains(h, want) {
			t.Fatalf("width %d typing: header %q lacks %q", w, h, want)
		}
		press(m, "enter")
		if h := header(m); !strings.Contains(h, want) || ansi.StringWidth(h) != w {
			t.Fatalf("width %d kept: header %q (%d cells) lacks %q", w, h, ansi.StringWidth(h), want)
		}
	}
}
