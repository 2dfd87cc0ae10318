package transactions

// What konto knows of a booking beyond the bank's fields: its category,
// payee, tags, note and mark (the rules of store/rules and the user's
// labels kept by ui/common's LabelStore), its balance after, and the
// period the list is stepped to. The keys c ; m o and [ ] { } arrive here
// through LabelKey and PeriodKey; every read or write of the store is a
// tea.Cmd.

import (
	"fmt"
	"maps"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/period"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/filter"
)

// labelState is what the list knows of its bookings beyond the bank's data.
type labelState struct {
	// labels are the user's labels by booking id, replaced (never changed
	// in place) on every change, as a match or index may read them off the
	// UI goroutine. labelsAsked: their load is on its way or done.
	labels      map[int64]rules.Label
	labelsAsked bool
	// labelGen is bumped by every change of the labels or the rules, so
	// an index built before one is dropped.
	labelGen int
	// results are the bookings' category, payee, tags, note and mark by
	// position from the oldest (see result), so new bookings append; nil
	// until the first index of the data arrived (resultsGen is its gen).
	// Only the UI goroutine reads or changes them.
	results    *rules.Results
	resultsGen int

	// accountBalance is each account's balance now; balances are the
	// running sums of txs' amounts from the oldest (for balancesGen), from
	// which the balance after each booking follows.
	accountBalance map[int64]int64
	balances       runningSums
	balancesGen    int
	rowValuta      api.TxTime // what a row's booking is read with (view.go)

	// period restricts the list to a month, quarter or year (hasPeriod);
	// it adds a date: condition to whatever the filter line says.
	period    period.Period
	hasPeriod bool
}

// labelsLoadedMsg carries the labels read from the store.
type labelsLoadedMsg struct {
	labels map[int64]rules.Label
	err    error
}

// labelSavedMsg says a booking's label was saved (or why not).
type labelSavedMsg struct {
	id    int64
	label rules.Label
	what  string // "category", "note", "mark": for the notice
	err   error
}

// ruleAddedMsg says a rule was written (or kept for the run) and carries
// the rules in force with it.
type ruleAddedMsg struct {
	set   *rules.Set
	where string
	count int
	err   error
}

// loadLabels asks for the labels once per list.
func (m *Model) loadLabels() tea.Cmd {
	if m.labelsAsked {
		return nil
	}
	m.labelsAsked = true
	store := m.c.LabelStore()
	return func() tea.Msg {
		l, err := store.LoadLabels()
		if err != nil {
			err = fmt.Errorf("load labels: %w", err)
		}
		return labelsLoadedMsg{labels: l, err: err}
	}
}

// saveLabel is the Cmd changing booking id's label with fn.
func saveLabel(store common.LabelStore, id int64, what string, fn func(rules.Label) rules.Label) tea.Cmd {
	return func() tea.Msg {
		l, err := store.UpdateLabel(id, fn)
		if err != nil {
			err = fmt.Errorf("save the %s: %w", what, err)
		}
		return labelSavedMsg{id: id, label: l, what: what, err: err}
	}
}

// updateLabels handles the messages of this file; ok is false for others.
func (m *Model) updateLabels(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case labelsLoadedMsg:
		if msg.err != nil {
			return common.Notice(common.NoticeWarning, "could not "+localError(msg.err)+": categories set by hand do not show"), true
		}
		m.labels = msg.labels
		return m.relabel(), true
	case labelSavedMsg:
		if msg.err != nil {
			return common.Notice(common.NoticeError, "could not "+localError(msg.err)), true
		}
		labels := maps.Clone(m.labels)
		if labels == nil {
			labels = map[int64]rules.Label{}
		}
		if msg.label.IsZero() {
			delete(labels, msg.id)
		} else {
			labels[msg.id] = msg.label
		}
		m.labels = labels
		// The booking shows its new label at once; the index (for cat:,
		// marked…) follows off the UI goroutine.
		if m.resultsGen == m.gen && m.results.Len() == m.txs.Len() {
			set := m.c.RuleSet()
			for i := range m.txs.Len() {
				if m.txs.ID(i) == msg.id {
					tx := m.txs.At(i)
					m.results.Set(m.txs.Len()-1-i, set.Apply(&tx, msg.label))
				}
			}
		}
		return m.relabel(), true
	case ruleAddedMsg:
		if msg.err != nil {
			return common.Notice(common.NoticeError, "could not "+localError(msg.err)), true
		}
		m.c.Rules = msg.set
		text := fmt.Sprintf("rule added for %d %s", msg.count, plural(msg.count, "booking", "bookings"))
		if msg.where != "" {
			text += " · written to " + msg.where
		} else {
			text += " · for this run (no config file to write to)"
		}
		return tea.Batch(m.relabel(), common.Notice(common.NoticeInfo, text)), true
	}
	return nil, false
}

