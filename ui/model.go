package ui

import (
	"errors"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sepa"
	"konto/store/history"
	"konto/theme"
	"konto/ui/accounts"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/lookahead"
	"konto/ui/pending"
	"konto/ui/status"
	"konto/ui/transactions"
)

// Model is the root model.
type Model struct {
	c        *common.Common
	status   *status.Model
	accounts *accounts.Model
	// txs is the shown account's bookings: the transactions tab shows
	// them, payments leave from their account, and their history feeds
	// the sparklines and the forms' suggestions.
	txs    *transactions.Model
	detail *detail.Model
	// tabs are the main pane's tabs (ui/tabs.go), tab the shown one.
	tabs []tabEntry
	tab  int
	help help.Model
	// pending checks the payments of unknown outcome; pendingShown is the
	// version of its list the panes show.
	pending      *pending.Tracker
	pendingShown int

	// modals are the open dialogs, bottom first: a login dialog may open
	// over a half-filled payment form, which must come back as it was.
	modals    []common.Modal
	quitArmed bool // ctrl+c was pressed once while a payment was in flight
	focus     pane

	// history caches each account's synced history, so switching accounts
	// is instant and sparklines need no second fetch.
	history map[int64]*history.History

	// look is the forecast, the alerts and the notice log
	// (ui/lookahead_root.go); forecastShown the version the accounts show.
	look          *lookahead.Model
	forecastShown int
	lastActive    time.Time // the last key or click: payments switch off when idle (ui/readonly.go)
}

// New builds the dashboard on c.
func New(c *common.Common) *Model {
	m := &Model{
		c:      c,
		status: status.New(c),
		help:   help.New(),
		focus:  paneMain,
	}
	m.pending = pending.New(c)
	m.look = lookahead.New(c)
	c.Lookahead = m.look
	m.lastActive = c.RealNow()
	m.resetData()
	m.applyTheme()
	if c.Width == 0 {
		c.SetSize(80, 24)
	}
	m.layout()
	return m
}

// resetData gives the dashboard empty panes: the accounts, their
// histories, orders and details as nothing is loaded yet.
func (m *Model) resetData() {
	m.accounts = accounts.New(m.c)
	m.txs = transactions.New(m.c)
	m.detail = detail.New(m.c)
	m.tabs = m.newTabs()
	m.history = map[int64]*history.History{}
	m.pendingShown = -1 // new panes: show the pending payments again
	m.forecastShown = -1
}

// sessionChanged starts the dashboard afresh for another user's session
// (common.SessionChangedMsg): empty panes, the transactions tab in focus,
// every modal closed (a booking's details, a half-filled payment: the
// previous user's) unless a payment is on its way, whose dialog and quit
// guard must stay, and the accounts loaded again. If they do not load, the
// accounts pane says why: nothing of before is left on screen.
func (m *Model) sessionChanged() tea.Cmd {
	m.resetData()
	m.tab, m.focus = 0, paneMain
	if !m.paymentInFlight() {
		m.modals, m.quitArmed = nil, false
	}
	m.layout()
	return tea.Batch(m.accounts.Load(), m.pending.Reset(), m.look.Reset())
}

// Init loads the accounts, asks the terminal for its background (auto
// theme; the answer may never come, so the dark theme paints first) and
// listens for token events.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.accounts.Load(), m.status.Init(), m.pending.Init(), m.look.Init(), m.idleTick()}
	if m.c.ThemeMode == theme.Auto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.c.TokenEvents != nil {
		cmds = append(cmds, waitTokenEvent(m.c.TokenEvents))
	}
	if m.c.Session != nil {
		cmds = append(cmds, m.c.Session.Init())
	}
	return tea.Batch(cmds...)
}

func waitTokenEvent(ch <-chan api.TokenEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return common.TokenEventMsg{Event: ev}
	}
}

