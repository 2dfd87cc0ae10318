package sepa

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// minusSign is the typographic minus (U+2212): the same width as "+", unlike the
// hyphen, so signed columns line up.
const minusSign = "−"

// ParseAmount reads a euro amount as a person types it and returns it in cents.
// It accepts German and English spellings with or without thousands separators,
// surrounding space and a trailing (or leading) "€" or "EUR":
//
//	"1.234,56"  "1,234.56"  "1 234,56"  "1234,56"  "1234.56"  "12,5"  "12"  " 7 "  "12 €"
//
// The decimal separator is the last '.' or ',' when one or two digits follow it;
// the other of the two (or a space) may group thousands before it. A separator
// followed by exactly three digits is a thousands separator, unless a different
// separator comes before it or the part before it is zero, since then it can only
// have been meant as a decimal separator with too many decimals.
//
// That rule resolves an ambiguity: "1.234" and "1,234" are both 1234,00 €, never
// 1,23 €, because euros have only two decimals, so a reading with three decimals
// cannot be meant. Likewise "12,345" is 12345,00 €. The form shows the parsed
// amount back to the user (FormatEuro, AmountInWords) before anything is sent.
//
// It refuses an empty amount, signs ("+", "-", "−": the direction of money is the
// form's business), more than two decimals ("1.234,567"), misplaced separators
// ("1.23.4", "12,3456", "1 2"), letters and other characters, and amounts beyond
// int64 cents. Zero is accepted; callers check that a payment is positive. The
// error matches ErrInvalidAmount and reads as a sentence for the user.
func ParseAmount(s string) (int64, error) {
	t := trimCurrency(strings.TrimFunc(s, unicode.IsSpace))
	if t == "" {
		return 0, amountError("empty")
	}
	if first, _ := utf8.DecodeRuneInString(t); strings.ContainsRune("+-−–", first) {
		return 0, amountError("enter it without a sign")
	}

	// Reduce to ASCII: digits, '.', ',' and ' ' for any kind of space, so the
	// rest can work on bytes.
	norm := make([]byte, 0, len(t))
	for _, r := range t {
		switch {
		case '0' <= r && r <= '9', r == '.', r == ',':
			norm = append(norm, byte(r))
		case unicode.IsSpace(r):
			norm = append(norm, ' ')
		default:
			return 0, amountError("only digits, '.' and ',' are allowed")
		}
	}

	intPart, frac := norm, []byte(nil)
	if last := bytes.LastIndexAny(norm, ".,"); last >= 0 {
		sep, before, tail := norm[last], norm[:last], norm[last+1:]
		if bytes.IndexByte(tail, ' ') >= 0 {
			return 0, amountError("misplaced thousands separator")
		}
		switch {
		case len(tail) == 0:
			return 0, amountError("digits must follow the decimal separator")
		case len(tail) <= 2:
			intPart, frac = before, tail
			if bytes.IndexByte(intPart, sep) >= 0 {
				return 0, amountError("misplaced thousands separator")
			}
		case len(tail) == 3 && thousandsCandidate(before, sep):
			// "1.234", "12,345", "1,234,567": thousands, no decimals.
		default:
			return 0, amountError("at most two decimals")
		}
	}

	digits, ok := ungroup(intPart)
	if !ok {
		return 0, amountError("misplaced thousands separator")
	}
	var euros int64
	for _, c := range digits {
		d := int64(c - '0')
		if euros > (math.MaxInt64-d)/10 {
			return 0, amountError("too large")
		}
		euros = euros*10 + d
	}
	var cents int64
	switch len(frac) {
	case 1:
		cents = int64(frac[0]-'0') * 10
	case 2:
		cents = int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	if euros > (math.MaxInt64-cents)/100 {
		return 0, amountError("too large")
	}
	return euros*100 + cents, nil
}

// trimCurrency drops one "€" or "EUR" (any case) at the end or, failing that,
// at the start of s, and the space next to it.
func trimCurrency(s string) string {
	for _, unit := range []string{"€", "EUR"} {
		if n := len(s) - len(unit); n >= 0 && strings.EqualFold(s[n:], unit) {
			return strings.TrimRightFunc(s[:n], unicode.IsSpace)
		}
	}
	for _, unit := range []string{"€", "EUR"} {
		if len(s) >= len(unit) && strings.EqualFold(s[:len(unit)], unit) {
			return strings.TrimLeftFunc(s[len(unit):], unicode.IsSpace)
		}
	}
	return s
}

// thousandsCandidate reports whether sep, followed by three digits, can be a
// thousands separator given what comes before it: a non-zero leading group
// and no separator of another kind.
func thousandsCandidate(before []byte, sep byte) bool {
	if len(before) == 0 || before[0] == '0' {
		return false
	}
	for _, c := range before {
		if (c == '.' || c == ',' || c == ' ') && c != sep {
			return false
		}
	}
	return true
}

// ungroup checks the thousands grouping of an integer part ("1.234.567",
// "1 234", "12345", or "" before a decimal separator) and returns its digits.
// A grouped number uses one separator kind, starts with one to three digits
// (not a leading zero) and continues in groups of exactly three.
func ungroup(part []byte) ([]byte, bool) {
	var sep byte
	for _, c := range part {
		if c == '.' || c == ',' || c == ' ' {
			if sep != 0 && c != sep {
				return nil, false
			}
			sep = c
		}
	}
	if sep == 0 {
		return part, true
	}
	digits := make([]byte, 0, len(part))
	for i, group := range strings.Split(string(part), string(sep)) {
		switch {
		case i == 0 && (len(group) < 1 || len(group) > 3 || group[0] == '0'):
			return nil, false
		case i > 0 && len(group) != 3:
			return nil, false
		}
		digits = append(digits, group...)
	}
	return digits, true
}

// FormatAmount writes cents in German style, with '.' grouping thousands, a
// decimal comma and a true minus sign (U+2212): "1.234,56", "−504,33", "0,00".
func FormatAmount(cents int64) string {
	magnitude := uint64(cents)
	if cents < 0 {
		magnitude = -magnitude // two's complement: right even for math.MinInt64
	}
	euros := strconv.FormatUint(magnitude/100, 10)

	var b strings.Builder
	b.Grow(len(euros) + len(euros)/3 + 6)
	if cents < 0 {
		b.WriteString(minusSign)
	}
	for i := 0; i < len(euros); i++ {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(euros[i])
	}
	fmt.Fprintf(&b, ",%02d", magnitude%100)
	return b.String()
}

// FormatEuro is FormatAmount with the currency: "17.325,00 €".
func FormatEuro(cents int64) string {
	return FormatAmount(cents) + " €"
}

// FormatSigned always shows the direction of money: "+3.200,00", "−1.234,56";
// zero has no sign: "0,00".
func FormatSigned(cents int64) string {
	if cents > 0 {
		return "+" + FormatAmount(cents)
	}
	return FormatAmount(cents)
}

func amountError(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidAmount, reason)
}
