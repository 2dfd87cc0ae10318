package lookahead

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/alerts"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/uitest"
)

// feed runs cmd and hands its messages to m, until nothing is left.
func feed(m *Model, cmd tea.Cmd) []tea.Msg {
	return uitest.Pump(m.Update, uitest.Collect(cmd)...)
}

func started(t *testing.T, rules []alerts.Rule) (*Model, *uitest.Bank) {
	t.Helper()
	bank := uitest.NewBank(30)
	c := uitest.Common(bank, 120, 40)
	c.Alerts = rules
	m := New(c)
	feed(m, m.Init())
	feed(m, m.SetAccounts(bank.Accts))
	for _, a := range bank.Accts {
		feed(m, m.SetHistory(a.ID, history.Of(bank.Txs[a.ID])))
	}
	return m, bank
}

// A timed order that left the bank's list with its booking is still known
// to the alerts: the orders are the lists before and after the sync.
func TestExecutedTimedOrderAnnounced(t *testing.T) {
	m, bank := started(t, []alerts.Rule{{Kind: alerts.OrderExecuted}})
	order := bank.Timed[0]
	bank.Timed = nil // executed: gone from the list
	tx := api.Transaction{ID: 5000, Amount: order.Amount, Name: api.Ptr(order.RecipientName), IBAN: api.Ptr(order.RecipientIBAN),
		BookingDate: api.TxTime{Time: uitest.Now.Add(time.Hour)}}
	feed(m, m.SetAccounts(bank.Accts))
	seen := feed(m, m.SetHistory(4711, history.Of(append([]api.Transaction{tx}, bank.Txs[4711]...))))
	found := false
	for _, msg := range seen {
		if n, ok := msg.(common.NoticeMsg); ok && n.Level == common.NoticeWarning {
			found = true
		}
	}
	if !found || len(m.Notices()) != 1 {
		t.Fatalf("no alert for the executed timed order: %v", m.Notices())
	}
}

// A sync while an evaluation runs waits for it and is evaluated after:
// nothing announced twice, nothing missed.
func TestEvaluationsOneAtATime(t *testing.T) {
	m, bank := started(t, []alerts.Rule{{Kind: alerts.MoneyIn}})
	txs := bank.Txs[4711]
	add := func(id int64) {
		txs = append([]api.Transaction{{ID: id, Amount: 1000, Name: api.Ptr("X"), BookingDate: api.TxTime{Time: uitest.Now}}}, txs...)
	}
	add(6001)
	first := m.SetHistory(4711, history.Of(txs)) // running
	add(6002)
	if second := m.SetHistory(4711, history.Of(txs)); second != nil || !m.again {
		t.Fatal("a second evaluation started beside the first")
	}
	feed(m, first)
	if n := len(m.Notices()); n != 2 {
		t.Fatalf("%d notices, want 2: %v", n, m.Notices())
	}
	feed(m, m.SetHistory(4711, history.Of(txs)))
	if n := len(m.Notices()); n != 2 {
		t.Fatalf("announced again: %v", m.Notices())
	}
}
