// Package reports is the dashboard's reports tab: for a period (stepped
// with [ and ], a month, quarter or year with { and }) and the shown
// account or all accounts, a chart of money in and out by month, the
// spending and income by category with bars (enter shows a category's
// bookings in the transactions tab), the largest counterparties, and the
// forecast: the projected balance by day with its lowest point and the
// upcoming items, each of which x switches off or on (kept in the cache).
//
// The figures come from store/report and store/forecast, the same
// functions `konto report` and `konto forecast` print, so the tab and the
// commands cannot disagree. The tab reads the histories the root keeps
// (Data) and fetches only the orders itself.
package reports

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/forecast"
	"konto/store/history"
	"konto/store/period"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/keys"
	"konto/ui/list"
)

// Store is the part of the offline cache the tab reads and writes:
// *store.Cache satisfies it.
type Store interface {
	LoadLabels() (map[int64]rules.Label, error)
	LoadForecastOff() (map[string]bool, error)
	SaveForecastOff(off map[string]bool) error
}

// Data is what the tab reads from the dashboard; every func is asked
// afresh each time (the root replaces its data on a sync or a new login).
type Data struct {
	// Accounts are the user's accounts as last loaded.
	Accounts func() []api.Account
	// History is an account's synced history (nil while there is none).
	History func(accountID int64) *history.History
	// Rules categorises the bookings; nil, or nil from it: the built-in
	// defaults.
	Rules func() *rules.Set
	// Store is the offline cache; nil, or nil from it: none (the
	// switched-off forecast items are kept for the session only).
	Store func() Store
	// ShowBookings shows the transactions tab filtered by query.
	ShowBookings func(query string) tea.Cmd
}

// ForecastDays is how far the forecast looks ahead.
const ForecastDays = forecast.DefaultDays

// Tab is the reports tab.
type Tab struct {
	c      *common.Common
	data   Data
	detail *detail.Model

	width, height int
	focused       bool

	account int64 // the shown account
	all     bool  // all accounts together, not the shown one
	period  period.Period

	// What the tab loaded itself: each account's orders, the labels, the
	// switched-off forecast items.
	orders   map[int64]*orderSet
	orderSeq int
	labels   map[int64]rules.Label
	labelsOK bool
	off      map[string]bool
	visited  bool
	loadErr  string
	defaults *rules.Set
	figures  figures
	lines    []line
	// linesPrivate says the lines were drawn in privacy mode: the privacy
	// key draws them again.
	linesPrivate bool
	list         list.Model
	cursorKey    string // the selected row's key, kept when the rows change
}

// orderSet is one account's orders as last fetched.
type orderSet struct {
	seq      int
	loaded   bool
	standing []api.StandingOrder
	timed    []api.TimedOrderListItem
}

// New returns the reports tab; d shows the selected row's figures.
func New(c *common.Common, data Data, d *detail.Model) *Tab {
	t := &Tab{c: c, data: data, detail: d, orders: map[int64]*orderSet{}, off: map[string]bool{}}
	t.period = period.Of(period.Month, t.today())
	t.list = list.New(func(i int) bool { return i < len(t.lines) && t.lines[i].row != nil },
		func(i int) bool { return i < len(t.lines) && t.lines[i].row == nil })
	return t
}

func (t *Tab) today() period.Date { return period.DateOf(t.c.Now(), t.c.Loc) }

// Title is the tab's name.
func (t *Tab) Title() string { return "Reports" }

// SetSize sets the inner size of the pane.
func (t *Tab) SetSize(w, h int) {
	t.width, t.height = w, h
	t.list.SetHeight(t.bodyHeight())
	t.rebuild()
}

// SetFocused marks the pane focused.
func (t *Tab) SetFocused(f bool) { t.focused = f }

// Len is the number of lines, selectable or not.
func (t *Tab) Len() int { t.refresh(); return len(t.lines) }

// Capturing: the tab has no input line.
func (t *Tab) Capturing() bool { return false }

// SetPending: the tab shows no pending payments.
func (t *Tab) SetPending([]api.PendingPayment) {}

// PaymentActions: no payment starts from a report.
func (t *Tab) PaymentActions() []common.TabAction { return nil }

// Selected: a report row is no booking or order; the root's keys for one
// (details, copy the IBAN) do not apply, the tab's enter does.
func (t *Tab) Selected() (common.Selection, bool) { return common.Selection{}, false }

// DetailModal: the figures are on the tab itself.
func (t *Tab) DetailModal() common.Modal { return nil }

// Click selects the row drawn at line y.
func (t *Tab) Click(y int) bool {
	t.refresh()
	ok := t.list.Click(y - headerLines)
	t.keepCursorKey()
	return ok
}

// Visit loads the orders of every account and the labels and switches
// from the cache on the first visit; later visits read the labels again
// (a category set in the transactions tab shows here) and nothing from
// the bank.
func (t *Tab) Visit(accountID int64) tea.Cmd {
	if accountID != t.account {
		t.account = accountID
		t.cursorKey = ""
	}
	if !t.visited {
		t.visited = true
		return tea.Batch(t.loadOrders(), t.loadLocal(true))
	}
	return tea.Batch(t.loadOrders(), t.loadLocal(false))
}

