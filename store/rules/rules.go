// Package rules categorises bookings: the [[rules]] of the config file and
// a few built-in defaults give a booking a category, a clean payee name and
// tags, and a user's own labels (a category set by hand, tags, a note, a
// mark, kept in the offline cache) go on top. First matching rule wins.
//
// A rule matches on the counterparty (contains, folded as the filter line
// folds: case, accents and ß do not matter; or a regular expression), the
// IBAN, the purpose, the booking type or payment method, an amount range in
// the filter's syntax, the direction and whether the booking was in a
// foreign currency. Every key a rule names must match.
//
// The package knows no terminal and no file format but the TOML of a rule:
// the config parser hands each [[rules]] table to FromTable, and AppendRule
// adds a rule to the config file without touching the rest of it.
package rules

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"konto/api"
	"konto/api/sepa"
	"konto/store/amount"
	"konto/store/textfold"
)

// Rule is one [[rules]] table. Empty match keys match every booking; at
// least one must be set, and at least one of Category, Payee and Tags.
type Rule struct {
	// Match keys.
	Counterparty      string // the counterparty's name contains it (folded)
	CounterpartyRegex string // the name matches this regular expression (case-insensitive)
	IBAN              string // the counterparty's IBAN is this one (spaces and case ignored)
	Purpose           string // the purpose contains it (folded)
	PurposeRegex      string // the purpose matches this regular expression (case-insensitive)
	Type              string // the booking type or payment method contains it (card, direct_debit)
	Amount            string // signed euros in the filter's syntax: "-100..-10", ">1000", "<0"
	Direction         string // "in" or "out"
	Foreign           *bool  // paid in a foreign currency (true) or in euros (false)

	// What a matching booking gets.
	Category string   // "rent", "insurance:health"
	Payee    string   // a clean name shown instead of the bank's
	Tags     []string // "tax", "daily"

	// Source says where the rule was written, "config.toml:12" or
	// "built-in", for the details pane and errors.
	Source string
}

// Keys lists a rule's TOML keys, in the order a rule is written.
var Keys = []string{"counterparty", "counterparty_regex", "iban", "purpose", "purpose_regex",
	"type", "amount", "direction", "foreign", "category", "payee", "tags"}

// FieldError is a problem with one key of a rule ("" for the whole rule).
type FieldError struct {
	Key string
	Msg string
}

func (e *FieldError) Error() string {
	if e.Key == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Msg)
}

// Validate checks a rule as Compile does and returns every problem, one
// per key, in the order of Keys.
func (r Rule) Validate() []*FieldError {
	_, errs := compile(r)
	return errs
}

// Compile makes a matcher of r, or returns the first of its problems
// (a *FieldError).
func Compile(r Rule) (*Matcher, error) {
	m, errs := compile(r)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return m, nil
}

// Matcher is a compiled rule.
type Matcher struct {
	rule         Rule
	counterparty string // folded
	nameRe       *regexp.Regexp
	iban         string // normalised
	purpose      string // folded
	purposeRe    *regexp.Regexp
	kind         string // folded
	amt          amount.Range
	hasAmount    bool
	dir          int // +1 in, -1 out, 0 either
	foreign      *bool
	tags         []string
}

// Rule is the rule the matcher was compiled from.
func (m *Matcher) Rule() Rule { return m.rule }

