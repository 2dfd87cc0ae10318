// Package history keeps an account's bookings compactly in memory, as the
// dashboard holds them for as long as it runs: one fixed-size row without
// pointers per booking, in chunks that never move, and each distinct text,
// date and invoice number stored once in tables the rows index. The
// garbage collector sees a few hundred chunks instead of millions of
// strings and pointers.
//
// A History reads back as api.Transaction values (Read) without
// allocating: their pointer fields point into the history's tables, so they
// are shared by every reader and must never be written through. Column
// reads (ID, Amount, Booked, Text) skip even that.
//
// A *History is a snapshot that never changes once made, so other
// goroutines may read it while the UI adds bookings. New bookings (always
// newer than the newest held) go to the front with Prepend in O(k): rows
// are kept from the oldest, so they append. Prepend returns a new snapshot
// sharing the old one's storage; see Prepend for two snapshots growing
// from one.
package history

import (
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"konto/api"
)

// Field names a text field of a booking, for Text.
type Field uint8

// The text fields of api.Transaction, in its order.
const (
	Type Field = iota
	Category
	Name
	IBAN
	Purpose
	E2EID
	BookingType
	OriginalAmount
	ForeignCurrency
	PaymentMethod
	InvoicePreviewURL
	InvoiceDownloadURL
	DocumentType
	MandateNumber
	textFields
)

// chunkShift sizes the chunks rows and tables grow by (4096 entries): big
// enough that a million bookings are 245 chunks, small enough that a new
// one costs little on the UI goroutine.
const (
	chunkShift = 12
	chunkSize  = 1 << chunkShift
	chunkMask  = chunkSize - 1
	firstChunk = 16
)

// row is one booking: what every booking has, in 48 bytes. Texts and
// dates are indexes into the history's tables, 0 standing for null; the
// four texts that say what kind of booking it is are one index into the
// distinct combinations (a handful in a whole history), and the fields few
// bookings carry are in an extra, shared by none.
type row struct {
	id, amount int64
	booked     uint32 // see bookedTime
	valuta     uint32 // ValutaDate: index into dates, or valutaAtBooked
	kind       uint32 // index into kinds
	extra      uint32 // index into extras, 0 for none
	text       [len(rowFields)]uint32
}

// kind is the texts of kindFields.
type kind [len(kindFields)]uint32

// extra is the rest of a booking that has any of it.
type extra struct {
	text     [len(extraFields)]uint32
	userDate uint32 // UserSelectedBookingDate
	invoice  uint32 // InvoiceNumber
}

// Where each text field is kept: places maps a Field to its table and
// its index there.
var (
	rowFields   = [...]Field{Name, IBAN, Purpose, E2EID}
	kindFields  = [...]Field{Type, Category, BookingType, PaymentMethod}
	extraFields = [...]Field{OriginalAmount, ForeignCurrency, InvoicePreviewURL, InvoiceDownloadURL, DocumentType, MandateNumber}
	places      = func() (p [textFields]place) {
		for i, f := range rowFields {
			p[f] = place{inRow, uint8(i)}
		}
		for i, f := range kindFields {
			p[f] = place{inKind, uint8(i)}
		}
		for i, f := range extraFields {
			p[f] = place{inExtra, uint8(i)}
		}
		return p
	}()
)

type place struct{ in, i uint8 }

const (
	inRow = iota
	inKind
	inExtra
)

// A booking date is kept as the seconds since bookedEpoch when it is a
// whole second in UTC from 2000 to 2068 (every date the bank writes);
// any other (the zero time of a null, a fraction, a zone) is in the dates
// table, marked by oddBooked.
const (
	bookedEpoch = 946684800 // 2000-01-01T00:00:00Z
	oddBooked   = 1 << 31
)

// valutaAtBooked marks a valuta date at the booking's own instant (the
// sandbox gives every booking one): it is read back from booked rather
// than kept, which would be 24 bytes a booking, a pointer among them.
const valutaAtBooked = ^uint32(0)

// chunked is an append-only sequence in fixed chunks: an element never
// moves, so a pointer to one stays valid, and a copy of the value (a
// snapshot) keeps reading what it held while the original appends.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

func (c *chunked[T]) at(i int) *T { return &c.chunks[i>>chunkShift][i&chunkMask] }

