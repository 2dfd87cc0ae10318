package alerts

import (
	"cmp"
	"slices"
	"time"

	"konto/api"
	"konto/store/history"
)

// Memory is how long the state remembers announced bookings after the last
// evaluation: a booking dated before then that was not seen is old history
// the bank shows late, not news. It covers the days a bank may date a
// booking back.
const Memory = 35 * 24 * time.Hour

// State is what was already announced, per account; the cache keeps it
// between runs (it is JSON), so a booking that arrived while konto was
// closed is announced at the next start, once. The zero State is a first
// run.
type State struct {
	Accounts map[int64]*AccountState `json:"accounts"`
}

// AccountState is one account's memory.
type AccountState struct {
	// Since is the horizon: bookings dated before it are not new.
	Since time.Time `json:"since"`
	// Seen are the ids of the bookings dated from Since on that were
	// already announced (or there at the first run).
	Seen []int64 `json:"seen"`
	// Active are the conditions (balance or forecast below a limit) that
	// hold and were announced; one is announced again only after it ended.
	Active []string `json:"active,omitempty"`
}

func (s *State) init() {
	if s.Accounts == nil {
		s.Accounts = map[int64]*AccountState{}
	}
}

func (s *State) account(id int64) *AccountState {
	a := s.Accounts[id]
	if a == nil {
		a = &AccountState{}
		s.Accounts[id] = a
	}
	return a
}

// Known reports whether the state has seen the account before.
func (s *State) Known(id int64) bool { return s != nil && s.Accounts[id] != nil }

// newBookings returns the bookings not seen before, oldest first, and marks
// them seen. On the account's first evaluation every booking is old.
func (a *AccountState) newBookings(h *history.History, now time.Time) []api.Transaction {
	first := a.Since.IsZero() && a.Seen == nil
	seen := make(map[int64]bool, len(a.Seen))
	for _, id := range a.Seen {
		seen[id] = true
	}
	var fresh []api.Transaction
	for i := range h.Len() {
		if seen[h.ID(i)] || h.Booked(i).Before(a.Since) {
			continue
		}
		tx := h.At(i)
		seen[tx.ID] = true
		a.Seen = append(a.Seen, tx.ID)
		if !first {
			fresh = append(fresh, tx)
		}
	}
	if a.Seen == nil {
		a.Seen = []int64{} // evaluated: the next time is not a first run
	}
	slices.SortStableFunc(fresh, func(x, y api.Transaction) int {
		return cmp.Or(x.BookingDate.Compare(y.BookingDate.Time), cmp.Compare(x.ID, y.ID))
	})
	return fresh
}

// forget moves the horizon to Memory before now and drops the ids of the
// bookings dated before it.
func (a *AccountState) forget(h *history.History, now time.Time) {
	since := now.Add(-Memory).UTC()
	if since.Before(a.Since) {
		return
	}
	a.Since = since
	keep := make(map[int64]bool, len(a.Seen))
	for i := range h.Len() {
		if !h.Booked(i).Before(since) {
			keep[h.ID(i)] = true
		}
	}
	a.Seen = slices.DeleteFunc(a.Seen, func(id int64) bool { return !keep[id] })
}

// flip records whether a condition holds and reports whether it just began.
func (a *AccountState) flip(key string, holds bool) bool {
	i := slices.Index(a.Active, key)
	switch {
	case holds && i < 0:
		a.Active = append(a.Active, key)
		return true
	case !holds && i >= 0:
		a.Active = slices.Delete(a.Active, i, i+1)
	}
	return false
}
