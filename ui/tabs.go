package ui

// The main pane's tabs: which there are, and what the root does with the
// current one (its details, its selection's IBAN, loading it on a visit).

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api/sepa"
	"konto/ui/accounts"
	"konto/ui/common"
	"konto/ui/orders"
	"konto/ui/reports"
	"konto/ui/transactions"
)

// tabEntry is a tab and the key that shows it.
type tabEntry struct {
	tab common.Tab
	key key.Binding
}

// newTabs are the main pane's tabs in the order of their names in its
// title ("1 Transactions", "2 Standing", …). A new tab is one line here.
func (m *Model) newTabs() []tabEntry {
	g := m.c.Keys.Global
	return []tabEntry{
		{transactions.NewTab(m.txs, m.detail), g.TabTransactions},
		{orders.NewStanding(m.c, m.detail), g.TabStanding},
		{orders.NewTimed(m.c, m.detail), g.TabTimed},
		{reports.New(m.c, m.reportData(), m.detail), g.TabReports},
	}
}

// current is the tab shown.
func (m *Model) current() common.Tab { return m.tabs[m.tab].tab }

// tabName is tab i's name in the main pane's title.
func (m *Model) tabName(i int) string { return fmt.Sprintf("%d %s", i+1, m.tabs[i].tab.Title()) }

// eachTab runs f on every tab and batches what they return.
func (m *Model) eachTab(f func(common.Tab) tea.Cmd) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.tabs))
	for _, e := range m.tabs {
		cmds = append(cmds, f(e.tab))
	}
	return tea.Batch(cmds...)
}

// updateTabs hands msg to every tab (each takes what is its own).
func (m *Model) updateTabs(msg tea.Msg) tea.Cmd {
	return m.eachTab(func(t common.Tab) tea.Cmd { return t.Update(msg) })
}

// syncPending shows the payments pending check on the status line and in
// the lists whenever the tracker's list changed.
func (m *Model) syncPending() {
	if m.pending.Version() == m.pendingShown {
		return
	}
	m.pendingShown = m.pending.Version()
	items := m.pending.Unresolved()
	m.status.SetPending(len(items))
	for _, e := range m.tabs {
		e.tab.SetPending(items)
	}
}

// copySelectionIBAN copies the IBAN of the selected booking or order (y in
// the list: the details need not be open).
func (m *Model) copySelectionIBAN() tea.Cmd {
	sel, ok := m.current().Selected()
	if !ok {
		return nil
	}
	iban := sepa.NormalizeIBAN(common.Sanitize(sel.IBAN))
	if iban == "" {
		return common.Notice(common.NoticeWarning, sel.What+" has no IBAN")
	}
	return tea.Batch(tea.SetClipboard(iban), common.Notice(common.NoticeInfo, "IBAN copied"))
}

// openDetail shows the selection's details: the detail pane when wide,
// a modal otherwise.
func (m *Model) openDetail() tea.Cmd {
	if _, ok := m.current().Selected(); !ok {
		return nil
	}
	if m.detailPane() {
		m.setFocus(paneDetail)
		return nil
	}
	return common.OpenModal(m.current().DetailModal())
}

func (m *Model) selectAccount(id int64) tea.Cmd {
	if id == m.txs.AccountID() {
		return nil
	}
	var cmds []tea.Cmd
	if txs, ok := m.history[id]; ok {
		cmds = append(cmds, m.txs.Show(id, txs))
	} else {
		cmds = append(cmds, m.txs.Load(id))
	}
	cmds = append(cmds, m.current().Visit(id))
	return tea.Batch(cmds...)
}

// refresh reloads the accounts and what the current account shows.
func (m *Model) refresh() tea.Cmd {
	return tea.Batch(m.reload(), common.Notice(common.NoticeInfo, "refreshing…"))
}

// reload is refresh without a notice: the accounts, the shown account's
// bookings, and every tab loaded before or shown now.
func (m *Model) reload() tea.Cmd {
	cmds := []tea.Cmd{m.accounts.Load()}
	id := m.txs.AccountID()
	if id == 0 {
		return tea.Batch(cmds...)
	}
	cmds = append(cmds, m.txs.Load(id))
	for i, e := range m.tabs {
		cmds = append(cmds, e.tab.Reload(id, i == m.tab))
	}
	return tea.Batch(cmds...)
}

// refreshAround asks for the accounts (balances) and the shown account's
// tabs again, but not its history: new bookings arrived on their own.
func (m *Model) refreshAround() tea.Cmd {
	cmds := []tea.Cmd{m.accounts.Load()}
	if id := m.txs.AccountID(); id != 0 {
		for i, e := range m.tabs {
			cmds = append(cmds, e.tab.Reload(id, i == m.tab))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) setTab(i int) tea.Cmd {
	m.tab = i
	m.setFocus(paneMain)
	return m.visitTab(m.txs.AccountID())
}

// visitTab loads the current tab's list for account id on its first visit
// (nothing before the accounts are known).
func (m *Model) visitTab(id int64) tea.Cmd {
	if id == 0 {
		return nil
	}
	return m.current().Visit(id)
}

// The panes and tabs keep to the contract (ui/common/pane.go).
var (
	_ common.Pane = (*accounts.Model)(nil)
	_ common.Tab  = (*transactions.Tab)(nil)
	_ common.Tab  = (*orders.StandingTab)(nil)
	_ common.Tab  = (*orders.TimedTab)(nil)
	_ common.Tab  = (*reports.Tab)(nil)
)