func compile(r Rule) (*Matcher, []*FieldError) {
	var errs []*FieldError
	fail := func(key, format string, args ...any) {
		errs = append(errs, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	m := &Matcher{rule: r, foreign: r.Foreign}
	matchKeys := 0
	text := func(key, s string) string {
		if s == "" {
			return ""
		}
		matchKeys++
		if !utf8.ValidString(s) {
			fail(key, "not valid UTF-8")
			return ""
		}
		f := textfold.Fold(s)
		if f == "" {
			fail(key, "nothing to match: %q folds to an empty text", s)
		}
		return f
	}
	regex := func(key, s string) *regexp.Regexp {
		if s == "" {
			return nil
		}
		matchKeys++
		if !utf8.ValidString(s) {
			fail(key, "not valid UTF-8")
			return nil
		}
		re, err := regexp.Compile("(?i)" + s)
		if err != nil {
			var se *syntax.Error
			msg := err.Error()
			if errors.As(err, &se) {
				msg = string(se.Code) + " in " + strings.TrimPrefix(se.Expr, "(?i)")
			}
			fail(key, "not a regular expression: %s", msg)
		}
		return re
	}
	m.counterparty = text("counterparty", r.Counterparty)
	m.nameRe = regex("counterparty_regex", r.CounterpartyRegex)
	if r.IBAN != "" {
		matchKeys++
		m.iban = sepa.NormalizeIBAN(r.IBAN)
		if err := sepa.ValidateIBAN(m.iban); err != nil {
			fail("iban", "%v", err)
		}
	}
	m.purpose = text("purpose", r.Purpose)
	m.purposeRe = regex("purpose_regex", r.PurposeRegex)
	if r.Type != "" {
		matchKeys++
		if m.kind = textfold.FoldType(r.Type); m.kind == "" {
			fail("type", "no type given")
		}
	}
	if r.Amount != "" {
		matchKeys++
		rg, _, err := amount.Parse(r.Amount)
		if err != nil {
			fail("amount", "%q is not an amount condition: write e.g. \"-100..-10\", \">1000\" or \"<0\" (euros)", r.Amount)
		}
		m.amt, m.hasAmount = rg, true
	}
	switch strings.ToLower(strings.TrimSpace(r.Direction)) {
	case "":
	case "in":
		matchKeys++
		m.dir = 1
	case "out":
		matchKeys++
		m.dir = -1
	default:
		fail("direction", "want \"in\" or \"out\", got %q", r.Direction)
	}
	if r.Foreign != nil {
		matchKeys++
	}
	if r.Category != "" {
		if err := ValidCategory(r.Category); err != nil {
			fail("category", "%v", err)
		}
	}
	if r.Payee != "" {
		if err := validText(r.Payee, 140); err != nil {
			fail("payee", "%v", err)
		}
	}
	for _, tag := range r.Tags {
		if err := ValidTag(tag); err != nil {
			fail("tags", "%v", err)
			continue
		}
		if !slices.Contains(m.tags, tag) {
			m.tags = append(m.tags, tag)
		}
	}
	if matchKeys == 0 {
		fail("", "matches every booking: give at least one of counterparty, counterparty_regex, iban, purpose, purpose_regex, type, amount, direction, foreign")
	}
	if r.Category == "" && r.Payee == "" && len(r.Tags) == 0 {
		fail("", "does nothing: give a category, a payee or tags")
	}
	return m, errs
}

// ValidCategory checks a category name: words separated by ':' for a
// hierarchy ("insurance:health", written as the ledger account
// expenses:insurance:health), no control characters, at most 64 letters.
func ValidCategory(s string) error {
	if strings.TrimSpace(s) != s || s == "" {
		return errors.New("a category has no spaces at its ends and is not empty")
	}
	if err := validText(s, 64); err != nil {
		return err
	}
	for _, part := range strings.Split(s, ":") {
		if strings.TrimSpace(part) == "" {
			return fmt.Errorf("%q has an empty part between ':'", s)
		}
	}
	if strings.ContainsAny(s, ";#,\"") {
		return fmt.Errorf("%q: a category cannot hold ; # , or \"", s)
	}
	return nil
}

// ValidTag checks a tag: letters, digits, '-', '_' and '.', at most 32.
func ValidTag(s string) error {
	if s == "" {
		return errors.New("empty tag")
	}
	if utf8.RuneCountInString(s) > 32 {
		return fmt.Errorf("tag %q is longer than 32 letters", s)
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' {
			return fmt.Errorf("tag %q: use letters, digits, '-', '_' and '.'", s)
		}
	}
	return nil
}

func validText(s string, max int) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("longer than %d letters", max)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("%q holds a control character", s)
		}
	}
	return nil
}

// booking is what matching needs of a transaction, folded once.
type booking struct {
	tx          *api.Transaction
	name        string // folded
	purpose     string // folded, once a rule asks (see folded)
	purposeDone bool
	folder      *textfold.Folder
	iban        string // normalised, only if a rule needs it
	kinds       string // folded "bookingtype\x00paymentmethod", only if a rule needs it
}

// Match reports whether the rule matches tx.
func (m *Matcher) Match(tx *api.Transaction) bool {
	b := booking{tx: tx, name: textfold.Fold(api.Str(tx.Name)), iban: sepa.NormalizeIBAN(api.Str(tx.IBAN)), kinds: kinds(tx)}
	return m.matchName(api.Str(tx.Name), b.name) && m.matchRest(&b)
}

func kinds(tx *api.Transaction) string {
	return textfold.FoldType(api.Str(tx.BookingType)) + "\x00" + textfold.FoldType(api.Str(tx.PaymentMethod))
}

// matchName checks what the rule says of the counterparty's name (raw and
// folded): a history repeats a few hundred names, so ApplyAll asks once
// per name.
func (m *Matcher) matchName(raw, folded string) bool {
	if m.counterparty != "" && !strings.Contains(folded, m.counterparty) {
		return false
	}
	return m.nameRe == nil || m.nameRe.MatchString(folded) || m.nameRe.MatchString(raw)
}

// matchRest checks everything but the name, cheapest first.
func (m *Matcher) matchRest(b *booking) bool {
	a := b.tx.Amount
	switch {
	case m.dir > 0 && a <= 0, m.dir < 0 && a >= 0:
		return false
	case m.hasAmount && !m.amt.Contains(a):
		return false
	case m.foreign != nil && *m.foreign != isForeign(b.tx):
		return false
	case m.iban != "" && b.iban != m.iban:
		return false
	case m.kind != "" && !strings.Contains(b.kinds, m.kind):
		return false
	case m.purpose != "" && !strings.Contains(b.foldedPurpose(), m.purpose):
		return false
	}
	return m.purposeRe == nil || m.purposeRe.MatchString(b.foldedPurpose()) || m.purposeRe.MatchString(api.Str(b.tx.Purpose))
}

// foldedPurpose folds the purpose the first time a rule looks at it: most
// bookings are decided by their name, amount or type before.
func (b *booking) foldedPurpose() string {
	if !b.purposeDone {
		if b.folder == nil {
			b.folder = &textfold.Folder{}
		}
		b.purpose, b.purposeDone = b.folder.Fold(api.Str(b.tx.Purpose)), true
	}
	return b.purpose
}

// isForeign reports a booking in another currency than the euro.
func isForeign(tx *api.Transaction) bool {
	c := strings.ToUpper(strings.TrimSpace(api.Str(tx.ForeignCurrency)))
	return c != "" && c != "EUR"
}
