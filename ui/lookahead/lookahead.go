// Package lookahead is the dashboard's look ahead: it keeps every
// account's history and orders as the syncs bring them, builds the
// forecast from them (store/forecast) once per change, checks the config's
// alerts on every sync (store/alerts) and delivers them to the status line,
// the notice log, the bell and the desktop, and answers the payment
// review's questions (common.Lookahead: the lowest point with the payment,
// what it resembles). It does no I/O in Update: the cache and the bank are
// read and written in tea.Cmds.
package lookahead

import (
	"fmt"
	"maps"
	"slices"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/alerts"
	"konto/store/forecast"
	"konto/store/history"
	"konto/ui/common"
)

// Days is the dashboard's forecast window.
const Days = forecast.DefaultDays

// Model is the session's look ahead.
type Model struct {
	c        *common.Common
	gen      int // bumped by Reset: answers for an earlier session are dropped
	accounts []api.Account
	history  map[int64]*history.History
	// The orders as last listed, and as listed before that: an executed
	// timed order leaves the bank's list with its booking, and the alerts
	// must still know it.
	standing, standingBefore map[int64][]api.StandingOrder
	timed, timedBefore       map[int64][]api.TimedOrderListItem
	off                      map[string]bool

	fc      *forecast.Forecast
	res     forecast.Result
	version int // bumped whenever res changes

	loaded     bool // the cache's state, log and switches are in
	state      alerts.State
	evaluating bool // an evaluation owns state
	again      bool // the data changed while it ran
	stored     []alerts.Notice
	session    []alerts.Notice // this session's, after the stored ones
}

// New returns the look ahead with nothing known.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.clear()
	return m
}

func (m *Model) clear() {
	m.accounts = nil
	m.history = map[int64]*history.History{}
	m.standing, m.standingBefore = map[int64][]api.StandingOrder{}, map[int64][]api.StandingOrder{}
	m.timed, m.timedBefore = map[int64][]api.TimedOrderListItem{}, map[int64][]api.TimedOrderListItem{}
	m.fc, m.res = nil, forecast.Result{}
	m.version++
}

// Messages of the look ahead's own Cmds.
type (
	loadedMsg struct {
		gen   int
		state alerts.State
		log   alerts.Log
		off   map[string]bool
		err   error
	}
	ordersMsg struct {
		gen      int
		account  int64
		standing []api.StandingOrder
		timed    []api.TimedOrderListItem
		err      error
	}
	evaluatedMsg struct {
		gen   int
		state alerts.State
		ev    alerts.Events
		err   error
	}
	savedMsg struct{ err error }
	offMsg   struct {
		gen int
		off map[string]bool
	}
)

// Init reads what the cache remembers: what was announced, the notice log
// and the forecast items switched off.
func (m *Model) Init() tea.Cmd {
	store, gen := m.c.LookaheadStore, m.gen
	return func() tea.Msg {
		msg := loadedMsg{gen: gen, off: map[string]bool{}}
		if store == nil {
			return msg
		}
		var errs [3]error
		msg.state, errs[0] = store.LoadAlertState()
		msg.log, errs[1] = store.LoadNotices()
		msg.off, errs[2] = store.LoadForecastOff()
		for _, err := range errs {
			if err != nil && msg.err == nil {
				msg.err = err
			}
		}
		if msg.off == nil {
			msg.off = map[string]bool{}
		}
		return msg
	}
}

// Reset forgets the accounts of the session before (another user's): the
// alerts' memory in the cache stays, it is the cache's owner's.
func (m *Model) Reset() tea.Cmd {
	m.gen++
	m.clear()
	m.loaded, m.evaluating, m.again = false, false, false
	m.state, m.stored, m.session = alerts.State{}, nil, nil
	return m.Init()
}

// SetAccounts takes the accounts as listed (with today's balances) and
// lists every account's orders again.
func (m *Model) SetAccounts(accs []api.Account) tea.Cmd {
	m.accounts = accs
	m.rebuild()
	cmds := make([]tea.Cmd, 0, len(accs)+1)
	for _, a := range accs {
		cmds = append(cmds, m.loadOrders(a.ID))
	}
	// The items switched off in the reports tab count here from the next
	// load of the accounts (a refresh, a poll) on.
	if store, gen := m.c.LookaheadStore, m.gen; store != nil && m.loaded {
		cmds = append(cmds, func() tea.Msg {
			off, err := store.LoadForecastOff()
			if err != nil {
				return nil
			}
			return offMsg{gen: gen, off: off}
		})
	}
	return tea.Batch(cmds...)
}

