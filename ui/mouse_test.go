package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/uitest"
)

// manyOrders gives the bank 12 accounts, 30 standing and 30 timed orders:
// every list is longer than its pane at 120×24.
func manyOrders(b *uitest.Bank) {
	for i := range 9 {
		b.Accts = append(b.Accts, api.Account{ID: int64(5000 + i), IBAN: "DE89370400440532013000", Balance: int64(i)})
	}
	base, timed := b.Standing[0], b.Timed[0]
	for i := range 30 {
		o := base
		o.ID, o.Name = int64(100+i), fmt.Sprintf("Order %02d", i)
		b.Standing = append(b.Standing, o)
		t := timed
		t.ID, t.RecipientName = fmt.Sprintf("t%02d", i), fmt.Sprintf("Timed %02d", i)
		b.Timed = append(b.Timed, t)
	}
}

// listUnderTest is one of the four lists, as the root shows it.
type listUnderTest struct {
	name   string
	setup  []string
	cursor func(m *Model) int
	n      func(m *Model) int // selectable entries
}

func fourLists() []listUnderTest {
	return []listUnderTest{
		{"accounts", []string{"shift+tab"}, func(m *Model) int { return m.accounts.Cursor() }, func(m *Model) int { return len(m.accounts.Accounts()) }},
		{"transactions", nil, func(m *Model) int { return bookingIndex(m) }, func(m *Model) int { return m.txs.Len() }},
		{"standing orders", []string{"2"}, func(m *Model) int { return m.standing().Cursor() }, func(m *Model) int { return m.standing().Len() }},
		{"timed orders", []string{"3"}, func(m *Model) int { return m.timed().Cursor() }, func(m *Model) int { return m.timed().Len() }},
	}
}

// bookingIndex is the selected booking's place among the bookings.
func bookingIndex(m *Model) int {
	sel := m.txs.Selected()
	h := m.history[m.txs.AccountID()]
	for i := range h.Len() {
		if sel != nil && h.ID(i) == sel.ID {
			return i
		}
	}
	return -1
}

// pgdown, ctrl+d, G and g move every list the same way, and so do the
// wheel and a click.
func TestEveryListMovesAlike(t *testing.T) {
	for _, l := range fourLists() {
		t.Run(l.name, func(t *testing.T) {
			m := keyContext{w: 120, h: 24, bank: manyOrders, setup: l.setup}.build(t)
			if l.n(m) < 10 {
				t.Fatalf("%d entries, want a list longer than its pane", l.n(m))
			}
			step := func(k string) int {
				before := l.cursor(m)
				keys(m, k)
				return l.cursor(m) - before
			}
			if d := step("pgdown"); d < 2 {
				t.Errorf("pgdown moved %d", d)
			}
			if d := step("pgup"); d > -2 {
				t.Errorf("pgup moved %d", d)
			}
			if d := step("ctrl+d"); d < 1 {
				t.Errorf("ctrl+d moved %d", d)
			}
			if d := step("ctrl+u"); d > -1 {
				t.Errorf("ctrl+u moved %d", d)
			}
			keys(m, "G")
			if got := l.cursor(m); got != l.n(m)-1 {
				t.Errorf("G: at %d, want the last (%d)", got, l.n(m)-1)
			}
			keys(m, "g")
			if got := l.cursor(m); got != 0 {
				t.Errorf("g: at %d, want 0", got)
			}

			// The wheel over the list scrolls it: the first entry leaves the
			// screen, and the selection stays on screen. (The accounts pane
			// scrolls with its selection: the wheel moves that.)
			r := m.paneRects()[m.focus]
			first := firstEntryText(t, m)
			for range 6 {
				uitest.Pump(m.update, tea.MouseWheelMsg{X: r.x + 3, Y: r.y + 3, Button: tea.MouseWheelDown})
			}
			if strings.Contains(screen(t, m), first) && l.name != "accounts" {
				t.Errorf("six wheel notches down: %q still on screen", first)
			}
			if !strings.Contains(screen(t, m), "▸") {
				t.Error("the selection scrolled out of view")
			}
			for range 20 {
				uitest.Pump(m.update, tea.MouseWheelMsg{X: r.x + 3, Y: r.y + 3, Button: tea.MouseWheelUp})
			}
			if !strings.Contains(screen(t, m), first) {
				t.Errorf("wheel back up: %q not on screen", first)
			}

			// A click on another entry selects it.
			keys(m, "g")
			before := l.cursor(m)
			row := selectionRow(t, m)
			uitest.Pump(m.update, tea.MouseClickMsg{X: r.x + 5, Y: row + 3, Button: tea.MouseLeft})
			if got := l.cursor(m); got <= before {
				t.Errorf("a click three lines under the selection: at %d, was %d", got, before)
			}
		})
	}
}

// A click on a pane focuses it; a click on a tab's name shows the tab.
func TestClickFocusesPaneAndTab(t *testing.T) {
	m := keyContext{w: 120, h: 24, bank: manyOrders}.build(t)
	rs := m.paneRects()
	acc := rs[paneAccounts]
	uitest.Pump(m.update, tea.MouseClickMsg{X: acc.x + 2, Y: acc.y + 4, Button: tea.MouseLeft})
	if m.focus != paneAccounts {
		t.Fatalf("click on the accounts: focus %v", m.focus)
	}
	if a, _ := m.accounts.Selected(); a.ID == 4711 {
		t.Errorf("a click on the second account left the first selected")
	}
	lines := strings.Split(screen(t, m), "\n")
	main := rs[paneMain]
	col := strings.Index(lines[main.y], "3 Timed")
	if col < 0 {
		t.Fatalf("no tab title in %q", lines[main.y])
	}
	x := len([]rune(lines[main.y][:col]))
	uitest.Pump(m.update, tea.MouseClickMsg{X: x + 2, Y: main.y, Button: tea.MouseLeft})
	if m.tab != tabTimed || m.focus != paneMain {
		t.Errorf("click on \"3 Timed\": tab %v focus %v", m.tab, m.focus)
	}
	if !strings.Contains(screen(t, m), "Timed 0") {
		t.Error("the timed orders did not load on the click")
	}
}

// paneText is line i of the screen within the focused pane's columns.
func paneText(t *testing.T, m *Model, i int) string {
	t.Helper()
	r := m.paneRects()[m.focus]
	cells := []rune(strings.Split(screen(t, m), "\n")[i])
	return string(cells[min(r.x+1, len(cells)):min(r.x+r.w-1, len(cells))])
}

// firstEntryText is a piece of the selection's line (the first entry
// after g), to recognise it by.
func firstEntryText(t *testing.T, m *Model) string {
	t.Helper()
	text := []rune(strings.TrimSpace(strings.ReplaceAll(paneText(t, m, selectionRow(t, m)), "▸", " ")))
	return string(text[:min(20, len(text))])
}

// selectionRow is the screen line of the focused list's selection marker.
func selectionRow(t *testing.T, m *Model) int {
	t.Helper()
	r := m.paneRects()[m.focus]
	for i := r.y + 1; i < r.y+r.h; i++ {
		if strings.Contains(paneText(t, m, i), "▸") {
			return i
		}
	}
	t.Fatalf("no selection on screen:\n%s", screen(t, m))
	return 0
}
