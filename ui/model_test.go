package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

// start opens the dashboard on a fake bank at w×h and lets it load.
func start(t *testing.T, n, w, h int) (*Model, *uitest.Bank) {
	t.Helper()
	bank := uitest.NewBank(n)
	c := uitest.Common(bank, w, h)
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	return m, bank
}

func update(m *Model) func(tea.Msg) tea.Cmd {
	return func(msg tea.Msg) tea.Cmd {
		_, cmd := m.Update(msg)
		return cmd
	}
}

// send delivers msgs (and what their Cmds answer) and returns every message seen.
func send(m *Model, msgs ...tea.Msg) []tea.Msg { return uitest.Pump(update(m), msgs...) }

func keys(m *Model, ks ...string) []tea.Msg {
	var seen []tea.Msg
	for _, k := range ks {
		seen = append(seen, send(m, uitest.Key(k))...)
	}
	return seen
}

// screen returns the plain text of the screen and checks its size.
func screen(t *testing.T, m *Model) string {
	t.Helper()
	out := m.Render()
	lines := strings.Split(out, "\n")
	if len(lines) != m.c.Height {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), m.c.Height, ansi.Strip(out))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != m.c.Width {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, m.c.Width, ansi.Strip(l))
		}
	}
	return ansi.Strip(out)
}

func TestLayout80x24(t *testing.T) {
	m, _ := start(t, 300, 80, 24)
	s := screen(t, m)
	lines := strings.Split(s, "\n")
	if !strings.Contains(lines[0], "konto · Sandbox (demo)") {
		t.Fatalf("top line %q", lines[0])
	}
	if !strings.Contains(lines[23], "quit") {
		t.Fatalf("help bar %q", lines[23])
	}
	if !strings.Contains(s, "Transactions") || !strings.Contains(s, "Karl Lagerfeld") {
		t.Fatalf("transactions not shown at 80×24:\n%s", s)
	}
	if strings.Contains(s, "Accounts") {
		t.Fatalf("narrow layout shows two panes:\n%s", s)
	}
	keys(m, "tab")
	s = screen(t, m)
	if !strings.Contains(s, "Accounts") || !strings.Contains(s, "17.325,00 €") || !strings.Contains(s, "DE06 1101 0100 1000 0044 44") {
		t.Fatalf("tab did not show the accounts pane:\n%s", s)
	}
}

func TestLayout120x40ThreePanes(t *testing.T) {
	m, bank := start(t, 300, 120, 40)
	s := screen(t, m)
	for _, want := range []string{"Accounts", "Transactions", "Details", "DE06 …4444", "17.325,00 €", "Karl Lagerfeld", "SEPA credit transfer"} {
		if !strings.Contains(s, want) {
			t.Fatalf("missing %q at 120×40:\n%s", want, s)
		}
	}
	// The detail pane follows the selection.
	keys(m, "j")
	if got := m.detail.Transaction(); got == nil || got.ID != bank.Txs[4711][1].ID {
		t.Fatalf("detail shows %+v, want the second booking", got)
	}
	keys(m, "enter")
	if m.focus != paneDetail {
		t.Fatalf("enter at 120 columns did not focus the details")
	}
	keys(m, "esc")
	if m.focus != paneMain {
		t.Fatalf("esc did not return to the list")
	}
}

func TestLayout100x30TwoPanesAndDetailOverlay(t *testing.T) {
	m, _ := start(t, 300, 100, 30)
	s := screen(t, m)
	if !strings.Contains(s, "Accounts") || strings.Contains(s, "Details") {
		t.Fatalf("want accounts and transactions only:\n%s", s)
	}
	keys(m, "enter")
	if m.topModal() == nil {
		t.Fatalf("enter did not open the details")
	}
	s = screen(t, m)
	if !strings.Contains(s, "Details") || !strings.Contains(s, "Counterparty") {
		t.Fatalf("details overlay missing:\n%s", s)
	}
	keys(m, "esc")
	if m.topModal() != nil {
		t.Fatalf("esc did not close the details")
	}
}

