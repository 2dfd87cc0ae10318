// Package ui is konto's root model: it owns the layout, the focus and the
// modal, routes every message to the component that asked for it, and holds
// the global keys. Components live in ui/<name>; what they share in ui/common.
package ui

import (
	"errors"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/api/sepa"
	"konto/theme"
	"konto/ui/accounts"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/orders"
	"konto/ui/pending"
	"konto/ui/status"
	"konto/ui/transactions"
)

// Layout breakpoints (terminal columns).
const (
	WideWidth   = 120 // side by side: accounts | transactions | details
	NarrowWidth = 90  // below: one pane at a time
)

// stripMaxRows is the most lines the stacked layout's accounts strip takes.
const stripMaxRows = 4

type pane int

const (
	paneAccounts pane = iota
	paneMain
	paneDetail
)

type tab int

const (
	tabTransactions tab = iota
	tabStanding
	tabTimed
)

// Model is the root model.
type Model struct {
	c        *common.Common
	status   *status.Model
	accounts *accounts.Model
	txs      *transactions.Model
	standing *orders.Model
	timed    *orders.Model
	detail   *detail.Model
	help     help.Model
	// pending checks the payments of unknown outcome; pendingShown is the
	// version of its list the panes show.
	pending      *pending.Tracker
	pendingShown int

	// modals are the open dialogs, bottom first: a login dialog may open
	// over a half-filled payment form, which must come back as it was.
	modals    []common.Modal
	quitArmed bool // ctrl+c was pressed once while a payment was in flight
	focus     pane
	tab       tab

	// history caches each account's synced history, so switching accounts
	// is instant and sparklines need no second fetch.
	history map[int64][]api.Transaction
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
	m.standing = orders.New(m.c, orders.Standing)
	m.timed = orders.New(m.c, orders.Timed)
	m.detail = detail.New(m.c)
	m.history = map[int64][]api.Transaction{}
	m.pendingShown = -1 // new panes: show the pending payments again
}

// sessionChanged starts the dashboard afresh for another user's session
// (common.SessionChangedMsg): empty panes, the transactions tab in focus,
// every modal closed (a booking's details, a half-filled payment: the
// previous user's) unless a payment is on its way, whose dialog and quit
// guard must stay, and the accounts loaded again. If they do not load, the
// accounts pane says why: nothing of before is left on screen.
func (m *Model) sessionChanged() tea.Cmd {
	m.resetData()
	m.tab, m.focus = tabTransactions, paneMain
	if !m.paymentInFlight() {
		m.modals, m.quitArmed = nil, false
	}
	m.layout()
	return tea.Batch(m.accounts.Load(), m.pending.Reset())
}

// Init loads the accounts, asks the terminal for its background (auto
// theme; the answer may never come, so the dark theme paints first) and
// listens for token events.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.accounts.Load(), m.status.Init(), m.pending.Init()}
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
	if m.detailPane() {
		m.syncDetail()
	}
	return m, cmd
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
	m.txs.SetPending(items)
	m.standing.SetPending(items)
	m.timed.SetPending(items)
}

// syncDetail puts the selection of the current tab into the details pane.
func (m *Model) syncDetail() {
	title, fields, iban, ok := m.selection()
	switch {
	case m.tab == tabTransactions:
		m.detail.SetBooking(m.txs.SelectedBooking())
	case ok:
		m.detail.SetFields(fields, iban)
	default:
		m.detail.SetEmpty("select " + strings.ToLower(title) + " to see its details")
	}
}

