package offline_test

import (
	"context"
	"testing"

	"konto/api"
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
