package api

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// A hand-written decoder for the transactions page, the answer a sync asks
// for tens of thousands of times: encoding/json spends most of a sync in
// reflection and allocates every string, every pointer and every time on
// its own (318 MB per 100k bookings). This one reads the page in one pass,
// keeps the strings of a page in a few shared blocks and the pointed-to
// values in slabs, and shares one pointer between equal short codes of a
// page (types, categories, currencies: nothing writes through them).
//
// It vouches only for input it fully understands: exact key names, each
// once, values of the expected kinds, valid UTF-8, integers without
// fraction or exponent, the bank's two time layouts. Anything else (an
// unknown or differently cased key, a number 1e3, an escaped surrogate …)
// makes it give up, and encoding/json decides, with its result or its
// error. So it never accepts what encoding/json would refuse nor decodes
// anything differently (FuzzPageDecoder holds it to that).

// decodeAnswer decodes a 2xx answer into out.
func decodeAnswer(body []byte, out any) error {
	var bufs *pageBuffers
	if pp, ok := out.(*pooledPage); ok {
		out, bufs = &pp.TransactionPage, pp.bufs
	}
	if p, ok := out.(*TransactionPage); ok {
		saved := *p
		if decodePage(body, p, bufs) {
			return nil
		}
		results := p.Results[:0]
		*p = saved
		p.Results = results
	}
	return json.Unmarshal(body, out)
}

// pooledPage is a transactions page to decode into bufs.
type pooledPage struct {
	TransactionPage
	bufs *pageBuffers
}

// pageBuffers are the blocks and slabs a decoded page points into, kept
// to decode another page into once nothing reads this one any more (a
// streamed sync's page, once the stream took it).
type pageBuffers struct {
	blocks [][]byte
	strs   [][]string
	times  [][]TxTime
	ints   [][]int64
	codes  map[string]*string
	// used counts the entries of each the page in them uses.
	usedBlocks, usedStrs, usedTimes, usedInts int
}

// reuse starts the buffers over for the next page.
func (b *pageBuffers) reuse() {
	b.usedBlocks, b.usedStrs, b.usedTimes, b.usedInts = 0, 0, 0, 0
	clear(b.codes)
}

// take returns the next of list empty, made of size when there is none.
func take[T any](list *[][]T, used *int, size int) []T {
	if *used == len(*list) {
		*list = append(*list, make([]T, 0, size))
	}
	*used++
	return (*list)[*used-1][:0]
}

// decodePage decodes a transactions page into p, appending the results to
// p.Results[:0] (so a caller can hand it the place in a larger slice), its
// strings and pointed-to values in bufs (nil: made for it). It reports
// false when encoding/json must decide.
func decodePage(data []byte, p *TransactionPage, bufs *pageBuffers) bool {
	d := pageDecoder{data: data, bufs: bufs}
	if bufs != nil {
		d.block, d.strs, d.times, d.ints = d.newBlock(), d.newStrs(), d.newTimes(), d.newInts()
		if bufs.codes == nil {
			bufs.codes = make(map[string]*string, 64)
		}
		d.codes = bufs.codes
		return d.page(p)
	}
	// The first block and slabs are sized for the page (a booking is some
	// 700 bytes with ten strings and two times), later ones at full size.
	d.block = make([]byte, 0, min(pageBlockSize, len(data)))
	d.strs = make([]string, 0, min(pageSlabSize*4, 8+len(data)/64))
	d.times = make([]TxTime, 0, min(pageSlabSize, 4+len(data)/300))
	d.ints = make([]int64, 0, min(pageSlabSize, 4+len(data)/600))
	return d.page(p)
}

func (d *pageDecoder) newBlock() []byte {
	if d.bufs == nil {
		return make([]byte, 0, pageBlockSize)
	}
	return take(&d.bufs.blocks, &d.bufs.usedBlocks, pageBlockSize)
}

func (d *pageDecoder) newStrs() []string {
	if d.bufs == nil {
		return make([]string, 0, pageSlabSize)
	}
	return take(&d.bufs.strs, &d.bufs.usedStrs, pageSlabSize*4)
}

func (d *pageDecoder) newTimes() []TxTime {
	if d.bufs == nil {
		return make([]TxTime, 0, pageSlabSize)
	}
	return take(&d.bufs.times, &d.bufs.usedTimes, pageSlabSize)
}

func (d *pageDecoder) newInts() []int64 {
	if d.bufs == nil {
		return make([]int64, 0, pageSlabSize)
	}
	return take(&d.bufs.ints, &d.bufs.usedInts, pageSlabSize)
}

type pageDecoder struct {
	data []byte
	pos  int
	bufs *pageBuffers // nil: every block and slab made for this page
	// block holds the bytes of the page's strings; a full block is left to
	// the strings in it and a new one started, so no string moves.
	block []byte
	// strs, times and ints are slabs the pointer fields point into,
	// replaced (never grown) when full for the same reason.
	strs  []string
	times []TxTime
	ints  []int64
	// codes shares one pointer per distinct short value in the page.
	codes map[string]*string
}

