package transactions

import (
	"fmt"
	"os"
	"runtime"
	"testing"
)

// BenchmarkHistoryHeap is the heap the list keeps alive per booking once
// it holds the whole history with its filter index built, labels applied,
// the balances column drawn and a filter matched: everything the bank
// handed over is dropped first, so only what the list holds is counted.
func BenchmarkHistoryHeap(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("KONTO_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				before := ms.HeapAlloc
				m, bank := loaded(b, n, 200, 40)
				m.SetAccounts(bank.Accts)
				_ = m.View()
				if cmd := m.setQuery("karl"); cmd != nil {
					m.Update(cmd())
				}
				if !m.matched {
					b.Fatal("the filter did not match")
				}
				_ = m.View()
				bank.Txs = nil
				runtime.GC()
				runtime.ReadMemStats(&ms)
				live := float64(ms.HeapAlloc) - float64(before)
				b.ReportMetric(live/float64(n), "liveB/booking")
				b.ReportMetric(live/(1<<20), "liveMiB")
				runtime.KeepAlive(m)
			}
		})
	}
}
