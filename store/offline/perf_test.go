package offline_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store"
	"konto/store/history"
	"konto/store/offline"
	"konto/ui/common"
)

// The figures issue 13 asks for at the level of the Mirror: a cold full
// sync into an empty cache, the cached read, a poll that finds one
// booking, and the heap a million bookings keep. The 1M sizes run only
// with KONTO_BENCH_1M=1.

func benchSize(b *testing.B, n int) {
	b.Helper()
	if n >= 1_000_000 && os.Getenv("KONTO_BENCH_1M") == "" {
		b.Skip("set KONTO_BENCH_1M=1 for the 1M benchmarks")
	}
}

// sandboxClient starts the in-process sandbox with n bookings on 4711.
func sandboxClient(b testing.TB, n int) *api.Client {
	b.Helper()
	bank, err := sandbox.New(sandbox.Options{Transactions: n, Now: apitest.Clock(b), BasicPerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	b.Cleanup(srv.Close)
	c, err := api.New(srv.URL, apitest.BasicAuth("Aladdin", "OpenSesame"))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func emptyCache(b testing.TB) *store.Cache {
	b.Helper()
	cache, err := store.OpenCache(filepath.Join(b.TempDir(), "cache.db"), store.CacheOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return cache
}

func benchmarkColdSync(b *testing.B, n int) {
	benchSize(b, n)
	client := sandboxClient(b, n)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		cache := emptyCache(b)
		m := offline.New(client, cache, offline.Options{Now: fixedNow, Clean: common.SanitizeTransaction})
		runtime.GC()
		b.StartTimer()
		h, err := m.SyncHistory(ctx, 4711, api.SyncOptions{})
		if err != nil || h.Len() < n {
			b.Fatalf("sync: %d, %v", h.Len(), err)
		}
		b.StopTimer()
		cache.Close()
		b.StartTimer()
	}
}

func BenchmarkMirrorColdSync100k(b *testing.B) { benchmarkColdSync(b, 100_000) }
func BenchmarkMirrorColdSync1M(b *testing.B)   { benchmarkColdSync(b, 1_000_000) }

// warmCache is a cache holding n sandbox-like bookings of 4711.
func warmCache(b testing.TB, n int) *store.Cache {
	b.Helper()
	cache := emptyCache(b)
	b.Cleanup(func() { cache.Close() })
	if err := cache.SaveTransactions(4711, generate(n, 1)); err != nil {
		b.Fatal(err)
	}
	return cache
}

func benchmarkCachedHistory(b *testing.B, n int) {
	benchSize(b, n)
	cache := warmCache(b, n)
	m := offline.New(newRemote(0), cache, offline.Options{Now: fixedNow, Clean: common.SanitizeTransaction})
	b.ReportAllocs()
	for b.Loop() {
		h, err := m.CachedHistory(4711)
		if err != nil || h.Len() != n {
			b.Fatalf("cached: %d, %v", h.Len(), err)
		}
	}
}

func BenchmarkMirrorCachedHistory100k(b *testing.B) { benchmarkCachedHistory(b, 100_000) }
func BenchmarkMirrorCachedHistory1M(b *testing.B)   { benchmarkCachedHistory(b, 1_000_000) }

// growingBank is a bank whose history grows by one booking at a time
// without copying the rest: oldestFirst holds it the other way round.
type growingBank struct {
	*remote
	oldestFirst []api.Transaction
}

func (g *growingBank) book(tx api.Transaction) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.oldestFirst = append(g.oldestFirst, tx)
}

func (g *growingBank) TransactionsPage(ctx context.Context, id int64, page int) (*api.TransactionPage, error) {
	if id != 4711 {
		return g.remote.TransactionsPage(ctx, id, page)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	p := &api.TransactionPage{Total: len(g.oldestFirst)}
	for i := len(g.oldestFirst) - 1 - (page-1)*g.PageSize; i >= 0 && len(p.Results) < g.PageSize; i-- {
		p.Results = append(p.Results, g.oldestFirst[i])
	}
	return p, nil
}

func benchmarkPollOne(b *testing.B, n int) {
	benchSize(b, n)
	cache := warmCache(b, n)
	bank := &growingBank{remote: newRemote(0), oldestFirst: generate(n, 1)}
	slices.Reverse(bank.oldestFirst)
	m := offline.New(bank, cache, offline.Options{Now: fixedNow, Clean: common.SanitizeTransaction})
	if _, err := m.CachedHistory(4711); err != nil {
		b.Fatal(err)
	}
	if _, err := m.SyncHistory(ctx, 4711, api.SyncOptions{}); err != nil {
		b.Fatal(err)
	}
	next := int64(50_000_000)
	b.ReportAllocs()
	for b.Loop() {
		tx := incoming(next, 100, "ACME GmbH")
		tx.BookingDate = api.TxTime{Time: testNow.Add(time.Duration(next-50_000_000+1) * time.Minute)}
		next++
		bank.book(tx)
		h, err := m.SyncHistory(ctx, 4711, api.SyncOptions{})
		if err != nil || h.Len() != len(bank.oldestFirst) || h.ID(0) != tx.ID {
			b.Fatalf("sync: %d, %v", h.Len(), err)
		}
	}
}

func BenchmarkMirrorPollOne100k(b *testing.B) { benchmarkPollOne(b, 100_000) }
func BenchmarkMirrorPollOne1M(b *testing.B)   { benchmarkPollOne(b, 1_000_000) }

// TestLiveHeapOfAMillion logs the heap the history of a million bookings
// keeps once it is handed out (what dropping it frees), from a cold sync,
// from the cache, and from a sync that finds nothing new after it.
func TestLiveHeapOfAMillion(t *testing.T) {
	if os.Getenv("KONTO_BENCH_1M") == "" {
		t.Skip("set KONTO_BENCH_1M=1 for the 1M figures")
	}
	const n = 1_000_000
	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	client := sandboxClient(t, n)
	cache := emptyCache(t)
	defer cache.Close()
	newMirror := func() *offline.Mirror {
		return offline.New(client, cache, offline.Options{Now: fixedNow, Clean: common.SanitizeTransaction})
	}
	held := func(what string, get func(m *offline.Mirror) (*history.History, error)) {
		t.Helper()
		m := newMirror()
		base := live()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		total0 := ms.TotalAlloc
		// The heap in use is sampled while it runs (a figure, not a
		// test: nothing waits for the samples).
		stop, peak := make(chan struct{}), make(chan uint64)
		go func() {
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			var most uint64
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				metrics.Read(sample)
				most = max(most, sample[0].Value.Uint64())
				select {
				case <-stop:
					peak <- most
					return
				case <-tick.C:
				}
			}
		}()
		h, err := get(m)
		close(stop)
		most := <-peak
		if err != nil || h.Len() != n {
			t.Fatalf("%s: %d, %v", what, h.Len(), err)
		}
		runtime.ReadMemStats(&ms)
		allocated := ms.TotalAlloc - total0
		with := live()
		runtime.KeepAlive(h)
		h, m = nil, nil
		without := live()
		t.Logf("%s of %d: keeps %d MiB of heap; on the way allocated %d MiB, heap objects at most %d MiB above what was live before",
			what, n, (with-without)>>20, allocated>>20, (most-min(most, base))>>20)
	}
	held("cold SyncHistory", func(m *offline.Mirror) (*history.History, error) { return m.SyncHistory(ctx, 4711, api.SyncOptions{}) })
	held("CachedHistory", func(m *offline.Mirror) (*history.History, error) { return m.CachedHistory(4711) })
	held("CachedHistory then SyncHistory with nothing new", func(m *offline.Mirror) (*history.History, error) {
		if _, err := m.CachedHistory(4711); err != nil {
			return nil, err
		}
		return m.SyncHistory(ctx, 4711, api.SyncOptions{})
	})
}