// Reload fetches the orders again after a refresh or a payment, once the
// tab was visited.
func (t *Tab) Reload(accountID int64, shown bool) tea.Cmd {
	if !t.visited && !shown {
		return nil
	}
	t.account = accountID
	t.visited = true
	for _, o := range t.orders {
		o.seq = -1 // fetch again
	}
	return tea.Batch(t.loadOrders(), t.loadLocal(false))
}

// KeyMap is the tab's keys that work now: the period, the accounts, and
// enter or x for the row under the cursor.
func (t *Tab) KeyMap() help.KeyMap {
	k := t.c.Keys.Reports
	var ks common.Keys
	if r := t.selectedRow(); r != nil {
		switch {
		case r.query != "" && t.data.ShowBookings != nil:
			ks = append(ks, keys.Named(t.c.Keys.List.Open, "show bookings"))
		case r.item != nil:
			ks = append(ks, keys.Named(k.SwitchOff, t.switchWord(r)))
		}
	}
	ks = append(ks, pair(k.PrevPeriod, k.NextPeriod, "period"), pair(k.ShorterPeriod, k.LongerPeriod, "month/quarter/year"))
	if len(t.accounts()) > 1 {
		ks = append(ks, k.AllAccounts)
	}
	return ks
}

// pair is two bindings as one line of help ("[/] period"); pressing
// either reaches the tab, which tells them apart.
func pair(a, b key.Binding, desc string) key.Binding {
	var ks, shown []string
	for _, x := range []key.Binding{a, b} {
		if x.Enabled() && len(x.Keys()) > 0 {
			ks = append(ks, x.Keys()...)
			shown = append(shown, x.Help().Key)
		}
	}
	if len(ks) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(strings.Join(shown, "/"), desc))
}

func (t *Tab) switchWord(r *row) string {
	if t.off[r.item.ID] {
		return "switch on"
	}
	return "switch off"
}

// Messages of the tab's own requests.
type (
	// ordersMsg answers the orders request of one account.
	ordersMsg struct {
		accountID int64
		seq       int
		standing  []api.StandingOrder
		timed     []api.TimedOrderListItem
		err       error
	}
	// localMsg carries what the cache holds for the tab.
	localMsg struct {
		labels       map[int64]rules.Label
		off          map[string]bool // nil: not read this time
		err          error
		withSwitches bool
	}
	// savedMsg answers storing the switches.
	savedMsg struct{ err error }
)

// AnswerErr makes ordersMsg a common.TabAnswer: the root notes whether the
// bank answered.
func (m ordersMsg) AnswerErr() error { return m.err }

// accounts are the user's accounts.
func (t *Tab) accounts() []api.Account {
	if t.data.Accounts == nil {
		return nil
	}
	return t.data.Accounts()
}

// loadOrders fetches the standing and timed orders of every account not
// fetched yet (the forecast needs all accounts: a transfer between own
// accounts books on both).
func (t *Tab) loadOrders() tea.Cmd {
	var cmds []tea.Cmd
	for _, a := range t.accounts() {
		o := t.orders[a.ID]
		if o == nil {
			o = &orderSet{seq: -1}
			t.orders[a.ID] = o
		}
		if o.seq >= 0 {
			continue
		}
		t.orderSeq++
		o.seq = t.orderSeq
		cmds = append(cmds, fetchOrders(t.c, a.ID, o.seq))
	}
	return tea.Batch(cmds...)
}

func fetchOrders(c *common.Common, id int64, seq int) tea.Cmd {
	ctx, bank := c.Ctx, c.Bank
	return func() tea.Msg {
		msg := ordersMsg{accountID: id, seq: seq}
		standing, err := bank.StandingOrders(ctx, id)
		if err != nil {
			msg.err = fmt.Errorf("read the standing orders: %w", err)
			return msg
		}
		timed, err := bank.TimedOrders(ctx, id)
		if err != nil {
			msg.err = fmt.Errorf("read the timed orders: %w", err)
			return msg
		}
		for i := range standing {
			standing[i] = common.SanitizeStandingOrder(standing[i])
		}
		for i := range timed {
			timed[i] = common.SanitizeTimedOrder(timed[i])
		}
		msg.standing, msg.timed = standing, timed
		return msg
	}
}

// store is the cache, or nil.
func (t *Tab) store() Store {
	if t.data.Store == nil {
		return nil
	}
	return t.data.Store()
}

// loadLocal reads the labels (and the switches when withSwitches) from
// the cache.
func (t *Tab) loadLocal(withSwitches bool) tea.Cmd {
	s := t.store()
	if s == nil {
		if !t.labelsOK {
			t.labelsOK = true
		}
		return nil
	}
	return func() tea.Msg {
		msg := localMsg{withSwitches: withSwitches}
		labels, err := s.LoadLabels()
		if err != nil {
			msg.err = fmt.Errorf("read the categories: %w", err)
			return msg
		}
		msg.labels = labels
		if withSwitches {
			off, err := s.LoadForecastOff()
			if err != nil {
				msg.err = fmt.Errorf("read the switched-off forecast items: %w", err)
				return msg
			}
			msg.off = off
		}
		return msg
	}
}