// selection is the selected order of the order tabs: its kind, its fields
// and its IBAN; ok is false on the transactions tab or with nothing selected.
func (m *Model) selection() (title string, fields []detail.Field, iban string, ok bool) {
	switch m.tab {
	case tabStanding:
		o, sel := m.standing.SelectedStanding()
		if !sel {
			return "a standing order", nil, "", false
		}
		return m.standing.Title(), detail.StandingOrderFields(m.c, o), o.IBAN, true
	case tabTimed:
		o, sel := m.timed.SelectedTimed()
		if !sel {
			return "a timed order", nil, "", false
		}
		return m.timed.Title(), detail.TimedOrderFields(m.c, o), o.RecipientIBAN, true
	}
	return "", nil, "", false
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
		return m.updateKey(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.updateMouse(msg)
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
	case common.PaymentsChangedMsg:
		// A payment went through (or may have): the booking, the balance
		// and the orders show at once; money sent to another of the
		// user's accounts shows in its history at once too.
		return tea.Batch(m.reload(), m.syncReceiver(msg))
	case common.AccountsLoadedMsg:
		m.noteOutcome(msg.Err)
		first := m.txs.AccountID() == 0
		cmd := m.accounts.Update(msg)
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
			m.history[msg.AccountID] = msg.Transactions
			m.accounts.SetHistory(msg.AccountID, msg.Transactions)
		}
		return m.txs.Update(msg)
	case common.StandingOrdersMsg:
		m.noteOutcome(msg.Err)
		return m.standing.Update(msg)
	case common.TimedOrdersMsg:
		m.noteOutcome(msg.Err)
		return m.timed.Update(msg)
	case spinner.TickMsg:
		return tea.Batch(m.accounts.Update(msg), m.txs.Update(msg), m.standing.Update(msg), m.timed.Update(msg))
	}
	// Anything else (internal messages of a component: filter results,
	// cursor blinks, timers) goes to whoever may have asked for it.
	// Every open modal hears them: the form under a login dialog still
	// receives the answer to its request.
	cmds := []tea.Cmd{m.txs.Update(msg), m.status.Update(msg), m.sessionUpdate(msg), m.pending.Update(msg)}
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

// copySelectionIBAN copies the IBAN of the selected booking or order (y in
// the list: the details need not be open).
func (m *Model) copySelectionIBAN() tea.Cmd {
	var iban, what string
	switch m.tab {
	case tabTransactions:
		tx := m.txs.Selected()
		if tx == nil {
			return nil
		}
		iban, what = api.Str(tx.IBAN), "this booking"
	default:
		var ok bool
		if _, _, iban, ok = m.selection(); !ok {
			return nil
		}
		what = "this order"
	}
	iban = sepa.NormalizeIBAN(common.Sanitize(iban))
	if iban == "" {
		return common.Notice(common.NoticeWarning, what+" has no IBAN")
	}
	return tea.Batch(tea.SetClipboard(iban), common.Notice(common.NoticeInfo, "IBAN copied"))
}

