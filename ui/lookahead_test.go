package ui

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/alerts"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/lookahead"
	"konto/ui/uitest"
)

// startWith opens the dashboard on bank after setup changed c.
func startWith(t *testing.T, bank *uitest.Bank, w, h int, setup func(c *common.Common)) *Model {
	t.Helper()
	c := uitest.Common(bank, w, h)
	if setup != nil {
		setup(c)
	}
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	return m
}

// The accounts pane draws the forecast after the sparkline, and its
// lowest point under the balance, at both sizes.
func TestForwardLineOnTheAccounts(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {200, 60}} {
		m := startWith(t, uitest.NewBank(60), size[0], size[1], nil)
		res, ok := m.look.Result()
		if !ok || len(res.Total.Days) != lookahead.Days {
			t.Fatalf("%v: no forecast (%v, %d days)", size, ok, len(res.Total.Days))
		}
		s := screen(t, m)
		if !strings.Contains(s, "›") || !strings.Contains(s, "low") {
			t.Errorf("%v: no forward line:\n%s", size, s)
		}
	}
}

// A sync that brings a new booking fires the money-in rule once: the
// status line, the notice log (N), the bell and the OSC 9 notification.
func TestAlertOnSync(t *testing.T) {
	bank := uitest.NewBank(40)
	m := startWith(t, bank, 120, 40, func(c *common.Common) {
		c.Alerts = []alerts.Rule{{Kind: alerts.MoneyIn, Amount: 100000, Bell: true, Desktop: alerts.DesktopOSC9}}
	})
	tx := api.Transaction{ID: 999, Amount: 250000, Name: api.Ptr("ACME\x1b[31m GmbH"), IBAN: api.Ptr("DE89370400440532013000"),
		BookingDate: api.TxTime{Time: uitest.Now.Add(-time.Hour)}}
	bank.Txs[4711] = append([]api.Transaction{tx}, bank.Txs[4711]...)
	seen := send(m, common.TransactionsSyncedMsg{AccountID: 4711, History: history.Of(bank.Txs[4711])})
	var raw string
	for _, msg := range seen {
		if r, ok := msg.(tea.RawMsg); ok {
			raw += r.Msg.(string)
		}
	}
	if n := noticeOf(seen); !strings.Contains(n, "money in: +2.500,00 €") {
		t.Errorf("status notice %q", n)
	}
	if !strings.Contains(raw, "\a") || !strings.Contains(raw, "\x1b]9;") || strings.Contains(raw, "\x1b[31m") {
		t.Errorf("bell and notification %q", raw)
	}
	// The same sync again announces nothing.
	if n := noticeOf(send(m, common.TransactionsSyncedMsg{AccountID: 4711, History: history.Of(bank.Txs[4711])})); n != "" {
		t.Errorf("announced twice: %q", n)
	}
	keys(m, "N")
	s := screen(t, m)
	if !strings.Contains(s, "Notices") || !strings.Contains(s, "26.11. 10:00") || !strings.Contains(s, "Main") || !strings.Contains(s, "money in") {
		t.Errorf("notice log:\n%s", s)
	}
	if strings.Contains(s, "\x1b[31m") {
		t.Error("bank text not cleaned in the log")
	}
}

func typeTransfer(m *Model, name, iban, amount string) {
	keys(m, "t")
	for i, v := range []string{name, iban, amount} {
		if i > 0 {
			keys(m, "tab")
		}
		for _, msg := range uitest.Type(v) {
			send(m, msg)
		}
	}
	send(m, uitest.Key("ctrl+s"))
}

// The review says the lowest point with the payment, and a transfer like
// one made days ago needs the extra key: enter, also twice, sends nothing.
func TestReviewGuardAndLowest(t *testing.T) {
	m, bank, pay := startPaying(t, false)
	last := bank.Txs[4711][0] // 5,00 € to Karl Lagerfeld today
	typeTransfer(m, "Karl Lagerfeld", api.Str(last.IBAN), "5")
	s := screen(t, m)
	if !strings.Contains(s, "after this and your scheduled payments: lowest") {
		t.Errorf("no lowest line:\n%s", s)
	}
	if !strings.Contains(s, "paid twice?") || !strings.Contains(s, "ctrl+y") {
		t.Fatalf("no guard:\n%s", s)
	}
	keys(m, "enter", "enter")
	if pay.Count("CreateTransfer") != 0 {
		t.Fatal("enter went past the guard")
	}
	if bar := strings.Split(screen(t, m), "\n")[39]; !strings.Contains(bar, "ctrl+y pay all the same") {
		t.Errorf("help bar %q", bar)
	}
	keys(m, "ctrl+y")
	if pay.Count("CreateTransfer") != 1 {
		t.Errorf("ctrl+y did not send: %v", pay.Calls)
	}
}

