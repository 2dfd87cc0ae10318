package transactions

import (
	"fmt"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

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
			m.jumpTo(m.rowCount()/2, 1)
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
				if m.list.Cursor() >= m.rowCount()-2 {
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

// BenchmarkPollLongestUpdate is the longest the UI goroutine runs while
// polls each bring one booking (the first one after the history arrived
// included, and every message their Cmds answer with): max-ms is the
// longest Update, first-ms the first poll's (it copies the history once
// into room to grow in), later-max-ms the longest of the others'.
func BenchmarkPollLongestUpdate(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("KONTO_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var longest, first, later time.Duration
			next := int64(50_000_000)
			for b.Loop() {
				b.StopTimer()
				m, _ := loaded(b, n, 200, 40)
				b.StartTimer()
				for poll := range 20 {
					next++
					queue := []tea.Msg{common.BookingsArrivedMsg{AccountID: 4711, Transactions: []api.Transaction{{ID: next, Amount: 100, BookingDate: api.TxTime{Time: uitest.Now}}}}}
					for len(queue) > 0 {
						msg := queue[0]
						queue = queue[1:]
						start := time.Now()
						cmd := m.Update(msg)
						_ = m.View()
						d := time.Since(start)
						longest = max(longest, d)
						if poll == 0 {
							first = max(first, d)
						} else {
							later = max(later, d)
						}
						queue = append(queue, uitest.Collect(cmd)...)
					}
				}
			}
			b.ReportMetric(float64(longest)/1e6, "max-ms")
			b.ReportMetric(float64(first)/1e6, "first-ms")
			b.ReportMetric(float64(later)/1e6, "later-max-ms")
		})
	}
}
