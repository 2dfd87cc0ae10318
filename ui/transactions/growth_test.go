package transactions

import (
	"fmt"
	"testing"

	"konto/store/history"
	"konto/ui/uitest"
)

// The balance after each booking, from marks every sumStep bookings,
// is the plain running sum's, for histories that grew in steps across
// the marks.
func TestRunningSumsAreTheRunningSums(t *testing.T) {
	all := uitest.Generate(3*sumStep+17, 1) // newest first
	for _, step := range []int{1, 7, sumStep, sumStep + 1, len(all)} {
		t.Run(fmt.Sprint(step), func(t *testing.T) {
			var s runningSums
			var h *history.History
			for at := len(all); at > 0; {
				k := min(step, at)
				h = h.Prepend(all[at-k : at])
				s.extend(h, k)
				at -= k
				for i := range h.Len() + 1 {
					var want int64
					for j := range i {
						want += h.Amount(j)
					}
					if got := s.newest(h, i); got != want {
						t.Fatalf("%d bookings: the newest %d sum to %d, want %d", h.Len(), i, got, want)
					}
				}
			}
		})
	}
}
