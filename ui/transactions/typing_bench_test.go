package transactions

import (
	"fmt"
	"os"
	"testing"
)

// BenchmarkTyping is a whole keystroke in the filter line, letter by letter
// ("k", "ka", …): the query set, its match run (a Cmd), the result applied
// and the frame drawn. A million only with KONTO_BENCH_1M=1.
func BenchmarkTyping(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("KONTO_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		m, _ := loaded(b, n, 120, 40)
		for _, word := range []string{"karl", "zurich"} {
			for l := 1; l <= len(word); l++ {
				b.Run(fmt.Sprintf("%dk/%s", n/1000, word[:l]), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						b.StopTimer()
						m.setQuery("")
						if l > 1 {
							if cmd := m.setQuery(word[:l-1]); cmd != nil {
								m.Update(cmd())
							}
						}
						_ = m.View()
						b.StartTimer()
						if cmd := m.setQuery(word[:l]); cmd != nil {
							m.Update(cmd())
						}
						_ = m.View()
					}
				})
			}
		}
	}
}
