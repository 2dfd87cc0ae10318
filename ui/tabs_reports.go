package ui

// What the reports tab reads of the dashboard: the accounts and histories
// the root keeps, the offline cache, and the way to the bookings tab.

import (
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store"
	"konto/store/history"
	"konto/ui/reports"
)

// reportData hands the reports tab the root's data; each func reads the
// root's fields when called, as they are replaced on a new session.
func (m *Model) reportData() reports.Data {
	d := reports.Data{
		Accounts: func() []api.Account { return m.accounts.Accounts() },
		History:  func(id int64) *history.History { return m.history[id] },
		// No rule set on Common yet: the tab categorises by the built-in
		// rules (rules.Defaults) and the labels in the cache.
		Rules: nil,
		ShowBookings: func(query string) tea.Cmd {
			return tea.Batch(m.setTab(0), m.txs.ShowQuery(query))
		},
	}
	if b, ok := m.c.Bank.(interface{ Cache() *store.Cache }); ok {
		d.Store = func() reports.Store {
			if c := b.Cache(); c != nil {
				return c
			}
			return nil
		}
	}
	return d
}