func TestDetailOverlayAt80AndCopyIBAN(t *testing.T) {
	m, _ := start(t, 50, 80, 24)
	keys(m, "enter")
	s := screen(t, m)
	for _, want := range []string{"Counterparty", "Karl Lagerfeld", "DE89 3704 0044 0532 0130 00", "Amount", "Purpose", "Booked", "26.11.2026"} {
		if !strings.Contains(s, want) {
			t.Fatalf("details miss %q:\n%s", want, s)
		}
	}
	seen := keys(m, "y")
	copied := false
	for _, msg := range seen {
		if n, ok := msg.(common.NoticeMsg); ok && n.Text == "IBAN copied" {
			copied = true
		}
	}
	if !copied || !strings.Contains(screen(t, m), "IBAN copied") {
		t.Fatalf("y did not say IBAN copied")
	}
}

func TestQuitAndUnboundKeys(t *testing.T) {
	m, _ := start(t, 20, 80, 24)
	// Payment keys open nothing without a payments client (the fake bank
	// cannot pay); ui/payments_test.go tests them with one.
	for _, k := range []string{"t", "n", "e", "x", "R"} {
		if seen := keys(m, k); m.topModal() != nil || hasQuit(seen) {
			t.Fatalf("%s opened a modal or quit without a payments client: %v", k, seen)
		}
	}
	seen := keys(m, "q")
	if !hasQuit(seen) {
		t.Fatalf("q did not quit")
	}
	if !hasQuit(keys(m, "ctrl+c")) {
		t.Fatalf("ctrl+c did not quit")
	}
}

