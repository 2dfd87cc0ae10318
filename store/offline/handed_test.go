package offline_test

import (
	"context"
	"testing"

	"konto/api"
	"konto/store/history"
	"konto/store/offline"
)

// gatedBank holds every page request until gate is closed.
type gatedBank struct {
	*remote
	entered chan struct{}
	gate    chan struct{}
}

func (g *gatedBank) TransactionsPage(ctx context.Context, accountID int64, page int) (*api.TransactionPage, error) {
	select {
	case g.entered <- struct{}{}:
	default:
	}
	<-g.gate
	return g.remote.TransactionsPage(ctx, accountID, page)
}

// TestSyncAnswersWithTheHistoryShown: the cached history handed to the
// list while the sync asks the bank is the sync's answer when the bank has
// nothing new (one copy of a million bookings, not two); with new ones, a
// history that holds them.
func TestSyncAnswersWithTheHistoryShown(t *testing.T) {
	for _, fresh := range []int{0, 3} {
		remote := newRemote(400)
		cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711][fresh:]})
		g := &gatedBank{remote: remote, entered: make(chan struct{}, 1), gate: make(chan struct{})}
		b := offline.New(g, cache, offline.Options{Now: fixedNow})
		type result struct {
			txs []api.Transaction
			err error
		}
		done := make(chan result, 1)
		go func() {
			txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{})
			done <- result{txs, err}
		}()
		<-g.entered
		shown, err := b.CachedTransactions(4711)
		if err != nil || len(shown) != 400-fresh {
			t.Fatalf("%d new: cached %d, %v", fresh, len(shown), err)
		}
		close(g.gate)
		r := <-done
		if r.err != nil || len(r.txs) != 400 {
			t.Fatalf("%d new: synced %d, %v", fresh, len(r.txs), r.err)
		}
		same := &r.txs[0] == &shown[0]
		if same != (fresh == 0) {
			t.Fatalf("%d new: the sync answered with the history shown: %v", fresh, same)
		}
	}
}

// TestSyncHistoryAnswersWithTheHistoryShown is the same for histories: the
// sync answers with the history CachedHistory read for the list, with
// what is new in front of it (sharing its storage), cleaned once.
func TestSyncHistoryAnswersWithTheHistoryShown(t *testing.T) {
	for _, fresh := range []int{0, 3} {
		remote := newRemote(400)
		cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711][fresh:]})
		g := &gatedBank{remote: remote, entered: make(chan struct{}, 1), gate: make(chan struct{})}
		var c counter
		b := offline.New(g, cache, offline.Options{Now: fixedNow, Clean: c.clean})
		type result struct {
			h   *history.History
			err error
		}
		done := make(chan result, 1)
		go func() {
			h, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
			done <- result{h, err}
		}()
		<-g.entered
		shown, err := b.CachedHistory(4711)
		if err != nil || shown.Len() != 400-fresh {
			t.Fatalf("%d new: cached %d, %v", fresh, shown.Len(), err)
		}
		close(g.gate)
		r := <-done
		if r.err != nil || r.h.Len() != 400 {
			t.Fatalf("%d new: synced %d, %v", fresh, r.h.Len(), r.err)
		}
		if fresh == 0 && r.h != shown {
			t.Fatal("nothing new: the sync did not answer with the history shown")
		}
		extends(t, r.h, shown, fresh)
		if calls := c.take(); calls != 400 {
			t.Errorf("%d new: clean ran %d times for 400 bookings", fresh, calls)
		}
	}
}
