package accounts

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/uitest"
)

func TestDailyBalancesWalkBackFromToday(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, loc)
	txs := []api.Transaction{ // newest first
		{Amount: 500, BookingDate: api.TxTime{Time: now.Add(-time.Hour)}},      // today
		{Amount: -200, BookingDate: api.TxTime{Time: now.AddDate(0, 0, -2)}},   // two days ago
		{Amount: 1000, BookingDate: api.TxTime{Time: now.AddDate(0, 0, -200)}}, // before the window
	}
	got := DailyBalances(10000, history.Of(txs), now, loc, 4)
	want := []int64{9700, 9500, 9500, 10000} // oldest first
	// 3 days ago: before both → 10000-500+200 = 9700; 2 days ago (after −200): 9500; yesterday 9500; today 10000.
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("daily balances %v, want %v", got, want)
		}
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]int64{0, 1, 2, 3, 4, 5, 6, 7}, 8); got != "▁▂▃▄▅▆▇█" {
		t.Fatalf("sparkline %q", got)
	}
	if got := Sparkline([]int64{5, 5, 5}, 3); got != "▄▄▄" {
		t.Fatalf("flat sparkline %q", got)
	}
	if got := []rune(Sparkline(make([]int64, 90), 12)); len(got) != 12 {
		t.Fatalf("sparkline is %d cells, want 12", len(got))
	}
}

func TestPaneShowsAccountsAndSwitches(t *testing.T) {
	bank := uitest.NewBank(100)
	c := uitest.Common(bank, 80, 24)
	m := New(c)
	m.SetSize(24, 10)
	m.SetFocused(true)
	uitest.Pump(m.Update, uitest.Collect(m.Load())...)
	m.SetHistory(4711, history.Of(bank.Txs[4711]))
	plain := ansi.Strip(m.View())
	for _, want := range []string{"DE06 …4444", "17.325,00 €", "4.100,00 €"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q:\n%s", want, plain)
		}
	}
	if !strings.ContainsAny(plain, "▁▂▃▄▅▆▇█") {
		t.Fatalf("no sparkline:\n%s", plain)
	}
	for _, l := range strings.Split(m.View(), "\n") {
		if ansi.StringWidth(l) != 24 {
			t.Fatalf("line %q is not 24 cells", ansi.Strip(l))
		}
	}
	seen := uitest.Pump(m.Update, uitest.Key("j"))
	var picked *common.AccountSelectedMsg
	for _, msg := range seen {
		if s, ok := msg.(common.AccountSelectedMsg); ok {
			picked = &s
		}
	}
	if picked == nil || picked.Account.ID != 4712 {
		t.Fatalf("j did not select the second account: %v", seen)
	}
	m.SetSize(40, 10)
	if !strings.Contains(ansi.Strip(m.View()), "DE06 1101 0100 1000 0044 44") {
		t.Fatalf("no grouped IBAN when wide:\n%s", ansi.Strip(m.View()))
	}
}

// The API has no account names: the first is the main one, the others are
// numbered, and the last four IBAN digits always show.
func TestAccountsAreNamed(t *testing.T) {
	bank := uitest.NewBank(10)
	c := uitest.Common(bank, 80, 24)
	m := New(c)
	uitest.Pump(m.Update, uitest.Collect(m.Load())...)
	for _, w := range []int{22, 40} { // the pane at 120 columns, and wide
		m.SetSize(w, 10)
		plain := ansi.Strip(m.View())
		for _, want := range []string{"Main", "Account 2", "4444", "9890"} {
			if !strings.Contains(strings.ReplaceAll(plain, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Fatalf("width %d: missing %q:\n%s", w, want, plain)
			}
		}
	}
	if !strings.Contains(ansi.Strip(m.View()), "DE12 5001 0517 0648 4898 90") {
		t.Fatalf("no full IBAN beside the name at 40 cells:\n%s", ansi.Strip(m.View()))
	}
}
