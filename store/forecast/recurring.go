package forecast

import (
	"slices"
	"strconv"
	"time"

	"konto/api"
)

// Recurring bookings are found in the history without any order behind them
// (a salary, a subscription paid by card or direct debit):
//
//   - Bookings are grouped by counterparty (the folded name, or the IBAN
//     when there is no name) and direction (in or out).
//   - A series is a run of a group's bookings, newest last, each at a steady
//     interval from the one before (weekly ±1 day, monthly and quarterly ±3
//     days, every six months ±5, yearly ±7) with amounts within ±10 % of
//     the run's median, at least 3 of them. The amount band is taken around
//     each of the group's three newest bookings in turn, so that a price
//     change is followed once the new price has run three times and one odd
//     booking (a one-off purchase from the same shop) does not hide a series.
//     A booking of the band that breaks the rhythm ends the run: a shop paid
//     at random is no series.
//   - It is still going when its next occurrence is not more than the
//     tolerance overdue today; an overdue one is expected today.
//   - The next occurrences fall on the median day of the month of the last
//     three (for a weekly series: every seven days from the last), with the
//     median amount of the last three. The median of three follows a new
//     price after two bookings and ignores one odd amount; the last amount
//     alone would carry a one-off into every future month, the median of the
//     whole run would keep an old price for years.
//   - Bookings an order explains are left out, so they are not counted twice:
//     those with the e2eId of one of the account's standing orders, or the
//     IBAN and amount of an active one. So are bookings from another of the
//     user's accounts in the forecast: the sending account's side predicts
//     them and books both sides.

// interval is a rhythm a series may have.
type interval struct {
	name    string // in the item's key and origin
	months  int    // 0: every `days` days
	days    int    // the shortest length of one interval
	tol     int    // days either side
	minStep int    // a prediction closer than this to the last booking is the same occurrence
}

var intervals = []interval{
	{name: "weekly", days: 7, tol: 1, minStep: 5},
	{name: "monthly", months: 1, days: 28, tol: 3, minStep: 22},
	{name: "quarterly", months: 3, days: 89, tol: 3, minStep: 83},
	{name: "half-yearly", months: 6, days: 181, tol: 5, minStep: 171},
	{name: "yearly", months: 12, days: 365, tol: 7, minStep: 351},
}

// minRun is how many bookings make a series.
const minRun = 3

// booking is a history entry reduced to what detection needs.
type booking struct {
	day    Date
	amount int64 // signed, as booked
	name   string
	iban   string // normalised, "" if none
	id     int64
}

// recurrence is a detected series.
type recurrence struct {
	iv     interval
	last   Date // the newest booking of the run
	dom    int  // the day of the month of the next occurrences
	amount int64
	since  Date
	name   string // the counterparty as the newest booking spells it
	iban   string // the newest booking's IBAN
	folded string
}

// next calls yield with each predicted day from the first one after the run
// up to the day to; a day before today (overdue within the tolerance) is
// reported as today.
func (r recurrence) each(today, to Date, yield func(Date) bool) {
	y, m, _ := r.last.Date()
	for k := 1; ; k++ {
		var d Date
		if r.iv.months == 0 {
			d = r.last + Date(k*r.iv.days)
		} else {
			d = addMonths(y, m, r.dom, k*r.iv.months)
		}
		if int(d-r.last) < r.iv.minStep {
			continue
		}
		if d < today {
			if int(today-d) > r.iv.tol {
				continue // cannot happen for a series still going
			}
			d = today
		}
		if d > to || !yield(d) {
			return
		}
	}
}

// expected is the first predicted day after the run, before the overdue rule.
func (r recurrence) expected() Date {
	y, m, _ := r.last.Date()
	for k := 1; ; k++ {
		var d Date
		if r.iv.months == 0 {
			d = r.last + Date(k*r.iv.days)
		} else {
			d = addMonths(y, m, r.dom, k*r.iv.months)
		}
		if int(d-r.last) >= r.iv.minStep {
			return d
		}
	}
}

// steady reports whether b follows a at the interval.
func (iv interval) steady(a, b Date) bool {
	var want Date
	if iv.months == 0 {
		want = a + Date(iv.days)
	} else {
		y, m, d := a.Date()
		want = addMonths(y, m, d, iv.months)
	}
	diff := int(b - want)
	return -iv.tol <= diff && diff <= iv.tol
}

