package transactions

import (
	"fmt"
	"testing"
)

// BenchmarkView measures one frame of the list in the middle of the history:
// its cost must not grow with the history's size.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			m.jumpTo(len(m.rows)/2, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkScrollFrame is a key press plus the frame it causes.
func BenchmarkScrollFrame(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			down := true
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if m.list.Cursor() >= len(m.rows)-2 {
					down = false
				} else if m.list.Cursor() <= 1 {
					down = true
				}
				if down {
					m.move(1)
				} else {
					m.move(-1)
				}
				_ = m.View()
			}
		})
	}
}

// BenchmarkRebuild is the cost of a new row model (data or filter change).
func BenchmarkRebuild(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			b.ReportAllocs()
			for b.Loop() {
				m.rebuild()
			}
		})
	}
}
