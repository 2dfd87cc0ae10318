package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

// startStacked is start in the stacked layout.
func startStacked(t *testing.T, bank *uitest.Bank, w, h int) *Model {
	t.Helper()
	c := uitest.Common(bank, w, h)
	c.Layout = common.LayoutStacked
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	return m
}

// In the stacked layout the accounts strip sits above a list whose rows are
// whole terminal lines (no border cells beside them: what lets the
// renderer scroll them), and enter opens the details as a dialog.
func TestStackedLayout120x40(t *testing.T) {
	m := startStacked(t, uitest.NewBank(200), 120, 40)
	s := screen(t, m)
	lines := strings.Split(s, "\n")
	if !strings.HasPrefix(lines[1], "── Accounts") {
		t.Fatalf("line 2 is not the accounts rule: %q", lines[1])
	}
	// Both accounts on one line each, IBANs grouped in full.
	if !strings.Contains(lines[2], "▸ Main") || !strings.Contains(lines[2], "DE06 1101 0100 1000 0044 44") || !strings.Contains(lines[2], "17.325,00 €") {
		t.Fatalf("first account line: %q", lines[2])
	}
	if !strings.Contains(lines[3], "Account 2") || !strings.Contains(lines[3], "DE12 5001 0517 0648 4898 90") {
		t.Fatalf("second account line: %q", lines[3])
	}
	if !strings.HasPrefix(lines[4], "── [1 Transactions]") {
		t.Fatalf("line 5 is not the transactions rule: %q", lines[4])
	}
	if strings.Contains(s, "Details") || strings.ContainsAny(s, "│╭╰") {
		t.Fatalf("the stacked layout has side borders or a details pane:\n%s", s)
	}
	rows := 0
	for _, l := range lines[5 : len(lines)-1] {
		if strings.Contains(l, "€") || strings.Contains(l, ",") {
			rows++
		}
	}
	if rows < 30 {
		t.Fatalf("only %d list rows at 120×40:\n%s", rows, s)
	}
	keys(m, "enter")
	if m.topModal() == nil || !strings.Contains(screen(t, m), "Counterparty") {
		t.Fatalf("enter did not open the details dialog:\n%s", screen(t, m))
	}
	keys(m, "esc")
	// tab moves between the two panes only.
	keys(m, "tab")
	if m.focus != paneAccounts {
		t.Fatalf("tab did not focus the accounts strip")
	}
	keys(m, "tab")
	if m.focus != paneMain {
		t.Fatalf("tab from the accounts went to %v, not the list", m.focus)
	}
}

// L switches between side by side and stacked; the screen keeps its size,
// and a focused details pane gives the focus back when it goes away.
func TestLayoutKeySwitches(t *testing.T) {
	m, _ := start(t, 50, 120, 40)
	keys(m, "enter")
	if m.focus != paneDetail {
		t.Fatalf("enter did not focus the details pane")
	}
	msgs := keys(m, "L")
	if m.c.Layout != common.LayoutStacked || !noticed(msgs, "stacked layout") {
		t.Fatalf("L did not switch to stacked (layout %v)", m.c.Layout)
	}
	if m.focus != paneMain {
		t.Fatalf("the focus stayed on a details pane that is gone")
	}
	if s := screen(t, m); strings.Contains(s, "Details") {
		t.Fatalf("details pane still drawn:\n%s", s)
	}
	keys(m, "L")
	if s := screen(t, m); m.c.Layout != common.LayoutSide || !strings.Contains(s, "Details") {
		t.Fatalf("L back did not bring the three panes:\n%s", s)
	}
	// Below 90 columns there is one pane either way: L says when it applies.
	n, _ := start(t, 20, 80, 24)
	if !noticed(keys(n, "L"), "stacked layout from 90 columns on") {
		t.Fatalf("L at 80 columns did not say when the layout applies")
	}
	screen(t, n)
}