// relabel builds the index again with the labels and rules in force.
func (m *Model) relabel() tea.Cmd {
	m.labelGen++
	if m.txs.Len() == 0 {
		return nil
	}
	return m.buildIndex()
}

// labelIndex is the Cmd body building the filter index and the results
// for txs with the labels and rules in force now.
func (m *Model) labelIndex() func() (*rules.Results, *filter.Index) {
	txs, loc, set, labels := m.txs, m.c.Loc, m.c.RuleSet(), m.labels
	return func() (*rules.Results, *filter.Index) {
		res := set.ApplyHistoryCompact(txs, labels) // from the oldest, with room for what polls bring
		return res, filter.NewIndexWithResults(txs, loc, res)
	}
}

// Result is what konto knows of txs[i] beyond the bank: zero until known.
func (m *Model) result(i int) rules.Result {
	n := m.results.Len()
	if m.resultsGen != m.gen || i >= n || n != m.txs.Len() {
		return rules.Result{Rule: -1}
	}
	return m.results.At(n - 1 - i)
}

// SetAccounts takes each account's balance now, from which the balance
// after each booking is computed.
func (m *Model) SetAccounts(accs []api.Account) {
	if len(accs) == 0 {
		return // a failed load: the balances known stay
	}
	m.accountBalance = make(map[int64]int64, len(accs))
	for _, a := range accs {
		m.accountBalance[a.ID] = a.Balance
	}
}

// hasBalance reports the shown account's balance known.
func (m *Model) hasBalance() bool {
	_, ok := m.accountBalance[m.accountID]
	return ok
}

// balanceAfter is the account's balance once txs[i] was booked: the
// balance now less the bookings after it, from the running sums of the
// bookings from the oldest (balances), which new bookings only extend.
func (m *Model) balanceAfter(i int) (int64, bool) {
	balance, ok := m.accountBalance[m.accountID]
	if !ok || i >= m.txs.Len() {
		return 0, false
	}
	if m.balancesGen != m.gen || m.balances.n != m.txs.Len() {
		m.balances = runningSums{}
		m.balances.extend(m.txs, m.txs.Len())
		m.balancesGen = m.gen
	}
	return balance - m.balances.newest(m.txs, i), true
}

// SelectedBooking is the selected booking with what konto knows of it, for
// the details; its Tx is nil when none is selected.
func (m *Model) SelectedBooking() detail.Booking {
	c := m.list.Cursor()
	if c < 0 || c >= m.rowCount() || m.row(c).kind != rowTx {
		return detail.Booking{}
	}
	i := int(m.row(c).idx)
	tx := m.txs.At(i)
	b := detail.Booking{Tx: &tx, Label: m.result(i)}
	b.Balance, b.HasBalance = m.balanceAfter(i)
	return b
}

// LabelKeys are the keys of this file that work now (common.LabelTab):
// the label keys with a booking selected, and the period keys.
func (m *Model) LabelKeys() []key.Binding {
	var out []key.Binding
	if m.Selected() != nil {
		k := m.c.Keys.Labels
		out = append(out, k.Category, k.Note, k.Mark, k.OpenInvoice)
	}
	p := m.c.Keys.Period
	return append(out, p.Prev, p.Next, p.Longer, p.Shorter)
}

// LabelKey handles the keys of LabelKeys (common.LabelTab).
func (m *Model) LabelKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if cmd, ok := m.labelKey(msg); ok {
		return cmd, true
	}
	return m.PeriodKey(msg)
}

