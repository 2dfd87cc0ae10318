package common

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// SessionController runs the part of a signed-in program that outlives any
// one screen: the offline cache, background sync and polling, and the
// session's lifetime (the login dialog when the bank wants a new login).
// The root model forwards to it; ui/session's Controller implements it. Nil
// in tests and demos without a cache.
type SessionController interface {
	// Init starts the work that runs from the start: the first paint from
	// the cache, the network refresh behind it, polling for new money.
	Init() tea.Cmd
	// Update sees every message the root does not handle itself, plus the
	// token events; it ignores what is not its own.
	Update(msg tea.Msg) tea.Cmd
	// Resync forgets what the cache knows and fetches everything again on
	// the next load (ctrl+r).
	Resync() tea.Cmd
	// OfflineSince is when the bank stopped answering; zero while it answers.
	OfflineSince() time.Time
	// Stale reports that what is shown comes from the cache and has not been
	// synced in this run yet, and when the cache was last synced.
	Stale() (stale bool, syncedAt time.Time)
}

// ReloadMsg asks the root to fetch the accounts and what the shown account
// displays again, quietly (new money arrived, or a new login went through).
type ReloadMsg struct{}

// Reload is a Cmd sending ReloadMsg.
func Reload() tea.Msg { return ReloadMsg{} }