// within reports |a - ref| ≤ pct % of |ref|, in integers.
func within(a, ref int64, pct int64) bool {
	a, ref = abs(a), abs(ref)
	diff := a - ref
	if diff < 0 {
		diff = -diff
	}
	return diff*100 <= ref*pct
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// median3 is the median of the signed amounts of up to three bookings.
func median3(bs []booking) int64 {
	a := make([]int64, 0, 3)
	for _, b := range bs {
		a = append(a, b.amount)
	}
	slices.Sort(a)
	return a[len(a)/2]
}

// groupKey is a counterparty and a direction.
type groupKey struct {
	party string
	in    bool
}

// explainer knows an account's orders, to leave out the bookings they made.
type explainer struct {
	e2e        map[string]bool     // every standing order's e2eId
	ibanAmount map[ibanAmount]bool // active orders: IBAN and amount (positive, going out)
	own        map[string]bool     // IBANs of the user's other accounts in the forecast
}

type ibanAmount struct {
	iban   string
	amount int64
}

func (x *explainer) explains(f *folder, tx *api.Transaction) bool {
	if tx.E2EID != nil && *tx.E2EID != "" && x.e2e[*tx.E2EID] {
		return true
	}
	if tx.IBAN == nil || *tx.IBAN == "" {
		return false
	}
	iban := f.iban(*tx.IBAN)
	if tx.Amount > 0 && x.own[iban] {
		return true
	}
	return tx.Amount < 0 && x.ibanAmount[ibanAmount{iban, -tx.Amount}]
}

// detect finds the series in one account's history.
func detect(history []api.Transaction, x *explainer, f *folder, z *dayer, today Date) []recurrence {
	groups := map[groupKey][]booking{}
	for i := range history {
		tx := &history[i]
		if tx.Amount == 0 || tx.BookingDate.IsZero() || x.explains(f, tx) {
			continue
		}
		name, iban := api.Str(tx.Name), ""
		if tx.IBAN != nil && *tx.IBAN != "" {
			iban = f.iban(*tx.IBAN)
		}
		party := f.name(name)
		if party == "" {
			if iban == "" {
				continue
			}
			party = "iban " + iban
		}
		k := groupKey{party: party, in: tx.Amount > 0}
		groups[k] = append(groups[k], booking{day: z.day(tx.BookingDate.Time), amount: tx.Amount, name: name, iban: iban, id: tx.ID})
	}
	var out []recurrence
	for k, bs := range groups {
		if len(bs) < minRun {
			continue
		}
		sortBookings(bs)
		out = append(out, detectGroup(k.party, bs, today)...)
	}
	return out
}

// sortBookings orders by day, then id; a history arrives newest first, so
// reversing it is usually all there is to do.
func sortBookings(bs []booking) {
	less := func(a, b booking) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		return int(a.id - b.id)
	}
	if slices.IsSortedFunc(bs, func(a, b booking) int { return less(b, a) }) {
		slices.Reverse(bs)
		return
	}
	slices.SortFunc(bs, less)
}

// detectGroup finds at most one series per interval in one group (oldest
// first).
func detectGroup(party string, bs []booking, today Date) []recurrence {
	var out []recurrence
	var taken [8]bool // by index into intervals
	band := make([]booking, 0, len(bs))
	tried := make([]int64, 0, 3)
	for ref := len(bs) - 1; ref >= 0 && ref >= len(bs)-3; ref-- {
		refAmount := bs[ref].amount
		if slices.Contains(tried, refAmount) {
			continue
		}
		tried = append(tried, refAmount)
		band = band[:0]
		for _, b := range bs {
			if within(b.amount, refAmount, 10) {
				band = append(band, b)
			}
		}
		if len(band) < minRun {
			continue
		}
		for i, iv := range intervals {
			if taken[i] {
				continue
			}
			if r, ok := runOf(band, iv, today); ok {
				r.folded = party
				out = append(out, r)
				taken[i] = true
				break
			}
		}
	}
	return out
}

// runOf finds the run at interval iv that ends with the newest booking of
// band, and makes it a series if it is long and steady enough and still going.
func runOf(band []booking, iv interval, today Date) (recurrence, bool) {
	n := len(band)
	start := n - 1
	for start > 0 && iv.steady(band[start-1].day, band[start].day) {
		start--
	}
	run := band[start:]
	if len(run) < minRun {
		return recurrence{}, false
	}
	amounts := make([]int64, len(run))
	for i, b := range run {
		amounts[i] = abs(b.amount)
	}
	slices.Sort(amounts)
	med := amounts[len(amounts)/2]
	for _, a := range amounts {
		if !within(a, med, 10) {
			return recurrence{}, false
		}
	}
	last3 := run[max(0, len(run)-3):]
	doms := make([]int, 0, 3)
	for _, b := range last3 {
		_, _, d := b.day.Date()
		doms = append(doms, d)
	}
	slices.Sort(doms)
	newest := run[len(run)-1]
	r := recurrence{
		iv:     iv,
		last:   newest.day,
		dom:    doms[len(doms)/2],
		amount: median3(last3),
		since:  run[0].day,
		name:   newest.name,
		iban:   newest.iban,
	}
	if int(today-r.expected()) > iv.tol {
		return recurrence{}, false // stopped
	}
	return r, true
}

// recurringKey is a series' stable key: the account, the folded
// counterparty, the direction and the interval; none of them changes when
// the next booking arrives.
func recurringKey(account int64, r recurrence, in bool) string {
	dir := "out"
	if in {
		dir = "in"
	}
	return "recurring:" + strconv.FormatInt(account, 10) + ":" + r.folded + ":" + dir + ":" + r.iv.name
}

// sinceText is the month a series was first seen, 03/2026.
func sinceText(d Date) string {
	y, m, _ := d.Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format("01/2006")
}
