package filter

import (
	"bytes"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"konto/store/history"
	"konto/store/rules"
)

// The text fields a free-text term is looked for in.
const (
	fieldName = iota
	fieldPurpose
	fieldE2E
	fieldIBAN // folded without spaces
	numFields
)

// Index holds what matching needs of a transaction list, computed once.
//
// Text is kept once per distinct value: a history repeats its counterparties,
// IBANs and most purposes thousands of times, so each field is a column of
// ids into an arena of its distinct folded values. A term is looked for once
// per distinct value (one fast substring scan over the arena), and each
// booking then only tests its ids against that result: the first letter of a
// query over a million bookings costs a scan of the distinct text and a pass
// over the ids, with nothing folded or allocated per booking.
//
// Bookings are stored oldest first (slot s is position n-1-s of the list the
// index was built from), so that newer bookings, which a newest-first list
// gains at its top, are appended (Prepend) without moving the others.
type Index struct {
	n      int
	text   [numFields]*arena
	ids    [numFields][]int32 // ids[f][slot]: the booking's value of field f in text[f]
	amount []int64            // by slot
	day    []int32            // by slot: local booking day as yyyymmdd
	kind   []uint16           // by slot: index into kinds
	kinds  *kindTable
	labels *labelIndex // nil: no booking has a label (labels.go)
	loc    *time.Location

	// grown is set once Prepend or Append has built on this index: the
	// columns' spare capacity then belongs to that newer index, and a second
	// one must copy instead of writing into it.
	grown atomic.Bool
}

// arena is one field's distinct folded values, each followed by valueSep:
// value j is hay[start[j]:start[j+1]-1]. Value 0 is "" (no value). seen maps
// an unfolded value to its id while the index is built; it is dropped after.
type arena struct {
	hay     []byte
	start   []int32 // len = values+1
	seen    map[string]int32
	repeats int // values found in seen
}

// kindTable interns the folded "bookingtype\x00paymentmethod" of bookings;
// there are a handful, shared by every index derived from one NewIndex.
type kindTable struct {
	mu    sync.Mutex
	names []string
	ids   map[string]uint16
}

// valueSep ends every value in an arena; folding turns every control
// character into a space, so no term can contain it and no match can span
// two values.
const valueSep = '\x01'

func newArena(expect int) *arena {
	a := &arena{hay: []byte{valueSep}, start: []int32{0, 1}}
	if expect >= 0 {
		a.seen = make(map[string]int32, min(expect, 1<<12))
	}
	return a
}

func (a *arena) values() int { return len(a.start) - 1 }

func (a *arena) value(j int32) []byte { return a.hay[a.start[j] : a.start[j+1]-1] }

// add returns the id of s, folded, appending it if it is new.
func (a *arena) add(f *folder, s string, dropSpaces bool) int32 {
	if s == "" {
		return 0
	}
	if a.seen != nil {
		if id, ok := a.seen[s]; ok {
			a.repeats++
			return id
		}
		// Past a few thousand values, a field that rarely repeats (an
		// end-to-end id, invoice numbers) is not worth a map of all of them.
		if len(a.seen) >= 1<<15 && a.repeats < len(a.seen)/4 {
			a.seen = nil
		}
	}
	start := len(a.hay)
	a.hay = f.appendFold(a.hay, s, dropSpaces)
	if len(a.hay) == start { // folds to nothing
		if a.seen != nil {
			a.seen[s] = 0
		}
		return 0
	}
	a.hay = append(a.hay, valueSep)
	id := int32(len(a.start) - 1)
	a.start = append(a.start, int32(len(a.hay)))
	if a.seen != nil {
		a.seen[s] = id
	}
	return id
}

// NewIndex indexes h in O(n). Dates are compared as calendar days in loc
// (nil means UTC). h is not kept.
func NewIndex(h *history.History, loc *time.Location) *Index {
	if loc == nil {
		loc = time.UTC
	}
	ix := &Index{kinds: &kindTable{ids: map[string]uint16{}}, loc: loc}
	for f := range ix.text {
		ix.text[f] = newArena(h.Len())
	}
	ix.addOldestFirst(h, h.Len(), newFolder())
	for f := range ix.text {
		a := ix.text[f]
		// Drop the map and the growth slack: the arenas are most of the
		// index's memory.
		a.seen, a.hay, a.start = nil, slices.Clone(a.hay), slices.Clone(a.start)
	}
	return ix
}

