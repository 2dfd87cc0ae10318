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

// filterOpen: the current tab's input line (the filter) is open and takes
// every key but its own.
func (m *Model) filterOpen() bool {
	return m.focus == paneMain && m.current().Capturing()
}

// actions are the keys that work now, with no dialog open: for the tab,
// the focused pane, what is selected, the filter line, read-only mode and
// the layout (a details pane or not).
func (m *Model) actions() []action {
	var as actionList
	km := m.c.Keys
	l, g := km.List, km.Global
	tab := m.current()
	toTab := func(msg tea.KeyPressMsg) tea.Cmd { return tab.Update(msg) }
	tabKeys := func() {
		for _, b := range tab.KeyMap().ShortHelp() {
			as.add(groupFilter, b, barLocal, toTab)
		}
	}
	if m.filterOpen() {
		tabKeys()
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
		if tab.Len() > 1 {
			moves(toTab, true, "up", "down")
		}
		if selected {
			as.add(groupMoving, named(l.Open, "details"), barLocal, toTab)
		}
		tabKeys()
	case paneDetail:
		as.add(groupMoving, named(km.Detail.Close, "back to the list"), barLocal, do(func() { m.setFocus(paneMain) }))
		if m.detail.Scrollable() {
			// Only the ways it can go: at the top, up does nothing.
			scroll := func(msg tea.KeyPressMsg) tea.Cmd { return m.detail.Update(msg) }
			above, last, total := m.detail.Position()
			up, down := above > 0, last < total
			for _, b := range []struct {
				key key.Binding
				on  bool
				bar barSlot
			}{
				{named(l.Down, "scroll down"), down, barLocal}, {named(l.Up, "scroll up"), up, barLocal},
				{l.Top, up, barNone}, {l.Bottom, down, barNone}, {l.HalfPageDown, down, barNone},
				{l.HalfPageUp, up, barNone}, {l.PageDown, down, barNone}, {l.PageUp, up, barNone},
			} {
				if b.on {
					as.add(groupMoving, b.key, b.bar, scroll)
				}
			}
		}
	}
	as.add(groupMoving, g.NextPane, barTail, do(func() { m.cycleFocus(1) }))
	as.add(groupMoving, g.PrevPane, barNone, do(func() { m.cycleFocus(-1) }))
	for i, e := range m.tabs {
		// The current tab's key only takes the focus back to its list.
		if i != m.tab || m.focus != paneMain {
			as.add(groupMoving, e.key, barNone, func(tea.KeyPressMsg) tea.Cmd { return m.setTab(i) })
		}
	}

	m.paymentActions(&as)
	if lt, ok := tab.(common.LabelTab); ok && (m.focus == paneMain || m.focus == paneDetail) {
		run := func(msg tea.KeyPressMsg) tea.Cmd { cmd, _ := lt.LabelKey(msg); return cmd }
		for _, b := range lt.LabelKeys() {
			as.add(groupLabels, b, barNone, run)
		}
	}

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
		return m.current().Update(msg)
	}
	return nil
}

// hasSelection reports a booking or order selected in the current tab.
func (m *Model) hasSelection() bool {
	_, ok := m.current().Selected()
	return ok
}

// togglePrivacy masks or shows every amount, balance and IBAN.
func (m *Model) togglePrivacy() tea.Cmd {
	m.c.Privacy = !m.c.Privacy
	m.current().ShowDetail()
	if m.c.Privacy {
		return common.Notice(common.NoticeInfo, "amounts hidden · "+m.c.Keys.Global.Privacy.Help().Key+" shows them")
	}
	return common.Notice(common.NoticeInfo, "amounts shown")
}