// Update routes msg. Keys go to the modal if one is open, else to the
// action they match in the current context (actions), which the help
// bar and ? list too.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.syncPending()
	m.syncForecast()
	if m.detailPane() {
		m.current().ShowDetail()
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.SetSize(msg.Width, msg.Height)
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		if m.c.ThemeMode == theme.Auto {
			m.c.Styles = theme.New(msg.IsDark(), m.c.NoColor)
			m.applyTheme()
		}
		return nil
	case tea.KeyPressMsg:
		m.status.KeyPressed() // a warning read is a warning done with
		m.noteActivity()
		return m.updateKey(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		m.noteActivity()
		return m.updateMouse(msg)
	case idleTickMsg:
		return m.checkIdle()
	case common.OpenModalMsg:
		m.modals = append(m.modals, msg.Modal)
		m.layout()
		return nil
	case common.CloseModalMsg:
		m.closeModal(msg.Modal)
		return nil
	case common.SessionChangedMsg:
		return m.sessionChanged()
	case common.OpenDetailMsg:
		return m.openDetail()
	case common.NoticeMsg:
		return m.status.Update(msg)
	case common.TokenEventMsg:
		return tea.Batch(m.status.Update(msg), waitTokenEvent(m.c.TokenEvents), m.sessionUpdate(msg))
	case common.ReloadMsg:
		return m.reload()
	case common.BookingsArrivedMsg:
		// Only what is new joins the histories; balances and orders are
		// asked for again, the history is not.
		cmd := m.txs.Update(msg)
		if m.txs.AccountID() == msg.AccountID && m.txs.Len() > 0 {
			m.history[msg.AccountID] = m.txs.History()
		} else if h, ok := m.history[msg.AccountID]; ok {
			m.history[msg.AccountID] = transactions.Prepend(h, msg.Transactions)
		}
		if h, ok := m.history[msg.AccountID]; ok {
			m.accounts.SetHistory(msg.AccountID, h)
		}
		return tea.Batch(cmd, m.refreshAround())
	case common.PaymentsChangedMsg:
		// A payment went through (or may have): the booking, the balance
		// and the orders show at once; money sent to another of the
		// user's accounts shows in its history at once too.
		return tea.Batch(m.reload(), m.syncReceiver(msg))
	case common.AccountsLoadedMsg:
		m.noteOutcome(msg.Err)
		first := m.txs.AccountID() == 0
		cmd := tea.Batch(m.accounts.Update(msg), m.lookaheadAccounts(msg))
		m.txs.SetAccounts(msg.Accounts)
		m.layout() // the stacked layout's strip has a line per account
		if msg.Err != nil {
			return tea.Batch(cmd, common.Notice(common.NoticeError, common.ErrorText(msg.Err)))
		}
		if a, ok := m.accounts.Selected(); ok && first {
			// An order tab chosen before the accounts came loads now.
			cmds := []tea.Cmd{cmd, m.txs.Load(a.ID), m.visitTab(a.ID)}
			// The other accounts' histories feed their sparklines.
			for _, other := range msg.Accounts {
				if other.ID != a.ID {
					cmds = append(cmds, transactions.Sync(m.c, other.ID, 0))
				}
			}
			return tea.Batch(cmds...)
		}
		return cmd
	case common.AccountSelectedMsg:
		return m.selectAccount(msg.Account.ID)
	case common.TransactionsPageMsg:
		m.noteOutcome(msg.Err)
		return m.txs.Update(msg)
	case common.TransactionsSyncedMsg:
		m.noteOutcome(msg.Err)
		if msg.Err == nil {
			m.history[msg.AccountID] = msg.History
			m.accounts.SetHistory(msg.AccountID, msg.History)
		}
		return tea.Batch(m.txs.Update(msg), m.lookaheadHistory(msg))
	case common.TabAnswer:
		m.noteOutcome(msg.AnswerErr())
		return m.updateTabs(msg)
	case spinner.TickMsg:
		return tea.Batch(m.accounts.Update(msg), m.updateTabs(msg))
	}
	// Anything else (internal messages of a component: filter results,
	// cursor blinks, timers) goes to whoever may have asked for it.
	// Every open modal hears them: the form under a login dialog still
	// receives the answer to its request.
	cmds := []tea.Cmd{m.updateTabs(msg), m.status.Update(msg), m.sessionUpdate(msg), m.pending.Update(msg), m.look.Update(msg)}
	for i := range m.modals {
		cmds = append(cmds, m.updateModal(i, msg))
	}
	return tea.Batch(cmds...)
}

