package export

import (
	"slices"
	"strconv"

	"konto/api"
)

// beancountWriter writes a beancount ledger:
//
//	2018-08-07 * "Karl Lagerfeld" "E-16ab84e3177fdb4f692e02fd5b8ce808"
//	  konto-id: "905800"
//	  iban: "DE35120300001012765235"
//	  e2e: "E-16ab84e3177fdb4f692e02fd5b8ce808"
//	  Assets:Bank:Kontist:Main           -504.33 EUR
//	  Expenses:Unknown                    504.33 EUR
//
// with the same content as the hledger journal: the value date where it
// differs from the booking date is the metadata value-date. Bank text sits in
// double-quoted strings with '"' and '\' escaped and no line breaks, so it
// cannot leave its string.
//
// A new ledger opens its accounts the day before the oldest booking; an
// export that adds bookings ends with a balance assertion dated the balance's
// day (Account.AsOf), unless the file has one of that day already.
// Beancount checks an assertion against the bookings before its date, so the
// asserted amount is the balance less the bookings of that day and later: it
// stays true when later exports add bookings of the same day.
type beancountWriter struct {
	names ledgerNames
}

func (bw *beancountWriter) head(r *run) {
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
		b = append(b, "; Each booking carries the bank's id in the metadata konto-id,\n"...)
		b = append(b, "; by which konto export --new knows the bookings this file holds.\n"...)
	}
	opens := false
	accounts := []string{bw.names.bank, bw.names.expenses, bw.names.income, bw.names.equity}
	if r.results != nil {
		// The categories' accounts, for the bookings this run writes.
		seen := map[string]bool{}
		for _, i := range r.order {
			if name := r.counterAccount(int(i), bw.names, true); !r.known[r.txs[i].ID] && !seen[name] && !slices.Contains(accounts, name) {
				seen[name] = true
				accounts = append(accounts, name)
			}
		}
		slices.Sort(accounts[4:])
	}
	for _, name := range accounts {
		if r.opened[name] {
			continue
		}
		if !opens {
			b = append(b, '\n')
			opens = true
		}
		b = appendISODate(b, r.openingDate, r.loc)
		b = append(b, " open "...)
		b = append(b, name...)
		if name == bw.names.bank {
			b = append(b, " EUR\n  konto-account: \""...)
			b = strconv.AppendInt(b, r.acc.ID, 10)
			b = append(b, "\"\n"...)
			b = beancountIBAN(b, r.acc.IBAN)
			continue
		}
		b = append(b, '\n')
	}
	if r.opening {
		b = append(b, '\n')
		b = appendISODate(b, r.openingDate, r.loc)
		b = append(b, " * \"Opening balance\"\n  konto-opening: \""...)
		b = strconv.AppendInt(b, r.acc.ID, 10)
		b = append(b, "\"\n"...)
		b = appendPosting(b, "  ", bw.names.bank, bw.names.width, r.openingCents)
		b = appendPosting(b, "  ", bw.names.equity, bw.names.width, -r.openingCents)
	}
	r.buf = b
}

func (bw *beancountWriter) entry(r *run, tx *api.Transaction) {
	res := r.result(r.cur)
	b := append(r.buf, '\n')
	b = appendISODate(b, tx.BookingDate.Time, r.loc)
	if res.Marked {
		b = append(b, " ! \""...) // beancount's flag for "needs attention"
	} else {
		b = append(b, " * \""...)
	}
	mark := len(b)
	if b = appendClean(b, api.Str(tx.Name), beancountString); len(b) > mark {
		b = append(b, "\" \""...)
	}
	b = appendClean(b, api.Str(tx.Purpose), beancountString)
	b = append(b, '"')
	for _, tag := range res.Tags {
		if name := LedgerName(tag); name != "" {
			b = append(b, " #"...)
			b = append(b, name...)
		}
	}
	b = append(b, "\n  konto-id: \""...)
	b = strconv.AppendInt(b, tx.ID, 10)
	b = append(b, "\"\n"...)
	if tx.ValutaDate != nil && !tx.ValutaDate.IsZero() && !sameDay(tx.ValutaDate.Time, tx.BookingDate.Time, r.loc) {
		b = append(b, "  value-date: "...)
		b = appendISODate(b, tx.ValutaDate.Time, r.loc)
		b = append(b, '\n')
	}
	if tx.IBAN != nil {
		b = beancountIBAN(b, *tx.IBAN)
	}
	b = beancountMeta(b, "e2e", api.Str(tx.E2EID))
	b = beancountMeta(b, "mandate", api.Str(tx.MandateNumber))
	b = beancountMeta(b, "note", res.Note)
	if raw, cur := api.Str(tx.OriginalAmount), api.Str(tx.ForeignCurrency); raw != "" || cur != "" {
		mark := len(b)
		b = append(b, "  foreign: \""...)
		n := len(b)
		if b = appendForeign(b, raw, cur, beancountString); len(b) == n {
			b = b[:mark]
		} else {
			b = append(b, "\"\n"...)
		}
	}
	other := r.counterAccount(r.cur, bw.names, true)
	b = appendPosting(b, "  ", bw.names.bank, bw.names.width, tx.Amount)
	b = appendPosting(b, "  ", other, bw.names.width, -tx.Amount)
	r.buf = b
}

func (bw *beancountWriter) tail(r *run) {
	if r.written == 0 && !r.opening {
		return // nothing added: the file's last assertion still holds
	}
	day := dayOf(r.acc.AsOf, r.loc)
	date := string(appendISODate(nil, day, r.loc))
	if r.asserted >= date {
		return // the file asserts this day (or a later one) already
	}
	asserted := r.acc.Balance
	for i := range r.txs {
		if !r.txs[i].BookingDate.Before(day) {
			asserted -= r.txs[i].Amount
		}
	}
	b := append(r.buf, '\n')
	b = appendISODate(b, day, r.loc)
	b = append(b, " balance "...)
	b = appendPosting(b, "", bw.names.bank, bw.names.width, asserted)
	r.buf = b
}

// beancountIBAN appends the metadata line "  iban: "DE…"" when iban has
// letters or digits.
func beancountIBAN(b []byte, iban string) []byte {
	mark := len(b)
	b = append(b, "  iban: \""...)
	n := len(b)
	if b = appendIBAN(b, iban); len(b) == n {
		return b[:mark]
	}
	return append(b, "\"\n"...)
}

// beancountMeta appends a string metadata line when value has text left
// after cleaning.
func beancountMeta(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	mark := len(b)
	b = append(b, "  "...)
	b = append(b, key...)
	b = append(b, ": \""...)
	n := len(b)
	if b = appendClean(b, value, beancountString); len(b) == n {
		return b[:mark]
	}
	return append(b, "\"\n"...)
}

// beancountString escapes the two characters a beancount string escapes.
var beancountString = newRule("", "\"\\", func(b []byte, c byte) []byte { return append(b, '\\', c) })
