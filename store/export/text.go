package export

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"konto/store/rules"
)

// textRule says how a format writes the ASCII characters that mean
// something in it: replaced by another character, or escaped.
type textRule struct {
	swap   [128]byte // a character's replacement; 0 keeps it
	escape [128]bool // characters written through esc
	esc    func(dst []byte, c byte) []byte
}

// newRule builds a rule from pairs of characters (each replaced by the one
// after it) and characters to escape with esc.
func newRule(pairs, escaped string, esc func([]byte, byte) []byte) *textRule {
	r := &textRule{esc: esc}
	for i := 0; i+1 < len(pairs); i += 2 {
		r.swap[pairs[i]] = pairs[i+1]
	}
	for i := 0; i < len(escaped); i++ {
		r.escape[escaped[i]] = true
	}
	return r
}

// plainText keeps every character that survives cleaning.
var plainText = &textRule{}

// appendClean appends bank text without control characters: escape
// sequences, C0 and C1 controls, DEL and format characters (bidi controls,
// zero-width characters, BOM) are dropped, a line break or tab becomes a
// space (none after a space), invalid UTF-8 becomes U+FFFD, and leading and
// trailing space is cut. The characters rule names are replaced or escaped.
//
// It is a smaller copy of ui/common.Sanitize (which also knows 8-bit
// escape sequences and caps combining marks for drawing), since this package
// may not import ui/; the two should become one helper in a package both
// may import.
func appendClean(dst []byte, s string, rule *textRule) []byte {
	start := len(dst)
	space := true // the last rune written is a space (or nothing was written)
	for i := 0; i < len(s); {
		// The common case: a run of printable ASCII that means nothing to
		// the format, appended at once.
		j := i
		for j < len(s) {
			if c := s[j]; c < 0x20 || c >= 0x7f || rule.swap[c] != 0 || rule.escape[c] {
				break
			}
			j++
		}
		if j > i {
			run := s[i:j]
			if len(dst) == start {
				run = strings.TrimLeft(run, " ")
			}
			if run != "" {
				dst = append(dst, run...)
				space = run[len(run)-1] == ' '
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r < utf8.RuneSelf && r >= 0x20 && r < 0x7f:
			c := byte(r)
			if rule.escape[c] {
				dst = rule.esc(dst, c)
			} else {
				dst = append(dst, rule.swap[c])
			}
			space = false
			continue
		case r == 0x1b:
			i = skipEscape(s, i)
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' ||
			r == 0x85 || r == 0x2028 || r == 0x2029:
			// a break becomes one space, none after a space
			if !space {
				dst = append(dst, ' ')
			}
			space = true
			continue
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			continue // other controls carry no text
		case r == utf8.RuneError && size == 1:
			// invalid UTF-8 is kept visible as U+FFFD
		case unicode.Is(unicode.Cf, r) || (r >= 0xd800 && r <= 0xdfff):
			continue // bidi controls, zero-width characters, BOM, tags
		}
		dst = utf8.AppendRune(dst, r)
		space = false
	}
	for len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1] // trailing space is cut
	}
	return dst
}

// skipEscape returns the index after the escape sequence whose ESC ends
// before i: a CSI (ESC [ parameters, intermediates, final byte), a string
// sequence (OSC, DCS, SOS, PM, APC: up to BEL or ESC \\), or ESC and one
// more character. Malformed ones end at the first byte that cannot belong.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		for j := i + 1; j < len(s); j++ {
			switch c := s[j]; {
			case c >= 0x20 && c <= 0x3f:
			case c >= 0x40 && c <= 0x7e:
				return j + 1
			default:
				return j
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_':
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case 0x07:
				return j + 1
			case 0x1b:
				if j+1 < len(s) && s[j+1] == '\\' {
					return j + 2
				}
				return j
			}
		}
		return len(s)
	}
	if s[i] >= 0x20 && s[i] <= 0x7e {
		return i + 1
	}
	return i
}

// clean is appendClean as a string, for tests and for rare paths.
func clean(s string) string { return string(appendClean(nil, s, plainText)) }

// appendCents appends cents as euros with a dot and two decimals: "-12.50",
// "0.07", "1234.00". Exact for every int64, math.MinInt64 included.
func appendCents(dst []byte, cents int64) []byte {
	magnitude := uint64(cents)
	if cents < 0 {
		magnitude = -magnitude // two's complement: right even for math.MinInt64
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, magnitude/100, 10)
	frac := magnitude % 100
	return append(dst, '.', byte('0'+frac/10), byte('0'+frac%10))
}

// centsWidth is the length appendCents writes.
func centsWidth(cents int64) int {
	var b [24]byte
	return len(appendCents(b[:0], cents))
}

// appendMinor appends the bank's originalAmount (minor units as a string,
// "760") as "7.60"; text that is not a whole number is appended cleaned.
func appendMinor(dst []byte, raw string, rule *textRule) []byte {
	if n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64); err == nil {
		return appendCents(dst, n)
	}
	return appendClean(dst, raw, rule)
}

// appendISODate appends t's date in loc as YYYY-MM-DD.
func appendISODate(dst []byte, t time.Time, loc *time.Location) []byte {
	y, m, d := t.In(loc).Date()
	dst = append4(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, int(m))
	dst = append(dst, '-')
	return append2(dst, d)
}

func append4(dst []byte, n int) []byte {
	if n < 0 || n > 9999 {
		return strconv.AppendInt(dst, int64(n), 10)
	}
	return append(dst, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

func append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10%10), byte('0'+n%10))
}

