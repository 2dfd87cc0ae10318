// Package filter parses the transaction list's `/` filter line into a Query
// and matches it fast against an Index of transactions built once per list.
package filter

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is a parsed filter line. Every part must match (AND).
type Query struct {
	terms []string // folded free-text words and phrases
	// ibanTerms[i] is terms[i] without spaces if it has any ("de06 1101"
	// matches an IBAN stored without spaces), else "".
	ibanTerms []string
	amounts   []amountCond // signed cents
	dates     []dateCond   // local calendar days as yyyymmdd
	types     []string     // folded booking type / payment method, '_' removed
	in, out   bool         // only incoming / only outgoing money
	// canonical holds each part as String shows it, in the order typed.
	canonical []string
}

// amountCond is lo <= amount <= hi in cents (inclusive; open ends use the
// int64 limits).
type amountCond struct{ lo, hi int64 }

// dateCond is lo <= day <= hi with days written as yyyymmdd.
type dateCond struct{ lo, hi int32 }

// Parse reads a filter line. Words are free-text terms, ANDed, matched case-
// and accent-insensitively against the counterparty's name, the purpose, the
// end-to-end id and the IBAN (spaces ignored); "quoted phrases" are one term.
// Tokens:
//
//	amt:>100 amt:<-50 amt:>=10 amt:<=5 amt:=12,50 amt:12,50 amt:100..200
//	date:2026 date:2026-11 date:2026-11-25 date:2026-01..2026-03
//	in out type:direct_debit type:card
//
// Amounts are signed euros with German or English decimals; dates are calendar
// days in the Index's location. An unknown key (foo:bar) is free text; a
// malformed token is a *TokenError naming it ("amt:>abc: not an amount"), one
// that more typing can still complete ("date:2026-1") is Unfinished.
func Parse(s string) (Query, error) {
	var q Query
	for _, w := range split(s) {
		if w.quoted {
			q.addTerm(w.text, true)
			continue
		}
		lower := strings.ToLower(w.text)
		switch {
		case lower == "in":
			q.in = true
			q.canonical = append(q.canonical, "in")
		case lower == "out":
			q.out = true
			q.canonical = append(q.canonical, "out")
		case strings.HasPrefix(lower, "amt:"):
			value := w.text[len("amt:"):]
			c, canon, err := parseAmountCond(value)
			if err != nil {
				return Query{}, &TokenError{Token: w.text, Err: err, Unfinished: unfinishedAmount(value)}
			}
			q.amounts = append(q.amounts, c)
			q.canonical = append(q.canonical, "amt:"+canon)
		case strings.HasPrefix(lower, "date:"):
			value := w.text[len("date:"):]
			c, err := parseDateCond(value)
			if err != nil {
				return Query{}, &TokenError{Token: w.text, Err: err, Unfinished: unfinishedDate(value)}
			}
			q.dates = append(q.dates, c)
			q.canonical = append(q.canonical, "date:"+value)
		case strings.HasPrefix(lower, "type:"):
			t := foldType(w.text[len("type:"):])
			if t == "" {
				return Query{}, &TokenError{Token: w.text, Err: errNoType, Unfinished: true}
			}
			q.types = append(q.types, t)
			q.canonical = append(q.canonical, "type:"+strings.ToLower(w.text[len("type:"):]))
		default:
			q.addTerm(w.text, false)
		}
	}
	return q, nil
}

func (q *Query) addTerm(text string, quoted bool) {
	f := fold(text)
	if f == "" || f == " " {
		return
	}
	q.terms = append(q.terms, f)
	nospace := ""
	if strings.Contains(f, " ") {
		nospace = strings.ReplaceAll(f, " ", "")
	}
	q.ibanTerms = append(q.ibanTerms, nospace)
	if quoted {
		q.canonical = append(q.canonical, `"`+text+`"`)
	} else {
		q.canonical = append(q.canonical, text)
	}
}

// TokenError is a token of the filter line that does not parse.
type TokenError struct {
	Token string // as typed: "amt:>abc"
	Err   error  // why: "not an amount"
	// Unfinished reports a token that more typing can still make valid
	// ("amt:", "amt:12,", "date:2026-1"): it is being typed, not wrong.
	Unfinished bool
}

func (e *TokenError) Error() string {
	if e.Unfinished {
		return e.Token + " is unfinished"
	}
	return e.Token + ": " + e.Err.Error()
}

