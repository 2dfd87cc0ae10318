package period

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The errors of Parse, as the end of a sentence ("date:foo: not a date").
var (
	ErrNotDate   = errors.New("not a date")
	ErrBackwards = errors.New("range ends before it starts")
)

// Parse reads a period as a user writes it, relative to today:
//
//	today yesterday tomorrow
//	thisweek lastweek nextweek     (ISO weeks, Monday to Sunday)
//	thismonth lastmonth nextmonth  (also this-month, "last month", last_month)
//	thisquarter lastquarter nextquarter thisyear lastyear nextyear
//	ytd qtd mtd                    (from the start of the year/quarter/month to today)
//	2026  2026-11  2026-11-25  20261125  2026/11/25
//	2026-Q3  2026q3  q3            (q3: of today's year)
//	2026-W48                       (ISO week)
//	25.11.2026  25.11.  11.2026    (as the screen writes them; 25.11.: today's year)
//	november nov  (German names too: märz, mai, okt, dez…: of today's year)
//	A..B  A..  ..B  ..             (inclusive ranges of any of the above, open at an end)
//
// Case and surrounding space do not matter. A range from the start of one
// unit to the end of another is named as that unit when it is exactly one
// (2026-11-01..2026-11-30 steps as a month). Errors wrap ErrNotDate or
// ErrBackwards.
func Parse(s string, today Date) (Period, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Period{}, ErrNotDate
	}
	if !strings.Contains(s, "..") {
		return single(s, today)
	}
	// A German date ends in a dot ("20.11...30.11."): try every ".." until
	// both sides read.
	backwards := false
	for i := strings.Index(s, ".."); i >= 0; {
		left, right := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:])
		p, err := rangeOf(left, right, today)
		if err == nil {
			return p, nil
		}
		backwards = backwards || errors.Is(err, ErrBackwards)
		next := strings.Index(s[i+1:], "..")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	if backwards {
		return Period{}, ErrBackwards
	}
	return Period{}, ErrNotDate
}

func rangeOf(left, right string, today Date) (Period, error) {
	from, to := MinDate, MaxDate
	if left != "" {
		p, err := single(left, today)
		if err != nil {
			return Period{}, err
		}
		from = p.From
	}
	if right != "" {
		p, err := single(right, today)
		if err != nil {
			return Period{}, err
		}
		to = p.To
	}
	switch {
	case from > to:
		return Period{}, ErrBackwards
	case left == "" || right == "":
		return Period{from, to, Range}, nil
	}
	return Between(from, to), nil
}

// single reads one period without "..".
func single(s string, today Date) (Period, error) {
	if p, ok := named(s, today); ok {
		return p, nil
	}
	if strings.Contains(s, ".") {
		return german(s, today)
	}
	return iso(s, today)
}

func named(s string, today Date) (Period, bool) {
	name := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, s)
	rel := func(u Unit, n int) (Period, bool) { return Of(u, today).Step(n), true }
	switch name {
	case "today":
		return rel(Day, 0)
	case "yesterday":
		return rel(Day, -1)
	case "tomorrow":
		return rel(Day, 1)
	}
	for _, u := range []Unit{Week, Month, Quarter, Year} {
		switch name {
		case "this" + u.String():
			return rel(u, 0)
		case "last" + u.String():
			return rel(u, -1)
		case "next" + u.String():
			return rel(u, 1)
		}
	}
	toDate := func(u Unit) (Period, bool) { return Between(Of(u, today).From, today), true }
	switch name {
	case "ytd":
		return toDate(Year)
	case "qtd":
		return toDate(Quarter)
	case "mtd":
		return toDate(Month)
	case "q1", "q2", "q3", "q4":
		y, _, _ := today.Date()
		return Of(Quarter, NewDate(y, time.Month(3*int(name[1]-'0')-2), 1)), true
	}
	if m, ok := monthByName[name]; ok {
		y, _, _ := today.Date()
		return Of(Month, NewDate(y, m, 1)), true
	}
	return Period{}, false
}

var monthByName = func() map[string]time.Month {
	names := map[string]time.Month{
		"märz": time.March, "maerz": time.March, "mär": time.March, "mai": time.May,
		"juni": time.June, "juli": time.July, "okt": time.October, "oktober": time.October,
		"dez": time.December, "dezember": time.December, "januar": time.January, "februar": time.February,
	}
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		names[full] = m
		names[full[:3]] = m
	}
	names["sept"] = time.September
	return names
}()

