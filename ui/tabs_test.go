package ui

import "konto/ui/orders"

// The tabs by their place in newTabs, for the tests.
const (
	tabTransactions = iota
	tabStanding
	tabTimed
)

func (m *Model) standing() *orders.StandingTab { return m.tabs[tabStanding].tab.(*orders.StandingTab) }
func (m *Model) timed() *orders.TimedTab       { return m.tabs[tabTimed].tab.(*orders.TimedTab) }
