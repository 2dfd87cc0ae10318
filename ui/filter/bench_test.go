package filter

import (
	"fmt"
	"konto/store/history"
	"os"
	"runtime"
	"testing"
)

// benchSizes are the history sizes the keystroke benchmarks run at; a
// million only with KONTO_BENCH_1M=1, so the suite stays fast.
func benchSizes() []int {
	if os.Getenv("KONTO_BENCH_1M") != "" {
		return []int{100_000, 1_000_000}
	}
	return []int{100_000}
}

// BenchmarkTyping is what each letter of a word typed into the filter line
// costs the match: the first letter looks through the whole history, each
// following one only through the previous letter's result.
func BenchmarkTyping(b *testing.B) {
	for _, n := range benchSizes() {
		ix := NewIndex(history.Of(generate(n)), berlin(b))
		for _, word := range []string{"karl", "zurich"} {
			for l := 1; l <= len(word); l++ {
				prefix := word[:l]
				q, err := Parse(prefix, testToday)
				if err != nil {
					b.Fatal(err)
				}
				var prev Query
				if l > 1 {
					prev, _ = Parse(word[:l-1], testToday)
				}
				b.Run(fmt.Sprintf("%dk/%s", n/1000, prefix), func(b *testing.B) {
					b.ReportAllocs()
					var before Result
					if l > 1 {
						before = ix.MatchAfter(Result{}, prev)
					}
					for b.Loop() {
						_ = ix.MatchAfter(before, q)
					}
				})
			}
		}
	}
}

// BenchmarkIndexHeap reports the heap an index holds, in bytes per booking.
func BenchmarkIndexHeap(b *testing.B) {
	for _, n := range benchSizes() {
		h := history.Of(generate(n))
		loc := berlin(b)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			var ix *Index
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				ix = NewIndex(h, loc)
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heapB/tx")
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heapMiB")
			}
			runtime.KeepAlive(ix)
		})
	}
}
