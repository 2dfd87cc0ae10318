// Package period names stretches of calendar days as konto's users write
// them: a day, an ISO week, a month, a quarter, a year, the relative names
// (thismonth, lastquarter, ytd…) and ranges of any of them, open at one end
// or not. A Period steps back and forth by its own unit (hledger-ui's
// shift-arrows) and switches unit around the day in view.
//
// Everything is calendar days in the bank's zone, Europe/Berlin: a caller
// turns an instant into a Date with DateOf(t, loc), and a Period into
// instants with Bounds. Nothing here reads the wall clock: the relative
// names are computed from the today a caller passes in, so a test fixes it.
package period

import (
	"fmt"
	"time"
)

// Date is a calendar day, counted in days since 1970-01-01. Days compare
// with < and step with +; a Date has no zone of its own.
type Date int32

// NewDate is the day y-m-d, normalised as time.Date does (the 32nd of
// January is the 1st of February).
func NewDate(y int, m time.Month, d int) Date {
	s := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	days := s / secondsPerDay
	if s%secondsPerDay < 0 {
		days-- // floor for days before 1970
	}
	return Date(days)
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

// The first and last days a Period can name; an open end is one of them.
var (
	MinDate = NewDate(1, time.January, 1)
	MaxDate = NewDate(9999, time.December, 31)
)

// Date returns the year, month and day of the month.
func (d Date) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC().Date()
}

// Weekday is the day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Weekday((int64(d)%7 + 7 + 4) % 7) // 1970-01-01 was a Thursday
}

// Key is the day as the number yyyymmdd (20261125), which orders as the
// days do.
func (d Date) Key() int32 {
	y, m, day := d.Date()
	return int32(y*10000 + int(m)*100 + day)
}

// Time is midnight at the start of the day in loc (nil: UTC). On a day
// the clocks change, midnight still exists in Europe/Berlin (the change
// is at 2 or 3 o'clock).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// String is the ISO day, 2026-11-25.
func (d Date) String() string {
	y, m, day := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// German is the day as the screen writes it, 25.11.2026.
func (d Date) German() string {
	y, m, day := d.Date()
	return fmt.Sprintf("%02d.%02d.%04d", day, m, y)
}

// MarshalText writes the ISO day (JSON and TOML use it).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads an ISO day.
func (d *Date) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return fmt.Errorf("date: %w", err)
	}
	*d = NewDate(t.Date())
	return nil
}

// AddMonths is the same day n months later, clamped to the end of a
// shorter month (31 March plus one month is 30 April).
func (d Date) AddMonths(n int) Date {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	ny, nm, _ := first.Date()
	return NewDate(ny, nm, min(day, daysIn(ny, nm)))
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// isoWeek is the ISO year and week of d (weeks start on Monday; week 1
// holds the year's first Thursday).
func (d Date) isoWeek() (int, int) {
	return d.Time(nil).ISOWeek()
}

// monday is the Monday of d's week.
func (d Date) monday() Date {
	return d - Date((int(d.Weekday())+6)%7)
}
