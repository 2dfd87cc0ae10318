package filter

import (
	"slices"
	"strings"
	"time"

	"konto/api"
)

// Index holds what matching needs of a transaction list, computed once: the
// folded text of every transaction in one string (so a term is found with a
// single fast substring scan over all of them), amounts, local days and types.
type Index struct {
	// hay is, per transaction, "name\x00purpose\x00e2eid\x00iban\x01",
	// folded; the IBAN without spaces and last, so that ibanAt..start[i+1]
	// is the IBAN alone.
	hay    string
	start  []int32 // start[i] is where transaction i begins in hay; start[n] = len(hay)
	ibanAt []int32 // where transaction i's IBAN begins in hay
	amount []int64
	day    []int32     // local booking day as yyyymmdd
	kinds  []string    // folded "bookingtype\x00paymentmethod", interned
	labels *labelIndex // nil: no booking has a label (labels.go)
}

// Separators inside hay; folding turns every control character into a space,
// so no term can contain them and no match can span two fields.
const (
	fieldSep = '\x00'
	txSep    = '\x01'
)

// NewIndex indexes txs in O(n). Dates are compared as calendar days in loc
// (nil means UTC). txs is not kept.
func NewIndex(txs []api.Transaction, loc *time.Location) *Index {
	if loc == nil {
		loc = time.UTC
	}
	n := len(txs)
	ix := &Index{
		start:  make([]int32, n+1),
		ibanAt: make([]int32, n),
		amount: make([]int64, n),
		day:    make([]int32, n),
		kinds:  make([]string, n),
	}
	f := newFolder()
	buf := make([]byte, 0, n*64)
	interned := make(map[string]string)
	var kind []byte
	for i := range txs {
		tx := &txs[i]
		ix.start[i] = int32(len(buf))
		buf = f.appendFold(buf, api.Str(tx.Name), false)
		buf = append(buf, fieldSep)
		buf = f.appendFold(buf, api.Str(tx.Purpose), false)
		buf = append(buf, fieldSep)
		buf = f.appendFold(buf, api.Str(tx.E2EID), false)
		buf = append(buf, fieldSep)
		ix.ibanAt[i] = int32(len(buf))
		buf = f.appendFold(buf, api.Str(tx.IBAN), true)
		buf = append(buf, txSep)

		ix.amount[i] = tx.Amount
		y, m, d := tx.BookingDate.In(loc).Date()
		ix.day[i] = int32(y*10000 + int(m)*100 + d)

		kind = appendFoldType(kind[:0], api.Str(tx.BookingType))
		kind = append(kind, fieldSep)
		kind = appendFoldType(kind, api.Str(tx.PaymentMethod))
		k, ok := interned[string(kind)]
		if !ok {
			k = string(kind)
			interned[k] = k
		}
		ix.kinds[i] = k
	}
	ix.start[n] = int32(len(buf))
	ix.hay = string(buf)
	return ix
}

// Len is the number of transactions indexed.
func (ix *Index) Len() int { return len(ix.amount) }

// Match returns the indexes of the transactions that match q, in order. An
// empty query matches all; no match is an empty slice, never nil.
func (ix *Index) Match(q Query) []int { return ix.MatchInto(q, []int{}) }

// MatchInto is Match appending to dst[:0], so a caller can reuse one slice
// for every keystroke.
func (ix *Index) MatchInto(q Query, dst []int) []int {
	dst = dst[:0]
	n := ix.Len()
	// Drive with the longest term without a space (likely the rarest, and a
	// term with a space may match an IBAN only with its spaces removed): one
	// substring scan over all transactions finds the candidates.
	driver := -1
	for t, term := range q.terms {
		if !strings.Contains(term, " ") && (driver < 0 || len(term) > len(q.terms[driver])) {
			driver = t
		}
	}
	if driver < 0 {
		for i := 0; i < n; i++ {
			if ix.matches(i, q, -1) {
				dst = append(dst, i)
			}
		}
		return dst
	}
	term := q.terms[driver]
	for pos, cur := 0, 0; pos < len(ix.hay); {
		hit := strings.Index(ix.hay[pos:], term)
		if hit < 0 {
			break
		}
		hit += pos
		k, found := slices.BinarySearch(ix.start[cur:], int32(hit))
		i := cur + k
		if !found {
			i--
		}
		if ix.matches(i, q, driver) {
			dst = append(dst, i)
		}
		cur = i + 1
		pos = int(ix.start[cur])
	}
	return dst
}

// matches checks transaction i against every part of q but term skip (-1:
// none), cheapest first.
func (ix *Index) matches(i int, q Query, skip int) bool {
	a := ix.amount[i]
	if (q.in && a <= 0) || (q.out && a >= 0) {
		return false
	}
	for _, c := range q.amounts {
		if a < c.lo || a > c.hi {
			return false
		}
	}
	d := ix.day[i]
	for _, c := range q.dates {
		if d < c.lo || d > c.hi {
			return false
		}
	}
	for _, t := range q.types {
		if !strings.Contains(ix.kinds[i], t) {
			return false
		}
	}
	if !q.labels.empty() && !ix.labelsMatch(i, &q.labels) {
		return false
	}
	if len(q.terms) == 0 {
		return true
	}
	text := ix.hay[ix.start[i]:ix.start[i+1]]
	for t, term := range q.terms {
		if t == skip || strings.Contains(text, term) {
			continue
		}
		if nospace := q.ibanTerms[t]; nospace != "" &&
			strings.Contains(ix.hay[ix.ibanAt[i]:ix.start[i+1]], nospace) {
			continue
		}
		return false
	}
	return true
}

// Sum adds up the amounts of txs[idx…] in cents: in is the sum of incoming
// (positive) amounts, out the sum of outgoing ones (zero or negative), so
// in+out is the net.
func Sum(txs []api.Transaction, idx []int) (in, out int64) {
	for _, i := range idx {
		if a := txs[i].Amount; a > 0 {
			in += a
		} else {
			out += a
		}
	}
	return in, out
}
