package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"konto/api"
)

// A chunk holds up to chunkSize transactions, newest first, in a compact
// binary encoding made for fast loading:
//
//	format byte
//	uvarint count, uvarint strings, uvarint times, uvarint ints (non-null pointers, for slabs)
//	count × varint id                   (so ids can be scanned without decoding the rest)
//	count × record: varint amount, 14 nullable strings, booking date,
//	                2 nullable times, nullable invoice number
//
// A nullable string is uvarint 0 for null, else uvarint len+1 and the bytes.
// A time is uvarint 0 (null), 1 (zero time) or 2 followed by varint unix
// seconds and uvarint nanoseconds (UTC).
//
// Decoding copies the chunk into one string and slices every field out of it,
// and takes the pointers of nullable fields from one slab per chunk, so 1000
// transactions cost a handful of allocations instead of ~15000. gob was
// measured against it (BenchmarkChunkCodec): several times slower to decode,
// with an allocation per string.
const (
	chunkFormat = 1
	chunkSize   = 1000
)

var errCorruptChunk = errors.New("damaged transaction chunk")

// stringFields lists the nullable strings of a transaction in encoding
// order. A field added to api.Transaction must be added here (and the
// round-trip test that fills every field fails until it is).
func stringFields(t *api.Transaction) [14]**string {
	return [14]**string{
		&t.Type, &t.Category, &t.Name, &t.IBAN, &t.Purpose, &t.E2EID,
		&t.BookingType, &t.OriginalAmount, &t.ForeignCurrency, &t.PaymentMethod,
		&t.InvoicePreviewURL, &t.InvoiceDownloadURL, &t.DocumentType, &t.MandateNumber,
	}
}

func encodeChunk(dst []byte, txs []api.Transaction) []byte {
	var nStrings, nTimes, nInts int
	for i := range txs {
		t := &txs[i]
		for _, f := range stringFields(t) {
			if *f != nil {
				nStrings++
			}
		}
		if t.ValutaDate != nil {
			nTimes++
		}
		if t.UserSelectedBookingDate != nil {
			nTimes++
		}
		if t.InvoiceNumber != nil {
			nInts++
		}
	}
	dst = append(dst, chunkFormat)
	dst = binary.AppendUvarint(dst, uint64(len(txs)))
	dst = binary.AppendUvarint(dst, uint64(nStrings))
	dst = binary.AppendUvarint(dst, uint64(nTimes))
	dst = binary.AppendUvarint(dst, uint64(nInts))
	for i := range txs {
		dst = binary.AppendVarint(dst, txs[i].ID)
	}
	for i := range txs {
		t := &txs[i]
		dst = binary.AppendVarint(dst, t.Amount)
		for _, f := range stringFields(t) {
			if *f == nil {
				dst = append(dst, 0)
				continue
			}
			dst = binary.AppendUvarint(dst, uint64(len(**f))+1)
			dst = append(dst, **f...)
		}
		dst = appendTime(dst, &t.BookingDate.Time)
		dst = appendTxTime(dst, t.ValutaDate)
		dst = appendTxTime(dst, t.UserSelectedBookingDate)
		if t.InvoiceNumber == nil {
			dst = append(dst, 0)
		} else {
			dst = append(dst, 1)
			dst = binary.AppendVarint(dst, *t.InvoiceNumber)
		}
	}
	return dst
}

func appendTxTime(dst []byte, t *api.TxTime) []byte {
	if t == nil {
		return append(dst, 0)
	}
	return appendTime(dst, &t.Time)
}

func appendTime(dst []byte, t *time.Time) []byte {
	if t.IsZero() {
		return append(dst, 1)
	}
	dst = append(dst, 2)
	dst = binary.AppendVarint(dst, t.Unix())
	return binary.AppendUvarint(dst, uint64(t.Nanosecond()))
}

// chunkReader reads the encoding from a string, so strings are sliced out
// of it without copying.
type chunkReader struct {
	s   string
	pos int
	err error
}

func (r *chunkReader) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.pos >= len(r.s) {
			r.err = errCorruptChunk
			return 0
		}
		b := r.s[r.pos]
		r.pos++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
	}
	r.err = errCorruptChunk
	return 0
}

