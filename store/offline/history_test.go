package offline_test

import (
	"bytes"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store"
	"konto/store/history"
	"konto/store/offline"
)

// counter is a Clean that marks what it cleaned (names in capitals, which
// a second clean leaves as they are) and counts its calls.
type counter struct{ calls atomic.Int64 }

func (c *counter) clean(tx api.Transaction) api.Transaction {
	c.calls.Add(1)
	if tx.Name != nil && *tx.Name != strings.ToUpper(*tx.Name) {
		tx.Name = api.Ptr(strings.ToUpper(*tx.Name))
	}
	return tx
}

func (c *counter) take() int { return int(c.calls.Swap(0)) }

// cleanedAll is txs as the counter cleans them, in a slice of its own.
func cleanedAll(txs []api.Transaction) []api.Transaction {
	var c counter
	out := make([]api.Transaction, len(txs))
	for i := range txs {
		out[i] = c.clean(txs[i])
	}
	return out
}

func sameBookings(t *testing.T, what string, got *history.History, want []api.Transaction) {
	t.Helper()
	if got.Len() != len(want) {
		t.Fatalf("%s: %d bookings, want %d", what, got.Len(), len(want))
	}
	if !reflect.DeepEqual(got.Slice(), history.Of(want).Slice()) {
		for i := range want {
			if !reflect.DeepEqual(got.At(i), want[i]) {
				t.Fatalf("%s: booking %d is %+v, want %+v", what, i, got.At(i), want[i])
			}
		}
	}
}

// extends fails unless h holds old's bookings behind k new ones in old's
// own storage (the texts are the same strings, not copies).
func extends(t *testing.T, h, old *history.History, k int) {
	t.Helper()
	if h.Len() != old.Len()+k {
		t.Fatalf("%d bookings, want %d + %d", h.Len(), old.Len(), k)
	}
	if got, ok := h.Extends(old); !ok || got != k {
		t.Fatalf("Extends = %d, %v; want %d new in front of the same storage", got, ok, k)
	}
	for _, i := range []int{0, old.Len() / 2, old.Len() - 1} {
		a, b := h.At(k+i), old.At(i)
		if a.ID != b.ID || a.Name == nil || a.Name != b.Name {
			t.Fatalf("booking %d of the old history is not shared (%d %p, %d %p)", i, a.ID, a.Name, b.ID, b.Name)
		}
	}
}

func TestCachedHistoryIsCachedTransactionsPacked(t *testing.T) {
	remote := newRemote(3000)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711], 4712: {}})
	var c counter
	b := offline.New(remote, cache, offline.Options{Now: fixedNow, Clean: c.clean})
	for _, tc := range []struct {
		id int64
		n  int
	}{{4711, 3000}, {4712, 0}, {4713, 0}} {
		h, err := b.CachedHistory(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if calls := c.take(); calls != tc.n {
			t.Errorf("%d: clean ran %d times, want %d", tc.id, calls, tc.n)
		}
		txs, err := b.CachedTransactions(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		c.take()
		if tc.n == 0 {
			if h != nil || txs != nil {
				t.Errorf("%d: nothing cached, but %d and %d bookings", tc.id, h.Len(), len(txs))
			}
			continue
		}
		sameBookings(t, "cached history", h, txs)
		if h.Text(0, history.Name) != strings.ToUpper(*remote.Txs[4711][0].Name) {
			t.Errorf("not cleaned: %q", h.Text(0, history.Name))
		}
	}
	if n := len(remote.Calls); n != 0 {
		t.Errorf("the bank was asked %d times", n)
	}
}

func TestCachedHistoryOfADamagedCache(t *testing.T) {
	remote := newRemote(3000)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
	path := cache.Path()
	cache.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Damage here and there: the cache is rebuilt, or reads fail; either
	// way both reads say the same.
	for step := 0; step < 6; step++ {
		damaged := bytes.Clone(data)
		for i := len(data) * step / 6; i < len(data)*step/6+64 && i < len(data); i++ {
			damaged[i] ^= 0x5a
		}
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := store.OpenCache(path, store.CacheOptions{Now: fixedNow})
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		b := offline.New(remote, c, offline.Options{Now: fixedNow})
		h, herr := b.CachedHistory(4711)
		txs, terr := b.CachedTransactions(4711)
		if (herr == nil) != (terr == nil) {
			t.Errorf("step %d: CachedHistory %v, CachedTransactions %v", step, herr, terr)
		}
		if h.Len() != len(txs) || len(txs) > 0 && !reflect.DeepEqual(h.Slice(), txs) {
			t.Errorf("step %d: %d and %d bookings", step, h.Len(), len(txs))
		}
		c.Close()
	}
	// A cache closed under the running konto: every read fails.
	b := offline.New(remote, cache, offline.Options{Now: fixedNow})
	h, err := b.CachedHistory(4711)
	_, txsErr := b.CachedTransactions(4711)
	if h != nil || err == nil || txsErr == nil {
		t.Fatalf("closed cache: %v, %v, %v", h, err, txsErr)
	}
}

// A sync that finds k new bookings puts them in front of the history
// handed out before: the same storage, k cleans, and what a full read of
// the cache gives.
func TestSyncHistoryPrependsWhatIsNew(t *testing.T) {
	remote := newRemote(2500)
	all := remote.Txs[4711]
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: all[60:]})
	var c counter
	b := offline.New(remote, cache, offline.Options{Now: fixedNow, Clean: c.clean})
	shown, err := b.CachedHistory(4711)
	if err != nil || shown.Len() != len(all)-60 {
		t.Fatalf("cached: %d, %v", shown.Len(), err)
	}
	c.take()
	prev := shown
	// The bank's history grows by 0, 1, 7 and 52 bookings (two pages).
	for _, from := range []int{60, 59, 52, 0} {
		remote.mu.Lock()
		remote.Txs[4711] = all[from:]
		remote.mu.Unlock()
		h, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sameBookings(t, "synced", h, cleanedAll(all[from:]))
		k := h.Len() - prev.Len()
		extends(t, h, prev, k)
		if k == 0 && h != prev {
			t.Error("nothing new, yet another history")
		}
		if calls := c.take(); calls != k {
			t.Errorf("%d new: clean ran %d times, want %d", k, calls, k)
		}
		full, err := cache.LoadHistory(4711, (&counter{}).clean)
		if err != nil {
			t.Fatal(err)
		}
		sameBookings(t, "the cache read in full", full, h.Slice())
		prev = h
	}
	if n := remote.CallCount("SyncTransactions"); n != 0 {
		t.Errorf("%d full syncs", n)
	}
}