// openDetail shows the selection's details: the detail pane when wide,
// a modal otherwise.
func (m *Model) openDetail() tea.Cmd {
	if m.tab != tabTransactions {
		title, fields, iban, ok := m.selection()
		switch {
		case !ok:
			return nil
		case m.detailPane():
			m.setFocus(paneDetail)
			return nil
		}
		return common.OpenModal(detail.NewFieldsModal(m.c, title, fields, iban))
	}
	tx := m.txs.Selected()
	if tx == nil {
		return nil
	}
	if m.detailPane() {
		m.setFocus(paneDetail)
		return nil
	}
	return common.OpenModal(detail.NewBookingModal(m.c, m.txs.SelectedBooking()))
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
	switch m.tab {
	case tabStanding:
		cmds = append(cmds, m.standing.Visit(id))
	case tabTimed:
		cmds = append(cmds, m.timed.Visit(id))
	}
	return tea.Batch(cmds...)
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

// refresh reloads the accounts and what the current account shows.
func (m *Model) refresh() tea.Cmd {
	return tea.Batch(m.reload(), common.Notice(common.NoticeInfo, "refreshing…"))
}

// reload is refresh without a notice.
func (m *Model) reload() tea.Cmd {
	cmds := []tea.Cmd{m.accounts.Load()}
	id := m.txs.AccountID()
	if id == 0 {
		return tea.Batch(cmds...)
	}
	cmds = append(cmds, m.txs.Load(id))
	if m.standing.Loaded() || m.tab == tabStanding {
		cmds = append(cmds, m.standing.Reload(id))
	}
	if m.timed.Loaded() || m.tab == tabTimed {
		cmds = append(cmds, m.timed.Reload(id))
	}
	return tea.Batch(cmds...)
}

func (m *Model) setTab(t tab) tea.Cmd {
	m.tab = t
	m.setFocus(paneMain)
	return m.visitTab(m.txs.AccountID())
}

// visitTab loads the current order tab's list for account id on its first
// visit (nothing before the accounts are known).
func (m *Model) visitTab(id int64) tea.Cmd {
	if id == 0 {
		return nil
	}
	switch m.tab {
	case tabStanding:
		return m.standing.Visit(id)
	case tabTimed:
		return m.timed.Visit(id)
	}
	return nil
}

// panes lists the panes that can take the focus in the current layout.
func (m *Model) panes() []pane {
	if m.detailPane() {
		return []pane{paneAccounts, paneMain, paneDetail}
	}
	return []pane{paneAccounts, paneMain}
}

func (m *Model) cycleFocus(dir int) {
	ps := m.panes()
	i := 0
	for j, p := range ps {
		if p == m.focus {
			i = j
		}
	}
	m.setFocus(ps[(i+dir+len(ps))%len(ps)])
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	m.accounts.SetFocused(p == paneAccounts)
	m.txs.SetFocused(p == paneMain)
	m.standing.SetFocused(p == paneMain)
	m.timed.SetFocused(p == paneMain)
}

func (m *Model) wide() bool   { return m.c.Width >= WideWidth }
func (m *Model) narrow() bool { return m.c.Width < NarrowWidth }

// stacked: the accounts strip above a full-width list.
func (m *Model) stacked() bool { return m.c.Layout == common.LayoutStacked && !m.narrow() }

// detailPane: the details follow the selection in a pane of their own.
func (m *Model) detailPane() bool { return m.wide() && m.c.Layout == common.LayoutSide }

// switchLayout toggles side by side and stacked.
func (m *Model) switchLayout() tea.Cmd {
	m.c.Layout = m.c.Layout.Toggle()
	m.layout()
	if m.narrow() {
		return common.Notice(common.NoticeInfo, m.c.Layout.String()+" layout from 90 columns on")
	}
	return common.Notice(common.NoticeInfo, m.c.Layout.String()+" layout")
}

// applyTheme passes the theme to the parts that keep their own styles.
func (m *Model) applyTheme() {
	st := m.c.Styles
	m.help.Styles = help.Styles{
		Ellipsis:       st.HelpSep,
		ShortKey:       st.HelpKey,
		ShortDesc:      st.HelpDesc,
		ShortSeparator: st.HelpSep,
		FullKey:        st.HelpKey,
		FullDesc:       st.HelpDesc,
		FullSeparator:  st.HelpSep,
	}
}

// paneWidths are the outer widths (borders included) of the accounts, main
// and details panes; 0 for a pane not shown. The transaction list gets the
// room first: at 120–139 columns the side panes are narrower, so the
// counterparty still reads (about 20 cells); wider, the accounts pane grows
// to the full grouped IBAN.
func (m *Model) paneWidths() (acc, main, det int) {
	w := m.c.Width
	switch {
	case m.stacked(), m.narrow():
		return w, w, 0
	case w >= 180:
		acc, det = 41, 46
	case w >= 160:
		acc, det = 28, 44
	case w >= 140:
		acc, det = 26, 40
	case m.wide():
		acc, det = 24, 34
	default:
		acc = 26
	}
	return acc, w - acc - det, det
}

// paneHeights are the outer heights of the accounts and main panes: the
// body's height, except that the stacked layout gives the accounts strip a
// line per account (up to stripMaxRows, and at most a quarter of the body)
// under its title rule.
func (m *Model) paneHeights() (acc, main int) {
	bodyH := max(m.c.Height-2, 3)
	if !m.stacked() {
		return bodyH, bodyH
	}
	acc = m.accounts.StripRows(max(min(stripMaxRows, bodyH/4), 1)) + 1
	return acc, max(bodyH-acc, 2)
}

// frame is what a pane's decoration takes from its outer size: a box's
// border, or the stacked layout's title rule alone.
func (m *Model) frame() (w, h int) {
	if m.stacked() {
		return 2, 1
	}
	return 2, 2
}

// layout gives every component its inner size for the terminal size.
func (m *Model) layout() {
	w, h := m.c.Width, m.c.Height
	bodyH := max(h-2, 3)
	inner := bodyH - 2
	m.status.SetSize(w)
	m.help.SetWidth(w - 2)
	accW, mainW, detW := m.paneWidths()
	if !m.detailPane() && m.focus == paneDetail {
		m.setFocus(paneMain)
	}
	accH, mainH := m.paneHeights()
	fw, fh := m.frame()
	m.accounts.SetStrip(m.stacked())
	m.accounts.SetSize(accW-fw, accH-fh)
	m.txs.SetSize(mainW-fw, mainH-fh)
	m.standing.SetSize(mainW-fw, mainH-fh)
	m.timed.SetSize(mainW-fw, mainH-fh)
	m.detail.SetSize(max(detW-2, 0), inner)
	for _, md := range m.modals {
		md.SetSize(w-4, bodyH-2)
	}
	m.setFocus(m.focus)
}

// View draws the top line, the panes and the help bar: exactly the
// terminal's size, nothing wrapped.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion // set once, not per frame (ui/mouse.go)
	v.WindowTitle = "konto · " + m.c.Connection
	return v
}

