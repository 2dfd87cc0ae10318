package offline_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/store/offline"
)

func TestFirstAccountsAndPageComeFromTheCache(t *testing.T) {
	remote := newRemote(300)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711][10:]})
	b := offline.New(remote, cache, offline.Options{Now: fixedNow})

	accs, err := b.Accounts(ctx)
	if err != nil || len(accs) != 2 {
		t.Fatalf("first Accounts: %v, %v", accs, err)
	}
	if n := remote.CallCount("Accounts"); n != 0 {
		t.Fatalf("first Accounts asked the bank %d times, want the cache only", n)
	}
	if !b.ServedCachedAccounts(ctx) {
		t.Fatal("ServedCachedAccounts = false after a cached answer")
	}
	if stale, _ := b.Stale(); !stale {
		t.Error("not stale after painting from the cache")
	}
	page, err := b.TransactionsPage(ctx, 4711, 1)
	if err != nil || len(page.Results) != offline.PageSize || page.Total != 290 {
		t.Fatalf("page 1: %d results, total %d, %v", len(page.Results), page.Total, err)
	}
	if page.Results[0].ID != remote.Txs[4711][10].ID {
		t.Errorf("page 1 starts with %d, want the newest cached %d", page.Results[0].ID, remote.Txs[4711][10].ID)
	}
	if n := remote.CallCount("TransactionsPage"); n != 0 {
		t.Errorf("page 1 asked the bank %d times", n)
	}
	// The second account list comes from the bank.
	if _, err := b.Accounts(ctx); err != nil || remote.CallCount("Accounts") != 1 {
		t.Fatalf("second Accounts: %v, bank calls %d", err, remote.CallCount("Accounts"))
	}
}

func TestIncrementalSyncStopsAtFirstKnownID(t *testing.T) {
	for _, fresh := range []int{0, 3, 60} {
		remote := newRemote(400)
		cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711][fresh:]})
		b := offline.New(remote, cache, offline.Options{Now: fixedNow})
		txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(txs) != 400 || txs[0].ID != remote.Txs[4711][0].ID {
			t.Fatalf("%d new: synced %d, newest %d", fresh, len(txs), txs[0].ID)
		}
		wantPages := fresh/remote.PageSize + 1
		if n := remote.CallCount("TransactionsPage 4711"); n != wantPages {
			t.Errorf("%d new: %d pages fetched, want %d (stop at the first known id)", fresh, n, wantPages)
		}
		if n := remote.CallCount("SyncTransactions"); n != 0 {
			t.Errorf("%d new: a full sync ran", fresh)
		}
		if count, _, _ := cache.TransactionsInfo(4711); count != 400 {
			t.Errorf("%d new: cache holds %d, want 400", fresh, count)
		}
		if stale, _ := b.Stale(); stale {
			t.Errorf("stale after a sync (nothing came from the cache first)")
		}
	}
}

func TestSyncInFullWhenTheCacheHasAGap(t *testing.T) {
	remote := newRemote(200)
	all := remote.Txs[4711]
	// The cache knows the newest booking but misses one further down.
	gappy := append(append([]api.Transaction{}, all[:100]...), all[101:]...)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: gappy})
	b := offline.New(remote, cache, offline.Options{Now: fixedNow})
	txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{})
	if err != nil || len(txs) != 200 {
		t.Fatalf("sync: %d, %v", len(txs), err)
	}
	if remote.CallCount("SyncTransactions 4711") != 1 {
		t.Error("a gap did not lead to a full sync")
	}
	if count, _, _ := cache.TransactionsInfo(4711); count != 200 {
		t.Errorf("cache holds %d after the full sync, want 200", count)
	}
}

func TestSyncWithEmptyCacheAndResync(t *testing.T) {
	remote := newRemote(120)
	cache := openCache(t, nil, nil)
	b := offline.New(remote, cache, offline.Options{Now: fixedNow})
	if _, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if remote.CallCount("SyncTransactions 4711") != 1 {
		t.Fatal("an empty cache did not sync in full")
	}
	if _, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if remote.CallCount("SyncTransactions 4711") != 1 {
		t.Fatal("a warm cache synced in full")
	}
	b.Resync()
	if _, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if remote.CallCount("SyncTransactions 4711") != 2 {
		t.Fatal("Resync did not sync in full")
	}
	if _, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if remote.CallCount("SyncTransactions 4711") != 2 {
		t.Fatal("Resync applies to more than the next sync")
	}
}

func TestOfflineKeepsTheCacheBrowsable(t *testing.T) {
	remote := newRemote(100)
	remote.Standing = remote.Standing[:1]
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
	if err := cache.SaveStandingOrders(4711, remote.Standing); err != nil {
		t.Fatal(err)
	}
	now := testNow
	b := offline.New(remote, cache, offline.Options{Now: func() time.Time { return now }})
	b.Accounts(ctx) // the cached first paint

	remote.Err = errors.New("dial tcp 127.0.0.1:8080: connect: connection refused")
	accs, err := b.Accounts(ctx)
	if err != nil || len(accs) != 2 {
		t.Fatalf("offline accounts: %v, %v", accs, err)
	}
	txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{})
	if err != nil || len(txs) != 100 {
		t.Fatalf("offline sync: %d, %v", len(txs), err)
	}
	orders, err := b.StandingOrders(ctx, 4711)
	if err != nil || len(orders) != 1 {
		t.Fatalf("offline standing orders: %v, %v", orders, err)
	}
	if got := b.OfflineSince(); !got.Equal(now) {
		t.Fatalf("OfflineSince = %v, want %v", got, now)
	}
	now = now.Add(time.Minute)
	b.Accounts(ctx)
	if got := b.OfflineSince(); !got.Equal(testNow) {
		t.Errorf("OfflineSince moved to %v; it is when the bank stopped answering", got)
	}
	// Nothing cached for the other account: the error comes through.
	if _, err := b.SyncTransactions(ctx, 4712, api.SyncOptions{}); err == nil {
		t.Error("offline sync of an uncached account did not fail")
	}

	// An answer, even an error status, means the bank is back.
	remote.Err = &api.Error{Status: http.StatusInternalServerError}
	if _, err := b.Accounts(ctx); err == nil {
		t.Error("a 500 was hidden behind the cache")
	}
	if !b.OfflineSince().IsZero() {
		t.Error("still offline after the bank answered")
	}
	// A refused session answers from the cache too (the login dialog is on its way).
	remote.Err = fmtErr("auth token: %w", api.ErrLoginNeeded)
	if txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil || len(txs) != 100 {
		t.Errorf("login needed: %d, %v; want the cache", len(txs), err)
	}
	if !b.OfflineSince().IsZero() {
		t.Error("login needed counted as offline")
	}
}

func TestPollWithoutCache(t *testing.T) {
	remote := newRemote(80)
	b := offline.New(remote, nil, offline.Options{Now: fixedNow})
	b.Accounts(ctx)
	if _, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	remote.Txs[4711] = append([]api.Transaction{incoming(9002, 4200, "ACME GmbH")}, remote.Txs[4711]...)
	in, _, err := b.Poll(ctx)
	if err != nil || len(in) != 1 || in[0].Transaction.ID != 9002 {
		t.Fatalf("poll without cache: %v, %v", in, err)
	}
}

func fmtErr(format string, err error) error { return &wrapped{format, err} }

type wrapped struct {
	format string
	err    error
}

func (w *wrapped) Error() string { return strings.Replace(w.format, "%w", w.err.Error(), 1) }
func (w *wrapped) Unwrap() error { return w.err }