// sandboxBank is the in-process sandbox with n bookings on 4711, and a
// client of it.
func sandboxBank(t testing.TB, n int) (*sandbox.Bank, *api.Client) {
	t.Helper()
	bank, err := sandbox.New(sandbox.Options{Transactions: n, Now: apitest.Clock(t), BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	c, err := api.New(srv.URL, apitest.BasicAuth("Aladdin", "OpenSesame"))
	if err != nil {
		t.Fatal(err)
	}
	return bank, c
}

// A cold sync streamed into the history is the bank's history as a sync
// returns it, cleaned once, and the cache holds it; so it is when a
// booking lands mid-sync and the sync reconciles.
func TestColdSyncStreamsIntoTheHistory(t *testing.T) {
	bank, client := sandboxBank(t, 5000)
	for _, landing := range []bool{false, true} {
		cache := openCache(t, nil, nil)
		var c counter
		b := offline.New(client, cache, offline.Options{Now: fixedNow, Clean: c.clean})
		booked := false
		opt := api.SyncOptions{}
		if landing {
			opt.OnPage = func(page int, _ []api.Transaction, _ int) {
				if page >= 3 && !booked {
					booked = true
					bank.Book(4711, api.Transaction{Amount: 4200, Name: api.Ptr("Mid-Sync GmbH")})
				}
			}
		}
		h, err := b.SyncHistory(ctx, 4711, opt)
		if err != nil {
			t.Fatal(err)
		}
		want, err := client.SyncTransactions(ctx, 4711, api.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sameBookings(t, "streamed", h, cleanedAll(want))
		if calls := c.take(); !landing && calls != len(want) {
			t.Errorf("clean ran %d times for %d bookings", calls, len(want))
		}
		// The cache holds what the history holds (the cleaned text).
		if err := cache.SaveTransactions(4799, cleanedAll(want)); err != nil {
			t.Fatal(err)
		}
		cached, err := cache.LoadTransactions(4711)
		saved, _ := cache.LoadTransactions(4799)
		if err != nil || !reflect.DeepEqual(cached, saved) {
			t.Fatalf("landing %v: the cache holds %d bookings (%v), want the %d synced", landing, len(cached), err, len(want))
		}
		if landing != booked {
			t.Fatal("no booking landed")
		}
		// Nothing new: the same history, nothing cleaned again.
		again, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
		if err != nil || again != h || c.take() != 0 {
			t.Fatalf("second sync: another history (%v) or cleaned again", err)
		}
	}
}

// A poll's bookings go in front of the history handed out, so the sync
// after it (the list's reload) costs what is new, cache or none.
func TestPollMovesTheHandedHistoryOn(t *testing.T) {
	for _, cached := range []bool{true, false} {
		remote := newRemote(1200)
		var cache *store.Cache
		if cached {
			cache = openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
		}
		var c counter
		b := offline.New(remote, cache, offline.Options{Now: fixedNow, Clean: c.clean})
		b.Accounts(ctx)
		h, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
		if err != nil || h.Len() != 1200 {
			t.Fatalf("first sync: %d, %v", h.Len(), err)
		}
		c.take()
		remote.mu.Lock()
		remote.Txs[4711] = append([]api.Transaction{incoming(9002, 4200, "ACME GmbH"), incoming(9001, 100, "Karl")}, remote.Txs[4711]...)
		remote.Txs[4711][1].BookingDate.Time = remote.Txs[4711][1].BookingDate.Add(-time.Minute)
		remote.mu.Unlock()
		found, _, err := b.Poll(ctx)
		if err != nil || len(found) != 2 {
			t.Fatalf("cache %v: poll found %d, %v", cached, len(found), err)
		}
		if calls := c.take(); calls != 2 {
			t.Errorf("cache %v: the poll cleaned %d bookings, want 2", cached, calls)
		}
		after, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		extends(t, after, h, 2)
		sameBookings(t, "after the poll", after, cleanedAll(remote.Txs[4711]))
		if calls := c.take(); calls != 0 {
			t.Errorf("cache %v: the sync after the poll cleaned %d bookings", cached, calls)
		}
		if n := remote.CallCount("SyncTransactions"); n != map[bool]int{true: 0, false: 1}[cached] {
			t.Errorf("cache %v: %d full syncs", cached, n)
		}
	}
}

// Without a cache a history handed out grows by what is new; a history
// that changed below the newest (the total disagrees) is synced in full.
func TestSyncHistoryWithoutCache(t *testing.T) {
	remote := newRemote(300)
	all := remote.Txs[4711]
	remote.Txs[4711] = all[5:]
	var c counter
	b := offline.New(remote, nil, offline.Options{Now: fixedNow, Clean: c.clean})
	h, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
	if err != nil || h.Len() != 295 || c.take() != 295 {
		t.Fatalf("first: %d, %v", h.Len(), err)
	}
	remote.mu.Lock()
	remote.Txs[4711] = all
	remote.mu.Unlock()
	grown, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	extends(t, grown, h, 5)
	sameBookings(t, "grown", grown, cleanedAll(all))
	if calls := c.take(); calls != 5 || remote.CallCount("SyncTransactions") != 1 {
		t.Errorf("%d cleaned, %d full syncs; want 5 and 1", calls, remote.CallCount("SyncTransactions"))
	}
	// One booking vanished below the newest, one arrived: in full.
	remote.mu.Lock()
	changed := append([]api.Transaction{incoming(9002, 4200, "ACME GmbH")}, all[:100]...)
	remote.Txs[4711] = append(changed, all[101:]...)
	remote.mu.Unlock()
	full, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameBookings(t, "changed below", full, cleanedAll(remote.Txs[4711]))
	if n := remote.CallCount("SyncTransactions"); n != 2 {
		t.Errorf("%d full syncs, want 2", n)
	}
}

// A cache that another konto added to behind the Mirror's back is read
// again: what was handed out is not what it holds.
func TestSyncHistoryReadsAgainWhenTheCacheChanged(t *testing.T) {
	remote := newRemote(400)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
	b := offline.New(remote, cache, offline.Options{Now: fixedNow})
	h, err := b.CachedHistory(4711)
	if err != nil {
		t.Fatal(err)
	}
	late := incoming(9005, 100, "Elsewhere")
	late.BookingDate = remote.Txs[4711][10].BookingDate // below the newest
	if err := cache.AddTransactions(4711, []api.Transaction{late}); err != nil {
		t.Fatal(err)
	}
	remote.mu.Lock()
	remote.Txs[4711] = append(append(append([]api.Transaction{}, remote.Txs[4711][:10]...), late), remote.Txs[4711][10:]...)
	remote.mu.Unlock()
	got, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := cache.LoadTransactions(4711)
	if got == h || got.Len() != 401 {
		t.Fatalf("%d bookings, the old history: %v", got.Len(), got == h)
	}
	sameBookings(t, "read again", got, want)
}

// The history handed out belongs to its owner: after a switch it is not
// grown for the next one.
func TestSwitchForgetsTheHandedHistory(t *testing.T) {
	remote := newRemote(200)
	b := offline.New(remote, nil, offline.Options{Now: fixedNow})
	if _, err := b.SetOwner("alice"); err != nil {
		t.Fatal(err)
	}
	h, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if switched, err := b.SetOwner("bob"); err != nil || !switched {
		t.Fatalf("switch: %v, %v", switched, err)
	}
	remote.mu.Lock()
	remote.Txs[4711] = remote.Txs[4711][:150]
	remote.mu.Unlock()
	got, err := b.SyncHistory(ctx, 4711, api.SyncOptions{})
	if err != nil || got == h || got.Len() != 150 || remote.CallCount("SyncTransactions") != 2 {
		t.Fatalf("after the switch: %d bookings, %d full syncs, %v", got.Len(), remote.CallCount("SyncTransactions"), err)
	}
}