// addOldestFirst appends the newest n bookings of h (newest first, as
// lists are) to the columns, oldest first.
func (ix *Index) addOldestFirst(h *history.History, n int, f *folder) {
	for c := range ix.ids {
		ix.ids[c] = slices.Grow(ix.ids[c], n)
	}
	ix.amount = slices.Grow(ix.amount, n)
	ix.day = slices.Grow(ix.day, n)
	ix.kind = slices.Grow(ix.kind, n)
	// A history has a handful of kinds: fold each pair of raw values once.
	type rawKind struct{ bookingType, method string }
	kindOf := map[rawKind]uint16{}
	var last rawKind
	lastID, haveLast := uint16(0), false
	var kind []byte
	// A day is looked up in the time zone only when the booking leaves
	// the last one's: a history is sorted by date, so that is once a day.
	var dayLo, dayHi int64
	var day int32
	for i := n - 1; i >= 0; i-- {
		ix.ids[fieldName] = append(ix.ids[fieldName], ix.text[fieldName].add(f, h.Text(i, history.Name), false))
		ix.ids[fieldPurpose] = append(ix.ids[fieldPurpose], ix.text[fieldPurpose].add(f, h.Text(i, history.Purpose), false))
		ix.ids[fieldE2E] = append(ix.ids[fieldE2E], ix.text[fieldE2E].add(f, h.Text(i, history.E2EID), false))
		ix.ids[fieldIBAN] = append(ix.ids[fieldIBAN], ix.text[fieldIBAN].add(f, h.Text(i, history.IBAN), true))
		ix.amount = append(ix.amount, h.Amount(i))
		booked := h.Booked(i)
		if u := booked.Unix(); u < dayLo || u >= dayHi || i == n-1 {
			t := booked.In(ix.loc)
			y, m, d := t.Date()
			start := time.Date(y, m, d, 0, 0, 0, 0, ix.loc)
			dayLo, dayHi = start.Unix(), start.AddDate(0, 0, 1).Unix()
			day = int32(y*10000 + int(m)*100 + d)
		}
		ix.day = append(ix.day, day)
		raw := rawKind{h.Text(i, history.BookingType), h.Text(i, history.PaymentMethod)}
		if !haveLast || raw != last {
			id, ok := kindOf[raw]
			if !ok {
				kind = appendFoldType(kind[:0], raw.bookingType)
				kind = append(kind, valueSep)
				kind = appendFoldType(kind, raw.method)
				id = ix.kinds.id(kind)
				kindOf[raw] = id
			}
			last, lastID, haveLast = raw, id, true
		}
		ix.kind = append(ix.kind, lastID)
	}
	ix.n += n
}

func (t *kindTable) id(kind []byte) uint16 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[string(kind)]; ok {
		return id
	}
	if len(t.names) == 1<<16-1 { // absurd; share the last one rather than overflow
		return uint16(len(t.names) - 1)
	}
	id := uint16(len(t.names))
	t.names = append(t.names, string(kind))
	t.ids[string(kind)] = id
	return id
}

func (t *kindTable) snapshot() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.names
}

// Prepend returns the index of h, which holds the bookings ix holds with
// newer ones in front (ix was built from h before it grew): the newer
// bookings are positions 0…k-1, with k = h.Len() - ix.Len(), the others
// move down by k. It costs O(k) (the text of new bookings is added to the
// arenas, not deduplicated against them). ix stays valid and unchanged,
// so a match running on it need not stop; build on the newest index only
// (a second Prepend or Append on the same ix copies all columns, O(n)).
// Bookings added get no labels (uncategorised, untagged, unmarked) when ix
// has labels.
func (ix *Index) Prepend(h *history.History) *Index {
	return ix.PrependWithLabels(h, nil)
}

// PrependWithLabels is Prepend with labels[i] being h's booking i's, for
// the newer ones (see NewIndexWithLabels).
func (ix *Index) PrependWithLabels(h *history.History, labels []rules.Result) *Index {
	return ix.prepend(h, len(labels) > 0, sliceLabels(labels))
}

// PrependWithResults is Prepend with h's booking i's result at position
// res.Len()-1-i of res, for the newer ones (see NewIndexWithResults).
func (ix *Index) PrependWithResults(h *history.History, res *rules.Results) *Index {
	return ix.prepend(h, res.Len() > 0, compactLabels(res))
}

func (ix *Index) prepend(h *history.History, labelled bool, labels newerLabels) *Index {
	k := max(h.Len()-ix.n, 0)
	nx := ix.derive()
	nx.addOldestFirst(h, k, newFolder())
	if ix.labels != nil || labelled {
		nx.labels = nx.labels.withNewer(ix.n, k, labels)
	}
	return nx
}