func (c *chunked[T]) push(v T) {
	k, off := c.n>>chunkShift, c.n&chunkMask
	switch {
	case k == len(c.chunks):
		size := chunkSize
		if k == 0 {
			size = firstChunk // a short history stays small
		}
		c.chunks = append(c.chunks, make([]T, size))
	case off == len(c.chunks[k]):
		// Only the first chunk grows. Its new copy goes into a list of
		// chunks of our own: the shared list's entry is what older
		// snapshots read.
		grown := make([]T, min(2*off, chunkSize))
		copy(grown, c.chunks[k])
		c.chunks = slices.Clone(c.chunks)
		c.chunks[k] = grown
	}
	c.chunks[k][off] = v
	c.n++
}

// detach makes c safe to push to while another copy of the same storage
// pushes too: its partly filled last chunk is copied, and the list of
// chunks cloned, so nothing the other copy writes is shared.
func (c *chunked[T]) detach() {
	c.chunks = slices.Clone(c.chunks)
	if k := c.n >> chunkShift; c.n&chunkMask != 0 {
		c.chunks[k] = slices.Clone(c.chunks[k])
	}
}

// tables are the distinct values the rows point to. Entry 0 of each is
// the null that index 0 stands for.
type tables struct {
	texts    chunked[string]
	dates    chunked[api.TxTime]
	invoices chunked[int64]
	kinds    chunked[kind]
	extras   chunked[extra]
}

func newTables() tables {
	var t tables
	t.texts.push("")
	t.dates.push(api.TxTime{})
	t.invoices.push(0)
	t.kinds.push(kind{})
	t.extras.push(extra{})
	return t
}

// detach detaches every table (see chunked.detach).
func (t *tables) detach() {
	t.texts.detach()
	t.dates.detach()
	t.invoices.detach()
	t.kinds.detach()
	t.extras.detach()
}

// History is an account's bookings, newest first (index 0), as a snapshot.
// The zero value and nil are empty histories.
type History struct {
	rows chunked[row] // from the oldest
	tables
	// grower is shared by the snapshots of one storage: the newest of them,
	// which alone may append in place.
	grower *grower
}

type grower struct {
	mu     sync.Mutex
	newest *History
}

// Len is the number of bookings.
func (h *History) Len() int {
	if h == nil {
		return 0
	}
	return h.rows.n
}

func (h *History) row(i int) *row { return h.rows.at(h.rows.n - 1 - i) }

// At is booking i (0 the newest). Its pointer fields point into h: read
// them, never write through them. A valuta date at the booking's own
// instant gets a copy of its own: a reader of many bookings uses Read.
func (h *History) At(i int) api.Transaction {
	if h.row(i).valuta == valutaAtBooked {
		return h.Read(i, new(api.TxTime))
	}
	return h.Read(i, nil)
}

// Read is At without allocating: a valuta date that h does not keep (one
// at the booking's instant) is written to *valuta and the booking's
// ValutaDate points there, so valuta must outlive the booking's use and
// not be shared by two bookings read at once. valuta may be nil only when
// At would not allocate.
func (h *History) Read(i int, valuta *api.TxTime) api.Transaction {
	r := h.row(i)
	t := &h.tables
	tx := api.Transaction{ID: r.id, Amount: r.amount, BookingDate: t.booked(r.booked)}
	ptr := func(k uint32) *string {
		if k == 0 {
			return nil
		}
		return t.texts.at(int(k))
	}
	k := t.kinds.at(int(r.kind))
	in := func(f Field) *string { return ptr(k[places[f].i]) }
	tx.Type, tx.Category, tx.BookingType, tx.PaymentMethod = in(Type), in(Category), in(BookingType), in(PaymentMethod)
	row := func(f Field) *string { return ptr(r.text[places[f].i]) }
	tx.Name, tx.IBAN, tx.Purpose, tx.E2EID = row(Name), row(IBAN), row(Purpose), row(E2EID)
	switch r.valuta {
	case 0:
	case valutaAtBooked:
		*valuta = tx.BookingDate
		tx.ValutaDate = valuta
	default:
		tx.ValutaDate = t.dates.at(int(r.valuta))
	}
	if r.extra != 0 {
		e := t.extras.at(int(r.extra))
		x := func(f Field) *string { return ptr(e.text[places[f].i]) }
		tx.OriginalAmount = x(OriginalAmount)
		tx.ForeignCurrency = x(ForeignCurrency)
		tx.InvoicePreviewURL = x(InvoicePreviewURL)
		tx.InvoiceDownloadURL = x(InvoiceDownloadURL)
		tx.DocumentType = x(DocumentType)
		tx.MandateNumber = x(MandateNumber)
		if e.userDate != 0 {
			tx.UserSelectedBookingDate = t.dates.at(int(e.userDate))
		}
		if e.invoice != 0 {
			tx.InvoiceNumber = t.invoices.at(int(e.invoice))
		}
	}
	return tx
}

