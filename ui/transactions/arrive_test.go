package transactions

import (
	"slices"
	"testing"
	"time"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

// TestArrivalEqualsRebuild: rows, months, cursor, labels and balances grown
// by a poll's bookings are those a rebuild of the whole history gives, with
// and without a kept filter, for bookings of the newest month, of a new one
// and of an older one (a late booking).
func TestArrivalEqualsRebuild(t *testing.T) {
	for _, query := range []string{"", "zurich", "out"} {
		m, _ := loaded(t, 300, 200, 30)
		if query != "" {
			press(m, "/")
			typeQuery(m, query)
			press(m, "enter")
		}
		press(m, "j", "j")
		selected := m.Selected().ID
		top := m.txs.At(0)
		at := []time.Time{top.BookingDate.Time.Add(time.Hour), top.BookingDate.AddDate(0, 2, 0), top.BookingDate.AddDate(-1, 0, 0)}
		for round, when := range at {
			fresh := []api.Transaction{top, top}
			fresh[0].ID, fresh[1].ID = int64(800000+2*round), int64(800001+2*round)
			fresh[0].BookingDate, fresh[1].BookingDate = api.TxTime{Time: when}, api.TxTime{Time: when.Add(-time.Minute)}
			fresh[1].Amount = -fresh[0].Amount - 7
			cmd := m.Update(common.BookingsArrivedMsg{AccountID: 4711, Transactions: fresh})
			uitest.Pump(m.Update, uitest.Collect(cmd)...)
			if m.Len() != 300+2*(round+1) || m.txs.ID(0) != fresh[0].ID {
				t.Fatalf("%q round %d: %d bookings, newest %d", query, round, m.Len(), m.txs.ID(0))
			}
			if sel := m.Selected(); sel == nil || sel.ID != selected {
				t.Fatalf("%q round %d: selection moved to %+v", query, round, sel)
			}
			rows, months, cursor, offset := slices.Clone(m.rows), slices.Clone(m.months), m.list.Cursor(), m.list.Offset()
			var res []string
			var bal []int64
			m.SetAccounts([]api.Account{{ID: 4711, Balance: 123456}})
			for i := range m.txs.Len() {
				res = append(res, m.result(i).Category)
				b, _ := m.balanceAfter(i)
				bal = append(bal, b)
			}
			keys := slices.Clone(m.monthKey)
			m.monthKey = appendMonthKeys(nil, m.txs, m.txs.Len(), m.c.Loc)
			if !slices.Equal(keys, m.monthKey) {
				t.Fatalf("%q round %d: month keys differ from a fresh computation", query, round)
			}
			m.rebuild()
			if !slices.Equal(rows, m.rows) || !slices.Equal(months, m.months) || cursor != m.list.Cursor() || offset != m.list.Offset() {
				t.Fatalf("%q round %d: grown rows differ from rebuilt ones (%d/%d rows, %d/%d months, cursor %d/%d)",
					query, round, len(rows), len(m.rows), len(months), len(m.months), cursor, m.list.Cursor())
			}
			m.gen++ // labels and balances computed afresh
			m.resultsGen = m.gen
			for i := range m.txs.Len() {
				if b, _ := m.balanceAfter(i); b != bal[i] {
					t.Fatalf("%q round %d: balance after %d: %d, afresh %d", query, round, i, bal[i], b)
				}
				tx := m.txs.At(i)
				if got := m.c.RuleSet().Apply(&tx, m.labels[tx.ID]).Category; got != res[i] {
					t.Fatalf("%q round %d: category of %d: %q, afresh %q", query, round, i, res[i], got)
				}
			}
			if query != "" {
				want := m.index.Match(m.query)
				if !slices.Equal(want, m.matches) {
					t.Fatalf("%q round %d: %d matches kept, %d on the whole index", query, round, len(m.matches), len(want))
				}
			}
		}
	}
}

// A sync whose history is the one shown with new bookings in front (the
// same storage, grown) extends the list as a poll does: the filter index
// and labels are extended at once, not built again.
func TestSyncThatExtendsGrowsInPlace(t *testing.T) {
	m, _ := loaded(t, 300, 120, 30)
	shown, index := m.txs, m.index
	top := shown.At(0)
	fresh := []api.Transaction{top}
	fresh[0].ID, fresh[0].BookingDate = 900001, api.TxTime{Time: top.BookingDate.Add(time.Hour)}
	m.syncing = true
	cmd := m.Update(common.TransactionsSyncedMsg{AccountID: 4711, Seq: m.loadSeq, History: shown.Prepend(fresh)})
	if m.Len() != 301 || m.txs.ID(0) != 900001 || m.syncing {
		t.Fatalf("after the sync: %d bookings, newest %d, syncing %v", m.Len(), m.txs.ID(0), m.syncing)
	}
	if m.index == index || m.index.Len() != 301 || m.indexGen != m.gen || m.results.Len() != 301 || m.resultsGen != m.gen {
		t.Fatalf("index %d (gen %d of %d), %d results: not extended in place", m.index.Len(), m.indexGen, m.gen, m.results.Len())
	}
	for _, msg := range uitest.Collect(cmd) {
		if _, ok := msg.(indexMsg); ok {
			t.Fatal("the index was built again")
		}
	}
	if sel := m.Selected(); sel == nil || sel.ID != shown.ID(0) {
		t.Fatalf("selection %+v, want the booking selected before", sel)
	}
	// The same history again: nothing to do.
	rows := len(m.rows)
	m.syncing = true
	if cmd := m.Update(common.TransactionsSyncedMsg{AccountID: 4711, Seq: m.loadSeq, History: m.txs}); cmd != nil || len(m.rows) != rows {
		t.Fatal("the history shown, synced again, changed the list")
	}
}