func (e *TokenError) Unwrap() error { return e.Err }

// unfinishedAmount reports whether the value of an amt: token that does not
// parse is the start of one that does: a missing number after the operator or
// the "..", a separator still waiting for its digits.
func unfinishedAmount(value string) bool {
	for _, more := range []string{"0", "00", "000", ".0", "..0"} {
		if _, _, err := parseAmountCond(value + more); err == nil {
			return true
		}
	}
	return false
}

// unfinishedDate reports whether the value of a date: token that does not
// parse is the start of one that does: "2026-1" on its way to "2026-11",
// "2026-01.." on its way to a range.
func unfinishedDate(value string) bool {
	head, last := "", value
	if i := strings.LastIndex(value, ".."); i >= 0 {
		head, last = value[:i+2], value[i+2:]
	} else if strings.HasSuffix(value, ".") {
		head, last = value+".", "" // the first dot of a range
	}
	// Complete the last part to the latest day it can still become: if that
	// does not parse (or ends the range too early), no day does. The latest
	// day depends on the digits typed: 2026-0 → 2026-09-30, 2026-02-2 →
	// 2026-02-28, 2026-11-3 → 2026-11-30, 2026-12-3 → 2026-12-31.
	for _, day := range []string{"9999-12-31", "9999-09-30", "9999-12-29", "9999-12-28"} {
		if len(last) > len(day) {
			return false
		}
		if _, err := parseDateCond(head + last + day[len(last):]); err == nil {
			return true
		}
	}
	return false
}

// IsEmpty reports a query that matches everything.
func (q Query) IsEmpty() bool {
	return len(q.terms) == 0 && len(q.amounts) == 0 && len(q.dates) == 0 &&
		len(q.types) == 0 && !q.in && !q.out
}

// String returns the query normalised for display: one space between parts,
// keywords lower case, amounts in German notation.
func (q Query) String() string { return strings.Join(q.canonical, " ") }

// word is one part of the filter line.
type word struct {
	text   string
	quoted bool
}

// split cuts s at white space, keeping "quoted phrases" (straight or curly
// quotes; an unterminated quote runs to the end) as one word.
func split(s string) []word {
	var words []word
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '"' || r == '“' || r == '„':
			start := i + size
			end := strings.IndexAny(s[start:], "\"”“")
			if end < 0 {
				words = append(words, word{text: strings.TrimSpace(s[start:]), quoted: true})
				return words
			}
			words = append(words, word{text: strings.TrimSpace(s[start : start+end]), quoted: true})
			_, qs := utf8.DecodeRuneInString(s[start+end:])
			i = start + end + qs
		default:
			end := strings.IndexFunc(s[i:], unicode.IsSpace)
			if end < 0 {
				end = len(s) - i
			}
			words = append(words, word{text: s[i : i+end]})
			i += end
		}
	}
	return words
}

// parseAmountCond reads the part after "amt:".
func parseAmountCond(s string) (amountCond, string, error) {
	const lowest, highest = int64(-1 << 63), int64(1<<63 - 1)
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		a, err1 := parseSignedAmount(lo)
		b, err2 := parseSignedAmount(hi)
		if err1 != nil || err2 != nil {
			return amountCond{}, "", errNotAmount
		}
		if a > b {
			a, b = b, a
		}
		return amountCond{a, b}, formatCents(a) + ".." + formatCents(b), nil
	}
	op := ""
	for _, o := range []string{">=", "<=", ">", "<", "="} {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	v, err := parseSignedAmount(s[len(op):])
	if err != nil {
		return amountCond{}, "", errNotAmount
	}
	canon := op + formatCents(v)
	switch op {
	case ">=":
		return amountCond{v, highest}, canon, nil
	case "<=":
		return amountCond{lowest, v}, canon, nil
	case ">":
		if v == highest {
			return amountCond{highest, lowest}, canon, nil // matches nothing
		}
		return amountCond{v + 1, highest}, canon, nil
	case "<":
		if v == lowest {
			return amountCond{highest, lowest}, canon, nil
		}
		return amountCond{lowest, v - 1}, canon, nil
	default:
		return amountCond{v, v}, "=" + formatCents(v), nil
	}
}

// errNotAmount, errNotDate and errNoType end the error sentences of malformed
// tokens.
var (
	errNotAmount = errors.New("not an amount")
	errNotDate   = errors.New("not a date")
	errNoType    = errors.New("no type given")
)