// Render is the screen as a string (View's content).
func (m *Model) Render() string {
	w, h := m.c.Width, m.c.Height
	if w < 20 || h < 6 {
		return common.FitLine("konto: make the terminal bigger", max(w, 1))
	}
	bodyH := h - 2
	st := m.c.Styles
	var body string
	accW, mainW, detW := m.paneWidths()
	accH, mainH := m.paneHeights()
	drawPane := common.Box // a pane: a box, or a section of the stacked layout
	if m.stacked() {
		drawPane = common.Section
	}
	mainBox := drawPane(st, m.tabTitle(), strings.Split(m.mainView(), "\n"), mainW, mainH, m.focus == paneMain)
	accBox := func(width int) string {
		return drawPane(st, m.accounts.Title(), strings.Split(m.accounts.View(), "\n"), width, accH, m.focus == paneAccounts)
	}
	switch {
	case m.stacked():
		body = accBox(w) + "\n" + mainBox
	case m.detailPane():
		detBox := common.Box(st, "Details", strings.Split(m.detail.View(), "\n"), detW, bodyH, m.focus == paneDetail)
		if label := m.detail.ScrollLabel(detW - 6); label != "" {
			// Say there is more below (or above) on the bottom edge.
			cut := strings.LastIndexByte(detBox, '\n')
			detBox = detBox[:cut+1] + common.BottomBorder(st, label, detW, m.focus == paneDetail)
		}
		body = lipgloss.JoinHorizontal(lipgloss.Top, accBox(accW), mainBox, detBox)
	case m.narrow():
		if m.focus == paneAccounts {
			body = accBox(w)
		} else {
			body = mainBox
		}
	default:
		body = lipgloss.JoinHorizontal(lipgloss.Top, accBox(accW), mainBox)
	}
	bar := " " + m.help.View(m.shortHelp())
	screen := m.status.View() + "\n" + body + "\n" + common.FitLine(bar, w)
	for _, md := range m.modals {
		screen = overlay(st, screen, md.View(), w, h)
	}
	return screen
}

func (m *Model) mainWidth() int {
	_, main, _ := m.paneWidths()
	return main
}

func (m *Model) mainView() string {
	switch m.tab {
	case tabStanding:
		return m.standing.View()
	case tabTimed:
		return m.timed.View()
	}
	return m.txs.View()
}

// tabNames are the tabs' names in the main pane's title, by tab.
var tabNames = []string{"1 Transactions", "2 Standing", "3 Timed"}

// tabTitle is the main pane's title: the three tabs, the active one marked.
func (m *Model) tabTitle() string {
	st := m.c.Styles
	names := tabNames
	if m.mainWidth() < 50 {
		return common.PaneTitle(st, names[m.tab], m.focus == paneMain)
	}
	parts := make([]string, len(names))
	for i, n := range names {
		if tab(i) == m.tab {
			parts[i] = common.PaneTitle(st, "["+n+"]", m.focus == paneMain)
		} else {
			parts[i] = st.Muted.Render(" " + n + " ")
		}
	}
	return strings.Join(parts, " ")
}

