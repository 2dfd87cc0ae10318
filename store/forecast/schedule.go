package forecast

import (
	"strings"
	"time"

	"konto/api"
	"konto/api/sepa"
)

// How the bank runs orders (api/sandbox/schedule.go is the reference, and the
// tests check this package against it):
//
//   - A standing order's occurrences are its first execution day plus whole
//     intervals, each on the first day's day of the month clamped to the end
//     of a shorter month (an order on the 31st runs on the 30th in April, on
//     the 28th or 29th in February, and on the 31st again in May). The bank
//     works on the UTC calendar date of the first execution date and books at
//     00:00 UTC of each occurrence, so nextOccurrence reads
//     2019-08-27T00:00:00.000+00:00: the 27th, which is the 27th in Berlin
//     too (01:00 or 02:00 there). The forecast steps the UTC date the wire
//     shows, as the bank does, and puts each booking on its day in the
//     caller's zone.
//   - An occurrence runs while it is not after lastExecutionDate, compared
//     as instants (the bank keeps the date as given).
//   - The list carries only nextOccurrence, not the first execution day, so
//     a next occurrence on the 30th of April may belong to an order on the
//     30th or on the 31st. The order's own past bookings (the bank books
//     them with the order's e2eId) tell which; without them the day of
//     nextOccurrence is taken as the order's day.
//   - A timed order books once, at its date (noon UTC of the day asked for).
//   - The forecast does not model a refusal for insufficient funds: it shows
//     the balance going below zero, which is what the user must see.

// monthsOf is the interval of a standing order; 0 for a reoccurrence the
// API does not document.
func monthsOf(reoccurrence string) int {
	switch reoccurrence {
	case api.Monthly:
		return 1
	case api.Quarterly:
		return 3
	case api.EverySixMonths:
		return 6
	case api.Annually:
		return 12
	}
	return 0
}

// intervalName is a standing order's interval in words.
func intervalName(reoccurrence string) string {
	switch reoccurrence {
	case api.Monthly:
		return "monthly"
	case api.Quarterly:
		return "quarterly"
	case api.EverySixMonths:
		return "every six months"
	case api.Annually:
		return "yearly"
	}
	return strings.ToLower(reoccurrence)
}

func normIBAN(s string) string { return sepa.NormalizeIBAN(s) }

// standingSchedule is when an active standing order will book.
type standingSchedule struct {
	next   time.Time  // UTC; the first occurrence still to come
	dom    int        // the order's day of the month
	months int        // 0: only next is known
	last   *time.Time // lastExecutionDate, nil for none
}

// newStandingSchedule reads an order as listed; ok is false for an order
// that will not book again (not ACTIVE, no next occurrence). pastDays are
// the UTC days of the month of the order's earlier bookings, if known.
func newStandingSchedule(o api.StandingOrder, pastDays []int) (standingSchedule, bool) {
	if !strings.EqualFold(o.Status, api.StatusActive) || o.NextOccurrence == nil || o.NextOccurrence.IsZero() {
		return standingSchedule{}, false
	}
	next := o.NextOccurrence.UTC()
	s := standingSchedule{next: next, dom: next.Day(), months: monthsOf(o.Reoccurrence)}
	if o.LastExecutionDate != nil && !o.LastExecutionDate.IsZero() {
		last := o.LastExecutionDate.UTC()
		s.last = &last
	}
	// Only a next occurrence on the last day of its month can hide a later
	// day of the order (31st → 30th); an earlier booking on a later day of
	// the month shows it.
	if s.months > 0 && next.Day() == daysIn(next.Year(), next.Month()) {
		for _, d := range pastDays {
			s.dom = max(s.dom, min(d, 31))
		}
	}
	return s, true
}

// scheduleFromRequest is the schedule a new standing order will have: the
// bank takes the UTC day of firstExecutionDate as its first occurrence.
func scheduleFromRequest(first time.Time, reoccurrence string, last *time.Time) standingSchedule {
	y, m, d := first.UTC().Date()
	next := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	s := standingSchedule{next: next, dom: d, months: monthsOf(reoccurrence)}
	if last != nil && !last.IsZero() {
		l := last.UTC()
		s.last = &l
	}
	return s
}

// each calls yield with the day (in loc) of every occurrence from about the
// day from (a few before it may come too; callers drop them) up to and
// including the day to, in order, until yield returns false. It starts near
// from rather than at the next occurrence, so a next occurrence a bank lists
// in year 1 costs no walk through two thousand years.
func (s standingSchedule) each(loc *time.Location, from, to Date, yield func(Date) bool) {
	y, m, _ := s.next.Date()
	h, mi, sec := s.next.Clock()
	k0 := 0
	if fy, fm, _ := from.Date(); s.months > 0 {
		k0 = max(0, ((fy-y)*12+int(fm)-int(m))/s.months-1)
	}
	for k := k0; ; k++ {
		if s.months == 0 && k > 0 {
			return
		}
		first := time.Date(y, m+time.Month(k*s.months), 1, 0, 0, 0, 0, time.UTC)
		at := time.Date(first.Year(), first.Month(), min(s.dom, daysIn(first.Year(), first.Month())), h, mi, sec, s.next.Nanosecond(), time.UTC)
		if s.last != nil && at.After(*s.last) {
			return
		}
		d := DateOf(at, loc)
		if d > to || !yield(d) {
			return
		}
	}
}

// timedDay is the day (in loc) a listed timed order books.
func timedDay(o api.TimedOrderListItem, loc *time.Location) (Date, bool) {
	if o.Date.IsZero() || (o.Status != "" && !strings.EqualFold(o.Status, api.StatusScheduled)) {
		return 0, false
	}
	return DateOf(o.Date.Time, loc), true
}

// timedAmount is what a timed order takes from the account: the list
// shows it negative; a positive one is read as the same money going out.
func timedAmount(o api.TimedOrderListItem) int64 {
	if o.Amount > 0 {
		return -o.Amount
	}
	return o.Amount
}

// timedRequestDay is the day a new timed order will book: the bank executes
// at noon UTC of the UTC day asked for.
func timedRequestDay(date time.Time, loc *time.Location) Date {
	y, m, d := date.UTC().Date()
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC), loc)
}
