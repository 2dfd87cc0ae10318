package export

import (
	"strconv"
	"time"

	"konto/api"
)

// Columns are the CSV and TSV columns: the booking date (YYYY-MM-DD in the
// bank's time zone), then every field of api.Transaction in wire order under
// its wire name.
var Columns = []string{
	"date", "id", "amount", "type", "category", "name", "iban", "purpose", "e2eId",
	"bookingDate", "valutaDate", "bookingType", "originalAmount", "foreignCurrency",
	"paymentMethod", "invoiceNumber", "invoicePreviewUrl", "invoiceDownloadUrl",
	"userSelectedBookingDate", "documentType", "mandateNumber",
}

// delimitedWriter writes CSV (RFC 4180: comma-separated, CRLF-free, a field
// quoted when it holds a comma or a quote, quotes doubled) or TSV (tabs, no
// quoting), each with a header row of Columns. Amounts are euros with a dot
// ("-504.33", originalAmount too: "7.60"), timestamps RFC 3339 in the bank's
// time zone ("2018-08-07T00:00:00+02:00"), null fields empty. Bank text holds
// no line break and no tab (each became a space, see appendClean). A text
// field starting with '=', '+', '-' or '@' gets a leading "'", so that a
// spreadsheet opening the file shows it instead of running it as a formula;
// JSON is the format that carries bank text unchanged.
type delimitedWriter struct {
	sep byte
}

func (d *delimitedWriter) head(r *run) {
	if r.appending {
		return
	}
	b := r.buf
	for i, c := range Columns {
		if i > 0 {
			b = append(b, d.sep)
		}
		b = append(b, c...)
	}
	r.buf = append(b, '\n')
}

func (d *delimitedWriter) entry(r *run, tx *api.Transaction) {
	b := appendISODate(r.buf, tx.BookingDate.Time, r.loc)
	b = append(b, d.sep)
	b = strconv.AppendInt(b, tx.ID, 10)
	b = append(b, d.sep)
	b = appendCents(b, tx.Amount)
	b = d.text(b, tx.Type)
	category := tx.Category
	if c := r.result(r.cur).Category; c != "" {
		category = &c // konto's; the bank's is always null
	}
	b = d.text(b, category)
	b = d.text(b, tx.Name)
	b = d.text(b, tx.IBAN)
	b = d.text(b, tx.Purpose)
	b = d.text(b, tx.E2EID)
	b = d.time(b, &tx.BookingDate, r.loc)
	b = d.time(b, tx.ValutaDate, r.loc)
	b = d.text(b, tx.BookingType)
	b = append(b, d.sep)
	if tx.OriginalAmount != nil {
		b = d.field(b, func(b []byte) []byte { return appendMinor(b, *tx.OriginalAmount, d.rule()) })
	}
	b = d.text(b, tx.ForeignCurrency)
	b = d.text(b, tx.PaymentMethod)
	b = append(b, d.sep)
	if tx.InvoiceNumber != nil {
		b = strconv.AppendInt(b, *tx.InvoiceNumber, 10)
	}
	b = d.text(b, tx.InvoicePreviewURL)
	b = d.text(b, tx.InvoiceDownloadURL)
	b = d.time(b, tx.UserSelectedBookingDate, r.loc)
	b = d.text(b, tx.DocumentType)
	b = d.text(b, tx.MandateNumber)
	r.buf = append(b, '\n')
}

func (d *delimitedWriter) tail(*run) {}

// text appends the separator and a text field (empty for null).
func (d *delimitedWriter) text(b []byte, p *string) []byte {
	b = append(b, d.sep)
	if p == nil || *p == "" {
		return b
	}
	return d.field(b, func(b []byte) []byte {
		start := len(b)
		b = appendClean(b, *p, d.rule())
		if len(b) > start {
			switch b[start] {
			case '=', '+', '-', '@':
				b = append(b[:start+1], b[start:]...)
				b[start] = '\''
			}
		}
		return b
	})
}

// field appends what fill writes, quoted for CSV when it needs to be: fill
// doubles quotes (csvText), and the field is wrapped when it held one or a
// comma.
func (d *delimitedWriter) field(b []byte, fill func([]byte) []byte) []byte {
	if d.sep != ',' {
		return fill(b)
	}
	start := len(b)
	b = fill(b)
	quote := false
	for _, c := range b[start:] {
		if c == ',' || c == '"' {
			quote = true
			break
		}
	}
	if !quote {
		return b
	}
	b = append(b, 0)
	copy(b[start+1:], b[start:])
	b[start] = '"'
	return append(b, '"')
}

func (d *delimitedWriter) time(b []byte, t *api.TxTime, loc *time.Location) []byte {
	b = append(b, d.sep)
	if t == nil || t.IsZero() {
		return b
	}
	return t.In(loc).AppendFormat(b, time.RFC3339)
}

func (d *delimitedWriter) rule() *textRule {
	if d.sep == ',' {
		return csvText
	}
	return plainText
}

// csvText doubles the quote, as CSV does inside a quoted field.
var csvText = newRule("", "\"", func(b []byte, c byte) []byte { return append(b, '"', '"') })
