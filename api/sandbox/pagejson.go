package sandbox

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"konto/api"
)

// appendPage writes a transactions page exactly as encodeJSON would (same
// bytes, newline included) without reflection: a sync of a million
// bookings asks for 20,000 pages, and the sandbox must not be what a
// benchmark of the client measures.
func appendPage(dst []byte, p api.TransactionPage) []byte {
	dst = append(dst, `{"next":`...)
	dst = appendStrPtr(dst, p.Next)
	dst = append(dst, `,"total":`...)
	dst = strconv.AppendInt(dst, int64(p.Total), 10)
	dst = append(dst, `,"results":`...)
	if p.Results == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range p.Results {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendTx(dst, &p.Results[i])
		}
		dst = append(dst, ']')
	}
	return append(dst, "}\n"...)
}

func appendTx(dst []byte, t *api.Transaction) []byte {
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, t.ID, 10)
	dst = append(dst, `,"amount":`...)
	dst = strconv.AppendInt(dst, t.Amount, 10)
	dst = append(dst, `,"type":`...)
	dst = appendStrPtr(dst, t.Type)
	dst = append(dst, `,"category":`...)
	dst = appendStrPtr(dst, t.Category)
	dst = append(dst, `,"name":`...)
	dst = appendStrPtr(dst, t.Name)
	dst = append(dst, `,"iban":`...)
	dst = appendStrPtr(dst, t.IBAN)
	dst = append(dst, `,"purpose":`...)
	dst = appendStrPtr(dst, t.Purpose)
	dst = append(dst, `,"e2eId":`...)
	dst = appendStrPtr(dst, t.E2EID)
	dst = append(dst, `,"bookingDate":`...)
	dst = appendTxTime(dst, &t.BookingDate)
	dst = append(dst, `,"valutaDate":`...)
	dst = appendTxTime(dst, t.ValutaDate)
	dst = append(dst, `,"bookingType":`...)
	dst = appendStrPtr(dst, t.BookingType)
	dst = append(dst, `,"originalAmount":`...)
	dst = appendStrPtr(dst, t.OriginalAmount)
	dst = append(dst, `,"foreignCurrency":`...)
	dst = appendStrPtr(dst, t.ForeignCurrency)
	dst = append(dst, `,"paymentMethod":`...)
	dst = appendStrPtr(dst, t.PaymentMethod)
	dst = append(dst, `,"invoiceNumber":`...)
	if t.InvoiceNumber == nil {
		dst = append(dst, "null"...)
	} else {
		dst = strconv.AppendInt(dst, *t.InvoiceNumber, 10)
	}
	dst = append(dst, `,"invoicePreviewUrl":`...)
	dst = appendStrPtr(dst, t.InvoicePreviewURL)
	dst = append(dst, `,"invoiceDownloadUrl":`...)
	dst = appendStrPtr(dst, t.InvoiceDownloadURL)
	dst = append(dst, `,"userSelectedBookingDate":`...)
	dst = appendTxTime(dst, t.UserSelectedBookingDate)
	dst = append(dst, `,"documentType":`...)
	dst = appendStrPtr(dst, t.DocumentType)
	dst = append(dst, `,"mandateNumber":`...)
	dst = appendStrPtr(dst, t.MandateNumber)
	return append(dst, '}')
}

func appendTxTime(dst []byte, t *api.TxTime) []byte {
	if t == nil {
		return append(dst, "null"...)
	}
	u := t.UTC()
	year := u.Year()
	if year < 0 || year > 9999 {
		dst = append(dst, '"')
		dst = u.AppendFormat(dst, "2006-01-02T15:04:05-07:00")
		return append(dst, '"')
	}
	month, day := u.Month(), u.Day()
	hour, minute, sec := u.Clock()
	dst = append(dst, '"')
	dst = append(dst, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	dst = append2(dst, int(month), '-')
	dst = append2(dst, day, 'T')
	dst = append2(dst, hour, ':')
	dst = append2(dst, minute, ':')
	dst = append2(dst, sec, '+')
	return append(dst, `00:00"`...)
}

// append2 writes a two-digit number and a separator.
func append2(dst []byte, v int, sep byte) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10), sep)
}

func appendStrPtr(dst []byte, p *string) []byte {
	if p == nil {
		return append(dst, "null"...)
	}
	return appendString(dst, *p)
}

// appendString writes plain text as it is; anything encoding/json would
// escape (quotes, controls, invalid UTF-8, U+2028/9) goes through it.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if c < utf8.RuneSelf || r == utf8.RuneError || r == 0x2028 || r == 0x2029 {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s) // a string always encodes
			return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
		i += size
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