// saveOff stores the switches (a copy: the tab goes on changing its own).
func (t *Tab) saveOff() tea.Cmd {
	s := t.store()
	if s == nil {
		return nil
	}
	off := make(map[string]bool, len(t.off))
	for id, v := range t.off {
		if v {
			off[id] = true
		}
	}
	return func() tea.Msg {
		if err := s.SaveForecastOff(off); err != nil {
			return savedMsg{err: fmt.Errorf("keep the forecast switch: %w", err)}
		}
		return savedMsg{}
	}
}

// Update handles the tab's keys and its answers.
func (t *Tab) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ordersMsg:
		o := t.orders[msg.accountID]
		if o == nil || o.seq != msg.seq {
			return nil
		}
		if msg.err != nil {
			t.loadErr = common.ErrorText(msg.err)
			o.loaded = true // the forecast goes on without them
			t.invalidate()
			return nil
		}
		t.loadErr = ""
		o.loaded, o.standing, o.timed = true, msg.standing, msg.timed
		t.invalidate()
		return nil
	case localMsg:
		if msg.err != nil {
			t.labelsOK = true
			return common.Notice(common.NoticeWarning, common.ErrorText(msg.err))
		}
		t.labels, t.labelsOK = msg.labels, true
		t.figures.labelsGen++ // categorise again
		if msg.withSwitches {
			for id, v := range msg.off {
				t.off[id] = v
			}
		}
		t.invalidate()
		return nil
	case savedMsg:
		if msg.err != nil {
			return common.Notice(common.NoticeWarning, common.ErrorText(msg.err))
		}
		return nil
	case tea.KeyPressMsg:
		return t.updateKey(msg)
	case tea.MouseWheelMsg:
		t.refresh()
		t.list.Update(msg, t.c.Keys.List)
		t.keepCursorKey()
	}
	return nil
}

func (t *Tab) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	t.refresh()
	if t.list.Update(msg, t.c.Keys.List) {
		t.keepCursorKey()
		return nil
	}
	k := t.c.Keys.Reports
	today := t.today()
	switch {
	case key.Matches(msg, k.PrevPeriod):
		t.setPeriod(t.period.Step(-1))
	case key.Matches(msg, k.NextPeriod):
		t.setPeriod(t.period.Step(1))
	case key.Matches(msg, k.ShorterPeriod):
		t.setPeriod(t.period.WithUnit(shorter(t.period.Unit), today))
	case key.Matches(msg, k.LongerPeriod):
		t.setPeriod(t.period.WithUnit(longer(t.period.Unit), today))
	case key.Matches(msg, k.AllAccounts) && len(t.accounts()) > 1:
		t.all = !t.all
		t.invalidate()
		if t.all {
			return common.Notice(common.NoticeInfo, "reports of all accounts")
		}
		return common.Notice(common.NoticeInfo, "reports of the shown account")
	case key.Matches(msg, t.c.Keys.List.Open):
		if r := t.selectedRow(); r != nil && r.query != "" && t.data.ShowBookings != nil {
			return t.data.ShowBookings(r.query)
		}
	case key.Matches(msg, k.SwitchOff):
		if r := t.selectedRow(); r != nil && r.item != nil {
			id := r.item.ID
			if t.off[id] {
				delete(t.off, id)
			} else {
				t.off[id] = true
			}
			t.figures.projected = false
			t.rebuild()
			word := "switched on"
			if t.off[id] {
				word = "switched off"
			}
			return tea.Batch(t.saveOff(), common.Notice(common.NoticeInfo,
				fmt.Sprintf("%s %s in the forecast", common.Truncate(r.item.Counterparty, 30), word)))
		}
	}
	return nil
}

// setPeriod shows another period, the cursor kept on its row's kind.
func (t *Tab) setPeriod(p period.Period) {
	if p == t.period {
		return
	}
	t.period = p
	t.figures.built = false
	t.rebuild()
}

// shorter and longer are the next unit down and up of month, quarter and
// year (a week or a day goes to a month).
func shorter(u period.Unit) period.Unit {
	switch u {
	case period.Year:
		return period.Quarter
	}
	return period.Month
}

func longer(u period.Unit) period.Unit {
	switch u {
	case period.Month:
		return period.Quarter
	case period.Quarter, period.Year:
		return period.Year
	}
	return period.Month
}

// ShowDetail puts the selected row's figures into the details pane.
func (t *Tab) ShowDetail() {
	if t.detail == nil {
		return
	}
	t.refresh()
	r := t.selectedRow()
	if r == nil || len(r.fields) == 0 {
		t.detail.SetEmpty("select a category, counterparty or forecast item to see its figures")
		return
	}
	t.detail.SetFields(r.fields, r.iban)
}
