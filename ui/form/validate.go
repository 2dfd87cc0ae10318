package form

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"konto/api/sepa"
)

// Recipient checks a recipient name: required, and api/sepa's rules for a
// creditor name (its characters and length), the ones the bank applies too.
func Recipient(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("enter the recipient's name")
	}
	return sepa.FieldRecipient.Validate(s)
}

// IBAN checks an IBAN as typed (spaces and lower case are fine); the error
// reads "invalid IBAN: check digits do not match".
func IBAN(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("enter the recipient's IBAN")
	}
	return sepa.ValidateIBAN(s)
}

// ErrOwnIBAN refuses a payment to the account it is paid from.
var ErrOwnIBAN = errors.New("that is the IBAN of the account you are sending from")

// RecipientIBAN checks the IBAN a payment from the account with IBAN from
// goes to: IBAN's checks, and not that account itself (the user's other
// accounts are fine). from is the bank's and is not validated itself.
func RecipientIBAN(from string) func(string) error {
	own := sepa.NormalizeIBAN(from)
	return func(s string) error {
		if own != "" && sepa.NormalizeIBAN(s) == own {
			return ErrOwnIBAN
		}
		return IBAN(s)
	}
}

// IBANProgress is a hint while an IBAN is being typed: "12 of 22 characters",
// or "" when the country is unknown or the length reached.
func IBANProgress(s string) string {
	n := sepa.NormalizeIBAN(s)
	if len(n) < 2 {
		return ""
	}
	want, ok := sepa.IBANLength(n[:2])
	if !ok || len(n) >= want {
		return ""
	}
	return fmt.Sprintf("%d of %d characters", len(n), want)
}

// IBANPartial reports an IBAN still being typed: letters and digits only,
// a known country (or not yet two letters), and shorter than that country's
// IBANs. Anything else is wrong already and may be said at once.
func IBANPartial(s string) bool {
	n := sepa.NormalizeIBAN(s)
	for i, r := range n {
		letter := 'A' <= r && r <= 'Z'
		if i < 2 && !letter || i >= 2 && !letter && (r < '0' || r > '9') {
			return false
		}
	}
	if len(n) < 2 {
		return true
	}
	want, ok := sepa.IBANLength(n[:2])
	return ok && len(n) < want
}

// AmountPartial reports an amount that ends in a separator ("12,"): its
// decimals are still coming.
func AmountPartial(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ",") || strings.HasSuffix(s, ".")
}

// datePrefix matches what a date in either spelling looks like before its
// last digit is typed: "01.12.20", "1.", "2027-03-0".
var datePrefix = regexp.MustCompile(`^(\d{1,2}(\.(\d{1,2}(\.\d{0,3})?)?)?|\d{1,4}(-(\d{1,2}(-\d?)?)?)?)$`)

// DatePartial reports a date still being typed (see Date for the spellings).
func DatePartial(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && datePrefix.MatchString(s) && !germanDate.MatchString(s) && !isoDate.MatchString(s)
}

// Amount parses a euro amount as typed ("1.234,56", "1234.56", "12,5") and
// checks it is positive and, when limit is set (≥ 0), not above limit cents
// (the balance).
func Amount(s string, limit int64) (int64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, errors.New("enter the amount")
	}
	cents, err := sepa.ParseAmount(s)
	if err != nil {
		return 0, err
	}
	if cents <= 0 {
		return 0, errors.New("the amount must be more than 0,00 €")
	}
	if limit >= 0 && cents > limit {
		return 0, fmt.Errorf("more than the balance of %s", sepa.FormatEuro(limit))
	}
	return cents, nil
}

// Note checks the booking text (optional) by api/sepa's rules for it: the
// characters SEPA allows, at most 140 of them.
func Note(s string) error { return sepa.FieldNote.Validate(s) }

// noteCounterFrom is where the note's counter appears: the limit comes into
// sight before it is reached.
const noteCounterFrom = sepa.MaxNoteLen - 20

// NoteCounter is the note field's hint: "120/140 characters" from 120
// characters on. Past the limit the field's error shows instead.
func NoteCounter(s string) string {
	if n := utf8.RuneCountInString(s); n >= noteCounterFrom {
		return fmt.Sprintf("%d/%d characters", n, sepa.MaxNoteLen)
	}
	return ""
}

// E2EID checks the optional end-to-end id by api/sepa's rules for a
// reference: at most 35 characters of the basic Latin set, no "/" at either
// end and no "//".
func E2EID(s string) error { return sepa.FieldE2EID.Validate(s) }

var (
	germanDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	isoDate    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
)

// Date reads a calendar day typed as DD.MM.YYYY or YYYY-MM-DD and returns
// its midnight in loc. Days the calendar does not have (31.02.2027,
// 29.02.2027) are refused, not rolled over into the next month.
func Date(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	switch {
	case s == "":
		return time.Time{}, errors.New("enter a date")
	case germanDate.MatchString(s):
		p := germanDate.FindStringSubmatch(s)
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case isoDate.MatchString(s):
		p := isoDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	default:
		return time.Time{}, errors.New("write the date as DD.MM.YYYY or YYYY-MM-DD")
	}
	if m < 1 || m > 12 {
		return time.Time{}, fmt.Errorf("there is no month %d", m)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if d < 1 || t.Day() != d || t.Month() != time.Month(m) {
		return time.Time{}, fmt.Errorf("%s %d has no day %d", time.Month(m), y, d)
	}
	return t, nil
}

// Today is the calendar day of now in loc, at midnight.
func Today(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// NotPast reads a date that must be today or later.
func NotPast(s string, now time.Time, loc *time.Location) (time.Time, error) {
	t, err := Date(s, loc)
	if err != nil {
		return t, err
	}
	if t.Before(Today(now, loc)) {
		return time.Time{}, errors.New("the date is in the past")
	}
	return t, nil
}

// Future reads a date that must be tomorrow or later (a timed order runs
// during its day, so today may already be too late).
func Future(s string, now time.Time, loc *time.Location) (time.Time, error) {
	t, err := Date(s, loc)
	if err != nil {
		return t, err
	}
	if !t.After(Today(now, loc)) {
		return time.Time{}, errors.New("choose a day after today")
	}
	return t, nil
}

// WireDay is the moment sent to the bank for a calendar day: noon in the
// bank's time zone, which falls on the same calendar day in UTC too, so a
// bank that reads the date in either zone sees the day the user meant.
func WireDay(day time.Time) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, 12, 0, 0, 0, day.Location()).UTC()
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // the regexps admit digits only
	return n
}

// TextLimit is the most characters a text field takes: far more than any
// SEPA field holds, so a name or note pasted too long is kept as it was and
// named too long ("82 of at most 70 characters"), never cut without a word.
const TextLimit = 1000

// Respelled says under a pre-filled field which characters were written
// differently for SEPA: "è written as e for SEPA", "é written as e, ł as l
// for SEPA".
func Respelled(done []sepa.Replacement) string {
	if len(done) == 0 {
		return ""
	}
	parts := make([]string, len(done))
	for i, r := range done {
		parts[i] = string(r.From) + " as " + r.To
		if i == 0 {
			parts[i] = r.String()
		}
	}
	return strings.Join(parts, ", ") + " for SEPA"
}