// Append returns an index of the bookings ix holds followed by older ones,
// every booking of older (positions n…n+older.Len()-1). The bookings are
// stored oldest first, so this copies every column: O(n). ix stays valid
// and unchanged.
func (ix *Index) Append(older *history.History) *Index {
	if ix.n == 0 {
		return ix.Prepend(older)
	}
	front := &Index{kinds: ix.kinds, loc: ix.loc}
	for f := range front.text {
		front.text[f] = ix.text[f]
	}
	front.clip()
	front.addOldestFirst(older, older.Len(), newFolder())
	for c := range front.ids {
		front.ids[c] = append(front.ids[c], ix.ids[c][:ix.n]...)
	}
	front.amount = append(front.amount, ix.amount[:ix.n]...)
	front.day = append(front.day, ix.day[:ix.n]...)
	front.kind = append(front.kind, ix.kind[:ix.n]...)
	front.n += ix.n
	if ix.labels != nil {
		front.labels = ix.labels.withOlder(older.Len())
	}
	return front
}

// derive returns a shallow copy of ix whose columns may be appended to.
func (ix *Index) derive() *Index {
	nx := &Index{n: ix.n, text: ix.text, ids: ix.ids, amount: ix.amount[:ix.n], day: ix.day[:ix.n],
		kind: ix.kind[:ix.n], kinds: ix.kinds, labels: ix.labels, loc: ix.loc}
	for f := range nx.text {
		a := *ix.text[f]
		nx.text[f] = &a
	}
	if ix.grown.Swap(true) {
		nx.clip()
		nx.labels = nx.labels.clip()
	}
	return nx
}

// clip makes every column and arena of ix copy on its next append, so that
// nothing another index still reads is written.
func (ix *Index) clip() {
	for f := range ix.text {
		a := *ix.text[f]
		a.hay, a.start = slices.Clip(a.hay), slices.Clip(a.start)
		ix.text[f] = &a
		ix.ids[f] = slices.Clip(ix.ids[f])
	}
	ix.amount, ix.day, ix.kind = slices.Clip(ix.amount), slices.Clip(ix.day), slices.Clip(ix.kind)
}

// Len is the number of transactions indexed.
func (ix *Index) Len() int { return ix.n }

// Match returns the indexes of the transactions that match q, in order. An
// empty query matches all; no match is an empty slice, never nil.
func (ix *Index) Match(q Query) []int { return ix.MatchInto(q, []int{}) }

// MatchInto is Match appending to dst[:0], so a caller can reuse one slice
// for every keystroke.
func (ix *Index) MatchInto(q Query, dst []int) []int {
	return ix.match(q, nil, false, dst[:0])
}

// Result is one query's matches on one index. Passed to MatchAfter, it
// spares the next query the whole history when that query only narrows it
// (a letter typed at the end of a word, a token added).
type Result struct {
	ix      *Index
	query   Query
	matches []int
}

// Matches are the result's transaction indexes, in order (never nil).
func (r Result) Matches() []int {
	if r.matches == nil {
		return []int{}
	}
	return r.matches
}

// MatchAfter is Match that, when prev is a result of this index for a query
// q narrows (every booking q matches, prev's query matches too), checks
// only prev's matches. prev may be the zero Result.
func (ix *Index) MatchAfter(prev Result, q Query) Result {
	var matches []int
	if prev.ix == ix && prev.matches != nil && q.Narrows(prev.query) {
		matches = ix.match(q, prev.matches, true, make([]int, 0, len(prev.matches)))
	} else {
		matches = ix.match(q, nil, false, []int{})
	}
	return Result{ix: ix, query: q, matches: matches}
}

// parallelFrom is the history size from which a full pass is split among
// the CPUs.
const parallelFrom = 1 << 17

// match appends to dst the positions that match q: all of them, or only
// those in within when restricted.
func (ix *Index) match(q Query, within []int, restricted bool, dst []int) []int {
	m := ix.newMatcher(q, within, restricted)
	if restricted {
		for _, i := range within {
			if m.match(ix.n - 1 - i) {
				dst = append(dst, i)
			}
		}
		return dst
	}
	n := ix.n
	workers := runtime.GOMAXPROCS(0)
	if n < parallelFrom || workers < 2 {
		for i := 0; i < n; i++ {
			if m.match(n - 1 - i) {
				dst = append(dst, i)
			}
		}
		return dst
	}
	parts := make([][]int, workers)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			var part []int
			for i := lo; i < hi; i++ {
				if m.match(n - 1 - i) {
					part = append(part, i)
				}
			}
			parts[w] = part
		}()
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	dst = slices.Grow(dst, total)
	for _, p := range parts {
		dst = append(dst, p...)
	}
	return dst
}

// matcher is a query prepared against one index.
type matcher struct {
	ix     *Index
	q      *Query
	kindOK []bool // by kind id: passes q.types
	terms  []termHits
}