// iso reads 2026, 2026-11, 2026-11-25, 20261125 (also with '/'), 2026-q3
// and 2026-w48.
func iso(s string, today Date) (Period, error) {
	if len(s) == 8 && allDigits(s) {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	if len(s) < 4 || !allDigits(s[:4]) {
		return Period{}, ErrNotDate
	}
	y, _ := strconv.Atoi(s[:4])
	if y < 1 {
		return Period{}, ErrNotDate
	}
	rest := s[4:]
	if rest == "" {
		return Of(Year, NewDate(y, time.January, 1)), nil
	}
	sep := rest[0]
	if sep == '-' || sep == '/' {
		rest = rest[1:]
	}
	switch {
	case len(rest) == 2 && rest[0] == 'q' && '1' <= rest[1] && rest[1] <= '4':
		return Of(Quarter, NewDate(y, time.Month(3*int(rest[1]-'0')-2), 1)), nil
	case len(rest) == 3 && rest[0] == 'w' && allDigits(rest[1:]):
		w, _ := strconv.Atoi(rest[1:])
		// ISO week 1 holds 4 January.
		mon := NewDate(y, time.January, 4).monday() + Date(7*(w-1))
		if wy, ww := mon.isoWeek(); w < 1 || wy != y || ww != w {
			return Period{}, ErrNotDate
		}
		return Of(Week, mon), nil
	}
	if sep != '-' && sep != '/' {
		return Period{}, ErrNotDate
	}
	parts := strings.Split(rest, string(sep))
	if len(parts) > 2 {
		return Period{}, ErrNotDate
	}
	for _, p := range parts {
		if len(p) != 2 || !allDigits(p) {
			return Period{}, ErrNotDate
		}
	}
	m, _ := strconv.Atoi(parts[0])
	if m < 1 || m > 12 {
		return Period{}, ErrNotDate
	}
	if len(parts) == 1 {
		return Of(Month, NewDate(y, time.Month(m), 1)), nil
	}
	d, _ := strconv.Atoi(parts[1])
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return Period{}, ErrNotDate
	}
	return Of(Day, NewDate(y, time.Month(m), d)), nil
}

// german reads 25.11.2026, 25.11., 25.11 (today's year) and 11.2026; days
// and months with one or two digits.
func german(s string, today Date) (Period, error) {
	parts := strings.Split(strings.TrimSuffix(s, "."), ".")
	for _, p := range parts {
		if p == "" || !allDigits(p) || len(p) > 4 {
			return Period{}, ErrNotDate
		}
	}
	num := func(p string) int { n, _ := strconv.Atoi(p); return n }
	year, _, _ := today.Date()
	switch {
	case len(parts) == 2 && len(parts[1]) == 4 && len(parts[0]) <= 2: // 11.2026
		if strings.HasSuffix(s, ".") {
			return Period{}, ErrNotDate
		}
		m, y := num(parts[0]), num(parts[1])
		if m < 1 || m > 12 || y < 1 {
			return Period{}, ErrNotDate
		}
		return Of(Month, NewDate(y, time.Month(m), 1)), nil
	case len(parts) == 2 && len(parts[0]) <= 2 && len(parts[1]) <= 2: // 25.11.
		return germanDay(num(parts[0]), num(parts[1]), year)
	case len(parts) == 3 && len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) == 4:
		if strings.HasSuffix(s, ".") {
			return Period{}, ErrNotDate
		}
		return germanDay(num(parts[0]), num(parts[1]), num(parts[2]))
	}
	return Period{}, ErrNotDate
}

func germanDay(d, m, y int) (Period, error) {
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Period{}, ErrNotDate
	}
	return Of(Day, NewDate(y, time.Month(m), d)), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// completions fill the rest of a part being typed, each the latest day it
// can still become in one of the forms Parse reads (so that "2026-0"
// becomes 2026-09-30 and "2026-02-2" 2026-02-28).
var completions = []string{
	"9999-12-31", "9999-09-30", "9999-12-29", "9999-12-28", "2096-02-29", "9999-q4", "9999-w52",
	"31.12.9999", "30.09.9999", "31.08.9999", "29.02.2096", "28.02.9999", "12.9999", "09.9999",
}

// Unfinished reports whether s, which does not parse, is the start of a
// period that does: "2026-1" on its way to 2026-11, "last" to lastmonth,
// "2026-01." to a range. A filter line shows such a token calmly while
// the user types on.
func Unfinished(s string, today Date) bool {
	s = strings.ToLower(strings.TrimLeft(s, " "))
	if _, err := Parse(s, today); err == nil {
		return false
	}
	head, last := "", s
	if i := strings.LastIndex(s, ".."); i >= 0 {
		head, last = s[:i+2], s[i+2:]
	} else if strings.HasSuffix(s, ".") {
		if _, err := Parse(s+".", today); err == nil {
			return true // the first dot of a range
		}
	}
	ok := func(candidate string) bool {
		_, err := Parse(candidate, today)
		return err == nil
	}
	for _, c := range completions {
		if len(last) <= len(c) && ok(head+last+c[len(last):]) {
			return true
		}
	}
	for _, name := range names {
		if strings.HasPrefix(name, last) && ok(head+name) {
			return true
		}
	}
	return false
}

// names are the relative names, as Unfinished completes them.
var names = func() []string {
	out := []string{"today", "yesterday", "tomorrow", "ytd", "qtd", "mtd", "q1", "q2", "q3", "q4"}
	for _, u := range []Unit{Week, Month, Quarter, Year} {
		out = append(out, "this"+u.String(), "last"+u.String(), "next"+u.String())
	}
	for name := range monthByName {
		out = append(out, name)
	}
	return out
}()

// Names lists the relative names Parse reads, for help texts and
// completion.
func Names() []string {
	return []string{"today", "yesterday", "thisweek", "lastweek", "thismonth", "lastmonth",
		"thisquarter", "lastquarter", "thisyear", "lastyear", "ytd"}
}