// topModal is the modal that gets the keys, or nil.
func (m *Model) topModal() common.Modal {
	if len(m.modals) == 0 {
		return nil
	}
	return m.modals[len(m.modals)-1]
}

// updateModal hands msg to the i-th modal. A CloseModal it returns is
// addressed to that modal, so a modal below the top closes itself, not the
// one above it.
func (m *Model) updateModal(i int, msg tea.Msg) tea.Cmd {
	next, cmd := m.modals[i].Update(msg)
	m.modals[i] = next
	return addressClose(cmd, next)
}

// addressClose rewrites an anonymous CloseModalMsg produced by cmd (also
// inside a tea.Batch) into one naming modal.
func addressClose(cmd tea.Cmd, modal common.Modal) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case common.CloseModalMsg:
			if msg.Modal == nil {
				msg.Modal = modal
			}
			return msg
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = addressClose(c, modal)
			}
			return out
		default:
			return msg
		}
	}
}

// closeModal removes modal from the stack (the topmost when nil).
func (m *Model) closeModal(modal common.Modal) {
	if modal == nil {
		if len(m.modals) > 0 {
			m.modals = m.modals[:len(m.modals)-1]
		}
		return
	}
	for i := len(m.modals) - 1; i >= 0; i-- {
		if m.modals[i] == modal {
			m.modals = append(m.modals[:i], m.modals[i+1:]...)
			return
		}
	}
}

// sessionUpdate hands msg to the session (cache, polling, login dialog), if any.
func (m *Model) sessionUpdate(msg tea.Msg) tea.Cmd {
	if m.c.Session == nil {
		return nil
	}
	return m.c.Session.Update(msg)
}

// noteOutcome marks the bank offline after a transport failure (no HTTP
// answer at all) and online again after any answer.
func (m *Model) noteOutcome(err error) {
	var apiErr *api.Error
	switch {
	case err == nil, errors.As(err, &apiErr):
		m.status.SetOffline(false)
	case errors.Is(err, m.c.Ctx.Err()) && m.c.Ctx.Err() != nil:
	default:
		m.status.SetOffline(true)
	}
}

func (m *Model) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	g := m.c.Keys.Global
	// Quitting while the bank decides on a payment would leave the user
	// not knowing whether they paid: q and a first ctrl+c say so (short, to
	// fit the top line at 80 columns); ctrl+c after that quits anyway.
	inFlight := m.paymentInFlight()
	if msg.String() == "ctrl+c" || (inFlight && key.Matches(msg, g.Quit)) {
		if inFlight && (!m.quitArmed || msg.String() != "ctrl+c") {
			m.quitArmed = true
			return common.Notice(common.NoticeWarning, "payment on its way: ctrl+c to quit")
		}
		return tea.Quit
	}
	m.quitArmed = false
	if len(m.modals) > 0 {
		return m.updateModal(len(m.modals)-1, msg)
	}
	return m.routeKey(msg) // ui/actions.go: what works here
}

// syncReceiver syncs the history of the user's own account a payment went
// to (the bank books the credit at once), so its list and sparkline show
// it without waiting for the next poll.
func (m *Model) syncReceiver(msg common.PaymentsChangedMsg) tea.Cmd {
	if msg.IBAN == "" {
		return nil
	}
	to := sepa.NormalizeIBAN(msg.IBAN)
	for _, a := range m.accounts.Accounts() {
		if a.ID != msg.AccountID && sepa.NormalizeIBAN(a.IBAN) == to {
			return transactions.Sync(m.c, a.ID, 0)
		}
	}
	return nil
}