// sameDay reports whether a and b fall on the same date in loc.
func sameDay(a, b time.Time, loc *time.Location) bool {
	y1, m1, d1 := a.In(loc).Date()
	y2, m2, d2 := b.In(loc).Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// LedgerName makes an account label safe as one component of a ledger
// account name: lower-case ASCII letters, digits and single dashes ("Main" →
// "main", "Account 2" → "account-2", "Rücklage" → "ruecklage"). It is "" when
// nothing is left.
func LedgerName(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		default:
			dash = true
		}
	}
	return b.String()
}

// ledgerNames are the accounts of a ledger export.
type ledgerNames struct {
	bank, expenses, income, equity string
	width                          int // of the longest, for aligning amounts
}

// rootNames are beancount's five root accounts.
var rootNames = []string{"Assets", "Liabilities", "Equity", "Income", "Expenses"}

// ledgerAccounts builds the account names from the prefix and the label,
// capitalised for beancount, and refuses a prefix either tool would not read.
func ledgerAccounts(prefix string, acc Account, beancount bool) (ledgerNames, error) {
	parts := strings.Split(prefix, ":")
	for _, p := range parts {
		if !validComponent(p) {
			return ledgerNames{}, fmt.Errorf("export: account prefix %q: each part between colons must be letters, digits and '-', starting with a letter or digit", prefix)
		}
	}
	if beancount {
		root := ""
		for _, name := range rootNames {
			if strings.EqualFold(parts[0], name) {
				root = name
			}
		}
		if root == "" {
			return ledgerNames{}, fmt.Errorf("export: account prefix %q: beancount accounts start with one of %s", prefix, strings.Join(rootNames, ", "))
		}
		parts[0] = root
	}
	label := LedgerName(acc.Label)
	if label == "" {
		label = "account"
		if acc.ID != 0 {
			label += "-" + strconv.FormatInt(acc.ID, 10)
		}
	}
	n := ledgerNames{
		bank:     strings.Join(append(parts, label), ":"),
		expenses: "expenses:unknown",
		income:   "income:unknown",
		equity:   "equity:opening-balances",
	}
	if beancount {
		n.bank = capitalise(n.bank)
		n.expenses, n.income, n.equity = "Expenses:Unknown", "Income:Unknown", "Equity:Opening-Balances"
	}
	n.width = max(len(n.bank), len(n.expenses), len(n.income), len(n.equity))
	return n, nil
}

func validComponent(p string) bool {
	if p == "" || p[0] == '-' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// capitalise upper-cases the first letter of each component.
func capitalise(name string) string {
	b := []byte(name)
	for i := range b {
		if (i == 0 || b[i-1] == ':') && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// appendIBAN appends the letters and digits of an IBAN the bank sent, upper
// case: an IBAN has no others, and this text goes into comments.
func appendIBAN(dst []byte, iban string) []byte {
	for i := 0; i < len(iban); i++ {
		c := iban[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			dst = append(dst, c)
		case c >= 'a' && c <= 'z':
			dst = append(dst, c-('a'-'A'))
		}
	}
	return dst
}

// appendPosting appends one indented posting: the account padded to width,
// then the amount right-aligned in a column, then " EUR".
func appendPosting(dst []byte, indent, account string, width int, cents int64) []byte {
	dst = append(dst, indent...)
	dst = append(dst, account...)
	pad := max(width-len(account), 0) + 2 + max(0, 12-centsWidth(cents)) // a category's account may be longer than width
	for range pad {
		dst = append(dst, ' ')
	}
	dst = appendCents(dst, cents)
	return append(dst, " EUR\n"...)
}

// appendForeign appends a card payment's original amount and currency
// ("7.60 CHF"), either part left out when the bank sent none.
func appendForeign(dst []byte, raw, currency string, rule *textRule) []byte {
	start := len(dst)
	dst = appendMinor(dst, raw, rule)
	if n := len(dst); n > start {
		dst = append(dst, ' ')
		if dst = appendClean(dst, currency, rule); len(dst) == n+1 {
			dst = dst[:n]
		}
		return dst
	}
	return appendClean(dst, currency, rule)
}

// categoryAccount is the ledger account of a konto category: its parts
// made safe by LedgerName under expenses: (income: for money in), as
// "insurance:health" becomes expenses:insurance:health, or
// Expenses:Insurance:Health for beancount; "" when no part has letters or
// digits left.
func categoryAccount(category string, income, beancount bool) string {
	var parts []string
	for _, part := range strings.Split(category, ":") {
		if p := LedgerName(part); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	root := "expenses"
	if income {
		root = "income"
	}
	name := root + ":" + strings.Join(parts, ":")
	if beancount {
		name = capitalise(name)
	}
	return name
}

// counterAccount is the account of a booking's other posting: its category's
// (Options.Results), else the unknown expenses or income.
func (r *run) counterAccount(i int, names ledgerNames, beancount bool) string {
	tx := &r.txs[i]
	if r.results != nil {
		if name := categoryAccount(r.results[i].Category, tx.Amount > 0, beancount); name != "" {
			return name
		}
	}
	if tx.Amount > 0 {
		return names.income
	}
	return names.expenses
}

// result is the labels of booking i (zero without Options.Results).
func (r *run) result(i int) rules.Result {
	if r.results == nil {
		return rules.Result{}
	}
	return r.results[i]
}
