package transactions

import (
	"fmt"
	"os"
	"runtime"
	"testing"
)

// BenchmarkLabelIndex is the build of the bookings' results and the filter
// index off the UI goroutine, with the heap each keeps per booking.
func BenchmarkLabelIndex(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("KONTO_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			build := m.labelIndex()
			m.results, m.index = nil, nil // only the ones built here count
			heap := func() float64 {
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				return float64(ms.HeapAlloc)
			}
			// The heap each keeps: the results alone, then with the index.
			base := heap()
			res, _ := build()
			results := (heap() - base) / float64(n)
			runtime.KeepAlive(res)
			base = heap()
			res, ix := build()
			both := (heap() - base) / float64(n)
			runtime.KeepAlive(res)
			runtime.KeepAlive(ix)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, ix = build()
			}
			runtime.KeepAlive(res)
			runtime.KeepAlive(ix)
			runtime.KeepAlive(m) // its rows and months were there before
			b.ReportMetric(results, "results-B/booking")
			b.ReportMetric(both-results, "index-B/booking")
		})
	}
}