func hasQuit(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestFilterTakesQ(t *testing.T) {
	m, _ := start(t, 100, 80, 24)
	keys(m, "/")
	if seen := keys(m, "q"); hasQuit(seen) {
		t.Fatalf("q in the filter line quit konto")
	}
	if !strings.Contains(screen(t, m), "/ q") {
		t.Fatalf("q not typed into the filter")
	}
}

func TestTabsLoadOrdersOnFirstVisit(t *testing.T) {
	m, bank := start(t, 20, 100, 30)
	// The forecast lists every account's orders at the start; the tab
	// lists its own on its first visit, and only then.
	atStart := map[string]int{"StandingOrders": bank.CallCount("StandingOrders"), "TimedOrders": bank.CallCount("TimedOrders")}
	n := len(m.accounts.Accounts())
	if atStart["StandingOrders"] != n || atStart["TimedOrders"] != n {
		t.Fatalf("the look ahead did not list the %d accounts' orders once at the start: %v", n, atStart)
	}
	keys(m, "2")
	s := screen(t, m)
	if !strings.Contains(s, "John Doe") || !strings.Contains(s, "monthly") {
		t.Fatalf("standing orders not shown:\n%s", s)
	}
	keys(m, "3")
	s = screen(t, m)
	if !strings.Contains(s, "John Smith") || !strings.Contains(s, "−120,12") {
		t.Fatalf("timed orders not shown:\n%s", s)
	}
	keys(m, "2", "3", "1")
	if bank.CallCount("StandingOrders") != n+1 || bank.CallCount("TimedOrders") != n+1 {
		t.Fatalf("orders fetched again on revisit: %v", bank.Calls)
	}
	keys(m, "3", "enter")
	if s := screen(t, m); !strings.Contains(s, "Timed order") || !strings.Contains(s, "Bill payment") {
		t.Fatalf("timed order details missing:\n%s", s)
	}
}

func TestAccountSwitchAndSparkline(t *testing.T) {
	m, bank := start(t, 200, 120, 40)
	if !strings.ContainsAny(screen(t, m), "▁▂▃▄▅▆▇█") {
		t.Fatalf("no sparkline:\n%s", screen(t, m))
	}
	keys(m, "tab", "tab", "tab") // detail → accounts… cycle to accounts
	for m.focus != paneAccounts {
		keys(m, "tab")
	}
	keys(m, "j")
	if m.txs.AccountID() != 4712 {
		t.Fatalf("account switch: showing %d", m.txs.AccountID())
	}
	if sel := m.txs.Selected(); sel == nil || sel.ID != bank.Txs[4712][0].ID {
		t.Fatalf("second account does not open on its newest booking")
	}
	if bank.CallCount("SyncHistory 4712") != 1 {
		t.Fatalf("second account synced %d times (want once, from the cache afterwards)", bank.CallCount("SyncHistory 4712"))
	}
}

func TestErrorStateAndRetry(t *testing.T) {
	bank := uitest.NewBank(20)
	bank.Err = &api.Error{Status: 500}
	c := uitest.Common(bank, 100, 30)
	m := New(c)
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	s := screen(t, m)
	if !strings.Contains(s, "server failed") || !strings.Contains(s, "press r to retry") {
		t.Fatalf("no error state:\n%s", s)
	}
	bank.Err = nil
	keys(m, "r")
	if s := screen(t, m); !strings.Contains(s, "17.325,00 €") || !strings.Contains(s, "Karl Lagerfeld") {
		t.Fatalf("r did not recover:\n%s", s)
	}
}

func TestOfflineWhenNoAnswer(t *testing.T) {
	bank := uitest.NewBank(20)
	bank.Err = errFake("dial tcp 127.0.0.1:1: connect: connection refused")
	c := uitest.Common(bank, 100, 30)
	m := New(c)
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	if s := screen(t, m); !strings.Contains(s, "offline") {
		t.Fatalf("no offline state:\n%s", s)
	}
}

type errFake string

func (e errFake) Error() string { return string(e) }

func TestHelpModal(t *testing.T) {
	m, _ := start(t, 20, 80, 24)
	keys(m, "?")
	s := screen(t, m)
	if !strings.Contains(s, "Keys") || !strings.Contains(s, "filter") || !strings.Contains(s, "standing orders") {
		t.Fatalf("full help missing:\n%s", s)
	}
	keys(m, "esc")
	if m.topModal() != nil {
		t.Fatalf("help did not close")
	}
}

func TestResizeReflows(t *testing.T) {
	m, _ := start(t, 100, 200, 60)
	screen(t, m)
	for _, sz := range [][2]int{{80, 24}, {119, 30}, {90, 20}, {60, 15}, {200, 60}} {
		send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		screen(t, m)
	}
}

func TestTokenEventsReachStatusLine(t *testing.T) {
	m, _ := start(t, 5, 80, 24)
	exp := uitest.Now.Add(54*60*1e9 + 30*1e9)
	send(m, common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: exp}})
	if s := screen(t, m); !strings.Contains(strings.Split(s, "\n")[0], "● connected") {
		t.Fatalf("no session state on the top line:\n%s", strings.Split(s, "\n")[0])
	}
	send(m, common.TokenEventMsg{Event: api.TokenEvent{Kind: api.LoginNeeded}})
	if s := screen(t, m); !strings.Contains(s, "log in needed") {
		t.Fatalf("login needed not shown")
	}
}

// A tab chosen before the accounts arrive loads its orders once they do,
// and says it is loading meanwhile, never "no standing orders".
func TestOrderTabChosenBeforeTheAccountsLoads(t *testing.T) {
	bank := uitest.NewBank(20)
	c := uitest.Common(bank, 120, 40)
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	initMsgs := uitest.Collect(m.Init()) // the accounts' answer, held back
	keys(m, "2")
	if s := screen(t, m); strings.Contains(s, "no standing orders") || !strings.Contains(s, "loading standing orders") {
		t.Fatalf("before the accounts arrived:\n%s", s)
	}
	send(m, initMsgs...)
	if s := screen(t, m); !strings.Contains(s, "John Doe") {
		t.Fatalf("the standing orders did not load after the accounts:\n%s", s)
	}
}
