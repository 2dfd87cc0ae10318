package forecast

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"konto/api"
	"konto/store/history"
)

// Recurring bookings are found in the history without any order behind them
// (a salary, a subscription paid by card or direct debit):
//
//   - Bookings are grouped by counterparty (the folded name, or the IBAN
//     when there is no name) and direction (in or out).
//   - A series is a run of a group's bookings, newest last, each at a steady
//     interval from the one before (weekly ±1 day, monthly and quarterly ±3
//     days, every six months ±5, yearly ±7), at least 3 of them, with
//     amounts within ±10 % of the run's median (where older bookings were at
//     another price, the run starts after them). The amount band is taken
//     around each of the group's three newest bookings in turn, so that one
//     odd booking (a one-off purchase from the same shop) does not hide a
//     series; a booking of the band that breaks the rhythm ends the run, so
//     a shop paid at random is no series.
//   - It is still going when its next occurrence is not more than the
//     tolerance overdue today; an overdue one is expected today.
//   - Each next occurrence is the middle one of the last three bookings, each
//     stepped on by whole intervals to it, with the median amount of the last
//     three. The median of three follows a new price after two bookings at it
//     and ignores one odd amount; the last amount alone would carry a one-off
//     into every future month, the median of the whole run would keep an old
//     price for years.
//   - Bookings an order explains are left out, so they are not counted twice:
//     those with the e2eId of one of the account's standing orders, or the
//     IBAN and amount of an active one. So are bookings from another of the
//     user's accounts in the forecast: the sending account's side predicts
//     them and books both sides.

// interval is a rhythm a series may have.
type interval struct {
	name   string // in the item's key and origin
	months int    // 0: every `days` days
	days   int
	tol    int // days either side
}

var intervals = []interval{
	{name: "weekly", days: 7, tol: 1},
	{name: "monthly", months: 1, tol: 3},
	{name: "quarterly", months: 3, tol: 3},
	{name: "half-yearly", months: 6, tol: 5},
	{name: "yearly", months: 12, tol: 7},
}

// minRun is how many bookings make a series.
const minRun = 3

// booking is a history entry reduced to what detection needs; it holds no
// pointers, so a hundred thousand of them cost the garbage collector nothing.
type booking struct {
	day    Date
	idx    int32 // into the history
	amount int64 // signed, as booked
}

// recurrence is a detected series.
type recurrence struct {
	iv     interval
	last3  [3]Date // the days of the run's three newest bookings, oldest first
	amount int64
	since  Date
	name   string // the counterparty as the newest booking spells it
	iban   string // the newest booking's IBAN
	folded string

	newestIdx int32 // into the history
}

// step is the day n intervals after d; months keep the day of the month,
// clamped to the end of a shorter month.
func (iv interval) step(d Date, n int) Date {
	if iv.months == 0 {
		return d + Date(n*iv.days)
	}
	y, m, dom := d.Date()
	return addMonths(y, m, dom, n*iv.months)
}

// cycle is the predicted day of the k-th occurrence after the run: each of
// the three newest bookings stepped on to it, and the middle one of those.
// A booking a few days early or late (a weekend, a month end) moves the
// prediction by nothing, and the day of the month never jumps across a
// month boundary (bookings on 01.07., 02.07. and 30.06. predict 01.07.).
func (r recurrence) cycle(k int) Date {
	var d [3]Date
	for i, b := range r.last3 {
		d[i] = r.iv.step(b, k+2-i)
	}
	slices.Sort(d[:])
	return d[1]
}

// each calls yield with each predicted day after the run up to the day to;
// a day before today (overdue within the tolerance) is reported as today.
func (r recurrence) each(today, to Date, yield func(Date) bool) {
	for k := 1; ; k++ {
		d := r.cycle(k)
		if d < today {
			if int(today-d) > r.iv.tol {
				continue // only possible for the first, and then the series is not still going
			}
			d = today
		}
		if d > to || !yield(d) {
			return
		}
	}
}

// steady reports whether b follows a at the interval.
func (iv interval) steady(a, b Date) bool {
	diff := int(b - iv.step(a, 1))
	return -iv.tol <= diff && diff <= iv.tol
}

// maxCents bounds the amounts compared by percentage (ten trillion euros),
// so that the products below cannot overflow whatever a bank sends.
const maxCents = 1_000_000_000_000_000