func (r *chunkReader) varint() int64 {
	u := r.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (r *chunkReader) byte() byte {
	if r.pos >= len(r.s) {
		r.err = errCorruptChunk
		return 0
	}
	b := r.s[r.pos]
	r.pos++
	return b
}

func (r *chunkReader) str(n int) string {
	if n < 0 || n > len(r.s)-r.pos {
		r.err = errCorruptChunk
		return ""
	}
	s := r.s[r.pos : r.pos+n]
	r.pos += n
	return s
}

// time reads a time; present is false for a null one.
func (r *chunkReader) time() (t time.Time, present bool) {
	switch r.byte() {
	case 0:
		return time.Time{}, false
	case 1:
		return time.Time{}, true
	case 2:
		sec := r.varint()
		nsec := r.uvarint()
		if nsec >= 1e9 {
			r.err = errCorruptChunk
		}
		return time.Unix(sec, int64(nsec)).UTC(), true
	}
	r.err = errCorruptChunk
	return time.Time{}, false
}

type chunkHeader struct {
	count, strings, times, ints int
}

func (r *chunkReader) header() chunkHeader {
	if r.byte() != chunkFormat {
		r.err = errCorruptChunk
		return chunkHeader{}
	}
	h := chunkHeader{int(r.uvarint()), int(r.uvarint()), int(r.uvarint()), int(r.uvarint())}
	// Every count is bounded by the bytes it needs, which keeps a damaged
	// header from asking for a huge allocation.
	if h.count < 0 || h.strings < 0 || h.times < 0 || h.ints < 0 ||
		h.count > len(r.s) || h.strings > len(r.s) || h.times > len(r.s) || h.ints > len(r.s) {
		r.err = errCorruptChunk
	}
	return h
}

// decodeChunk appends the chunk's transactions to out.
func decodeChunk(data []byte, out []api.Transaction) ([]api.Transaction, error) {
	r := &chunkReader{s: string(data)}
	h := r.header()
	if r.err != nil {
		return out, r.err
	}
	strSlab := make([]string, h.strings)
	timeSlab := make([]api.TxTime, h.times)
	intSlab := make([]int64, h.ints)
	base := len(out)
	out = append(out, make([]api.Transaction, h.count)...)
	txs := out[base:]
	for i := range txs {
		txs[i].ID = r.varint()
	}
	for i := range txs {
		t := &txs[i]
		t.Amount = r.varint()
		for _, f := range stringFields(t) {
			n := r.uvarint()
			if n == 0 {
				continue
			}
			if len(strSlab) == 0 || n-1 > uint64(len(r.s)) {
				return out[:base], fmt.Errorf("%w: field counts", errCorruptChunk)
			}
			strSlab[0] = r.str(int(n - 1))
			*f = &strSlab[0]
			strSlab = strSlab[1:]
		}
		t.BookingDate.Time, _ = r.time()
		for _, f := range [2]**api.TxTime{&t.ValutaDate, &t.UserSelectedBookingDate} {
			tm, present := r.time()
			if !present {
				continue
			}
			if len(timeSlab) == 0 {
				return out[:base], fmt.Errorf("%w: time counts", errCorruptChunk)
			}
			timeSlab[0].Time = tm
			*f = &timeSlab[0]
			timeSlab = timeSlab[1:]
		}
		if r.byte() == 1 {
			if len(intSlab) == 0 {
				return out[:base], fmt.Errorf("%w: number counts", errCorruptChunk)
			}
			intSlab[0] = r.varint()
			t.InvoiceNumber = &intSlab[0]
			intSlab = intSlab[1:]
		}
		if r.err != nil {
			return out[:base], r.err
		}
	}
	if r.pos != len(r.s) {
		return out[:base], fmt.Errorf("%w: trailing bytes", errCorruptChunk)
	}
	return out, nil
}

// chunkIDs appends the ids of a chunk's transactions (newest first) to ids,
// without decoding the rest.
func chunkIDs(data []byte, ids []int64) ([]int64, error) {
	// Only the header and ids are read: no copy of the whole chunk.
	r := &chunkReader{s: string(data[:min(len(data), idPrefixLen(data))])}
	h := r.header()
	if r.err != nil {
		return ids, r.err
	}
	for range h.count {
		ids = append(ids, r.varint())
		if r.err != nil {
			return ids, r.err
		}
	}
	return ids, nil
}

// idPrefixLen bounds the bytes holding the header and ids: at most 1 + 4×10
// header bytes and 10 bytes per id. Reading count first would need a second
// pass; a generous bound is enough.
func idPrefixLen(data []byte) int {
	count, n := binary.Uvarint(data[min(1, len(data)):])
	if n <= 0 || count > uint64(len(data)) {
		return len(data)
	}
	return 41 + 10*int(count)
}
