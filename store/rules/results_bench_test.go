package rules

import (
	"fmt"
	"runtime"

	"konto/api"
	"testing"
)

// benchResults categorises n bookings, one in a hundred labelled by hand,
// and reports the heap the kept results take per booking.
func benchResults(b *testing.B, n int, apply func(*Set, []api.Transaction, map[int64]Label) any) {
	set, err := New(manyRules(50), true)
	if err != nil {
		b.Fatal(err)
	}
	txs := history(n)
	labels := map[int64]Label{}
	for i := 0; i < n; i += 100 {
		labels[txs[i].ID] = Label{Category: fmt.Sprint("hand", i%7), Note: fmt.Sprint("note ", i)}
	}
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	kept := apply(set, txs, labels)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	keptBytes := float64(ms.HeapAlloc-before) / float64(n)
	runtime.KeepAlive(kept)
	kept = nil
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kept = apply(set, txs, labels)
	}
	runtime.KeepAlive(kept)
	b.ReportMetric(keptBytes, "kept-B/booking")
}

// What the list kept before Results: ApplyAll's slice, then a copy by
// position from the oldest with room for polls.
func applyAllByPos(set *Set, txs []api.Transaction, labels map[int64]Label) any {
	res := set.ApplyAll(txs, labels)
	byPos := make([]Result, len(res), len(res)+len(res)/16+64)
	for i := range res {
		byPos[len(res)-1-i] = res[i]
	}
	return byPos
}

func applyAllCompact(set *Set, txs []api.Transaction, labels map[int64]Label) any {
	return set.ApplyAllCompact(txs, labels)
}

func BenchmarkApplyAllByPos100k(b *testing.B)   { benchResults(b, 100_000, applyAllByPos) }
func BenchmarkApplyAllByPos1M(b *testing.B)     { benchResults(b, 1_000_000, applyAllByPos) }
func BenchmarkApplyAllCompact100k(b *testing.B) { benchResults(b, 100_000, applyAllCompact) }
func BenchmarkApplyAllCompact1M(b *testing.B)   { benchResults(b, 1_000_000, applyAllCompact) }
