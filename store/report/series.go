package report

import (
	"time"

	"konto/api"
	"konto/store/period"
)

// Bucket is the money of one stretch of a chart: a month, a week, a day.
type Bucket struct {
	Period period.Period `json:"period"`
	In     int64         `json:"in"`
	Out    int64         `json:"out"`
	Count  int           `json:"count"`
}

// Net is In+Out.
func (b Bucket) Net() int64 { return b.In + b.Out }

// Series cuts p into periods of unit (period.Month for the bar chart of a
// year, period.Week or period.Day within a month) and sums txs into them:
// one Bucket per period that overlaps p, in order, empty ones included; the
// first and last may reach beyond p (a week across the month's start) but
// hold only the bookings inside p. p must have both ends (Trailing makes
// one).
func Series(txs []api.Transaction, p period.Period, unit period.Unit, loc *time.Location) []Bucket {
	if loc == nil {
		loc = time.UTC
	}
	if p.OpenStart() || p.OpenEnd() || unit == period.Range {
		return nil
	}
	var out []Bucket
	for b := period.Of(unit, p.From); b.From <= p.To; b = b.Step(1) {
		out = append(out, Bucket{Period: b})
	}
	for i := range txs {
		day := period.DateOf(txs[i].BookingDate.Time, loc)
		if !p.Contains(day) {
			continue
		}
		// Buckets are in order and contiguous: find by binary search.
		lo, hi := 0, len(out)-1
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if out[mid].Period.From <= day {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		b := &out[lo]
		if a := txs[i].Amount; a > 0 {
			b.In += a
		} else {
			b.Out += a
		}
		b.Count++
	}
	return out
}

// Trailing is the n periods of unit up to and including the one holding
// today: Trailing(today, 12, period.Month) is the last twelve months.
func Trailing(today period.Date, n int, unit period.Unit) period.Period {
	last := period.Of(unit, today)
	first := last.Step(-(max(n, 1) - 1))
	return period.Between(first.From, last.To)
}

// BalancesAfter is the account's balance after each of its bookings,
// computed backwards from balance, the account's balance now: txs is the
// account's history newest first, as the bank lists it, and out[i] is the
// balance once txs[i] was booked (out[0] = balance). A filtered list shows
// out[i] at booking i: the account's balance at that point, not a sum of
// what the filter shows. With only the newest bookings loaded, the ones
// there are still right.
func BalancesAfter(txs []api.Transaction, balance int64) []int64 {
	out := make([]int64, len(txs))
	for i := range txs {
		out[i] = balance
		balance -= txs[i].Amount
	}
	return out
}
