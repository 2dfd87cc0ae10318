package transactions

import (
	"strconv"
	"time"

	"konto/api"
)

// Front is the storage of a newest-first history that grows at its top: the
// history is the tail of a buffer with room before it, so bookings a poll
// brings are written in front of it in place, O(k), and every slice handed
// out before stays valid and unchanged (the room was never part of one).
// Only the newest view of a Front grows in place; any other history given
// to Prepend is copied once into a buffer with room (O(n)). A Front is used
// on the UI goroutine only; its views may be read anywhere.
type Front struct {
	buf   []api.Transaction
	start int // buf[start:] is the newest view
}

// Prepend is history with the bookings of fresh it does not hold yet in
// front, newest first (see the package function Prepend); added is how many.
func (f *Front) Prepend(history, fresh []api.Transaction) (grown []api.Transaction, added int) {
	fresh = newBookings(history, fresh)
	k := len(fresh)
	if k == 0 {
		return history, 0
	}
	if f.isView(history) && f.start >= k {
		f.start -= k
		copy(f.buf[f.start:], fresh)
		return f.buf[f.start:], k
	}
	n := k + len(history)
	room := max(minRoom, n/16)
	f.buf = make([]api.Transaction, room+n)
	f.start = room
	copy(f.buf[room:], fresh)
	copy(f.buf[room+k:], history)
	return f.buf[f.start:], k
}

// minRoom is the least room a Front keeps in front of a history it copies;
// a sixteenth of the history when that is more.
const minRoom = 1024

// isView reports history being the newest view of f.
func (f *Front) isView(history []api.Transaction) bool {
	if len(history) == 0 || f.start >= len(f.buf) || len(history) != len(f.buf)-f.start {
		return false
	}
	return &history[0] == &f.buf[f.start]
}

// newBookings are the bookings of fresh history does not hold yet, each
// once. Only history's newest bookings are compared: a poll's new bookings
// are newer than all but the last ones the history took in.
func newBookings(history, fresh []api.Transaction) []api.Transaction {
	if len(fresh) == 0 {
		return nil
	}
	ids := make(map[int64]bool, len(fresh))
	for i := range fresh {
		ids[fresh[i].ID] = false
	}
	for i := range history[:min(len(history), len(fresh)+prependWindow)] {
		if _, ok := ids[history[i].ID]; ok {
			ids[history[i].ID] = true
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

// Prepend is history with the bookings of fresh it does not hold yet in
// front, newest first, in a new slice (history may be read elsewhere at the
// same time). Only history's newest bookings are compared: a poll's new
// bookings are newer than all but the last ones the history took in.
func Prepend(history, fresh []api.Transaction) []api.Transaction {
	out := newBookings(history, fresh)
	if len(out) == 0 {
		return history
	}
	return append(out, history...)
}

// prependWindow is how many of a history's newest bookings Prepend checks
// for a new one it already holds (a sync that took it in first).
const prependWindow = 1000

// appendMonthKeys appends year*12+month in loc of each booking of txs
// (newest first) to keys, oldest first: the list keeps its bookings'
// months by position from the oldest, so new bookings only append. The
// time zone is consulted once per month, not once per booking: while a
// booking falls inside the last month's bounds its key is that month's.
func appendMonthKeys(keys []int32, txs []api.Transaction, loc *time.Location) []int32 {
	var lo, hi int64 // the month of key: [lo, hi) in Unix seconds
	var key int32
	for i := len(txs) - 1; i >= 0; i-- {
		u := txs[i].BookingDate.Unix()
		if i == len(txs)-1 || u < lo || u >= hi {
			t := txs[i].BookingDate.In(loc)
			start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
			lo, hi = start.Unix(), start.AddDate(0, 1, 0).Unix()
			key = int32(t.Year()*12 + int(t.Month()) - 1)
		}
		keys = append(keys, key)
	}
	return keys
}

// monthKeys is year*12+month of each booking of txs in loc, in txs' order.
func monthKeys(txs []api.Transaction, loc *time.Location) []int32 {
	keys := appendMonthKeys(make([]int32, 0, len(txs)), txs, loc)
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

// appendRunningSums appends to sums (the running sums of the amounts of
// the bookings older than txs, from the oldest) those of txs (newest first).
func appendRunningSums(sums []int64, txs []api.Transaction) []int64 {
	var sum int64
	if len(sums) > 0 {
		sum = sums[len(sums)-1]
	}
	for i := len(txs) - 1; i >= 0; i-- {
		sum += txs[i].Amount
		sums = append(sums, sum)
	}
	return sums
}
