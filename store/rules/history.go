package rules

import (
	"konto/api"
	compact "konto/store/history"
)

// historyBatch is how many bookings of a history are read back at a time
// to categorise them: a copy of a few MB, never one of the whole history.
const historyBatch = 1 << 14

// ApplyHistory is ApplyAll for a compact history: out[i] is h.At(i)'s
// result.
func (s *Set) ApplyHistory(h *compact.History, labels map[int64]Label) []Result {
	out := make([]Result, 0, h.Len())
	eachBatch(h, func(txs []api.Transaction) {
		out = append(out, s.ApplyAll(txs, labels)...)
	})
	return out
}

// ApplyHistoryCompact is ApplyAllCompact for a compact history, read a
// batch at a time from the oldest.
func (s *Set) ApplyHistoryCompact(h *compact.History, labels map[int64]Label) *Results {
	n := h.Len()
	c := s.newCompacting(n)
	buf := make([]api.Transaction, min(n, historyBatch))
	valutas := make([]api.TxTime, len(buf))
	for hi := n; hi > 0; {
		lo := max(0, hi-len(buf))
		batch := buf[:hi-lo]
		for i := range batch {
			batch[i] = h.Read(lo+i, &valutas[i])
		}
		c.add(batch, labels)
		hi = lo
	}
	return c.out
}

// CountHistory is Count for a compact history.
func (m *Matcher) CountHistory(h *compact.History) int {
	n := 0
	eachBatch(h, func(txs []api.Transaction) { n += m.Count(txs) })
	return n
}

// eachBatch hands h's bookings to fn in order, a batch at a time, in one
// buffer it reuses.
func eachBatch(h *compact.History, fn func([]api.Transaction)) {
	buf := make([]api.Transaction, min(h.Len(), historyBatch))
	valutas := make([]api.TxTime, len(buf))
	for lo := 0; lo < h.Len(); lo += len(buf) {
		batch := buf[:min(len(buf), h.Len()-lo)]
		for i := range batch {
			batch[i] = h.Read(lo+i, &valutas[i])
		}
		fn(batch)
	}
}
