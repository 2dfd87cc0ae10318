// Package orders is the dashboard's two order tabs, standing orders
// (standing.go) and timed orders (timed.go): each lists the account's
// orders, loaded on the tab's first visit, shows the selected one's details
// and offers the order keys (new, edit, cancel) that open ui/orderform.
// Model is the list both share (over ui/list), tab what else they share.
package orders

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
	"konto/ui/list"
)

// Kind says which orders a Model lists.
type Kind int

const (
	Standing Kind = iota
	Timed
)

// Model is one order list.
type Model struct {
	c             *common.Common
	kind          Kind
	accountID     int64
	loaded        bool // an answer arrived for accountID
	loading       bool
	loadSeq       int // the newest load; answers of older ones are dropped
	err           error
	standing      []api.StandingOrder
	timed         []api.TimedOrderListItem
	list          list.Model // the cursor; every order is selectable
	width, height int
	focused       bool
	spin          spinner.Model
	pending       []api.PendingPayment // new orders of this kind pending check (every account's)
}

// New returns an empty list of kind.
func New(c *common.Common, kind Kind) *Model {
	return &Model{c: c, kind: kind, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.list.SetHeight(m.listHeight())
}

// Click selects the order drawn at line y of the pane (the header line and
// the orders pending check come first); ok is false when none is there.
func (m *Model) Click(y int) bool {
	if !m.loaded || m.Len() == 0 {
		return false
	}
	return m.list.Click(y - (m.height - m.listHeight()))
}

// listHeight is how many orders are in view: the header line and the
// orders pending check take the rest.
func (m *Model) listHeight() int {
	h := m.height - 1
	return h - len(m.pendingLines(max(h-1, 0)))
}

// SetFocused marks the list focused.
func (m *Model) SetFocused(f bool) { m.focused = f }

// Len is the number of orders listed.
func (m *Model) Len() int {
	if m.kind == Standing {
		return len(m.standing)
	}
	return len(m.timed)
}

// Visit is called when the tab is shown: it loads the list the first time
// for an account (and returns nil afterwards).
func (m *Model) Visit(accountID int64) tea.Cmd {
	if accountID == m.accountID && (m.loaded || m.loading) {
		return nil
	}
	return m.Reload(accountID)
}

// Reload fetches the list again.
func (m *Model) Reload(accountID int64) tea.Cmd {
	if accountID != m.accountID {
		m.standing, m.timed, m.loaded = nil, nil, false
		m.list.Reset()
	}
	m.accountID, m.loading, m.err = accountID, true, nil
	m.loadSeq++
	bank, ctx, seq := m.c.Bank, m.c.Ctx, m.loadSeq
	var load tea.Cmd
	if m.kind == Standing {
		load = func() tea.Msg {
			os, err := bank.StandingOrders(ctx, accountID)
			if err != nil {
				return common.StandingOrdersMsg{AccountID: accountID, Seq: seq, Err: fmt.Errorf("load standing orders: %w", err)}
			}
			for i := range os {
				os[i] = common.SanitizeStandingOrder(os[i])
			}
			return common.StandingOrdersMsg{AccountID: accountID, Seq: seq, Orders: os}
		}
	} else {
		load = func() tea.Msg {
			os, err := bank.TimedOrders(ctx, accountID)
			if err != nil {
				return common.TimedOrdersMsg{AccountID: accountID, Seq: seq, Err: fmt.Errorf("load timed orders: %w", err)}
			}
			for i := range os {
				os[i] = common.SanitizeTimedOrder(os[i])
			}
			return common.TimedOrdersMsg{AccountID: accountID, Seq: seq, Orders: os}
		}
	}
	return tea.Batch(load, m.spin.Tick)
}

// SetPending shows the new orders of the list's kind that are pending check
// (their confirm's outcome is unknown) above the list, until settled.
func (m *Model) SetPending(all []api.PendingPayment) {
	kind := api.KindStandingOrder
	if m.kind == Timed {
		kind = api.KindTimedOrder
	}
	m.pending = m.pending[:0]
	for _, p := range all {
		if p.Kind == kind {
			p.Recipient = common.Sanitize(p.Recipient)
			m.pending = append(m.pending, p)
		}
	}
}

// pendingLines draws this account's orders pending check, at most max.
func (m *Model) pendingLines(max int) []string {
	var out []string
	for i := len(m.pending) - 1; i >= 0 && len(out) < max; i-- {
		p := m.pending[i]
		if p.AccountID != m.accountID {
			continue
		}
		var cells []string
		if m.kind == Standing {
			cells = []string{"checking", p.Recipient, common.FormatFullDate(p.FirstExecution, m.c.Loc), everyShort(p.Reoccurrence)}
		} else {
			cells = []string{common.FormatFullDate(p.ExecuteOn, m.c.Loc), p.Recipient, "checking"}
		}
		line := m.join(cells, m.c.Money(-p.Amount))
		out = append(out, m.c.Styles.Warning.Render(common.PadRight(line, m.width)))
	}
	return out
}

// SelectedStanding is the standing order under the cursor.
func (m *Model) SelectedStanding() (api.StandingOrder, bool) {
	if m.kind != Standing || m.list.Cursor() >= len(m.standing) {
		return api.StandingOrder{}, false
	}
	return m.standing[m.list.Cursor()], true
}

// SelectedTimed is the timed order under the cursor.
func (m *Model) SelectedTimed() (api.TimedOrderListItem, bool) {
	if m.kind != Timed || m.list.Cursor() >= len(m.timed) {
		return api.TimedOrderListItem{}, false
	}
	return m.timed[m.list.Cursor()], true
}

// Loaded reports whether the list has been fetched for its account.
func (m *Model) Loaded() bool { return m.loaded }

// Update handles the list's answers and, when focused, keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.StandingOrdersMsg:
		if m.kind != Standing || msg.AccountID != m.accountID || msg.Seq != m.loadSeq {
			return nil
		}
		m.loading = false
		if msg.Err != nil {
			m.err = msg.Err
			return nil
		}
		selected, had := m.SelectedStanding()
		m.err, m.loaded, m.standing = nil, true, sortStanding(msg.Orders)
		cursor := m.list.Cursor()
		if had {
			// A reload may move the selected order (a cancelled one goes
			// to the end): the selection goes with it.
			if i := list.Find(len(m.standing), func(i int) bool { return m.standing[i].ID == selected.ID }); i >= 0 {
				cursor = i
			}
		}
		m.list.SetLen(len(m.standing), cursor)
	case common.TimedOrdersMsg:
		if m.kind != Timed || msg.AccountID != m.accountID || msg.Seq != m.loadSeq {
			return nil
		}
		m.loading = false
		if msg.Err != nil {
			m.err = msg.Err
			return nil
		}
		selected, had := m.SelectedTimed()
		m.err, m.loaded, m.timed = nil, true, msg.Orders
		cursor := m.list.Cursor()
		if had {
			if i := list.Find(len(m.timed), func(i int) bool { return m.timed[i].ID == selected.ID }); i >= 0 {
				cursor = i
			}
		}
		m.list.SetLen(len(m.timed), cursor)
	case tea.MouseWheelMsg:
		m.list.Update(msg, m.c.Keys.List)
	case spinner.TickMsg:
		if !m.loading {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case tea.KeyPressMsg:
		k := m.c.Keys.List
		n := m.Len()
		if m.list.Update(msg, k) {
			return nil
		}
		switch {
		case key.Matches(msg, k.Open):
			// The root shows the details: in the details pane when wide, as
			// a dialog otherwise (as for a booking).
			if n > 0 {
				return func() tea.Msg { return common.OpenDetailMsg{} }
			}
		}
	}
	return nil
}