func (t *tables) booked(b uint32) api.TxTime {
	if b&oddBooked != 0 {
		return *t.dates.at(int(b &^ oddBooked))
	}
	return api.TxTime{Time: time.Unix(bookedEpoch+int64(b), 0).UTC()}
}

// ID is booking i's bank id.
func (h *History) ID(i int) int64 { return h.row(i).id }

// Amount is booking i's amount in cents.
func (h *History) Amount(i int) int64 { return h.row(i).amount }

// Booked is booking i's booking date (UTC).
func (h *History) Booked(i int) time.Time { return h.tables.booked(h.row(i).booked).Time }

// Text is one text field of booking i, "" for null.
func (h *History) Text(i int, f Field) string {
	r, p := h.row(i), places[f]
	var k uint32
	switch p.in {
	case inRow:
		k = r.text[p.i]
	case inKind:
		k = h.kinds.at(int(r.kind))[p.i]
	default:
		if r.extra != 0 {
			k = h.extras.at(int(r.extra)).text[p.i]
		}
	}
	return *h.texts.at(int(k))
}

// All yields every booking, newest first, as At does (valuta dates at the
// booking's instant in blocks, not one allocation each).
func (h *History) All() iter.Seq2[int, api.Transaction] {
	return func(yield func(int, api.Transaction) bool) {
		var valutas []api.TxTime
		for i := range h.Len() {
			if len(valutas) == 0 {
				valutas = make([]api.TxTime, min(256, h.Len()-i))
			}
			if !yield(i, h.Read(i, &valutas[0])) {
				return
			}
			valutas = valutas[1:]
		}
	}
}

// Slice copies the bookings into a slice, newest first, for code that
// wants the wire type's own values (their texts still shared with h).
func (h *History) Slice() []api.Transaction {
	out := make([]api.Transaction, h.Len())
	valutas := make([]api.TxTime, h.Len())
	for i := range out {
		out[i] = h.Read(i, &valutas[i])
	}
	return out
}

// Of builds a history from txs, newest first.
func Of(txs []api.Transaction) *History {
	b := NewBuilder(len(txs))
	for i := range txs {
		b.Add(&txs[i])
	}
	return b.Done()
}

// Prepend is h with fresh (newest first, each newer than h's newest) in
// front, in O(len(fresh)). h stays as it was. When h is not the newest
// snapshot of its storage (a second Prepend from the same h), the new one
// shares what the newer snapshot already holds if that is the same
// bookings, and otherwise gets storage of its own, at the cost of copying
// a chunk per table.
func (h *History) Prepend(fresh []api.Transaction) *History {
	if len(fresh) == 0 {
		return h
	}
	if h == nil || h.grower == nil {
		return Of(fresh)
	}
	g := h.grower
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.newest != h {
		if shared := g.newest.extends(h, fresh); shared != nil {
			return shared
		}
		next := &History{rows: h.rows, tables: h.tables, grower: &grower{}}
		next.rows.detach()
		next.tables.detach()
		next.add(fresh)
		next.grower.newest = next
		return next
	}
	next := &History{rows: h.rows, tables: h.tables, grower: g}
	next.add(fresh)
	g.newest = next
	return next
}

// extends returns the snapshot of n's storage that is old with fresh in
// front, if n holds exactly that, else nil.
func (n *History) extends(old *History, fresh []api.Transaction) *History {
	if n.rows.n < old.rows.n+len(fresh) {
		return nil
	}
	for j := range fresh {
		// fresh[j] belongs at position old.n+len(fresh)-1-j from the oldest.
		if n.rows.at(old.rows.n+len(fresh)-1-j).id != fresh[j].ID {
			return nil
		}
	}
	if old.rows.n > 0 && n.rows.at(old.rows.n-1).id != old.rows.at(old.rows.n-1).id {
		return nil
	}
	view := *n
	view.rows.n = old.rows.n + len(fresh)
	return &view
}