// With more accounts than the strip has lines, the selection stays in view.
func TestStackedStripScrollsToTheSelection(t *testing.T) {
	bank := uitest.NewBank(20)
	for i := 0; i < 6; i++ {
		id := int64(5000 + i)
		bank.Accts = append(bank.Accts, api.Account{ID: id, IBAN: fmt.Sprintf("DE%02d500105170648489%03d", 10+i, i), Balance: int64(i) * 100})
		bank.Txs[id] = uitest.Generate(3, 200000+id)
	}
	m := startStacked(t, bank, 120, 40)
	s := screen(t, m)
	if strings.Count(s, "Account ") != stripMaxRows-1 || !strings.Contains(s, "── Accounts 1–4 of 8 ") {
		t.Fatalf("the strip does not show %d accounts and say so:\n%s", stripMaxRows, s)
	}
	keys(m, "tab", "G")
	s = screen(t, m)
	if !strings.Contains(s, "Account 8") || strings.Contains(s, "Main ") || !strings.Contains(s, "Accounts 5–8 of 8") {
		t.Fatalf("the last account is not in view after G:\n%s", s)
	}
	for _, size := range [][2]int{{90, 24}, {200, 60}, {119, 30}} {
		send(m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		screen(t, m)
	}
}

// y copies the selected booking's IBAN from the list (no details needed:
// in the stacked layout they are a dialog), and says so when there is none.
func TestCopyIBANFromTheList(t *testing.T) {
	bank := uitest.NewBank(20)
	bank.Txs[4711][0].IBAN = api.Ptr("DE89 3704 0044 0532 0130 00")
	bank.Txs[4711][1].IBAN = nil
	m := startStacked(t, bank, 120, 40)
	msgs := keys(m, "y")
	if !noticed(msgs, "IBAN copied") {
		t.Fatalf("y in the list did not copy: %v", msgs)
	}
	found := false
	for _, msg := range msgs {
		if fmt := fmt.Sprintf("%T %v", msg, msg); strings.Contains(fmt, "DE89370400440532013000") {
			found = true
		}
	}
	if !found {
		t.Errorf("the clipboard did not get the normalised IBAN: %v", msgs)
	}
	if !noticed(keys(m, "j", "y"), "this booking has no IBAN") {
		t.Errorf("y on a booking without IBAN said nothing")
	}
}

// enter on the accounts takes the focus to that account's bookings.
func TestEnterOnAccountsFocusesTheList(t *testing.T) {
	m := startStacked(t, uitest.NewBank(20), 120, 40)
	keys(m, "tab")
	if m.focus != paneAccounts || !strings.Contains(screen(t, m), "enter bookings") {
		t.Fatalf("accounts not focused, or enter not in the help bar:\n%s", screen(t, m))
	}
	keys(m, "j", "enter")
	if m.focus != paneMain || m.txs.AccountID() != 4712 {
		t.Fatalf("enter on Account 2: focus %v, account %d", m.focus, m.txs.AccountID())
	}
}

// A dialog over the stacked list keeps a blank column either side, and no
// sliver of list text shorter than a word sits against it.
func TestDialogOverTheListHasAMargin(t *testing.T) {
	m := startStacked(t, uitest.NewBank(50), 120, 40)
	keys(m, "?")
	for i, l := range strings.Split(screen(t, m), "\n") {
		r := []rune(l)
		first, last := slices.Index(r, '│'), len(r)-1-slices.Index(reverse(r), '│')
		if first < 0 {
			continue
		}
		for _, side := range [][]rune{r[:first], r[last+1:]} {
			if len(side) < 5 && strings.TrimSpace(string(side)) != "" {
				t.Fatalf("line %d: a sliver of list text beside the dialog: %q", i, l)
			}
		}
		if first > 0 && r[first-1] != ' ' || last < len(r)-1 && r[last+1] != ' ' {
			t.Fatalf("line %d: no blank column beside the dialog: %q", i, l)
		}
	}
}

func reverse(r []rune) []rune {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

// A wide character cut by a dialog's edge does not shift the dialog's rows.
func TestDialogOverWideCharactersStaysStraight(t *testing.T) {
	bank := uitest.NewBank(50)
	for i := range bank.Txs[4711][:30] {
		if i%2 == 0 { // every other row: the rest keep the edge where it belongs
			bank.Txs[4711][i].Name = api.Ptr("株式会社テスト東京本社営業部")
			bank.Txs[4711][i].Purpose = api.Ptr("請求書番号一二三四五六七八九十")
		}
	}
	for w := 96; w <= 125; w++ {
		m := startStacked(t, bank, w, 30)
		keys(m, "enter") // the details: narrower than the list
		col := -1
		for i, l := range strings.Split(screen(t, m), "\n") {
			j := slices.Index([]rune(l), '│')
			if j < 0 {
				continue
			}
			cells := ansi.StringWidth(string([]rune(l)[:j]))
			if col >= 0 && cells != col {
				t.Fatalf("%d columns, line %d: the dialog's edge is at cell %d, not %d: %q", w, i, cells, col, l)
			}
			col = cells
		}
	}
}
