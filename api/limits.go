package api

import (
	"strings"
	"unicode/utf8"
)

// Field caps. Nothing in a bank's answer bounds the length of its texts: a
// broken or hostile server can send a name of a million characters, which
// konto would then keep in memory, cache and measure on every frame. So
// every text of a booking or an order is cut when it is decoded, to a length
// far beyond what SEPA or a card network produces (a SEPA name has at most
// 70 characters, a remittance text 140, an end-to-end id 35):
//
//	names (counterparty, recipient)        MaxNameLen  characters
//	purposes, notes, descriptions          MaxTextLen
//	URLs (invoice preview and download)    MaxURLLen
//	everything else (IBAN, ids, types, …)  MaxCodeLen
//
// A cut text keeps its first characters and ends in "…"; WasCut tells it
// from a text that was sent that way, so the details can say it was cut.
const (
	MaxNameLen = 140
	MaxTextLen = 512
	MaxURLLen  = 1024
	MaxCodeLen = 64
)

// cutMark ends a text that was cut.
const cutMark = "…"

// Cut returns s cut to max characters plus "…" when it is longer; the
// result shares no memory with s, so a huge answer is not kept alive by it.
func Cut(s string, max int) string {
	if len(s) <= max { // bytes ≥ characters: nothing to count
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.Clone(s[:i]) + cutMark
		}
		n++
	}
	return s
}

// WasCut reports whether s is the result of cutting a longer text to max
// characters. It is exact: a text of at most max characters is never cut,
// and a cut one has max characters plus the mark.
func WasCut(s string, max int) bool {
	return len(s) > max && strings.HasSuffix(s, cutMark) && utf8.RuneCountInString(s) == max+1
}

func cutPtr(p **string, max int) {
	if *p != nil && len(**p) > max {
		v := Cut(**p, max)
		*p = &v
	}
}

// CutFields cuts every text of t to its cap.
func (t *Transaction) CutFields() {
	cutPtr(&t.Name, MaxNameLen)
	cutPtr(&t.Purpose, MaxTextLen)
	cutPtr(&t.InvoicePreviewURL, MaxURLLen)
	cutPtr(&t.InvoiceDownloadURL, MaxURLLen)
	for _, p := range []**string{&t.Type, &t.Category, &t.IBAN, &t.E2EID, &t.BookingType,
		&t.OriginalAmount, &t.ForeignCurrency, &t.PaymentMethod, &t.DocumentType, &t.MandateNumber} {
		cutPtr(p, MaxCodeLen)
	}
}

// CutFields cuts every text of o to its cap.
func (o *StandingOrder) CutFields() {
	o.Name = Cut(o.Name, MaxNameLen)
	cutPtr(&o.Description, MaxTextLen)
	o.Status = Cut(o.Status, MaxCodeLen)
	o.IBAN = Cut(o.IBAN, MaxCodeLen)
	o.Reoccurrence = Cut(o.Reoccurrence, MaxCodeLen)
	cutPtr(&o.E2EID, MaxCodeLen)
}

// CutFields cuts every text of o to its cap.
func (o *TimedOrderListItem) CutFields() {
	o.RecipientName = Cut(o.RecipientName, MaxNameLen)
	cutPtr(&o.Purpose, MaxTextLen)
	o.ID = Cut(o.ID, MaxCodeLen)
	o.RecipientIBAN = Cut(o.RecipientIBAN, MaxCodeLen)
	cutPtr(&o.E2EID, MaxCodeLen)
	o.Status = Cut(o.Status, MaxCodeLen)
	o.Type = Cut(o.Type, MaxCodeLen)
}

// CutFields cuts every text of a to its cap.
func (a *Account) CutFields() {
	a.IBAN = Cut(a.IBAN, MaxCodeLen)
	cutPtr(&a.AccountType, MaxCodeLen)
}

// cutAnswer cuts the texts of a decoded answer that holds bookings,
// orders or accounts; other answers pass untouched.
func cutAnswer(out any) {
	if pp, ok := out.(*pooledPage); ok {
		out = &pp.TransactionPage
	}
	switch v := out.(type) {
	case *TransactionPage:
		for i := range v.Results {
			v.Results[i].CutFields()
		}
	case *Transaction:
		v.CutFields()
	case *[]StandingOrder:
		for i := range *v {
			(*v)[i].CutFields()
		}
	case *StandingOrder:
		v.CutFields()
	case *[]TimedOrderListItem:
		for i := range *v {
			(*v)[i].CutFields()
		}
	case *[]Account:
		for i := range *v {
			(*v)[i].CutFields()
		}
	}
}