// Extends reports whether h is old with k newer bookings in front, held in
// the same storage (h grew from old by Prepend, or is old itself): a
// reader of old then need only take in h's first k bookings. It is false
// for histories built apart, even of the same bookings, for a snapshot
// that a second, different Prepend gave storage of its own, and for a nil
// or empty old (k would be all of h).
func (h *History) Extends(old *History) (k int, ok bool) {
	if h == nil || old == nil || old.rows.n == 0 || h.grower == nil || h.grower != old.grower || h.rows.n < old.rows.n {
		return 0, false
	}
	// Snapshots of one storage only ever append to it; the oldest and
	// the newest booking old holds must be there all the same.
	n := old.rows.n
	if h.rows.at(0).id != old.rows.at(0).id || h.rows.at(n-1).id != old.rows.at(n-1).id {
		return 0, false
	}
	return h.rows.n - n, true
}

// add appends fresh, newest first, at the front, without looking for
// texts it already holds (a few new bookings; the builder shares texts).
func (h *History) add(fresh []api.Transaction) {
	var in interner
	for j := len(fresh) - 1; j >= 0; j-- {
		h.rows.push(in.row(&h.tables, &fresh[j]))
	}
}

// interner turns a booking's values into table indexes, each distinct
// value stored once when it has maps (a Builder's), else every time.
type interner struct {
	// arena, for a Builder, holds the texts it keeps: a history owns its
	// texts in a few large blocks rather than a string each, and keeps
	// nothing of the pages or cache chunks they were read from.
	arena    []byte
	texts    map[string]uint32
	kinds    map[kind]uint32
	dates    map[api.TxTime]uint32
	invoices map[int64]uint32
}

func (in *interner) row(t *tables, tx *api.Transaction) row {
	r := row{id: tx.ID, amount: tx.Amount, booked: in.booked(t, tx.BookingDate)}
	r.text[places[Name].i] = in.text(t, tx.Name)
	r.text[places[IBAN].i] = in.text(t, tx.IBAN)
	r.text[places[Purpose].i] = in.unique(t, tx.Purpose)
	r.text[places[E2EID].i] = in.unique(t, tx.E2EID)
	var k kind
	k[places[Type].i] = in.text(t, tx.Type)
	k[places[Category].i] = in.text(t, tx.Category)
	k[places[BookingType].i] = in.text(t, tx.BookingType)
	k[places[PaymentMethod].i] = in.text(t, tx.PaymentMethod)
	r.kind = in.kind(t, k)
	switch {
	case tx.ValutaDate == nil || *tx.ValutaDate != tx.BookingDate:
		r.valuta = in.date(t, tx.ValutaDate)
	case r.booked&oddBooked == 0:
		// Valuta at the booking's own instant: read back from booked
		// (a whole second in UTC, so read back the same), neither kept
		// nor looked up (a million of them would make the look-up's map
		// as big as the history).
		r.valuta = valutaAtBooked
	case r.booked != oddBooked:
		r.valuta = r.booked &^ oddBooked // the booking date's own entry
	default: // the zero time: entry 0 is the null
		r.valuta = uint32(t.dates.n)
		t.dates.push(*tx.ValutaDate)
	}
	if tx.OriginalAmount == nil && tx.ForeignCurrency == nil && tx.InvoicePreviewURL == nil && tx.InvoiceDownloadURL == nil &&
		tx.DocumentType == nil && tx.MandateNumber == nil && tx.UserSelectedBookingDate == nil && tx.InvoiceNumber == nil {
		return r
	}
	var e extra
	x := func(f Field) *uint32 { return &e.text[places[f].i] }
	*x(OriginalAmount) = in.unique(t, tx.OriginalAmount)
	*x(ForeignCurrency) = in.text(t, tx.ForeignCurrency)
	*x(InvoicePreviewURL) = in.unique(t, tx.InvoicePreviewURL)
	*x(InvoiceDownloadURL) = in.unique(t, tx.InvoiceDownloadURL)
	*x(DocumentType) = in.text(t, tx.DocumentType)
	*x(MandateNumber) = in.text(t, tx.MandateNumber)
	e.userDate = in.date(t, tx.UserSelectedBookingDate)
	if tx.InvoiceNumber != nil {
		v := *tx.InvoiceNumber
		k, ok := in.invoices[v]
		if !ok {
			k = uint32(t.invoices.n)
			t.invoices.push(v)
			if in.invoices != nil {
				in.invoices[v] = k
			}
		}
		e.invoice = k
	}
	r.extra = uint32(t.extras.n)
	t.extras.push(e)
	return r
}