// Another IBAN with the same name and another amount: no warning.
func TestReviewNoFalseGuard(t *testing.T) {
	m, _, pay := startPaying(t, false)
	typeTransfer(m, "Karl Lagerfeld", "DE02120300000000202051", "1234,56")
	if s := screen(t, m); strings.Contains(s, "paid twice?") {
		t.Fatalf("a false warning:\n%s", s)
	}
	keys(m, "enter")
	if pay.Count("CreateTransfer") != 1 {
		t.Errorf("enter did not send: %v", pay.Calls)
	}
}

// Below zero the line is a warning, and the payment stays allowed.
func TestReviewLowestBelowZero(t *testing.T) {
	m, _, _ := startPaying(t, false)
	f := m.topModal()
	if f != nil {
		t.Fatal("a modal at the start")
	}
	typeTransfer(m, "Someone New", "DE02120300000000202051", "17300")
	s := screen(t, m)
	if !strings.Contains(s, "below zero") {
		t.Errorf("no warning below zero:\n%s", s)
	}
	if fl, ok := m.topModal().(*form.Flow); !ok || fl.Step() != form.Reviewing {
		t.Errorf("not on the review: %T", m.topModal())
	}
}

// ctrl+w: on after the question, off at once; idle switches off.
func TestPaymentsSwitch(t *testing.T) {
	now := uitest.Now
	m := startWith(t, uitest.NewBank(20), 120, 40, func(c *common.Common) {
		c.Payments, c.ReadOnly = &uitest.Payments{}, true
		c.RealNow = func() time.Time { return now }
	})
	top := func() string { return strings.Split(screen(t, m), "\n")[0] }
	if !strings.Contains(top(), "read-only") {
		t.Fatalf("top line %q", top())
	}
	keys(m, "ctrl+w")
	if s := screen(t, m); !strings.Contains(s, "Switch payments on for this session?") {
		t.Fatalf("no question:\n%s", s)
	}
	keys(m, "enter") // never enter
	if !m.c.ReadOnly || m.topModal() == nil {
		t.Fatal("enter answered the question")
	}
	if n := noticeOf(keys(m, "y")); n != "payments on: off again after 10 min idle" {
		t.Errorf("notice %q", n)
	}
	if m.c.ReadOnly || !strings.Contains(top(), "payments on") {
		t.Fatalf("not on: %q", top())
	}
	now = now.Add(9 * time.Minute)
	send(m, idleTickMsg{})
	if m.c.ReadOnly {
		t.Fatal("off before the idle time")
	}
	now = now.Add(10 * time.Minute)
	seen := send(m, idleTickMsg{})
	if !m.c.ReadOnly || !strings.Contains(noticeOf(seen), "switched off") {
		t.Fatalf("not off after the idle time: %q", noticeOf(seen))
	}
	keys(m, "ctrl+w", "y", "ctrl+w")
	if !m.c.ReadOnly {
		t.Error("ctrl+w did not switch off")
	}
}

// A konto-readonly session never switches on and is shown no way to move
// money: no payment key and no switch in the help.
func TestLockedSessionShowsNoWayToPay(t *testing.T) {
	m := startWith(t, uitest.NewBank(20), 200, 60, func(c *common.Common) {
		c.Payments, c.ReadOnly, c.PaymentsLocked = &uitest.Payments{}, true, true
	})
	keys(m, "ctrl+w")
	if m.topModal() != nil || !m.c.ReadOnly {
		t.Fatal("ctrl+w worked in a locked session")
	}
	keys(m, "?")
	s := screen(t, m)
	for _, w := range []string{"pay again", "ctrl+w", "switches them on"} {
		if strings.Contains(s, w) {
			t.Errorf("? shows %q:\n%s", w, s)
		}
	}
	noPaymentKeys(t, m)
}

// A session started read-only lists no payment key, only the switch.
func TestReadOnlyHelpShowsOnlyTheSwitch(t *testing.T) {
	m := startWith(t, uitest.NewBank(20), 200, 60, func(c *common.Common) {
		c.Payments, c.ReadOnly = &uitest.Payments{}, true
	})
	keys(m, "?")
	s := screen(t, m)
	if !strings.Contains(s, "switches them on") {
		t.Errorf("?:\n%s", s)
	}
	noPaymentKeys(t, m)
}

// noPaymentKeys fails if ? or the help bar name a key that moves money.
func noPaymentKeys(t *testing.T, m *Model) {
	t.Helper()
	p := m.c.Keys.Payments
	money := map[string]bool{}
	for _, b := range []key.Binding{p.Transfer, p.PayAgain, p.NewOrder, p.EditOrder, p.CancelOrder} {
		money[b.Help().Desc] = true
	}
	for _, sec := range m.helpSections() {
		for _, b := range sec.keys {
			if money[b.Help().Desc] {
				t.Errorf("? lists %q under %s", b.Help().Desc, sec.title)
			}
		}
	}
	for _, b := range m.shortHelp().ShortHelp() {
		if money[b.Help().Desc] {
			t.Errorf("the help bar lists %q", b.Help().Desc)
		}
	}
}