// noun names one order of the list: "Standing order" or "Timed order".
func (m *Model) noun() string {
	if m.kind == Standing {
		return "Standing order"
	}
	return "Timed order"
}

// amountWidth fits −123.456,78.
const amountWidth = 11

// words turns ACTIVE or EVERY_SIX_MONTHS into "active", "every six months".
func words(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", " ") }

// View draws a header line and the visible orders.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	lines := []string{m.columnHeader()}
	h := m.height - 1
	if pending := m.pendingLines(max(h-1, 0)); len(pending) > 0 {
		lines = append(lines, pending...)
		h -= len(pending)
	}
	switch {
	case m.err != nil && !m.loaded:
		lines = append(lines, common.StateLines(st, common.ErrorText(m.err), true, h)...)
	case !m.loaded: // loading, or waiting for the accounts to know whose
		lines = append(lines, common.StateLines(st, m.spin.View()+" loading "+strings.ToLower(m.noun())+"s…", false, h)...)
	case m.Len() == 0:
		lines = append(lines, common.StateLines(st, "no "+strings.ToLower(m.noun())+"s", false, h)...)
	default:
		m.list.SetHeight(h) // the orders pending check may have come or gone
		from, to := m.list.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, m.rowLine(i))
		}
	}
	return common.FitBlock(lines, m.width, m.height)
}

