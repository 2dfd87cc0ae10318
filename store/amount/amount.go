// Package amount reads the conditions on signed euro amounts that konto's
// users type: the filter line's amt: token and a category rule's amount key
// share it, so "-100..-10" means the same in both.
package amount

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Range is lo <= amount <= hi in cents, inclusive; open ends are the int64
// limits, and lo > hi matches nothing.
type Range struct{ Lo, Hi int64 }

// Contains reports whether cents is in the range.
func (r Range) Contains(cents int64) bool { return r.Lo <= cents && cents <= r.Hi }

// ErrNotAmount is the error of every malformed amount.
var ErrNotAmount = errors.New("not an amount")

// Parse reads a condition on a signed amount in euros, as the filter's amt:
// token and a rule's amount key take it: ">100", "<-50", ">=10", "<=5",
// "=12,50", "12,50" (exactly), "-100..-10" (inclusive, either order). It
// returns the Range in cents and the condition written canonically in
// German notation (">100,00", "=12,50", "-100,00..-10,00").
func Parse(s string) (Range, string, error) {
	const lowest, highest = int64(-1 << 63), int64(1<<63 - 1)
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		a, err1 := ParseSigned(lo)
		b, err2 := ParseSigned(hi)
		if err1 != nil || err2 != nil {
			return Range{}, "", ErrNotAmount
		}
		if a > b {
			a, b = b, a
		}
		return Range{a, b}, Format(a) + ".." + Format(b), nil
	}
	op := ""
	for _, o := range []string{">=", "<=", ">", "<", "="} {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	v, err := ParseSigned(s[len(op):])
	if err != nil {
		return Range{}, "", ErrNotAmount
	}
	canon := op + Format(v)
	switch op {
	case ">=":
		return Range{v, highest}, canon, nil
	case "<=":
		return Range{lowest, v}, canon, nil
	case ">":
		if v == highest {
			return Range{highest, lowest}, canon, nil // matches nothing
		}
		return Range{v + 1, highest}, canon, nil
	case "<":
		if v == lowest {
			return Range{highest, lowest}, canon, nil
		}
		return Range{lowest, v - 1}, canon, nil
	default:
		return Range{v, v}, "=" + Format(v), nil
	}
}

// maxEuroDigits keeps amounts far from int64 overflow (a trillion euros).
const maxEuroDigits = 13

// ParseSigned reads a euro amount in cents: an optional sign (+, -, −),
// digits with optional thousands separators and up to two decimals, German
// (1.234,56) or English (1,234.56). A single separator followed by exactly
// three digits is a thousands separator (1.234 = 1234 €); followed by one or
// two digits it is the decimal separator. A trailing "€" is allowed.
func ParseSigned(s string) (int64, error) {
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
		return 0, ErrNotAmount
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
				return 0, ErrNotAmount
			}
			intPart, frac = head, tail
		case strings.IndexByte(head, sep) >= 0: // 1.234.567: thousands only
		case len(tail) == 1 || len(tail) == 2:
			intPart, frac = head, tail
		case len(tail) == 3: // 1.234
		default:
			return 0, ErrNotAmount
		}
	}
	if strings.ContainsAny(intPart, ",.") {
		if strings.Contains(intPart, ",") && strings.Contains(intPart, ".") {
			return 0, ErrNotAmount
		}
		thousands := ","
		if strings.Contains(intPart, ".") {
			thousands = "."
		}
		// groups of three after a first group of one to three digits
		groups := strings.Split(intPart, thousands)
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, ErrNotAmount
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, ErrNotAmount
			}
		}
		intPart = strings.ReplaceAll(intPart, thousands, "")
	}
	if intPart == "" || len(intPart) > maxEuroDigits || !allDigits(intPart) || !allDigits(frac) {
		return 0, ErrNotAmount
	}
	euros, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, ErrNotAmount
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

// Format writes cents the German way without thousands separators
// (-12,50), as Parse reads them back.
func Format(v int64) string {
	sign := ""
	u := uint64(v)
	if v < 0 {
		sign = "-"
		u = uint64(-v)
	}
	return fmt.Sprintf("%s%d,%02d", sign, u/100, u%100)
}

// Unfinished reports whether s, which does not parse, is the start of a
// condition that does: a missing number after the operator or the "..", a
// separator still waiting for its digits.
func Unfinished(s string) bool {
	for _, more := range []string{"0", "00", "000", ".0", "..0"} {
		if _, _, err := Parse(s + more); err == nil {
			return true
		}
	}
	return false
}