// termHits is one free-text term: which values of each field contain it,
// as bitsets over the arenas (bits). When few bookings are to be checked
// (direct), a value is looked at only when a booking has it, and known
// records which bits are filled in.
type termHits struct {
	term, nospace []byte
	bits, known   [numFields][]uint64
	direct        bool
}

func (ix *Index) newMatcher(q Query, within []int, restricted bool) *matcher {
	m := &matcher{ix: ix, q: &q}
	if len(q.types) > 0 {
		kinds := ix.kinds.snapshot()
		m.kindOK = make([]bool, len(kinds))
		for k, name := range kinds {
			ok := true
			for _, t := range q.types {
				if !strings.Contains(name, t) {
					ok = false
					break
				}
			}
			m.kindOK[k] = ok
		}
	}
	// Among a previous result, a value is looked at only when a booking
	// there has it: cheaper than scanning every distinct value once.
	direct := restricted
	for t, term := range q.terms {
		h := termHits{term: []byte(term), direct: direct}
		if q.ibanTerms[t] != "" {
			h.nospace = []byte(q.ibanTerms[t])
		}
		if direct {
			for f := range ix.text {
				words := (ix.text[f].values() + 63) / 64
				h.bits[f], h.known[f] = make([]uint64, words), make([]uint64, words)
			}
		} else {
			for f := range ix.text {
				h.bits[f] = ix.text[f].containing(h.term, nil)
				if f == fieldIBAN && h.nospace != nil {
					h.bits[f] = ix.text[f].containing(h.nospace, h.bits[f])
				}
			}
		}
		m.terms = append(m.terms, h)
	}
	return m
}

// containing marks in bits (allocated when nil) the values that contain term.
func (a *arena) containing(term []byte, bits []uint64) []uint64 {
	values := a.values()
	if bits == nil {
		bits = make([]uint64, (values+63)/64)
	}
	hay := a.hay[:a.start[values]]
	cur := 0 // the value the scan is in or before
	for pos := 0; pos < len(hay); {
		hit := bytes.Index(hay[pos:], term)
		if hit < 0 {
			break
		}
		hit += pos
		// Find the value holding hit: usually near, so step, then search.
		if cur+1 < len(a.start) && a.start[cur+1] <= int32(hit) {
			if cur+2 < len(a.start) && a.start[cur+2] > int32(hit) {
				cur++
			} else {
				k, found := slices.BinarySearch(a.start[cur:values+1], int32(hit))
				cur += k
				if !found {
					cur--
				}
			}
		}
		bits[cur>>6] |= 1 << (cur & 63)
		cur++
		pos = int(a.start[cur])
	}
	return bits
}

// match checks the booking in slot s, cheapest parts first.
func (m *matcher) match(s int) bool {
	ix, q := m.ix, m.q
	a := ix.amount[s]
	if (q.in && a <= 0) || (q.out && a >= 0) {
		return false
	}
	for _, c := range q.amounts {
		if a < c.lo || a > c.hi {
			return false
		}
	}
	if len(q.dates) > 0 {
		d := ix.day[s]
		for _, c := range q.dates {
			if d < c.lo || d > c.hi {
				return false
			}
		}
	}
	if m.kindOK != nil && !m.kindOK[ix.kind[s]] {
		return false
	}
	if !q.labels.empty() && !ix.labelsMatch(s, &q.labels) {
		return false
	}
	for t := range m.terms {
		h := &m.terms[t]
		if h.direct {
			if !ix.containsDirect(s, h) {
				return false
			}
			continue
		}
		found := false
		for f := range h.bits {
			id := ix.ids[f][s]
			if h.bits[f][id>>6]&(1<<(id&63)) != 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (ix *Index) containsDirect(s int, h *termHits) bool {
	for f := range ix.text {
		id := ix.ids[f][s]
		w, bit := id>>6, uint64(1)<<(id&63)
		if h.known[f][w]&bit == 0 {
			h.known[f][w] |= bit
			v := ix.text[f].value(id)
			if bytes.Contains(v, h.term) || (f == fieldIBAN && h.nospace != nil && bytes.Contains(v, h.nospace)) {
				h.bits[f][w] |= bit
			}
		}
		if h.bits[f][w]&bit != 0 {
			return true
		}
	}
	return false
}

// Sum adds up the amounts of h's bookings at idx in cents: in is the sum
// of incoming (positive) amounts, out the sum of outgoing ones (zero or
// negative), so in+out is the net.
func Sum(h *history.History, idx []int) (in, out int64) {
	for _, i := range idx {
		if a := h.Amount(i); a > 0 {
			in += a
		} else {
			out += a
		}
	}
	return in, out
}
