package forecast

import (
	"fmt"
	"time"
)

// Date is a calendar day in the bank's time zone, counted in days since
// 1970-01-01. Days compare with < and step with +; a Date has no time zone of
// its own: DateOf converts an instant in the zone the caller names.
type Date int32

// NewDate is the calendar day y-m-d, normalised as time.Date does (the 32nd
// of January is the 1st of February).
func NewDate(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// DateOf is the calendar day of the instant t in loc (nil: UTC).
func DateOf(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

const secondsPerDay = 24 * 60 * 60

// Date returns the day's year, month and day of the month.
func (d Date) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Date()
}

// Time is midnight of the day in loc (nil: UTC), for formatting in the view.
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// String is the ISO day, 2026-12-04.
func (d Date) String() string {
	y, m, day := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// MarshalJSON writes the ISO day as a JSON string.
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads an ISO day ("2026-12-04").
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date: want a string such as \"2026-12-04\", got %s", b)
	}
	t, err := time.Parse(time.DateOnly, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("date: %w", err)
	}
	*d = NewDate(t.Date())
	return nil
}

// short is the day as lists show it, 01.12.; full adds the year, 01.12.2026.
func (d Date) short() string {
	_, m, day := d.Date()
	return fmt.Sprintf("%02d.%02d.", day, m)
}

func (d Date) full() string {
	y, m, day := d.Date()
	return fmt.Sprintf("%02d.%02d.%04d", day, m, y)
}

// daysIn is the number of days of a month.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// addMonths steps whole months from (y, m) and puts the day dom there,
// clamped to the end of a shorter month: the 31st is the 30th in April and
// the 28th or 29th in February, as the bank runs its orders.
func addMonths(y int, m time.Month, dom, months int) Date {
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	ny, nm, _ := first.Date()
	return NewDate(ny, nm, min(dom, daysIn(ny, nm)))
}

// dayer converts many instants to days in one zone without a zone lookup for
// each: it remembers the offset of the zone period the last instant fell in
// (history is read in time order, so nearly every instant hits it).
type dayer struct {
	loc        *time.Location
	start, end int64 // the remembered period, unix seconds [start, end)
	offset     int64
}

func newDayer(loc *time.Location) *dayer {
	if loc == nil {
		loc = time.UTC
	}
	return &dayer{loc: loc, start: 1, end: 0}
}

func (z *dayer) day(t time.Time) Date {
	s := t.Unix()
	if s < z.start || s >= z.end {
		_, off := t.In(z.loc).Zone()
		start, end := t.In(z.loc).ZoneBounds()
		z.offset = int64(off)
		z.start, z.end = minUnix, maxUnix
		if !start.IsZero() {
			z.start = start.Unix()
		}
		if !end.IsZero() {
			z.end = end.Unix()
		}
	}
	local := s + z.offset
	days := local / secondsPerDay
	if local%secondsPerDay < 0 {
		days-- // floor for instants before 1970
	}
	return Date(days)
}

const (
	minUnix = -1 << 62
	maxUnix = 1 << 62
)
