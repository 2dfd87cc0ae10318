package ui

// What each key does on the dashboard (no dialog open) is decided in one
// place, actions: the key routing runs the action a key matches, the help
// bar shows some of them, and ? lists all of them, grouped. So a key the
// help names always works where it is named, and a key it does not name
// does nothing there.

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/ui/common"
)

// keyGroup is the title an action is listed under in the ? help.
type keyGroup int

const (
	groupMoving keyGroup = iota
	groupFilter
	groupLabels
	groupPayments
	groupOrders
	groupOther
	groupCount
)

func (g keyGroup) title() string {
	return [...]string{"Moving", "Filter", "Labels and periods", "Payments", "Orders", "Other"}[g]
}

// barSlot is where an action shows in the help bar, if at all.
type barSlot int

const (
	barNone    barSlot = iota
	barLocal           // the focused pane's keys, first
	barPayment         // payment and order keys, as far as there is room
	barTail            // last, always: next pane, help, quit
)

// action is one key that works in the current context.
type action struct {
	group keyGroup
	key   key.Binding
	bar   barSlot
	run   func(tea.KeyPressMsg) tea.Cmd
}

// actionList collects actions; a binding with no keys (unbound in the
// config) is left out.
type actionList []action

func (as *actionList) add(g keyGroup, b key.Binding, bar barSlot, run func(tea.KeyPressMsg) tea.Cmd) {
	if b.Enabled() && len(b.Keys()) > 0 {
		*as = append(*as, action{group: g, key: b, bar: bar, run: run})
	}
}