// cells returns the columns of order i as plain text, and its amount.
func (m *Model) cells(i int) ([]string, int64) {
	if m.kind == Standing {
		o := m.standing[i]
		next := ""
		if n := nextDate(o); n != nil {
			next = common.FormatFullDate(n.Time, m.c.Loc)
		}
		return []string{words(o.Status), o.Name, next, everyShort(o.Reoccurrence)}, -o.Amount
	}
	o := m.timed[i]
	return []string{common.FormatFullDate(o.Date.Time, m.c.Loc), o.RecipientName, words(o.Status)}, o.Amount
}

// widths of the text columns; the recipient takes what is left.
func (m *Model) widths() []int {
	amount := amountWidth
	if m.kind == Standing {
		// The reoccurrence column goes only when the recipient would be cut
		// below 20 cells: a name reads better than the rhythm, which the
		// details (beside the list from 120 columns) still name.
		fixed := []int{9, 0, 10, everyWidth}
		if m.width-1-amount-fixed[0]-fixed[2]-fixed[3]-4 < 20 {
			fixed[3] = 0
		}
		fixed[1] = max(m.width-1-amount-fixed[0]-fixed[2]-fixed[3]-4, 8)
		return fixed
	}
	fixed := []int{10, 0, 9}
	fixed[1] = max(m.width-1-amount-fixed[0]-fixed[2]-3, 8)
	return fixed
}

func (m *Model) columnHeader() string {
	var names []string
	if m.kind == Standing {
		names = []string{"status", "recipient", "next", "every"}
	} else {
		names = []string{"date", "recipient", "status"}
	}
	return m.c.Styles.Muted.Render(m.join(names, "amount"))
}

func (m *Model) join(cells []string, amount string) string {
	ws := m.widths()
	parts := make([]string, 0, len(cells))
	for i, c := range cells {
		if ws[i] > 0 {
			parts = append(parts, common.PadRight(common.Truncate(c, ws[i]), ws[i]))
		}
	}
	if m.kind == Standing && len(parts) == 4 { // amount sits after the recipient
		parts = []string{parts[0], parts[1], common.PadLeft(amount, amountWidth), parts[2], parts[3]}
	} else if m.kind == Standing {
		parts = []string{parts[0], parts[1], common.PadLeft(amount, amountWidth), parts[2]}
	} else {
		parts = []string{parts[0], parts[1], common.PadLeft(amount, amountWidth), parts[2]}
	}
	return " " + strings.Join(parts, " ")
}

func (m *Model) rowLine(i int) string {
	st := m.c.Styles
	cells, amount := m.cells(i)
	line := m.join(cells, m.c.Money(amount))[1:] // the mark column goes first
	// The selection is marked as in the transactions list: focused, the
	// whole row in the selection style with "▸"; unfocused, the accent
	// "▸" alone.
	if i == m.list.Cursor() && m.focused {
		return st.Selection.Render(common.PadRight("▸"+line, m.width))
	}
	if i == m.list.Cursor() {
		return st.Accent.Render("▸") + line
	}
	return " " + line
}

// Cursor is the selected order's index.
func (m *Model) Cursor() int { return m.list.Cursor() }
