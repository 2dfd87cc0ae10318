package export

import (
	"strconv"

	"konto/api"
)

// hledgerWriter writes an hledger journal:
//
//	2018-08-07 (905800) Karl Lagerfeld | E-16ab84e3177fdb4f692e02fd5b8ce808
//	    ; konto-id:905800, iban:DE35120300001012765235, e2e:E-16ab84e3177fdb4f692e02fd5b8ce808
//	    assets:bank:kontist:main          -504.33 EUR
//	    expenses:unknown                   504.33 EUR
//
// The date is the booking date, followed by "=value date" where that differs;
// the code is the bank's id; the description is "payee | purpose" (hledger's
// payee and note). The tags carry the id again (what KnownIDs reads: a code
// alone is too common in hand-written entries to identify konto's), the
// other party's IBAN, the end-to-end id, the mandate and a card payment's
// original amount. Bank text cannot end the description (';' becomes ','),
// split the payee ('|' becomes '/') or start a tag (',' in tag values
// becomes ';'); it never holds a line break.
type hledgerWriter struct {
	names ledgerNames
}

func (h *hledgerWriter) head(r *run) {
	b := r.buf
	if !r.appending {
		b = append(b, "; Kontist account "...)
		b = strconv.AppendInt(b, r.acc.ID, 10)
		if r.acc.IBAN != "" {
			b = append(b, " ("...)
			b = appendIBAN(b, r.acc.IBAN)
			b = append(b, ')')
		}
		b = append(b, ", exported by konto.\n"...)
		b = append(b, "; Each booking carries the bank's id as its code and in the tag konto-id,\n"...)
		b = append(b, "; by which konto export --new knows the bookings this file holds.\n"...)
	}
	if r.opening {
		b = append(b, '\n')
		b = appendISODate(b, r.openingDate, r.loc)
		b = append(b, " Opening balance\n    ; konto-opening:"...)
		b = strconv.AppendInt(b, r.acc.ID, 10)
		b = append(b, '\n')
		b = appendPosting(b, "    ", h.names.bank, h.names.width, r.openingCents)
		b = appendPosting(b, "    ", h.names.equity, h.names.width, -r.openingCents)
	}
	r.buf = b
}

func (h *hledgerWriter) entry(r *run, tx *api.Transaction) {
	b := append(r.buf, '\n')
	b = appendISODate(b, tx.BookingDate.Time, r.loc)
	if tx.ValutaDate != nil && !tx.ValutaDate.IsZero() && !sameDay(tx.ValutaDate.Time, tx.BookingDate.Time, r.loc) {
		b = append(b, '=')
		b = appendISODate(b, tx.ValutaDate.Time, r.loc)
	}
	b = append(b, " ("...)
	b = strconv.AppendInt(b, tx.ID, 10)
	b = append(b, ')')
	name, purpose := api.Str(tx.Name), api.Str(tx.Purpose)
	mark := len(b)
	b = append(b, ' ')
	if b = appendClean(b, name, hledgerPayee); len(b) > mark+1 {
		p := len(b)
		b = append(b, " | "...)
		if b = appendClean(b, purpose, hledgerNote); len(b) == p+3 {
			b = b[:p] // no purpose
		}
	} else if b = appendClean(b, purpose, hledgerPayee); len(b) == mark+1 {
		// No payee: the purpose (if any) is the description and must not split it.
		b = b[:mark]
	}
	b = append(b, "\n    ; konto-id:"...)
	b = strconv.AppendInt(b, tx.ID, 10)
	if tx.IBAN != nil {
		b = hledgerTagIBAN(b, *tx.IBAN)
	}
	b = hledgerTag(b, "e2e", api.Str(tx.E2EID))
	b = hledgerTag(b, "mandate", api.Str(tx.MandateNumber))
	if raw, cur := api.Str(tx.OriginalAmount), api.Str(tx.ForeignCurrency); raw != "" || cur != "" {
		mark := len(b)
		b = append(b, ", foreign:"...)
		n := len(b)
		if b = appendForeign(b, raw, cur, hledgerTagValue); len(b) == n {
			b = b[:mark]
		}
	}
	res := r.result(r.cur)
	for _, tag := range res.Tags {
		if name := LedgerName(tag); name != "" && name != "konto-id" {
			b = append(b, ", "...)
			b = append(b, name...)
			b = append(b, ':')
		}
	}
	b = hledgerTag(b, "note", res.Note)
	if res.Marked {
		b = append(b, ", marked:"...)
	}
	b = append(b, '\n')
	other := r.counterAccount(r.cur, h.names, false)
	b = appendPosting(b, "    ", h.names.bank, h.names.width, tx.Amount)
	b = appendPosting(b, "    ", other, h.names.width, -tx.Amount)
	r.buf = b
}

func (h *hledgerWriter) tail(*run) {}

// hledgerTag appends ", name:value" when value has text left after cleaning.
func hledgerTag(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	mark := len(b)
	b = append(b, ", "...)
	b = append(b, name...)
	b = append(b, ':')
	n := len(b)
	if b = appendClean(b, value, hledgerTagValue); len(b) == n {
		return b[:mark]
	}
	return b
}

func hledgerTagIBAN(b []byte, iban string) []byte {
	mark := len(b)
	b = append(b, ", iban:"...)
	n := len(b)
	if b = appendIBAN(b, iban); len(b) == n {
		return b[:mark]
	}
	return b
}

// The rules for bank text in a journal: a description's payee (or a
// description without one) must neither end the description (';' starts a
// comment) nor split it ('|' separates payee and note); its note must not end
// it; a tag value must not start another tag (',' ends a value).
var (
	hledgerPayee    = newRule(";,|/", "", nil)
	hledgerNote     = newRule(";,", "", nil)
	hledgerTagValue = newRule(",;", "", nil)
)
