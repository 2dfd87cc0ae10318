package period

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on any machine
)

func d(s string) Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return NewDate(t.Date())
}

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDate(t *testing.T) {
	if got := NewDate(1970, 1, 1); got != 0 {
		t.Errorf("1970-01-01 = %d", got)
	}
	for _, s := range []string{"0001-01-01", "1969-12-31", "2024-02-29", "2026-12-31", "9999-12-31"} {
		if got := d(s).String(); got != s {
			t.Errorf("%s round-trips as %s", s, got)
		}
	}
	if got := NewDate(2026, 2, 29); got.String() != "2026-03-01" {
		t.Errorf("29 Feb 2026 normalises to %s", got)
	}
	if wd := d("2026-11-25").Weekday(); wd != time.Wednesday {
		t.Errorf("2026-11-25 is a %s", wd)
	}
	if wd := d("1969-12-29").Weekday(); wd != time.Monday {
		t.Errorf("1969-12-29 is a %s", wd)
	}
	if k := d("2026-11-05").Key(); k != 20261105 {
		t.Errorf("Key = %d", k)
	}
	for from, want := range map[string]string{
		"2026-01-31": "2026-02-28", "2024-01-31": "2024-02-29", "2026-03-31": "2026-04-30",
		"2026-12-15": "2027-01-15", "2024-02-29": "2024-03-29",
	} {
		if got := d(from).AddMonths(1).String(); got != want {
			t.Errorf("%s + 1 month = %s, want %s", from, got, want)
		}
	}
	if got := d("2024-02-29").AddMonths(12).String(); got != "2025-02-28" {
		t.Errorf("29 Feb 2024 + 12 months = %s", got)
	}
}

