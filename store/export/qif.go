package export

import (
	"strconv"
	"time"

	"konto/api"
)

// qifWriter writes Quicken Interchange Format for a bank account:
//
//	!Type:Bank
//	D08/07/2018
//	T-504.33
//	N905800
//	PKarl Lagerfeld
//	ME-16ab84e3177fdb4f692e02fd5b8ce808
//	^
//
// Dates are MM/DD/YYYY, the US spelling that Quicken writes and GnuCash's
// importer reads (with a four-digit year it is not ambiguous about the
// century); N carries the bank's id. A new file starts with Quicken's
// opening-balance record ("Opening Balance", L[account]). Bank text holds no
// line break, so it cannot start another field or record.
type qifWriter struct{}

func (q *qifWriter) head(r *run) {
	b := r.buf
	if !r.appending {
		b = append(b, "!Type:Bank\n"...)
	}
	if r.opening {
		b = appendQIFDate(b, r.openingDate, r.loc)
		b = append(b, 'T')
		b = appendCents(b, r.openingCents)
		b = append(b, "\nPOpening Balance\nL["...)
		n := len(b)
		if b = appendClean(b, r.acc.Label, qifAccount); len(b) == n {
			b = append(b, "Account"...)
		}
		b = append(b, "]\n^\n"...)
	}
	r.buf = b
}

func (q *qifWriter) entry(r *run, tx *api.Transaction) {
	b := appendQIFDate(r.buf, tx.BookingDate.Time, r.loc)
	b = append(b, 'T')
	b = appendCents(b, tx.Amount)
	b = append(b, "\nN"...)
	b = strconv.AppendInt(b, tx.ID, 10)
	b = append(b, '\n')
	b = qifLine(b, 'P', api.Str(tx.Name))
	b = qifLine(b, 'M', api.Str(tx.Purpose))
	r.buf = append(b, "^\n"...)
}

func (q *qifWriter) tail(*run) {}

// appendQIFDate appends "D" and the date in loc as MM/DD/YYYY.
func appendQIFDate(b []byte, t time.Time, loc *time.Location) []byte {
	y, m, d := t.In(loc).Date()
	b = append(b, 'D')
	b = append2(b, int(m))
	b = append(b, '/')
	b = append2(b, d)
	b = append(b, '/')
	b = append4(b, y)
	return append(b, '\n')
}

// qifLine appends one field when its text is not empty after cleaning.
func qifLine(b []byte, code byte, text string) []byte {
	mark := len(b)
	b = append(b, code)
	if b = appendClean(b, text, plainText); len(b) == mark+1 {
		return b[:mark]
	}
	return append(b, '\n')
}

// qifAccount keeps an account name inside its brackets.
var qifAccount = newRule("[-]-", "", nil)