// overlay draws box centred on top of screen, splicing it into the lines
// it covers. Beside the box, on those lines, the pane borders stay as they
// were; of a pane the box cuts, the text between the box and that pane's
// border is blanked (a cut-off "…ung −487,12", the end of a URL or a word
// such as "transfer" next to a dialog must not read as part of it); panes
// beyond are drawn muted.
func overlay(st *theme.Styles, screen, box string, w, h int) string {
	lines := strings.Split(screen, "\n")
	boxLines := strings.Split(box, "\n")
	bw := lipgloss.Width(box)
	x, y := max((w-bw)/2, 0), max((h-len(boxLines))/2, 1)
	for i, bl := range boxLines {
		row := y + i
		if row >= len(lines) {
			break
		}
		cells := cellsOf(ansi.Strip(lines[row]))
		left := beside(st, lines[row], cells, 0, x, true)
		right := beside(st, lines[row], cells, x+bw, w, false)
		lines[row] = common.FitLine(left+"\x1b[m"+bl+"\x1b[m"+right, w)
	}
	return strings.Join(lines, "\n")
}

// cell is one grapheme of a plain line: its text, first column and width.
type cell struct {
	text       string
	col, width int
}

func cellsOf(plain string) []cell {
	var out []cell
	col := 0
	for plain != "" {
		g, width := ansi.FirstGraphemeCluster(plain, ansi.GraphemeWidth)
		if g == "" {
			break
		}
		out = append(out, cell{g, col, width})
		plain, col = plain[len(g):], col+width
	}
	return out
}

// isBorder reports a box-drawing character: a pane's border or rule.
func isBorder(g string) bool {
	r, size := utf8.DecodeRuneInString(g)
	return size == len(g) && r >= 0x2500 && r <= 0x257f
}

// beside draws columns from..to of a background line next to a dialog
// (nearSide: to is the dialog's left edge; else from is its right edge),
// exactly to-from cells: the borders as styled in line, blanks from the
// dialog out to the nearest border, the rest muted.
func beside(st *theme.Styles, line string, cells []cell, from, to int, nearSide bool) string {
	if to <= from {
		return ""
	}
	const (
		blank = iota
		muted
		border
	)
	type piece struct {
		kind       int
		text       string
		start, end int // columns
	}
	var ps []piece
	gap := func(a, b int) {
		if b > a {
			ps = append(ps, piece{blank, strings.Repeat(" ", b-a), a, b})
		}
	}
	col := from
	for _, c := range cells {
		// A grapheme cut by either edge (a wide character) leaves blanks.
		if c.col < from || c.col+c.width > to {
			continue
		}
		gap(col, c.col)
		kind := muted
		switch {
		case isBorder(c.text):
			kind = border
		case strings.TrimSpace(c.text) == "":
			kind = blank
		}
		ps = append(ps, piece{kind, c.text, c.col, c.col + c.width})
		col = c.col + c.width
	}
	gap(col, to)
	// Blank from the dialog outwards, up to the first border.
	for k := range ps {
		i := k
		if nearSide {
			i = len(ps) - 1 - k
		}
		if ps[i].kind == border {
			break
		}
		ps[i].kind, ps[i].text = blank, strings.Repeat(" ", ps[i].end-ps[i].start)
	}
	var b strings.Builder
	for i := 0; i < len(ps); {
		j := i
		var run strings.Builder
		for ; j < len(ps) && ps[j].kind == ps[i].kind; j++ {
			run.WriteString(ps[j].text)
		}
		switch ps[i].kind {
		case blank:
			b.WriteString(run.String())
		case muted:
			b.WriteString(st.Muted.Render(run.String()))
		case border:
			// As drawn: cut from the styled line.
			cut := ansi.Cut(line, ps[i].start, ps[j-1].end)
			b.WriteString(cut + "\x1b[m")
			if strings.Contains(cut, "\x1b]8;") {
				b.WriteString(ansi.ResetHyperlink())
			}
		}
		i = j
	}
	return b.String()
}
