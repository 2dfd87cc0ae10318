package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"time"
	"unsafe"

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
//	CRC-32C of all the above, 4 bytes little-endian (not in format 1)
//
// A nullable string is uvarint 0 for null, else uvarint len+1 and the bytes.
// A time is uvarint 0 (null), 1 (zero time) or 2 followed by varint unix
// seconds and uvarint nanoseconds (UTC).
//
// bbolt checks its pages' structure but not the bytes of a value: the
// checksum catches a flipped bit in an amount or a name, which would
// otherwise decode into a plausible wrong booking. Format 1 chunks (written
// before the checksum) are still read. Whatever a chunk holds, decoding
// never allocates more than a small multiple of its size: every count in
// it is checked against the bytes left first.
//
// Decoding keeps each distinct text of a chunk once, all in one string, and
// takes the pointers of nullable fields from one slab per chunk, so 1000
// transactions cost a handful of allocations instead of ~15000. gob was
// measured against it (BenchmarkChunkCodec): several times slower to decode,
// with an allocation per string.
const (
	chunkFormatV1 = 1 // without the checksum
	chunkFormat   = 2
	chunkSize     = 1000
	// minRecordBytes is the least a transaction takes: one byte each for
	// the id, the amount, 14 strings, 3 times and the invoice number.
	minRecordBytes = 20
	checksumSize   = 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

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
	start := len(dst)
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
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// chunkBody returns the chunk without its checksum, once the checksum
// matches.
func chunkBody(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty", errCorruptChunk)
	}
	switch data[0] {
	case chunkFormatV1:
		return data, nil
	case chunkFormat:
		if len(data) < 1+checksumSize {
			return nil, fmt.Errorf("%w: %d bytes", errCorruptChunk, len(data))
		}
		body := data[:len(data)-checksumSize]
		if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]) {
			return nil, fmt.Errorf("%w: checksum mismatch", errCorruptChunk)
		}
		return body, nil
	}
	return nil, fmt.Errorf("%w: format %d", errCorruptChunk, data[0])
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

// header reads the counts after the format byte (checked by chunkBody) of
// a chunk body of size bytes (r may hold only its start). Each count is
// bounded by the bytes it needs, so no damaged (or hostile) chunk can ask
// for more memory than a small multiple of its own size.
func (r *chunkReader) header(size int) chunkHeader {
	r.byte()
	count, strs, times, ints := r.uvarint(), r.uvarint(), r.uvarint(), r.uvarint()
	if r.err != nil {
		return chunkHeader{}
	}
	left := uint64(max(0, size-r.pos))
	if count > left/minRecordBytes || strs > 14*count || times > 2*count || ints > count {
		r.err = fmt.Errorf("%w: counts beyond its %d bytes", errCorruptChunk, size)
		return chunkHeader{}
	}
	return chunkHeader{int(count), int(strs), int(times), int(ints)}
}

// chunkCount is how many transactions a chunk holds, read from its header
// alone (bounded by its size like every count).
func chunkCount(data []byte) (int, error) {
	if len(data) == 0 || (data[0] != chunkFormatV1 && data[0] != chunkFormat) {
		return 0, fmt.Errorf("%w: no header", errCorruptChunk)
	}
	size := len(data)
	if data[0] == chunkFormat {
		size -= min(size, checksumSize)
	}
	r := &chunkReader{s: string(data[:min(size, 1+4*binary.MaxVarintLen64)])}
	h := r.header(size)
	return h.count, r.err
}

// uniqueFields are the stringFields (by position) that differ from booking
// to booking (end-to-end id, invoice links): looking them up costs time and
// saves nothing.
const uniqueFields = 1<<5 | 1<<10 | 1<<11