const (
	pageBlockSize = 16 << 10
	pageSlabSize  = 256
	// maxSharedCode is the longest value that shares its pointer: codes and
	// names repeat, purposes rarely do.
	maxSharedCode = 40
)

func (d *pageDecoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte (0 at the end).
func (d *pageDecoder) peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func (d *pageDecoder) eat(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.pos++
	return true
}

func (d *pageDecoder) literal(word string) bool {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return false
	}
	d.pos += len(word)
	return true
}

// null consumes a null if one is next.
func (d *pageDecoder) null() bool {
	return d.peek() == 'n' && d.literal("null")
}

// key reads an object key (without escapes) and the colon after it.
func (d *pageDecoder) key() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			k := d.data[start:d.pos]
			d.pos++
			return k, d.eat(':')
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return nil, false
		}
		d.pos++
	}
	return nil, false
}

// rawString reads a string and returns its bytes, unescaped; the bytes
// may be the input's own (no escapes) or a temporary buffer.
func (d *pageDecoder) rawString() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	start := d.pos
	ascii := true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			s := d.data[start:d.pos]
			d.pos++
			if !ascii && !utf8.Valid(s) {
				return nil, false // encoding/json puts U+FFFD in; let it
			}
			return s, true
		case c == '\\':
			return d.escapedString(start)
		case c < 0x20:
			return nil, false
		case c >= 0x80:
			ascii = false
		}
		d.pos++
	}
	return nil, false
}

// escapedString continues a string from its first backslash.
func (d *pageDecoder) escapedString(start int) ([]byte, bool) {
	buf := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(buf) {
				return nil, false
			}
			return buf, true
		case c < 0x20:
			return nil, false
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			return nil, false
		}
		e := d.data[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if d.pos+4 > len(d.data) {
				return nil, false
			}
			v, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
			if err != nil || (v >= 0xd800 && v <= 0xdfff) {
				return nil, false // surrogates: encoding/json pairs or replaces them
			}
			buf = utf8.AppendRune(buf, rune(v))
			d.pos += 4
		default:
			return nil, false
		}
	}
	return nil, false
}

// str copies b into the page's string block.
func (d *pageDecoder) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > pageBlockSize/4 {
		return string(b)
	}
	if cap(d.block)-len(d.block) < len(b) {
		d.block = d.newBlock()
	}
	start := len(d.block)
	d.block = append(d.block, b...)
	return unsafe.String(&d.block[start], len(b))
}

// strPtr reads a nullable string.
func (d *pageDecoder) strPtr() (*string, bool) {
	if d.null() {
		return nil, true
	}
	b, ok := d.rawString()
	if !ok {
		return nil, false
	}
	if len(b) <= maxSharedCode {
		if p, ok := d.codes[string(b)]; ok {
			return p, true
		}
	}
	if len(d.strs) == cap(d.strs) {
		d.strs = d.newStrs()
	}
	d.strs = append(d.strs, d.str(b))
	p := &d.strs[len(d.strs)-1]
	if len(b) <= maxSharedCode {
		if d.codes == nil {
			d.codes = make(map[string]*string, 64)
		}
		d.codes[*p] = p
	}
	return p, true
}