// named is b with another description (enter is "details" in a list and
// "bookings" on the accounts).
func named(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// filterOpen: the filter line is open and takes every key but its own.
func (m *Model) filterOpen() bool {
	return m.focus == paneMain && m.tab == tabTransactions && m.txs.Filtering()
}

// actions are the keys that work now, with no dialog open: for the tab,
// the focused pane, what is selected, the filter line, read-only mode and
// the layout (a details pane or not).
func (m *Model) actions() []action {
	var as actionList
	km := m.c.Keys
	l, g := km.List, km.Global
	toTxs := func(msg tea.KeyPressMsg) tea.Cmd { return m.txs.Update(msg) }
	if m.filterOpen() {
		as.add(groupFilter, km.Filter.Keep, barLocal, toTxs)
		as.add(groupFilter, km.Filter.Clear, barLocal, toTxs)
		return as
	}
	do := func(f func()) func(tea.KeyPressMsg) tea.Cmd {
		return func(tea.KeyPressMsg) tea.Cmd { f(); return nil }
	}
	moves := func(to func(tea.KeyPressMsg) tea.Cmd, pages bool, up, down string) {
		as.add(groupMoving, named(l.Down, down), barLocal, to)
		as.add(groupMoving, named(l.Up, up), barLocal, to)
		as.add(groupMoving, l.Top, barNone, to)
		as.add(groupMoving, l.Bottom, barNone, to)
		if pages {
			as.add(groupMoving, l.HalfPageDown, barNone, to)
			as.add(groupMoving, l.HalfPageUp, barNone, to)
			as.add(groupMoving, l.PageDown, barNone, to)
			as.add(groupMoving, l.PageUp, barNone, to)
		}
	}
	selected := m.hasSelection()

	switch m.focus {
	case paneAccounts:
		if len(m.accounts.Accounts()) > 1 {
			moves(func(msg tea.KeyPressMsg) tea.Cmd { return m.accounts.Update(msg) }, true, "up", "down")
		}
		as.add(groupMoving, named(l.Open, "bookings"), barLocal, do(func() { m.setFocus(paneMain) }))
	case paneMain:
		list := func(msg tea.KeyPressMsg) tea.Cmd { return m.mainUpdate(msg) }
		if m.mainLen() > 1 {
			moves(list, true, "up", "down")
		}
		if selected {
			as.add(groupMoving, named(l.Open, "details"), barLocal, list)
		}
		if m.tab == tabTransactions {
			as.add(groupFilter, l.Filter, barLocal, toTxs)
			if m.txs.FilterKept() {
				as.add(groupFilter, km.Filter.Clear, barLocal, toTxs)
			}
		}
	case paneDetail:
		as.add(groupMoving, named(km.Detail.Close, "back to the list"), barLocal, do(func() { m.setFocus(paneMain) }))
		if m.detail.Scrollable() {
			// Only the ways it can go: at the top, up does nothing.
			scroll := func(msg tea.KeyPressMsg) tea.Cmd { return m.detail.Update(msg) }
			above, last, total := m.detail.Position()
			if last < total {
				as.add(groupMoving, named(l.Down, "scroll down"), barLocal, scroll)
			}
			if above > 0 {
				as.add(groupMoving, named(l.Up, "scroll up"), barLocal, scroll)
				as.add(groupMoving, l.Top, barNone, scroll)
			}
			if last < total {
				as.add(groupMoving, l.Bottom, barNone, scroll)
				as.add(groupMoving, l.HalfPageDown, barNone, scroll)
			}
			if above > 0 {
				as.add(groupMoving, l.HalfPageUp, barNone, scroll)
			}
			if last < total {
				as.add(groupMoving, l.PageDown, barNone, scroll)
			}
			if above > 0 {
				as.add(groupMoving, l.PageUp, barNone, scroll)
			}
		}
	}
	as.add(groupMoving, g.NextPane, barTail, do(func() { m.cycleFocus(1) }))
	as.add(groupMoving, g.PrevPane, barNone, do(func() { m.cycleFocus(-1) }))
	for t, b := range []key.Binding{g.TabTransactions, g.TabStanding, g.TabTimed} {
		// The current tab's key only takes the focus back to its list.
		if tab(t) != m.tab || m.focus != paneMain {
			as.add(groupMoving, b, barNone, func(tea.KeyPressMsg) tea.Cmd { return m.setTab(tab(t)) })
		}
	}

	m.paymentActions(&as)
	m.labelActions(&as, selected)

	if selected {
		switch m.focus {
		case paneMain:
			as.add(groupOther, km.Detail.CopyIBAN, barNone, func(tea.KeyPressMsg) tea.Cmd { return m.copySelectionIBAN() })
		case paneDetail:
			as.add(groupOther, km.Detail.CopyIBAN, barLocal, func(msg tea.KeyPressMsg) tea.Cmd { return m.detail.Update(msg) })
		}
	}
	as.add(groupOther, g.Refresh, barNone, func(tea.KeyPressMsg) tea.Cmd { return m.refresh() })
	if m.c.Session != nil {
		as.add(groupOther, g.Resync, barNone, func(tea.KeyPressMsg) tea.Cmd { return tea.Batch(m.c.Session.Resync(), m.reload()) })
	}
	as.add(groupOther, g.Layout, barNone, func(tea.KeyPressMsg) tea.Cmd { return m.switchLayout() })
	as.add(groupOther, g.Privacy, barNone, func(tea.KeyPressMsg) tea.Cmd { return m.togglePrivacy() })
	as.add(groupOther, g.Help, barTail, func(tea.KeyPressMsg) tea.Cmd { return m.openHelp() })
	as.add(groupOther, g.Quit, barTail, func(tea.KeyPressMsg) tea.Cmd { return tea.Quit })
	return as
}

// routeKey runs the action msg matches; ok is false when none does. With
// the filter line open, other keys are typed into it.
func (m *Model) routeKey(msg tea.KeyPressMsg) tea.Cmd {
	for _, a := range m.actions() {
		if key.Matches(msg, a.key) {
			return a.run(msg)
		}
	}
	if m.filterOpen() {
		return m.txs.Update(msg)
	}
	return nil
}

// hasSelection reports a booking or order selected in the current tab.
func (m *Model) hasSelection() bool {
	if m.tab == tabTransactions {
		return m.txs.Selected() != nil
	}
	_, _, _, ok := m.selection()
	return ok
}

// mainLen is how many entries the current tab lists.
func (m *Model) mainLen() int {
	switch m.tab {
	case tabStanding:
		return m.standing.Len()
	case tabTimed:
		return m.timed.Len()
	}
	return m.txs.Len()
}

// mainUpdate hands msg to the current tab's list.
func (m *Model) mainUpdate(msg tea.Msg) tea.Cmd {
	switch m.tab {
	case tabStanding:
		return m.standing.Update(msg)
	case tabTimed:
		return m.timed.Update(msg)
	}
	return m.txs.Update(msg)
}

// labelActions are the keys on the transactions tab's list and details:
// c ; m o on the selected booking, [ ] { } stepping the list's period.
func (m *Model) labelActions(as *actionList, selected bool) {
	if m.tab != tabTransactions || (m.focus != paneMain && m.focus != paneDetail) {
		return
	}
	lk, pk := m.c.Keys.Labels, m.c.Keys.Period
	label := func(msg tea.KeyPressMsg) tea.Cmd { cmd, _ := m.txs.LabelKey(msg); return cmd }
	if selected {
		as.add(groupLabels, lk.Category, barNone, label)
		as.add(groupLabels, lk.Note, barNone, label)
		as.add(groupLabels, lk.Mark, barNone, label)
		as.add(groupLabels, lk.OpenInvoice, barNone, label)
	}
	period := func(msg tea.KeyPressMsg) tea.Cmd { cmd, _ := m.txs.PeriodKey(msg); return cmd }
	for _, b := range []key.Binding{pk.Prev, pk.Next, pk.Longer, pk.Shorter} {
		as.add(groupLabels, b, barNone, period)
	}
}

// togglePrivacy masks or shows every amount, balance and IBAN.
func (m *Model) togglePrivacy() tea.Cmd {
	m.c.Privacy = !m.c.Privacy
	m.syncDetail()
	if m.c.Privacy {
		return common.Notice(common.NoticeInfo, "amounts hidden · "+m.c.Keys.Global.Privacy.Help().Key+" shows them")
	}
	return common.Notice(common.NoticeInfo, "amounts shown")
}