// within reports |a - ref| ≤ pct % of |ref|, in integers.
func within(a, ref int64, pct int64) bool {
	a, ref = abs(a), abs(ref)
	if a < 0 || ref < 0 || a > maxCents || ref > maxCents {
		return a == ref // math.MinInt64 has no absolute value; amounts this size are no money
	}
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

// detect finds the series in one account's history. Each booking is looked
// up once by its raw name (the folder gives every counterparty a number), and
// the groups are laid out in one array by counting first, so that 100k
// bookings cost two passes and no growing slices.
func detect(h *history.History, x *explainer, f *folder, z *dayer, today Date) []recurrence {
	slots := make([]int32, h.Len()) // party×2 + direction, or -1
	days := make([]Date, h.Len())
	var counts []int32
	var valuta api.TxTime // read into for each booking, kept by none
	for i := range h.Len() {
		booking := h.Read(i, &valuta)
		tx := &booking
		slots[i] = -1
		if tx.Amount == 0 || tx.BookingDate.IsZero() || x.explains(f, tx) {
			continue
		}
		party := f.party(api.Str(tx.Name))
		if party < 0 {
			if tx.IBAN == nil || *tx.IBAN == "" {
				continue
			}
			party = f.partyOfFolded("iban " + f.iban(*tx.IBAN))
		}
		slot := party * 2
		if tx.Amount > 0 {
			slot++
		}
		for int(slot) >= len(counts) {
			counts = append(counts, 0)
		}
		counts[slot]++
		slots[i], days[i] = slot, z.day(tx.BookingDate.Time)
	}
	offsets := make([]int32, len(counts)+1)
	for i, c := range counts {
		offsets[i+1] = offsets[i] + c
	}
	flat := make([]booking, offsets[len(counts)])
	next := slices.Clone(offsets[:len(counts)])
	for i, slot := range slots {
		if slot < 0 {
			continue
		}
		flat[next[slot]] = booking{day: days[i], idx: int32(i), amount: h.Amount(i)}
		next[slot]++
	}
	var out []recurrence
	for slot, c := range counts {
		if c < minRun {
			continue
		}
		bs := flat[offsets[slot]:offsets[slot+1]]
		sortBookings(bs, h)
		for _, r := range detectGroup(bs, today) {
			r.folded = f.parties[slot/2]
			r.name = h.Text(int(r.newestIdx), history.Name)
			if iban := h.At(int(r.newestIdx)).IBAN; iban != nil {
				r.iban = f.iban(*iban)
			}
			out = append(out, r)
		}
	}
	return out
}

// sortBookings orders by day, then id; a history arrives newest first, so
// reversing it is usually all there is to do.
func sortBookings(bs []booking, h *history.History) {
	if slices.IsSortedFunc(bs, func(a, b booking) int { return int(b.day - a.day) }) {
		slices.Reverse(bs)
		return
	}
	slices.SortFunc(bs, func(a, b booking) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		return cmp.Compare(h.ID(int(a.idx)), h.ID(int(b.idx)))
	})
}

// detectGroup finds at most one series per interval in one group (oldest
// first).
func detectGroup(bs []booking, today Date) []recurrence {
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
				out = append(out, r)
				taken[i] = true
				break
			}
		}
	}
	return out
}

// runOf finds the run at interval iv that ends with the newest booking of
// band, and makes it a series if it is long and steady enough and still
// going. Amounts must lie within ±10 % of the run's median; where older ones
// do not (a price that changed), the run starts later.
func runOf(band []booking, iv interval, today Date) (recurrence, bool) {
	start := len(band) - 1
	for start > 0 && iv.steady(band[start-1].day, band[start].day) {
		start--
	}
	run := band[start:]
	amounts := make([]int64, 0, len(run))
	for ; len(run) >= minRun; run = run[1:] {
		amounts = amounts[:0]
		for _, b := range run {
			amounts = append(amounts, abs(b.amount))
		}
		slices.Sort(amounts)
		med := amounts[len(amounts)/2]
		if within(amounts[0], med, 10) && within(amounts[len(amounts)-1], med, 10) {
			break
		}
	}
	if len(run) < minRun {
		return recurrence{}, false
	}
	last3 := run[len(run)-3:]
	newest := last3[2]
	r := recurrence{
		iv:        iv,
		last3:     [3]Date{last3[0].day, last3[1].day, last3[2].day},
		amount:    median3(last3),
		since:     run[0].day,
		newestIdx: newest.idx,
	}
	if int(today-r.cycle(1)) > iv.tol {
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