// Booking instants near midnight fall on the Berlin day, also on the days
// the clocks change.
func TestDateOfInBerlin(t *testing.T) {
	loc := berlin(t)
	cases := map[string]string{
		"2025-12-31T22:59:59Z": "2025-12-31",
		"2025-12-31T23:00:00Z": "2026-01-01",
		"2026-03-28T23:30:00Z": "2026-03-29", // CET: 00:30 on the day summer time starts
		"2026-03-29T21:59:59Z": "2026-03-29", // CEST: 23:59:59
		"2026-03-29T22:00:00Z": "2026-03-30",
		"2026-10-24T22:00:00Z": "2026-10-25", // CEST midnight, the day summer time ends
		"2026-10-25T22:59:59Z": "2026-10-25", // CET 23:59:59, a 25-hour day
		"2026-10-25T23:00:00Z": "2026-10-26",
	}
	for in, want := range cases {
		tm, _ := time.Parse(time.RFC3339, in)
		if got := DateOf(tm, loc).String(); got != want {
			t.Errorf("DateOf(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestBoundsOnClockChanges(t *testing.T) {
	loc := berlin(t)
	for day, hours := range map[string]float64{"2026-03-29": 23, "2026-10-25": 25, "2026-11-25": 24} {
		start, end := Of(Day, d(day)).Bounds(loc)
		if got := end.Sub(start).Hours(); got != hours {
			t.Errorf("%s lasts %vh, want %vh", day, got, hours)
		}
		if DateOf(start, loc) != d(day) || DateOf(end.Add(-time.Nanosecond), loc) != d(day) {
			t.Errorf("%s: bounds %v..%v", day, start, end)
		}
	}
	start, end := Of(Month, d("2026-03-10")).Bounds(loc)
	if start.Format(time.RFC3339) != "2026-03-01T00:00:00+01:00" || end.Format(time.RFC3339) != "2026-04-01T00:00:00+02:00" {
		t.Errorf("March 2026 = %v..%v", start, end)
	}
}

func TestParse(t *testing.T) {
	type want struct {
		from, to string
		unit     Unit
	}
	cases := []struct {
		today string
		in    string
		want  want
	}{
		{"2026-11-25", "today", want{"2026-11-25", "2026-11-25", Day}},
		{"2026-11-25", " TODAY ", want{"2026-11-25", "2026-11-25", Day}},
		{"2027-01-01", "yesterday", want{"2026-12-31", "2026-12-31", Day}},
		{"2024-03-01", "yesterday", want{"2024-02-29", "2024-02-29", Day}},
		{"2026-12-31", "tomorrow", want{"2027-01-01", "2027-01-01", Day}},
		{"2026-11-25", "thisweek", want{"2026-11-23", "2026-11-29", Week}},
		{"2026-11-23", "thisweek", want{"2026-11-23", "2026-11-29", Week}}, // a Monday
		{"2026-11-29", "thisweek", want{"2026-11-23", "2026-11-29", Week}}, // a Sunday
		{"2027-01-01", "thisweek", want{"2026-12-28", "2027-01-03", Week}},
		{"2027-01-01", "lastweek", want{"2026-12-21", "2026-12-27", Week}},
		{"2026-11-25", "thismonth", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-11-25", "this-month", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-11-25", "last month", want{"2026-10-01", "2026-10-31", Month}},
		{"2026-11-25", "Last_Month", want{"2026-10-01", "2026-10-31", Month}},
		{"2026-03-31", "lastmonth", want{"2026-02-01", "2026-02-28", Month}},
		{"2024-03-31", "lastmonth", want{"2024-02-01", "2024-02-29", Month}},
		{"2024-02-29", "thismonth", want{"2024-02-01", "2024-02-29", Month}},
		{"2027-01-01", "lastmonth", want{"2026-12-01", "2026-12-31", Month}},
		{"2026-12-31", "lastmonth", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-12-31", "nextmonth", want{"2027-01-01", "2027-01-31", Month}},
		{"2026-11-25", "thisquarter", want{"2026-10-01", "2026-12-31", Quarter}},
		{"2026-01-01", "lastquarter", want{"2025-10-01", "2025-12-31", Quarter}},
		{"2026-03-31", "thisquarter", want{"2026-01-01", "2026-03-31", Quarter}},
		{"2026-04-01", "lastquarter", want{"2026-01-01", "2026-03-31", Quarter}},
		{"2026-12-31", "thisyear", want{"2026-01-01", "2026-12-31", Year}},
		{"2027-01-01", "lastyear", want{"2026-01-01", "2026-12-31", Year}},
		{"2024-02-29", "lastyear", want{"2023-01-01", "2023-12-31", Year}},
		{"2026-11-25", "ytd", want{"2026-01-01", "2026-11-25", Range}},
		{"2026-01-01", "ytd", want{"2026-01-01", "2026-01-01", Day}},
		{"2026-12-31", "ytd", want{"2026-01-01", "2026-12-31", Year}},
		{"2026-11-25", "mtd", want{"2026-11-01", "2026-11-25", Range}},
		{"2026-11-25", "qtd", want{"2026-10-01", "2026-11-25", Range}},
		{"2026-11-25", "q3", want{"2026-07-01", "2026-09-30", Quarter}},
		{"2026-11-25", "november", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-11-25", "März", want{"2026-03-01", "2026-03-31", Month}},
		{"2024-11-25", "feb", want{"2024-02-01", "2024-02-29", Month}},
		{"2026-11-25", "2026", want{"2026-01-01", "2026-12-31", Year}},
		{"2026-11-25", "2026-11", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-11-25", "2026/02", want{"2026-02-01", "2026-02-28", Month}},
		{"2026-11-25", "2024-02-29", want{"2024-02-29", "2024-02-29", Day}},
		{"2026-11-25", "20261125", want{"2026-11-25", "2026-11-25", Day}},
		{"2026-11-25", "2026-Q3", want{"2026-07-01", "2026-09-30", Quarter}},
		{"2026-11-25", "2026q4", want{"2026-10-01", "2026-12-31", Quarter}},
		{"2026-11-25", "2026-W48", want{"2026-11-23", "2026-11-29", Week}},
		{"2026-11-25", "2026-W53", want{"2026-12-28", "2027-01-03", Week}},
		{"2026-11-25", "2026-W01", want{"2025-12-29", "2026-01-04", Week}},
		{"2026-11-25", "20.11.2026", want{"2026-11-20", "2026-11-20", Day}},
		{"2026-11-25", "1.2.2026", want{"2026-02-01", "2026-02-01", Day}},
		{"2026-11-25", "29.02.2024", want{"2024-02-29", "2024-02-29", Day}},
		{"2026-11-25", "20.11.", want{"2026-11-20", "2026-11-20", Day}},
		{"2026-11-25", "20.11", want{"2026-11-20", "2026-11-20", Day}},
		{"2026-11-25", "11.2026", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-11-25", "2026-11..", want{"2026-11-01", "9999-12-31", Range}},
		{"2026-11-25", "..2026-01", want{"0001-01-01", "2026-01-31", Range}},
		{"2026-11-25", "..", want{"0001-01-01", "9999-12-31", Range}},
		{"2026-11-25", "2026-01..2026-03", want{"2026-01-01", "2026-03-31", Quarter}},
		{"2026-11-25", "2026-01..2026-02", want{"2026-01-01", "2026-02-28", Range}},
		{"2026-11-25", "2026-11-01..2026-11-30", want{"2026-11-01", "2026-11-30", Month}},
		{"2026-11-25", "20.11...30.11.", want{"2026-11-20", "2026-11-30", Range}},
		{"2026-11-25", "20.11.2026..30.11.2026", want{"2026-11-20", "2026-11-30", Range}},
		{"2026-11-25", "lastmonth..today", want{"2026-10-01", "2026-11-25", Range}},
		{"2026-11-25", "2026-11-25..2026-11-25", want{"2026-11-25", "2026-11-25", Day}},
	}
	for _, c := range cases {
		got, err := Parse(c.in, d(c.today))
		if err != nil {
			t.Errorf("today %s: Parse(%q): %v", c.today, c.in, err)
			continue
		}
		if got.From.String() != c.want.from || got.To.String() != c.want.to || got.Unit != c.want.unit {
			t.Errorf("today %s: Parse(%q) = %s..%s %s, want %s..%s %s", c.today, c.in,
				got.From, got.To, got.Unit, c.want.from, c.want.to, c.want.unit)
		}
		// String is independent of today and reads back the same.
		again, err := Parse(got.String(), d("2000-06-15"))
		if err != nil || again != got {
			t.Errorf("Parse(%q).String() = %q reads back as %+v, %v", c.in, got.String(), again, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	today := d("2026-11-25")
	for in, want := range map[string]error{
		"": ErrNotDate, "foo": ErrNotDate, "2026-13": ErrNotDate, "2026-02-30": ErrNotDate,
		"2026-02-29": ErrNotDate, "2026-2": ErrNotDate, "26-11": ErrNotDate, "2026-W54": ErrNotDate,
		"2026-W00": ErrNotDate, "2027-W53": ErrNotDate, "2026-Q5": ErrNotDate, "0000": ErrNotDate,
		"30.02.2026": ErrNotDate, "13.2026": ErrNotDate, "1.2.3": ErrNotDate, "11.2026.": ErrNotDate,
		"2026-01...": ErrNotDate, "...": ErrNotDate, "2026-03.31": ErrNotDate, "2026/11-02": ErrNotDate,
		"2026-03..2026-01": ErrBackwards, "today..yesterday": ErrBackwards, "12345": ErrNotDate,
	} {
		_, err := Parse(in, today)
		if !errors.Is(err, want) {
			t.Errorf("Parse(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestUnfinished(t *testing.T) {
	today := d("2026-11-25")
	for _, s := range []string{
		"", "2", "202", "2026-", "2026-0", "2026-1", "2026-11-", "2026-11-3", "2026-02-2",
		"2024-02-2", "2026-01.", "2026-01..2", "2026-03..2026-0", "2026-03-15..2026-03-1",
		"la", "last", "lastm", "this", "y", "2026-q", "2026-w", "2026-w4", "20.11.2",
		"29.02.20", "lastmonth..to", "11.20",
	} {
		if !Unfinished(s, today) {
			t.Errorf("Unfinished(%q) = false", s)
		}
	}
	for _, s := range []string{
		"foo", "2026-13", "2026-02-30", "2026-02-3", "2026-2", "26-11", "2026-01...",
		"2026-1-", "2026-01..2026-03.", "2025-02-30g", "2026-03..2026-01", "lastmonthx",
		"2026-11", "today", // they parse
	} {
		if Unfinished(s, today) {
			t.Errorf("Unfinished(%q) = true", s)
		}
	}
}

func TestStep(t *testing.T) {
	cases := []struct {
		start string
		today string
		n     int
		want  string
	}{
		{"2026-11", "2026-11-25", 1, "2026-12"},
		{"2026-12", "2026-11-25", 1, "2027-01"},
		{"2026-01", "2026-11-25", -1, "2025-12"},
		{"2024-02", "2026-11-25", 1, "2024-03"},
		{"2026-01", "2026-11-25", 13, "2027-02"},
		{"2026-Q1", "2026-11-25", -1, "2025-Q4"},
		{"2026-Q4", "2026-11-25", 1, "2027-Q1"},
		{"2026", "2026-11-25", -1, "2025"},
		{"2026-W53", "2026-11-25", 1, "2027-W01"},
		{"2026-W01", "2026-11-25", -1, "2025-W52"},
		{"2024-02-29", "2026-11-25", 1, "2024-03-01"},
		{"2026-12-31", "2026-11-25", 1, "2027-01-01"},
		{"2026-11-01..2026-11-10", "2026-11-25", 1, "2026-11-11..2026-11-20"},
		{"ytd", "2026-03-10", -1, "2025-10-24..2025-12-31"},
		{"2026-11..", "2026-11-25", 1, "2026-11-01.."},
	}
	for _, c := range cases {
		p, err := Parse(c.start, d(c.today))
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.start, err)
		}
		if got := p.Step(c.n).String(); got != c.want {
			t.Errorf("%s step %d = %s, want %s", c.start, c.n, got, c.want)
		}
		if c.n != 0 && !p.OpenEnd() && p.Step(c.n).Step(-c.n) != p {
			t.Errorf("%s: step %d and back = %s", c.start, c.n, p.Step(c.n).Step(-c.n))
		}
	}
}

func TestWithUnit(t *testing.T) {
	today := d("2026-11-25")
	cases := []struct {
		start string
		unit  Unit
		want  string
	}{
		{"2026-11", Quarter, "2026-Q4"},
		{"2026-11", Year, "2026"},
		{"2026-Q4", Month, "2026-11"}, // holds today
		{"2025-Q4", Month, "2025-10"}, // its first month
		{"2025", Quarter, "2025-Q1"},
		{"ytd", Month, "2026-11"},
		{"..2025-06-30", Month, "2025-06"},
		{"2026-11", Week, "2026-W48"},
	}
	for _, c := range cases {
		p, _ := Parse(c.start, today)
		if got := p.WithUnit(c.unit, today).String(); got != c.want {
			t.Errorf("%s as a %s = %s, want %s", c.start, c.unit, got, c.want)
		}
	}
}

func TestLabel(t *testing.T) {
	today := d("2026-11-25")
	for in, want := range map[string]string{
		"2026-11": "November 2026", "2026-Q4": "Q4 2026", "2026": "2026", "2026-W53": "Week 53, 2026",
		"2026-11-25": "25.11.2026", "2026-11-03..2026-12-15": "03.11.2026 – 15.12.2026",
		"2026-11-03..": "from 03.11.2026", "..2026-01-31": "until 31.01.2026", "..": "all time",
	} {
		p, err := Parse(in, today)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Label(); got != want {
			t.Errorf("Label(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestContainsAndDays(t *testing.T) {
	p, _ := Parse("2024-02", d("2026-11-25"))
	if p.Days() != 29 || !p.Contains(d("2024-02-29")) || p.Contains(d("2024-03-01")) || p.Contains(d("2024-01-31")) {
		t.Errorf("February 2024: %d days, %+v", p.Days(), p)
	}
	if !All.Contains(MinDate) || !All.Contains(MaxDate) || !All.OpenStart() || !All.OpenEnd() {
		t.Error("All is not all")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"lastmonth", "2026-11..", "20.11...30.11.", "2026-W53", "2026-Q3", "29.02.2024", "..", "ytd"} {
		f.Add(s, int32(20000))
	}
	f.Fuzz(func(t *testing.T, s string, todayDays int32) {
		today := Date(todayDays % 2_800_000) // years 0001..9999
		if today < MinDate+400 || today > MaxDate-400 {
			return
		}
		p, err := Parse(s, today)
		if err != nil {
			if !errors.Is(err, ErrNotDate) && !errors.Is(err, ErrBackwards) {
				t.Fatalf("Parse(%q): %v wraps neither error", s, err)
			}
			_ = Unfinished(s, today)
			return
		}
		if p.From > p.To || p.From < MinDate || p.To > MaxDate {
			t.Fatalf("Parse(%q) = %+v", s, p)
		}
		again, err := Parse(p.String(), today)
		if err != nil || again != p {
			t.Fatalf("Parse(%q) = %+v; its String %q reads back as %+v, %v", s, p, p.String(), again, err)
		}
		if strings.TrimSpace(p.Label()) == "" {
			t.Fatalf("Parse(%q): empty label", s)
		}
		_ = p.Step(1).Step(-1)
	})
}