// int reads an integer as encoding/json reads one into an int64.
func (d *pageDecoder) int() (int64, bool) {
	d.ws()
	start := d.pos
	if d.pos < len(d.data) && d.data[d.pos] == '-' {
		d.pos++
	}
	digits := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	n := d.pos - digits
	if n == 0 || n > 19 || (n > 1 && d.data[digits] == '0') {
		return 0, false
	}
	if d.pos < len(d.data) {
		switch d.data[d.pos] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(unsafe.String(&d.data[start], d.pos-start), 10, 64)
	return v, err == nil
}

func (d *pageDecoder) intPtr() (*int64, bool) {
	if d.null() {
		return nil, true
	}
	v, ok := d.int()
	if !ok {
		return nil, false
	}
	if len(d.ints) == cap(d.ints) {
		d.ints = d.newInts()
	}
	d.ints = append(d.ints, v)
	return &d.ints[len(d.ints)-1], true
}

// txTime reads a booking time as TxTime.UnmarshalJSON does (null is zero).
func (d *pageDecoder) txTime() (TxTime, bool) {
	if d.null() {
		return TxTime{}, true
	}
	b, ok := d.rawString()
	if !ok {
		return TxTime{}, false
	}
	if t, ok := parseTxLayout(b); ok {
		return TxTime{t}, true
	}
	t, err := ParseTime(string(b))
	return TxTime{t}, err == nil
}

func (d *pageDecoder) txTimePtr() (*TxTime, bool) {
	if d.null() {
		return nil, true
	}
	t, ok := d.txTime()
	if !ok {
		return nil, false
	}
	if len(d.times) == cap(d.times) {
		d.times = d.newTimes()
	}
	d.times = append(d.times, t)
	return &d.times[len(d.times)-1], true
}

// parseTxLayout reads the layout the bank writes, 2018-08-08T16:26:52+00:00
// (or with Z), in UTC, faster than time.Parse; anything else is left to it.
func parseTxLayout(b []byte) (time.Time, bool) {
	switch {
	case len(b) == 25 && string(b[19:]) == "+00:00":
	case len(b) == 20 && b[19] == 'Z':
	default:
		return time.Time{}, false
	}
	if b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) int {
		v := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(b[0:4]), num(b[5:7]), num(b[8:10])
	hour, minute, sec := num(b[11:13]), num(b[14:16]), num(b[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 April: time.Parse refuses it
	}
	return t, true
}

// Keys of a transaction, one bit each, so a repeated key is noticed.
var txKeys = map[string]uint32{
	"id": 1 << 0, "amount": 1 << 1, "type": 1 << 2, "category": 1 << 3, "name": 1 << 4,
	"iban": 1 << 5, "purpose": 1 << 6, "e2eId": 1 << 7, "bookingDate": 1 << 8,
	"valutaDate": 1 << 9, "bookingType": 1 << 10, "originalAmount": 1 << 11,
	"foreignCurrency": 1 << 12, "paymentMethod": 1 << 13, "invoiceNumber": 1 << 14,
	"invoicePreviewUrl": 1 << 15, "invoiceDownloadUrl": 1 << 16,
	"userSelectedBookingDate": 1 << 17, "documentType": 1 << 18, "mandateNumber": 1 << 19,
}

func (d *pageDecoder) transaction(t *Transaction) bool {
	if !d.eat('{') {
		return false
	}
	*t = Transaction{}
	if d.eat('}') {
		return true
	}
	var seen uint32
	for {
		k, ok := d.key()
		if !ok {
			return false
		}
		bit := txKeys[string(k)]
		if bit == 0 || seen&bit != 0 {
			return false // unknown (perhaps differently cased) or repeated
		}
		seen |= bit
		switch string(k) {
		case "id":
			t.ID, ok = d.int()
		case "amount":
			t.Amount, ok = d.int()
		case "type":
			t.Type, ok = d.strPtr()
		case "category":
			t.Category, ok = d.strPtr()
		case "name":
			t.Name, ok = d.strPtr()
		case "iban":
			t.IBAN, ok = d.strPtr()
		case "purpose":
			t.Purpose, ok = d.strPtr()
		case "e2eId":
			t.E2EID, ok = d.strPtr()
		case "bookingDate":
			t.BookingDate, ok = d.txTime()
		case "valutaDate":
			t.ValutaDate, ok = d.txTimePtr()
		case "bookingType":
			t.BookingType, ok = d.strPtr()
		case "originalAmount":
			t.OriginalAmount, ok = d.strPtr()
		case "foreignCurrency":
			t.ForeignCurrency, ok = d.strPtr()
		case "paymentMethod":
			t.PaymentMethod, ok = d.strPtr()
		case "invoiceNumber":
			t.InvoiceNumber, ok = d.intPtr()
		case "invoicePreviewUrl":
			t.InvoicePreviewURL, ok = d.strPtr()
		case "invoiceDownloadUrl":
			t.InvoiceDownloadURL, ok = d.strPtr()
		case "userSelectedBookingDate":
			t.UserSelectedBookingDate, ok = d.txTimePtr()
		case "documentType":
			t.DocumentType, ok = d.strPtr()
		case "mandateNumber":
			t.MandateNumber, ok = d.strPtr()
		}
		if !ok {
			return false
		}
		if d.eat(',') {
			continue
		}
		return d.eat('}')
	}
}

func (d *pageDecoder) page(p *TransactionPage) bool {
	if !d.eat('{') {
		return false
	}
	results := p.Results[:0]
	p.Next, p.Total = nil, 0
	var seenNext, seenTotal, seenResults bool
	if !d.eat('}') {
		for {
			k, ok := d.key()
			if !ok {
				return false
			}
			switch string(k) {
			case "next":
				if seenNext {
					return false
				}
				seenNext = true
				if p.Next, ok = d.strPtr(); !ok {
					return false
				}
			case "total":
				if seenTotal {
					return false
				}
				seenTotal = true
				v, ok := d.int()
				if !ok || v != int64(int(v)) {
					return false
				}
				p.Total = int(v)
			case "results":
				if seenResults || !d.eat('[') {
					return false
				}
				seenResults = true
				if !d.eat(']') {
					for {
						results = append(results, Transaction{})
						if !d.transaction(&results[len(results)-1]) {
							return false
						}
						if d.eat(',') {
							continue
						}
						if !d.eat(']') {
							return false
						}
						break
					}
				}
			default:
				return false
			}
			if d.eat(',') {
				continue
			}
			if !d.eat('}') {
				return false
			}
			break
		}
	}
	if !seenResults || d.peek() != 0 || d.pos != len(d.data) {
		// Without "results" encoding/json keeps what the slice held.
		return false
	}
	if results == nil {
		results = []Transaction{} // as encoding/json leaves an empty array
	}
	p.Results = results
	return true
}