// maxEuroDigits keeps amounts far from int64 overflow (a trillion euros).
const maxEuroDigits = 13

// parseSignedAmount reads a euro amount in cents: an optional sign (+, -, −),
// digits with optional thousands separators and up to two decimals, German
// (1.234,56) or English (1,234.56). A single separator followed by exactly
// three digits is a thousands separator (1.234 = 1234 €); followed by one or
// two digits it is the decimal separator. A trailing "€" is allowed.
func parseSignedAmount(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "−"):
		neg, s = true, s[len("−"):]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s == "" {
		return 0, errNotAmount
	}
	// Find the decimal separator: the last ',' or '.' unless it is a
	// thousands separator (repeated, or a single one followed by three digits).
	intPart, frac := s, ""
	if i := strings.LastIndexAny(s, ",."); i >= 0 {
		sep, head, tail := s[i], s[:i], s[i+1:]
		other := byte(',')
		if sep == ',' {
			other = '.'
		}
		switch {
		case strings.IndexByte(head, other) >= 0: // 1.234,56 or 1,234.56
			if len(tail) < 1 || len(tail) > 2 {
				return 0, errNotAmount
			}
			intPart, frac = head, tail
		case strings.IndexByte(head, sep) >= 0: // 1.234.567: thousands only
		case len(tail) == 1 || len(tail) == 2:
			intPart, frac = head, tail
		case len(tail) == 3: // 1.234
		default:
			return 0, errNotAmount
		}
	}
	if strings.ContainsAny(intPart, ",.") {
		if strings.Contains(intPart, ",") && strings.Contains(intPart, ".") {
			return 0, errNotAmount
		}
		thousands := ","
		if strings.Contains(intPart, ".") {
			thousands = "."
		}
		// groups of three after a first group of one to three digits
		groups := strings.Split(intPart, thousands)
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, errNotAmount
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, errNotAmount
			}
		}
		intPart = strings.ReplaceAll(intPart, thousands, "")
	}
	if intPart == "" || len(intPart) > maxEuroDigits || !allDigits(intPart) || !allDigits(frac) {
		return 0, errNotAmount
	}
	euros, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, errNotAmount
	}
	cents := int64(0)
	if frac != "" {
		c, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			c *= 10
		}
		cents = c
	}
	v := euros*100 + cents
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatCents writes cents the German way without thousands separators
// (-12,50), for String.
func formatCents(v int64) string {
	sign := ""
	u := uint64(v)
	if v < 0 {
		sign = "-"
		u = uint64(-v)
	}
	return fmt.Sprintf("%s%d,%02d", sign, u/100, u%100)
}

// parseDateCond reads the part after "date:": a year, month or day, or a
// range of them (inclusive at both ends).
func parseDateCond(s string) (dateCond, error) {
	if a, b, ok := strings.Cut(s, ".."); ok {
		lo, _, err1 := parseDatePart(a)
		_, hi, err2 := parseDatePart(b)
		if err1 != nil || err2 != nil {
			return dateCond{}, errNotDate
		}
		if lo > hi {
			return dateCond{}, fmt.Errorf("range ends before it starts")
		}
		return dateCond{lo, hi}, nil
	}
	lo, hi, err := parseDatePart(s)
	if err != nil {
		return dateCond{}, err
	}
	return dateCond{lo, hi}, nil
}

// parseDatePart reads 2026, 2026-11 or 2026-11-25 as the first and last day
// it covers, as yyyymmdd.
func parseDatePart(s string) (lo, hi int32, err error) {
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return 0, 0, errNotDate
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if p == "" || len(p) > 4 || !allDigits(p) || (i > 0 && len(p) != 2) {
			return 0, 0, errNotDate
		}
		nums[i], _ = strconv.Atoi(p)
	}
	y := nums[0]
	if y < 1 {
		return 0, 0, errNotDate
	}
	switch len(nums) {
	case 1:
		return int32(y*10000 + 101), int32(y*10000 + 1231), nil
	case 2:
		m := nums[1]
		if m < 1 || m > 12 {
			return 0, 0, errNotDate
		}
		return int32(y*10000 + m*100 + 1), int32(y*10000 + m*100 + daysIn(y, m)), nil
	default:
		m, d := nums[1], nums[2]
		if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
			return 0, 0, errNotDate
		}
		v := int32(y*10000 + m*100 + d)
		return v, v, nil
	}
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