func (m *Model) loadOrders(id int64) tea.Cmd {
	bank, ctx, gen := m.c.Bank, m.c.Ctx, m.gen
	return func() tea.Msg {
		msg := ordersMsg{gen: gen, account: id}
		var err1, err2 error
		msg.standing, err1 = bank.StandingOrders(ctx, id)
		msg.timed, err2 = bank.TimedOrders(ctx, id)
		if err1 != nil {
			msg.err = fmt.Errorf("list standing orders: %w", err1)
		} else if err2 != nil {
			msg.err = fmt.Errorf("list timed orders: %w", err2)
		}
		return msg
	}
}

// SetHistory takes an account's synced history: a sync, so the alerts are
// checked.
func (m *Model) SetHistory(id int64, h *history.History) tea.Cmd {
	m.history[id] = h
	m.rebuild()
	return m.evaluate()
}

// Update handles the look ahead's own messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.gen != m.gen {
			return nil
		}
		m.loaded, m.state, m.stored, m.off = true, msg.state, msg.log.Notices, msg.off
		m.rebuild()
		cmd := m.evaluate()
		if msg.err != nil {
			return tea.Batch(cmd, common.Notice(common.NoticeWarning, "alerts: "+common.ErrorText(msg.err)))
		}
		return cmd
	case ordersMsg:
		if msg.gen != m.gen || msg.err != nil {
			return nil // the forecast goes on with the lists it has
		}
		if cur, ok := m.standing[msg.account]; ok {
			m.standingBefore[msg.account] = cur
		}
		if cur, ok := m.timed[msg.account]; ok {
			m.timedBefore[msg.account] = cur
		}
		m.standing[msg.account], m.timed[msg.account] = msg.standing, msg.timed
		m.rebuild()
		return m.evaluate()
	case evaluatedMsg:
		if msg.gen != m.gen {
			return nil
		}
		m.evaluating, m.state = false, msg.state
		cmd := m.deliver(msg.ev)
		if msg.err != nil {
			cmd = tea.Batch(cmd, common.Notice(common.NoticeWarning, "alerts: "+common.ErrorText(msg.err)))
		}
		if m.again {
			m.again = false
			cmd = tea.Batch(cmd, m.evaluate())
		}
		return cmd
	case offMsg:
		if msg.gen == m.gen && !maps.Equal(msg.off, m.off) {
			m.off = msg.off
			m.rebuild()
		}
	case savedMsg:
		if msg.err != nil {
			return common.Notice(common.NoticeWarning, "notice log: "+common.ErrorText(msg.err))
		}
	}
	return nil
}

// complete reports every account's history and orders known.
func (m *Model) complete(orders bool) bool {
	if len(m.accounts) == 0 {
		return false
	}
	for _, a := range m.accounts {
		if _, ok := m.history[a.ID]; !ok {
			return false
		}
		if _, ok := m.standing[a.ID]; orders && !ok {
			return false
		}
	}
	return true
}

// rebuild makes the forecast again from what is known, once every
// account's history is in (orders not listed yet count as none).
func (m *Model) rebuild() {
	if !m.complete(false) {
		return
	}
	in := make([]forecast.Account, len(m.accounts))
	for i, a := range m.accounts {
		in[i] = forecast.Account{Account: a, History: m.history[a.ID], StandingOrders: m.standing[a.ID], TimedOrders: m.timed[a.ID]}
	}
	m.fc = forecast.New(in, forecast.DateOf(m.c.Now(), m.c.Loc), m.c.Loc)
	m.res = m.fc.Project(forecast.Options{Days: Days, Off: m.off})
	m.version++
}

// Version changes whenever the forecast does.
func (m *Model) Version() int { return m.version }

// Result is the forecast of every account and all together; ok is false
// while it is not known.
func (m *Model) Result() (forecast.Result, bool) { return m.res, m.fc != nil }

