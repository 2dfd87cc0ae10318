package transactions

import (
	"fmt"
	"testing"
)

// BenchmarkFilterKeystroke is what a key typed in the filter line costs the
// UI goroutine, the match itself included (it runs in a Cmd): a new query,
// its result applied and the frame drawn.
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			queries := []string{"zurich", "karl amt:<-50"}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if cmd := m.setQuery(queries[i%2]); cmd != nil {
					m.Update(cmd())
				}
				_ = m.View()
				i++
			}
		})
	}
}

// BenchmarkNewDataUnderKeptFilter is the UI goroutine's part of new data
// arriving while a filter is kept (the index and the match run in Cmds).
func BenchmarkNewDataUnderKeptFilter(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			if cmd := m.setQuery("zurich"); cmd != nil {
				m.Update(cmd())
			}
			txs := m.txs
			b.ReportAllocs()
			for b.Loop() {
				m.setTransactions(txs)
			}
		})
	}
}
