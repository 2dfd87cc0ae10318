package transactions

import (
	"fmt"
	"os"
	"testing"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
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

// BenchmarkBookingArrived is what a poll that finds one booking costs the
// UI goroutine: the message handled (the filter index is rebuilt off it).
func BenchmarkBookingArrived(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("KONTO_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, _ := loaded(b, n, 100, 40)
			next := int64(50_000_000)
			b.ReportAllocs()
			for b.Loop() {
				next++
				m.Update(common.BookingsArrivedMsg{AccountID: 4711, Transactions: []api.Transaction{{ID: next, Amount: 100, BookingDate: api.TxTime{Time: uitest.Now}}}})
			}
		})
	}
}
