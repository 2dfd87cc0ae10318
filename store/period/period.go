package period

import (
	"fmt"
	"time"
)

// Unit is what a Period was named as, and what it steps by.
type Unit int

// The units. Range is a stretch of days named by its ends (2026-11-03..
// 2026-12-15, ytd); it steps by its own length.
const (
	Range Unit = iota
	Day
	Week
	Month
	Quarter
	Year
)

var unitNames = [...]string{Range: "range", Day: "day", Week: "week", Month: "month", Quarter: "quarter", Year: "year"}

func (u Unit) String() string {
	if u >= 0 && int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// Period is the calendar days From to To, both included. An open start is
// MinDate, an open end MaxDate; All is both.
type Period struct {
	From, To Date
	Unit     Unit
}

// All is every day: the period of no date condition.
var All = Period{From: MinDate, To: MaxDate}

// Of is the period of unit u that holds day d (Range: the day alone).
func Of(u Unit, d Date) Period {
	y, m, _ := d.Date()
	switch u {
	case Day:
		return Period{d, d, Day}
	case Week:
		mon := d.monday()
		return Period{mon, mon + 6, Week}
	case Month:
		first := NewDate(y, m, 1)
		return Period{first, first.AddMonths(1) - 1, Month}
	case Quarter:
		first := NewDate(y, (m-1)/3*3+1, 1)
		return Period{first, first.AddMonths(3) - 1, Quarter}
	case Year:
		return Period{NewDate(y, time.January, 1), NewDate(y, time.December, 31), Year}
	}
	return Period{d, d, Range}
}

// Between is the range from..to (swapped if backwards), named as a unit
// when it is exactly one (2026-11-01..2026-11-30 is November 2026).
func Between(from, to Date) Period {
	if from > to {
		from, to = to, from
	}
	for _, u := range []Unit{Year, Quarter, Month, Week, Day} {
		if p := Of(u, from); p.From == from && p.To == to {
			return p
		}
	}
	return Period{from, to, Range}
}

// OpenStart and OpenEnd report an end of the period that is not bounded.
func (p Period) OpenStart() bool { return p.From <= MinDate }
func (p Period) OpenEnd() bool   { return p.To >= MaxDate }

// Contains reports whether day d is in the period.
func (p Period) Contains(d Date) bool { return p.From <= d && d <= p.To }

// Days is the number of days in the period.
func (p Period) Days() int { return int(p.To-p.From) + 1 }

// Bounds is the period as instants in loc: start is midnight at the start
// of From, end midnight at the end of To (exclusive), so an instant t is in
// the period when !t.Before(start) && t.Before(end). On the days the
// clocks change the day is 23 or 25 hours long, and so is the span.
func (p Period) Bounds(loc *time.Location) (start, end time.Time) {
	return p.From.Time(loc), (p.To + 1).Time(loc)
}

// Step is the period n of its units later (n < 0: earlier): the next
// month of a month, the previous quarter of a quarter. A range moves by
// its own length; a range open at an end does not move.
func (p Period) Step(n int) Period {
	switch p.Unit {
	case Day:
		return Of(Day, p.From+Date(n))
	case Week:
		return Of(Week, p.From+Date(7*n))
	case Month:
		return Of(Month, p.From.AddMonths(n))
	case Quarter:
		return Of(Quarter, p.From.AddMonths(3*n))
	case Year:
		return Of(Year, p.From.AddMonths(12*n))
	}
	if p.OpenStart() || p.OpenEnd() {
		return p
	}
	shift := Date(p.Days() * n)
	from, to := p.From+shift, p.To+shift
	if from < MinDate || to > MaxDate {
		return p
	}
	return Period{from, to, Range}
}

// WithUnit is the period of unit u around the day in view: today if the
// period holds it, else its first day (its last one if the start is open).
// It is what switching between month, quarter and year does.
func (p Period) WithUnit(u Unit, today Date) Period {
	anchor := p.From
	switch {
	case p.Contains(today):
		anchor = today
	case p.OpenStart():
		anchor = p.To
	}
	if u == Range {
		return p
	}
	return Of(u, anchor)
}

var monthNames = [...]string{"", "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// Label names the period for a header: "November 2026", "Q4 2026",
// "2026", "Week 48, 2026", "25.11.2026", "01.11.2026 – 15.12.2026",
// "from 01.11.2026", "until 31.01.2026", "all time".
func (p Period) Label() string {
	y, m, _ := p.From.Date()
	switch p.Unit {
	case Day:
		return p.From.German()
	case Week:
		wy, w := p.From.isoWeek()
		return fmt.Sprintf("Week %d, %d", w, wy)
	case Month:
		return fmt.Sprintf("%s %d", monthNames[m], y)
	case Quarter:
		return fmt.Sprintf("Q%d %d", (int(m)-1)/3+1, y)
	case Year:
		return fmt.Sprintf("%d", y)
	}
	switch {
	case p.OpenStart() && p.OpenEnd():
		return "all time"
	case p.OpenStart():
		return "until " + p.To.German()
	case p.OpenEnd():
		return "from " + p.From.German()
	case p.From == p.To:
		return p.From.German()
	}
	return p.From.German() + " – " + p.To.German()
}

// String is the period in the syntax Parse reads, independent of today:
// 2026-11-25, 2026-W48, 2026-11, 2026-Q4, 2026, 2026-11-01..2026-12-15,
// 2026-11-01.., ..2026-01-31, "..".
func (p Period) String() string {
	y, m, _ := p.From.Date()
	switch p.Unit {
	case Day:
		return p.From.String()
	case Week:
		wy, w := p.From.isoWeek()
		return fmt.Sprintf("%04d-W%02d", wy, w)
	case Month:
		return fmt.Sprintf("%04d-%02d", y, m)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", y, (int(m)-1)/3+1)
	case Year:
		return fmt.Sprintf("%04d", y)
	}
	from, to := p.From.String(), p.To.String()
	if p.OpenStart() {
		from = ""
	}
	if p.OpenEnd() {
		to = ""
	}
	return from + ".." + to
}

// MarshalText writes String (JSON and TOML use it).
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