// LowestWith implements common.Lookahead.
func (m *Model) LowestWith(pay forecast.Payment) (forecast.DayBalance, bool) {
	if m.fc == nil {
		return forecast.DayBalance{}, false
	}
	return m.fc.LowestWith(pay, forecast.Options{Days: Days, Off: m.off})
}

// Resembles implements common.Lookahead: the paying account's history and
// every account's orders (a payee one of them already pays counts too).
func (m *Model) Resembles(pay forecast.Payment) []forecast.Resemblance {
	var standing []api.StandingOrder
	var timed []api.TimedOrderListItem
	for _, a := range m.accounts {
		standing = append(standing, m.standing[a.ID]...)
		timed = append(timed, m.timed[a.ID]...)
	}
	return forecast.Resemblances(pay, m.history[pay.Account], standing, timed, forecast.DateOf(m.c.Now(), m.c.Loc), m.c.Loc)
}

// evaluate checks the alerts in a Cmd once everything is known, one
// evaluation at a time (it owns the state while it runs).
func (m *Model) evaluate() tea.Cmd {
	if !m.loaded || !m.complete(true) || m.fc == nil {
		return nil
	}
	if m.evaluating {
		m.again = true
		return nil
	}
	m.evaluating = true
	in := make([]alerts.Input, len(m.accounts))
	for i, a := range m.accounts {
		in[i] = alerts.Input{Account: a, History: m.history[a.ID],
			StandingOrders: unionStanding(m.standingBefore[a.ID], m.standing[a.ID]),
			TimedOrders:    unionTimed(m.timedBefore[a.ID], m.timed[a.ID])}
		if p, ok := m.res.Account(a.ID); ok {
			in[i].Forecast = &p
		}
	}
	rules, st, store, now, loc, gen := m.c.Alerts, m.state, m.c.LookaheadStore, m.c.Now(), m.c.Loc, m.gen
	m.state = alerts.State{} // the Cmd owns it until it answers
	return func() tea.Msg {
		ev := alerts.Evaluate(rules, &st, in, now, loc)
		msg := evaluatedMsg{gen: gen, state: st, ev: ev}
		if store != nil {
			if err := store.SaveAlertState(st); err != nil {
				msg.err = err
			}
		}
		return msg
	}
}

// deliver tells the user of each alert: the status line, the notice log
// (saved), and the bell and desktop notification where the rule says so,
// written to the terminal (an SSH client's too).
func (m *Model) deliver(ev alerts.Events) tea.Cmd {
	if len(ev.Alerts) == 0 {
		return nil
	}
	// The status line shows one notice: the last alert, saying how many
	// more the log (N) holds; the bells and notifications go out together.
	raw := ""
	for _, a := range ev.Alerts {
		m.session = append(m.session, a.Notice())
		if a.Bell {
			raw += alerts.Bell
		}
		raw += alerts.Desktop(a.Desktop, "konto", a.Text)
	}
	text := common.Sanitize(ev.Alerts[len(ev.Alerts)-1].Text)
	if more := len(ev.Alerts) - 1; more > 0 {
		text = fmt.Sprintf("%s (+%d in the notices)", text, more)
	}
	cmds := []tea.Cmd{common.Notice(common.NoticeWarning, text)}
	if raw != "" {
		cmds = append(cmds, tea.Raw(raw))
	}
	if store := m.c.LookaheadStore; store != nil {
		log := alerts.Log{}
		log.Add(m.Notices()...)
		cmds = append(cmds, func() tea.Msg { return savedMsg{err: store.SaveNotices(log)} })
	}
	return tea.Batch(cmds...)
}

// Notices is the notice log, oldest first: the cache's, then this
// session's.
func (m *Model) Notices() []alerts.Notice {
	return append(slices.Clip(m.stored), m.session...)
}

func unionStanding(before, now []api.StandingOrder) []api.StandingOrder {
	out := slices.Clone(now)
	for _, o := range before {
		if !slices.ContainsFunc(now, func(n api.StandingOrder) bool { return n.ID == o.ID }) {
			out = append(out, o)
		}
	}
	return out
}

func unionTimed(before, now []api.TimedOrderListItem) []api.TimedOrderListItem {
	out := slices.Clone(now)
	for _, o := range before {
		if !slices.ContainsFunc(now, func(n api.TimedOrderListItem) bool { return n.ID == o.ID }) {
			out = append(out, o)
		}
	}
	return out
}
