package transactions

import (
	"strconv"
	"time"

	"konto/api"
	"konto/store/history"
)

// newBookings are the bookings of fresh the history h does not hold yet,
// each once. Only h's newest bookings are compared: a poll's new bookings
// are newer than all but the last ones the history took in.
func newBookings(h *history.History, fresh []api.Transaction) []api.Transaction {
	if len(fresh) == 0 {
		return nil
	}
	ids := make(map[int64]bool, len(fresh))
	for i := range fresh {
		ids[fresh[i].ID] = false
	}
	for i := range min(h.Len(), len(fresh)+prependWindow) {
		if _, ok := ids[h.ID(i)]; ok {
			ids[h.ID(i)] = true
		}
	}
	out := make([]api.Transaction, 0, len(fresh))
	for i := range fresh {
		if !ids[fresh[i].ID] {
			ids[fresh[i].ID] = true // once, if the bank sent it twice
			out = append(out, fresh[i])
		}
	}
	return out
}

// Prepend is h with the bookings of fresh it does not hold yet in front,
// newest first, in O(len(fresh)); h stays as it was (it may be read
// elsewhere at the same time). Only h's newest bookings are compared: a
// poll's new bookings are newer than all but the last ones the history
// took in. Two Prepends of the same bookings to one history (the root's
// and the list's) share their storage.
func Prepend(h *history.History, fresh []api.Transaction) *history.History {
	return h.Prepend(newBookings(h, fresh))
}

// prependWindow is how many of a history's newest bookings Prepend checks
// for a new one it already holds (a sync that took it in first).
const prependWindow = 1000

// appendMonthKeys appends year*12+month in loc of each of the newest k
// bookings of h to keys, oldest first: the list keeps its bookings'
// months by position from the oldest, so new bookings only append. The
// time zone is consulted once per month, not once per booking: while a
// booking falls inside the last month's bounds its key is that month's.
func appendMonthKeys(keys []int32, h *history.History, k int, loc *time.Location) []int32 {
	var lo, hi int64 // the month of key: [lo, hi) in Unix seconds
	var key int32
	for i := k - 1; i >= 0; i-- {
		booked := h.Booked(i)
		u := booked.Unix()
		if i == k-1 || u < lo || u >= hi {
			t := booked.In(loc)
			start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
			lo, hi = start.Unix(), start.AddDate(0, 1, 0).Unix()
			key = int32(t.Year()*12 + int(t.Month()) - 1)
		}
		keys = append(keys, key)
	}
	return keys
}

// monthKeys is year*12+month of each booking of h in loc, in h's order.
func monthKeys(h *history.History, loc *time.Location) []int32 {
	keys := appendMonthKeys(make([]int32, 0, h.Len()), h, h.Len(), loc)
	for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
		keys[i], keys[j] = keys[j], keys[i]
	}
	return keys
}

// monthLabel is "November 2026" for a month key, drawn only when the
// header is in view (no text is made per month when the rows are built).
func monthLabel(key int32) string {
	return time.Month(key%12+1).String() + " " + strconv.Itoa(int(key/12))
}

// runningSums are the running sums of a history's amounts from the
// oldest, kept every sumStep bookings: a balance is a mark and fewer than
// sumStep amounts away, for 8 bytes per sumStep bookings rather than 8 a
// booking (8 MB at a million).
type runningSums struct {
	n     int     // bookings summed, from the oldest
	total int64   // the sum of all n
	marks []int64 // marks[c]: the sum of the oldest (c+1)*sumStep
}

const sumStep = 256

// extend takes in h's newest k bookings, newer than the n summed.
func (s *runningSums) extend(h *history.History, k int) {
	for i := k - 1; i >= 0; i-- {
		s.total += h.Amount(i)
		s.n++
		if s.n%sumStep == 0 {
			s.marks = append(s.marks, s.total)
		}
	}
}

// newest is the sum of the amounts of h's newest i bookings, h being the
// history of the s.n summed.
func (s *runningSums) newest(h *history.History, i int) int64 {
	var sum int64
	if i <= sumStep {
		for j := range i {
			sum += h.Amount(j)
		}
		return sum
	}
	// The total less the oldest n-i: a mark and what follows it.
	older := s.n - i
	c := older / sumStep
	if c > 0 {
		sum = s.marks[c-1]
	}
	for p := c * sumStep; p < older; p++ {
		sum += h.Amount(s.n - 1 - p)
	}
	return s.total - sum
}
