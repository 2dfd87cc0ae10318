package rules

import (
	"encoding/binary"
	"strings"
)

// Results is the Result of every booking of a history, by position from
// the oldest, so that newer bookings append. Almost all bookings share
// their result with many others (a rule's category, payee and tags; only
// labels set by hand differ), so each position holds only the id of its
// result in a table of the distinct ones: 4 bytes a booking instead of a
// Result's 88. A nil *Results holds none. It is not safe for concurrent
// use; Tags of the results it returns are shared (do not modify them).
type Results struct {
	ids      []uint32 // by position: index in distinct
	distinct []Result
	idOf     map[resultKey]uint32
}

// resultKey tells distinct Results apart: their tags each prefixed by its
// length, so that no tag's text can pass for two.
type resultKey struct {
	category, payee, tags, note string
	rule                        int
	marked, manual              bool
}

func keyOf(r *Result) resultKey {
	k := resultKey{category: r.Category, payee: r.Payee, note: r.Note, rule: r.Rule, marked: r.Marked, manual: r.Manual}
	if len(r.Tags) > 0 {
		var b strings.Builder
		var n [binary.MaxVarintLen64]byte
		for _, t := range r.Tags {
			b.Write(n[:binary.PutUvarint(n[:], uint64(len(t)))])
			b.WriteString(t)
		}
		k.tags = b.String()
	}
	return k
}

// Len is the number of bookings.
func (r *Results) Len() int {
	if r == nil {
		return 0
	}
	return len(r.ids)
}

// At is the result of the booking at position p from the oldest.
func (r *Results) At(p int) Result { return r.distinct[r.ids[p]] }

// ID is the id of the result at position p: two positions have the same
// id exactly when their results are equal. Ids count from 0 up to
// Distinct()-1.
func (r *Results) ID(p int) int { return int(r.ids[p]) }

// Distinct is the number of distinct results (ids).
func (r *Results) Distinct() int {
	if r == nil {
		return 0
	}
	return len(r.distinct)
}

// ByID is the result of id.
func (r *Results) ByID(id int) Result { return r.distinct[id] }

// Append adds the result of a booking newer than all before.
func (r *Results) Append(res Result) { r.ids = append(r.ids, r.intern(res)) }

// Set replaces the result at position p (a label changed by hand).
func (r *Results) Set(p int, res Result) { r.ids[p] = r.intern(res) }

// intern is the id of res, added to the table when new.
func (r *Results) intern(res Result) uint32 {
	k := keyOf(&res)
	if id, ok := r.idOf[k]; ok {
		return id
	}
	if r.idOf == nil {
		r.idOf = map[resultKey]uint32{}
	}
	id := uint32(len(r.distinct))
	r.distinct = append(r.distinct, res)
	r.idOf[k] = id
	return id
}