// decodeChunk appends the chunk's transactions to out.
//
// A chunk's texts repeat (a counterparty's name and IBAN, the booking type,
// the payment method), so each distinct text is kept once: all of them in one
// string per chunk, each with one slab entry that every field holding it
// points to (nothing writes through a transaction's string pointers). The
// chunk's own bytes are read from a copy that is garbage once it is decoded.
func decodeChunk(data []byte, out []api.Transaction) ([]api.Transaction, error) {
	body, err := chunkBody(data)
	if err != nil {
		return out, err
	}
	r := &chunkReader{s: string(body)}
	h := r.header(len(body))
	if r.err != nil {
		return out, r.err
	}
	// distinct[k] is the k-th distinct text, a slice of r.s until the chunk's
	// block is made; uses are the fields that point to it.
	// (By position, not by pointer: a slice without pointers is not
	// scanned by the collector.)
	type use struct {
		tx, k int32
		field uint8
	}
	index := make(map[string]int32, h.strings/4)
	var distinct []string
	uses := make([]use, 0, h.strings)
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
		for j := range len(stringFields(t)) {
			n := r.uvarint()
			if n == 0 {
				continue
			}
			if len(uses) == h.strings || n-1 > uint64(len(r.s)) {
				return out[:base], fmt.Errorf("%w: field counts", errCorruptChunk)
			}
			s := r.str(int(n - 1))
			k, ok := int32(0), false
			shared := uniqueFields&(1<<j) == 0
			if shared {
				k, ok = index[s]
			}
			if !ok {
				k = int32(len(distinct))
				distinct = append(distinct, s)
				if shared {
					index[s] = k
				}
			}
			uses = append(uses, use{int32(i), k, uint8(j)})
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
	size := 0
	for _, s := range distinct {
		size += len(s)
	}
	var b strings.Builder
	b.Grow(size)
	for _, s := range distinct {
		b.WriteString(s)
	}
	block := b.String()
	strSlab := make([]string, len(distinct))
	at := 0
	for k, s := range distinct {
		strSlab[k] = block[at : at+len(s)]
		at += len(s)
	}
	for _, u := range uses {
		*stringFields(&txs[u.tx])[u.field] = &strSlab[u.k]
	}
	return out, nil
}

// chunkIDs appends the ids of a chunk's transactions (newest first) to ids,
// without decoding the rest.
func chunkIDs(data []byte, ids []int64) ([]int64, error) {
	body, err := chunkBody(data)
	if err != nil {
		return ids, err
	}
	// Only the header and ids are read: no copy of the whole chunk.
	r := &chunkReader{s: string(body[:min(len(body), idPrefixLen(body))])}
	h := r.header(len(body))
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

// chunkVisit is what eachInChunk decodes each transaction into, reused
// from one to the next and from chunk to chunk.
type chunkVisit struct {
	ids     []int64
	tx      api.Transaction
	strs    [14]string
	times   [2]api.TxTime
	invoice int64
}

// eachInChunk calls fn with each of the chunk's transactions, newest
// first, as decodeChunk decodes them, without a copy of anything: what the
// transaction points to is in v or data (a memory-mapped value, say), good
// only during the call. It reads what decodeChunk reads and fails where it
// fails, but a chunk damaged at its end has had fn called for the
// transactions before the damage.
func eachInChunk(data []byte, v *chunkVisit, fn func(*api.Transaction)) error {
	body, err := chunkBody(data)
	if err != nil || len(body) == 0 {
		return err
	}
	r := &chunkReader{s: unsafe.String(&body[0], len(body))}
	h := r.header(len(body))
	if r.err != nil {
		return r.err
	}
	v.ids = v.ids[:0]
	for range h.count {
		v.ids = append(v.ids, r.varint())
	}
	strs, times, ints := h.strings, h.times, h.ints
	for i := range h.count {
		t := &v.tx
		*t = api.Transaction{ID: v.ids[i]}
		t.Amount = r.varint()
		fields := stringFields(t)
		for j := range len(fields) {
			n := r.uvarint()
			if n == 0 {
				continue
			}
			if strs == 0 || n-1 > uint64(len(r.s)) {
				return fmt.Errorf("%w: field counts", errCorruptChunk)
			}
			strs--
			v.strs[j] = r.str(int(n - 1))
			*fields[j] = &v.strs[j]
		}
		t.BookingDate.Time, _ = r.time()
		for k, f := range [2]**api.TxTime{&t.ValutaDate, &t.UserSelectedBookingDate} {
			tm, present := r.time()
			if !present {
				continue
			}
			if times == 0 {
				return fmt.Errorf("%w: time counts", errCorruptChunk)
			}
			times--
			v.times[k].Time = tm
			*f = &v.times[k]
		}
		if r.byte() == 1 {
			if ints == 0 {
				return fmt.Errorf("%w: number counts", errCorruptChunk)
			}
			ints--
			v.invoice = r.varint()
			t.InvoiceNumber = &v.invoice
		}
		if r.err != nil {
			return r.err
		}
		fn(t)
	}
	if r.pos != len(r.s) {
		return fmt.Errorf("%w: trailing bytes", errCorruptChunk)
	}
	return nil
}