// labelKey handles the label keys for the selected booking (in the list
// or the details): c sets its category, ; its note, m marks it, o opens
// its invoice. ok is false for any other key.
func (m *Model) labelKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.c.Keys.Labels
	tx := m.Selected()
	if tx == nil {
		return nil, false
	}
	i := m.row(m.list.Cursor()).idx
	cur := m.labels[tx.ID]
	switch {
	case key.Matches(msg, k.Category):
		known := m.c.RuleSet().Categories(m.labels)
		return common.OpenModal(newCategoryDialog(m.c, *tx, m.result(int(i)).Category, known, m.txs)), true
	case key.Matches(msg, k.Note):
		return common.OpenModal(newNoteDialog(m.c, *tx, cur)), true
	case key.Matches(msg, k.Mark):
		marked := !cur.Marked
		return saveLabel(m.c.LabelStore(), tx.ID, "mark", func(l rules.Label) rules.Label {
			l.Marked = marked
			return l
		}), true
	case key.Matches(msg, k.OpenInvoice):
		return m.openInvoice(tx), true
	}
	return nil, false
}

// openInvoice opens the booking's invoice preview (or download) with the
// desktop's opener; where konto cannot open it (over SSH) it copies the
// link, which the details show as a hyperlink too.
func (m *Model) openInvoice(tx *api.Transaction) tea.Cmd {
	var target string
	for _, raw := range []string{api.Str(tx.InvoicePreviewURL), api.Str(tx.InvoiceDownloadURL)} {
		if t, ok := common.LinkTarget(common.Sanitize(raw)); ok {
			target = t
			break
		}
	}
	switch {
	case target == "":
		return common.Notice(common.NoticeWarning, "this booking has no invoice")
	case m.c.Open == nil:
		return tea.Batch(tea.SetClipboard(target), common.Notice(common.NoticeInfo, "invoice link copied (the details show it as a link)"))
	}
	open := m.c.Open
	return func() tea.Msg {
		if err := open(target); err != nil {
			return common.NoticeMsg{Level: common.NoticeError, Text: "could not open the invoice: " + localError(err)}
		}
		return common.NoticeMsg{Level: common.NoticeInfo, Text: "invoice opened in the browser"}
	}
}

// PeriodKey steps the list's period: [ and ] by one, { and } between
// month, quarter and year. ok is false for any other key.
func (m *Model) PeriodKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.c.Keys.Period
	today := period.DateOf(m.c.Now(), m.c.Loc)
	p := m.period
	if !m.hasPeriod {
		p = period.Of(period.Month, today)
	}
	switch {
	case key.Matches(msg, k.Prev):
		if m.hasPeriod {
			p = p.Step(-1)
		}
	case key.Matches(msg, k.Next):
		if m.hasPeriod {
			p = p.Step(1)
		}
	case key.Matches(msg, k.Longer):
		if m.hasPeriod {
			p = p.WithUnit(longer(p.Unit), today)
		}
	case key.Matches(msg, k.Shorter):
		if m.hasPeriod {
			p = p.WithUnit(shorter(p.Unit), today)
		}
	default:
		return nil, false
	}
	m.period, m.hasPeriod = p, true
	return m.setQuery(m.queryText), true
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

func shorter(u period.Unit) period.Unit {
	switch u {
	case period.Year:
		return period.Quarter
	}
	return period.Month
}

// Period is the period the list is stepped to; ok is false when it shows
// every booking.
func (m *Model) Period() (period.Period, bool) { return m.period, m.hasPeriod }

// clearPeriod shows every booking again.
func (m *Model) clearPeriod() { m.hasPeriod = false }

// parseQuery parses the filter line with the period stepped to.
func (m *Model) parseQuery(text string) (filter.Query, error) {
	today := period.DateOf(m.c.Now(), m.c.Loc)
	q, err := filter.Parse(text, today)
	if err != nil || !m.hasPeriod {
		return q, err
	}
	return filter.Parse(text+" date:"+m.period.String(), today)
}

// periodHeader is the period's header, "November 2026 ‹ ›", or "".
func (m *Model) periodHeader() string {
	if !m.hasPeriod {
		return ""
	}
	return m.period.Label() + " ‹ ›"
}

// labelText is a label as drawn: sanitised (a category seeded from a
// booking's name holds the bank's text) and on one line.
func labelText(s string) string {
	return strings.Join(strings.Fields(common.Sanitize(s)), " ")
}

// localError is an error of this machine (the cache, the config file, the
// opener) as a sentence: it is konto's own wrapped text, never the bank's,
// which common.ErrorText words.
func localError(err error) string { return common.Sanitize(err.Error()) }