func (in *interner) kind(t *tables, k kind) uint32 {
	if k == (kind{}) {
		return 0
	}
	if id, ok := in.kinds[k]; ok {
		return id
	}
	id := uint32(t.kinds.n)
	t.kinds.push(k)
	if in.kinds != nil {
		in.kinds[k] = id
	}
	return id
}

func (in *interner) booked(t *tables, d api.TxTime) uint32 {
	if d.IsZero() && d.Location() == time.UTC {
		return oddBooked // entry 0, the null
	}
	if sec := d.Unix() - bookedEpoch; d.Nanosecond() == 0 && d.Location() == time.UTC && !d.IsZero() && sec >= 0 && sec < oddBooked {
		return uint32(sec)
	}
	k := uint32(t.dates.n)
	t.dates.push(d)
	return oddBooked | k
}

func (in *interner) text(t *tables, p *string) uint32 {
	if p == nil {
		return 0
	}
	if k, ok := in.texts[*p]; ok {
		return k
	}
	k := uint32(t.texts.n)
	v := in.keep(*p)
	t.texts.push(v)
	if in.texts != nil {
		in.texts[v] = k
	}
	return k
}

// arenaBlock sizes the arena's blocks; a longer text gets its own.
const arenaBlock = 64 << 10

// keep is s as the history keeps it: in the arena for a Builder.
func (in *interner) keep(s string) string {
	if in.texts == nil || len(s) == 0 {
		return s
	}
	if len(s) > arenaBlock/8 {
		return strings.Clone(s)
	}
	if len(in.arena)+len(s) > cap(in.arena) {
		in.arena = make([]byte, 0, arenaBlock)
	}
	at := len(in.arena)
	in.arena = append(in.arena, s...)
	// The bytes are never written again: only appended after.
	return unsafe.String(&in.arena[at], len(s))
}

// unique stores a text of a field whose values seldom repeat (purposes,
// end-to-end ids, links): looking each up would cost more than it saves.
func (in *interner) unique(t *tables, p *string) uint32 {
	if p == nil {
		return 0
	}
	k := uint32(t.texts.n)
	t.texts.push(in.keep(*p))
	return k
}

func (in *interner) date(t *tables, p *api.TxTime) uint32 {
	if p == nil {
		return 0
	}
	// The map key is the instant in UTC: the same day from two zones is
	// the same key only when it is the same instant and location.
	if k, ok := in.dates[*p]; ok {
		return k
	}
	k := uint32(t.dates.n)
	t.dates.push(*p)
	if in.dates != nil {
		in.dates[*p] = k
	}
	return k
}

// Builder makes a History from bookings added newest first, each distinct
// text stored once. It is not safe for concurrent use.
type Builder struct {
	h  *History
	in interner
}

// NewBuilder starts a history; sizeHint is the bookings expected (0 if
// unknown), to size the maps that find repeated texts.
func NewBuilder(sizeHint int) *Builder {
	hint := min(sizeHint, 1<<16)
	return &Builder{
		h: &History{tables: newTables()},
		in: interner{
			texts:    make(map[string]uint32, hint),
			dates:    make(map[api.TxTime]uint32, min(hint, 4096)),
			invoices: map[int64]uint32{},
			kinds:    map[kind]uint32{},
		},
	}
}

// Add appends tx, older than every booking added before.
func (b *Builder) Add(tx *api.Transaction) {
	b.h.rows.push(b.in.row(&b.h.tables, tx))
}

// Len is the bookings added so far.
func (b *Builder) Len() int { return b.h.rows.n }

// Done returns the history; the builder must not be used after.
func (b *Builder) Done() *History {
	h := b.h
	// Added newest first, kept from the oldest: reverse in place (the
	// chunks' layout is the same either way).
	for i, j := 0, h.rows.n-1; i < j; i, j = i+1, j-1 {
		a, z := h.rows.at(i), h.rows.at(j)
		*a, *z = *z, *a
	}
	h.grower = &grower{newest: h}
	b.h, b.in = nil, interner{}
	return h
}
