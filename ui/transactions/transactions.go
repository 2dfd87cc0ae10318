// Package transactions is the transaction list of one account: newest first,
// grouped by month with each month's money in and out, virtualised (only the
// visible rows are drawn), with a `/` filter that runs off the UI goroutine.
package transactions

import (
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/filter"
	"konto/ui/list"
)

type rowKind uint8

const (
	rowTx rowKind = iota
	rowHeader
	rowLoading
	rowPending // a transfer pending check, above the bookings; never selected
)

// row is one line of the list; the row model is rebuilt only when the data
// or the filter changes, never per frame, and grows by what a poll brings.
type row struct {
	kind rowKind
	// The booking's position from the oldest (rowTx; row hands out its
	// index in txs instead), the month's index in months (rowHeader) or the
	// transfer's in pending (rowPending).
	idx int32
}

// month is a month header: its key (year*12+month) and the money in and
// out of the shown rows.
type month struct {
	key     int32
	in, out int64
}

// Model is the transaction list.
type Model struct {
	c *common.Common

	accountID int64
	txs       *history.History // sanitised, newest first
	monthKey  []int32          // year*12+month in c.Loc of each booking by position from the oldest
	gen       int              // bumped whenever txs is replaced
	loadSeq   int              // the load whose answers are awaited
	loading   bool             // page 1 is on its way
	syncing   bool             // the rest of the history is on its way
	err       error            // page 1 failed
	syncErr   error            // the background sync failed (page 1 shown)

	index    *filter.Index
	indexGen int // gen the index was built for; -1 when none

	// The row model is kept bottom up, so that what a poll brings is
	// appended: rows are the bookings and month headers from the oldest
	// (the list shows them reversed), months their months from the oldest.
	// Above them show the pending transfers (pendingRows, indexes into
	// pending), below them the loading row (loadingRow). See row.
	rows        []row
	months      []month
	pendingRows []int32
	loadingRow  bool
	// list is the cursor over rows: it rests on bookings only and keeps a
	// month header and the transfers pending check in view above them.
	list list.Model

	width, height int
	focused       bool

	filterState
	spin       spinner.Model
	selectedID int64 // kept across data and filter changes

	// pending are the transfers of unknown outcome (every account's; the
	// ones from this account show above the bookings until settled).
	pending []api.PendingPayment

	labelState // labels.go
}

// filterState is the filter line and what its query shows: the line
// itself, the query typed and parsed, and the result of matching it, with
// the bookkeeping that keeps one match running at a time and drops the
// results of queries typed over.
type filterState struct {
	input     textinput.Model
	filtering bool // the filter line is open and takes every key
	queryText string
	query     filter.Query // queryText parsed; empty while it does not parse
	queryErr  error        // why queryText does not parse (a *filter.TokenError), or nil
	// The rows show every booking (showAll: no filter, or a first query
	// still running) or the bookings at matches: the query's result once
	// matched, while it runs the last result shown (by id, on the current
	// data), and nothing while the query does not parse. The header counts
	// matches only when matched, so its count is always of the query shown.
	showAll    bool
	matches    []int
	matched    bool
	matchSum   int64
	matchSeq   int           // sequence number of the newest query
	appliedSeq int           // the query whose result was shown last
	inFlight   bool          // a match runs; only one at a time (the index is not shared concurrently)
	lastMatch  filter.Result // the newest result: a query narrowing it looks only among its matches
	stale      bool          // the query changed while a match ran
}

// New returns an empty list.
func New(c *common.Common) *Model {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "text amt:>100 date:lastmonth cat: tag: marked in out type:…"
	in.KeyMap.AcceptSuggestion.SetEnabled(false)
	in.KeyMap.NextSuggestion.SetEnabled(false)
	in.KeyMap.PrevSuggestion.SetEnabled(false)
	m := &Model{c: c, filterState: filterState{input: in, showAll: true}, indexGen: -1, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
	m.list = list.New(
		func(i int) bool { return m.row(i).kind == rowTx },
		func(i int) bool { k := m.row(i).kind; return k == rowHeader || k == rowPending },
	)
	return m
}

// AccountID is the account shown.
func (m *Model) AccountID() int64 { return m.accountID }

// SetSize sets the inner size of the pane (no border).
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.fitInput()
	m.list.SetHeight(m.listHeight())
}

// SetFocused marks the list focused (the selection is drawn highlighted).
func (m *Model) SetFocused(f bool) { m.focused = f }

// Filtering reports that the filter line is open and takes every key.
func (m *Model) Filtering() bool { return m.filtering }

// FilterKept reports a filter kept after its line closed (esc clears it).
func (m *Model) FilterKept() bool { return !m.filtering && (m.queryText != "" || m.hasPeriod) }

// Loading reports a request in flight for this list.
func (m *Model) Loading() bool { return m.loading || m.syncing }

// History is the account's history held, newest first (nil while none
// arrived); a snapshot, never changed, only replaced.
func (m *Model) History() *history.History { return m.txs }

// Len is the number of transactions held.
func (m *Model) Len() int { return m.txs.Len() }

// Selected returns the selected transaction, or nil: a copy whose texts
// point into the history (read them, never write through them).
func (m *Model) Selected() *api.Transaction {
	i := m.selectedIndex()
	if i < 0 {
		return nil
	}
	tx := m.txs.At(i)
	return &tx
}

// selectedIndex is the selected booking's index in txs, -1 for none.
func (m *Model) selectedIndex() int {
	c := m.list.Cursor()
	if c < 0 || c >= m.rowCount() {
		return -1
	}
	if r := m.row(c); r.kind == rowTx {
		return int(r.idx)
	}
	return -1
}

// selectedBookingID is the selected booking's id, 0 for none.
func (m *Model) selectedBookingID() int64 {
	if i := m.selectedIndex(); i >= 0 {
		return m.txs.ID(i)
	}
	return 0
}

// rowCount is the number of lines of the list.
func (m *Model) rowCount() int {
	n := len(m.pendingRows) + len(m.rows)
	if m.loadingRow {
		n++
	}
	return n
}

// row is line i of the list, top down; a booking's idx is its index in txs.
func (m *Model) row(i int) row {
	if i < len(m.pendingRows) {
		return row{kind: rowPending, idx: m.pendingRows[i]}
	}
	i -= len(m.pendingRows)
	if i >= len(m.rows) {
		return row{kind: rowLoading}
	}
	r := m.rows[len(m.rows)-1-i]
	if r.kind == rowTx {
		r.idx = int32(m.txs.Len()-1) - r.idx
	}
	return r
}

// line is the line of the list showing m.rows[j].
func (m *Model) line(j int) int { return len(m.pendingRows) + len(m.rows) - 1 - j }

// SetPending shows the transfers pending check from the shown account as
// rows above the bookings ("pending check · Karl Brenner −12,50"), until
// they are settled: then the booking shows, or a notice says it was not
// made. They are not bookings: the cursor passes them by.
func (m *Model) SetPending(all []api.PendingPayment) {
	m.pending = m.pending[:0]
	for _, p := range all {
		if p.Kind == api.KindTransfer {
			p.Recipient = common.Sanitize(p.Recipient)
			m.pending = append(m.pending, p)
		}
	}
	m.rebuild()
}

// PendingRows is how many pending-check rows the list shows.
func (m *Model) PendingRows() int {
	return len(m.pendingRows)
}

// Load shows accountID and starts fetching its history: page 1 first, and
// the full sync in the background.
func (m *Model) Load(accountID int64) tea.Cmd {
	if accountID != m.accountID {
		m.reset(accountID)
	}
	m.loadSeq++
	m.loading = m.txs.Len() == 0
	m.syncing = true
	m.err, m.syncErr = nil, nil
	m.rebuild()
	cmds := []tea.Cmd{Sync(m.c, accountID, m.loadSeq), m.spin.Tick, m.loadLabels()}
	if m.loading {
		// Page 1 only helps an empty list; with bookings shown its answer
		// would be dropped, so it is not asked for.
		cmds = append(cmds, LoadPage(m.c, accountID, m.loadSeq), loadCached(m.c, accountID, m.loadSeq))
	}
	return tea.Batch(cmds...)
}

// Show shows an account whose full history is already known (from a cache).
func (m *Model) Show(accountID int64, h *history.History) tea.Cmd {
	m.reset(accountID)
	m.loadSeq++
	return tea.Batch(m.setTransactions(h), m.loadLabels())
}

func (m *Model) reset(accountID int64) {
	m.accountID = accountID
	m.txs, m.monthKey = nil, nil
	m.gen++
	m.index, m.indexGen = nil, -1
	m.list.Reset()
	m.selectedID = 0
	m.loading, m.syncing, m.err, m.syncErr = false, false, nil, nil
	if !m.showAll {
		// A kept filter stays: until it has run on this account, nothing
		// of the other one's result shows.
		m.matches, m.matched, m.matchSum = []int{}, false, 0
	}
	m.inFlight = false
	m.rows, m.months, m.pendingRows, m.loadingRow = m.rows[:0], m.months[:0], m.pendingRows[:0], false
}

// LoadPage is the Cmd fetching page 1 of an account's history.
func LoadPage(c *common.Common, accountID int64, seq int) tea.Cmd {
	bank, ctx := c.Bank, c.Ctx
	return func() tea.Msg {
		p, err := bank.TransactionsPage(ctx, accountID, 1)
		msg := common.TransactionsPageMsg{AccountID: accountID, Seq: seq, Page: 1, Err: err}
		if err != nil {
			msg.Err = fmt.Errorf("load transactions: %w", err)
			return msg
		}
		msg.Total = p.Total
		msg.Results = make([]api.Transaction, len(p.Results))
		for i, tx := range p.Results {
			msg.Results[i] = common.SanitizeTransaction(tx)
		}
		return msg
	}
}

// CachedHistory is a Bank that can hand over the history it keeps offline,
// sanitised, without asking the bank (offline.Mirror with a cache; nil
// when nothing is cached).
type CachedHistory interface {
	CachedHistory(accountID int64) (*history.History, error)
}

// cachedMsg carries the cached history, read while the sync asks the bank:
// the whole history is browsable at once, even when the bank cannot be
// reached and the sync waits for its retries.
type cachedMsg struct {
	accountID int64
	seq       int
	txs       *history.History
}

// loadCached is the Cmd reading the cached history, nil without a cache.
func loadCached(c *common.Common, accountID int64, seq int) tea.Cmd {
	cached, ok := c.Bank.(CachedHistory)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		txs, err := cached.CachedHistory(accountID)
		if err != nil || txs.Len() == 0 {
			return nil
		}
		return cachedMsg{accountID: accountID, seq: seq, txs: txs}
	}
}

// Sync is the Cmd fetching an account's whole history.
func Sync(c *common.Common, accountID int64, seq int) tea.Cmd {
	bank, ctx := c.Bank, c.Ctx
	return func() tea.Msg {
		// Sanitised by the bank (offline.Mirror cleans what it hands out).
		h, err := bank.SyncHistory(ctx, accountID, api.SyncOptions{})
		if err != nil {
			return common.TransactionsSyncedMsg{AccountID: accountID, Seq: seq, Err: fmt.Errorf("sync transactions: %w", err)}
		}
		return common.TransactionsSyncedMsg{AccountID: accountID, Seq: seq, History: h}
	}
}

// indexMsg carries a filter index built off the UI goroutine.
type indexMsg struct {
	accountID int64
	gen       int
	index     *filter.Index
	labelGen  int
	results   *rules.Results
}

// matchMsg carries the result of one filter query.
type matchMsg struct {
	accountID int64
	gen, seq  int
	matches   []int
	result    filter.Result
}

func (m *Model) buildIndex() tea.Cmd {
	gen, id, labelGen, build := m.gen, m.accountID, m.labelGen, m.labelIndex()
	return func() tea.Msg {
		res, ix := build()
		return indexMsg{accountID: id, gen: gen, index: ix, labelGen: labelGen, results: res}
	}
}

// runMatch starts the newest query if none is running; a running one is left
// to finish and its result dropped (stale), so typing never waits on it.
func (m *Model) runMatch() tea.Cmd {
	if m.query.IsEmpty() {
		m.stale = false
		return nil
	}
	if m.inFlight || m.index == nil || m.indexGen != m.gen {
		m.stale = true
		return nil
	}
	m.inFlight, m.stale = true, false
	ix, q, gen, seq, id, prev := m.index, m.query, m.gen, m.matchSeq, m.accountID, m.lastMatch
	return func() tea.Msg {
		r := ix.MatchAfter(prev, q)
		return matchMsg{accountID: id, gen: gen, seq: seq, matches: r.Matches(), result: r}
	}
}

// setTransactions replaces the data, keeping the selection when it still exists.
func (m *Model) setTransactions(txs *history.History) tea.Cmd {
	// Remember the selection by id while the rows still index the old data,
	// then drop those rows: they must not be read against the new history.
	if id := m.selectedBookingID(); id != 0 {
		m.selectedID = id
	}
	m.rows = m.rows[:0]
	if !m.showAll {
		// The matches index into the old data: keep the same bookings on
		// screen until the query has run on the new data (new bookings
		// show then, if they match).
		m.matches = sameBookings(m.txs, m.matches, txs)
		m.matched = false
	}
	m.txs = txs
	m.gen++
	n := txs.Len()
	m.monthKey = appendMonthKeys(make([]int32, 0, n+n/16+64), txs, n, m.c.Loc)
	m.loading = false
	m.err = nil
	m.rebuild()
	return m.buildIndex()
}

// sameBookings returns the indexes in txs of the bookings of old at idx, in
// txs' order. New bookings in front of the old ones (a poll, a payment)
// only shift them: that costs what the result holds, not the history.
func sameBookings(old *history.History, idx []int, txs *history.History) []int {
	out := []int{}
	if len(idx) == 0 {
		return out
	}
	if k := txs.Len() - old.Len(); k >= 0 {
		shifted := make([]int, len(idx))
		for j, i := range idx {
			if txs.ID(i+k) != old.ID(i) {
				shifted = nil
				break
			}
			shifted[j] = i + k
		}
		if shifted != nil {
			return shifted
		}
	}
	ids := make(map[int64]struct{}, len(idx))
	for _, i := range idx {
		ids[old.ID(i)] = struct{}{}
	}
	for i := range txs.Len() {
		if _, ok := ids[txs.ID(i)]; ok {
			out = append(out, i)
		}
	}
	return out
}

// Update handles data messages for this list and keys when focused.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	cmd := m.update(msg)
	if m.filtering {
		m.fitInput()
	}
	return cmd
}

// fitInput gives the filter line what the match count and sum (or the
// query's error) leave free, so they are always seen in full while typing.
func (m *Model) fitInput() {
	right, _ := m.filterStatus()
	used := ansi.StringWidth(m.input.Prompt) + 1 // the cursor's cell
	if right != "" {
		used += 2 + ansi.StringWidth(right)
	}
	if w := max(m.width-used, 4); w != m.input.Width() {
		m.input.SetWidth(w)
		m.input.SetCursor(m.input.Position()) // scroll the text for the new width
	}
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.updateLabels(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case common.TransactionsPageMsg:
		if msg.AccountID != m.accountID || msg.Seq != m.loadSeq || !m.loading {
			return nil // stale, or the full history already arrived
		}
		if msg.Err != nil {
			m.loading, m.err = false, msg.Err
			m.rebuild()
			return nil
		}
		return m.setTransactions(history.Of(msg.Results))
	case common.TransactionsSyncedMsg:
		if msg.AccountID != m.accountID || msg.Seq != m.loadSeq {
			return nil
		}
		m.syncing = false
		if msg.Err != nil {
			m.syncErr = msg.Err
			if m.loading { // page 1 never came either
				m.loading, m.err = false, msg.Err
			}
			m.rebuild()
			return nil
		}
		m.syncErr = nil
		if k, ok := msg.History.Extends(m.txs); ok {
			// The history shown (from the cache, or grown by polls) with
			// what is new in front: the rows, months, labels and filter
			// index are extended by what is new, not rebuilt.
			if k == 0 {
				m.rebuild()
				return nil
			}
			return m.grow(msg.History, k)
		}
		return m.setTransactions(msg.History)
	case common.BookingsArrivedMsg:
		if msg.AccountID != m.accountID || m.txs.Len() == 0 {
			return nil // not shown, or the history on its way holds them
		}
		return m.arrive(msg.Transactions)
	case cachedMsg:
		// Only until the sync answers, and only when it shows more than
		// what is on screen (page 1).
		if msg.accountID != m.accountID || msg.seq != m.loadSeq || !m.syncing || msg.txs.Len() <= m.txs.Len() {
			return nil
		}
		return m.setTransactions(msg.txs)
	case indexMsg:
		if msg.accountID != m.accountID || msg.gen != m.gen || msg.labelGen != m.labelGen {
			return nil
		}
		m.index, m.indexGen = msg.index, msg.gen
		m.results, m.resultsGen = msg.results, msg.gen
		return m.runMatch()
	case matchMsg:
		if msg.accountID != m.accountID {
			return nil
		}
		m.inFlight, m.lastMatch = false, msg.result
		if msg.gen == m.gen && msg.seq == m.matchSeq && m.queryErr == nil && !m.query.IsEmpty() {
			m.applyMatches(msg.matches)
		}
		if m.stale {
			return m.runMatch()
		}
		return nil
	case spinner.TickMsg:
		if !m.loading && !m.syncing {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case tea.KeyPressMsg:
		if m.filtering {
			return m.updateFilter(msg)
		}
		return m.updateKeys(msg)
	case tea.MouseWheelMsg:
		m.list.Update(msg, m.c.Keys.List)
		return nil
	}
	if m.filtering {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return cmd
	}
	return nil
}

func (m *Model) updateKeys(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys.List
	if m.list.Update(msg, k) {
		return nil
	}
	if cmd, ok := m.LabelKey(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Open):
		if m.Selected() != nil {
			return func() tea.Msg { return common.OpenDetailMsg{} }
		}
	case key.Matches(msg, m.c.Keys.Filter.Clear) && (m.queryText != "" || m.hasPeriod):
		// A kept filter clears with esc, as in the filter line itself
		// (and so does a period stepped to).
		m.input.SetValue("")
		m.clearPeriod()
		return m.setQuery("")
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.input.SetValue(m.queryText)
		m.input.CursorEnd()
		return m.input.Focus()
	}
	return nil
}

func (m *Model) updateFilter(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys.Filter
	switch {
	case key.Matches(msg, k.Keep):
		m.filtering = false
		m.input.Blur()
		return nil
	case key.Matches(msg, k.Clear):
		m.filtering = false
		m.input.Blur()
		m.input.SetValue("")
		m.setQuery("")
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if v := m.input.Value(); v != m.queryText {
		return tea.Batch(cmd, m.setQuery(v))
	}
	return cmd
}

// ShowQuery filters the list by text as if it was typed and kept (the
// reports tab's enter on a category): the filter line closed, the query
// shown above the list, esc clears it.
func (m *Model) ShowQuery(text string) tea.Cmd {
	m.filtering = false
	m.input.Blur()
	m.input.SetValue(text)
	return m.setQuery(text)
}

// setQuery parses text and starts matching. A query that does not parse
// shows why and no booking: no result of another query stands in for it.
func (m *Model) setQuery(text string) tea.Cmd {
	q, err := m.parseQuery(text)
	if err == nil && m.queryErr == nil && !q.IsEmpty() && q.String() == m.query.String() {
		m.queryText = text // only spacing changed: the result stands
		return nil
	}
	m.queryText = text
	m.matchSeq++ // a result on its way is of another query now
	m.matched, m.matchSum = false, 0
	if err != nil {
		m.queryErr, m.query = err, filter.Query{}
		m.showAll, m.matches = false, []int{}
		m.rebuild()
		return nil
	}
	m.queryErr, m.query = nil, q
	if q.IsEmpty() {
		m.showAll, m.matches = true, nil
		m.rebuild()
		return nil
	}
	return m.runMatch()
}

// filterUnfinished reports a query that does not parse because a token is
// still being typed (amt:, date:2026-1), not because it is wrong.
func (m *Model) filterUnfinished() bool {
	var te *filter.TokenError
	return errors.As(m.queryErr, &te) && te.Unfinished
}

// applyMatches shows a filter result and selects its first match; the same
// query's result on new data (a sync, another account) keeps the selected
// booking if it still matches.
func (m *Model) applyMatches(matches []int) {
	if matches == nil {
		matches = []int{}
	}
	m.showAll, m.matches, m.matched = false, matches, true
	in, out := filter.Sum(m.txs, matches)
	m.matchSum = in + out
	sameQuery := m.appliedSeq == m.matchSeq
	m.appliedSeq = m.matchSeq
	m.rebuild()
	if !sameQuery {
		m.jumpTo(0, 1)
	}
}

// rebuild recomputes the row model (month headers + transaction rows) from
// the data and the filter, and puts the cursor back on the selected booking.
func (m *Model) rebuild() {
	if id := m.selectedBookingID(); id != 0 {
		m.selectedID = id
	}
	m.rows, m.months, m.pendingRows = m.rows[:0], m.months[:0], m.pendingRows[:0]
	if m.txs.Len() > 0 || !m.loading {
		for i := len(m.pending) - 1; i >= 0; i-- { // newest first, as the bookings
			if m.pending[i].AccountID == m.accountID && m.accountID != 0 {
				m.pendingRows = append(m.pendingRows, int32(i))
			}
		}
	}
	n := m.txs.Len()
	found := -1
	add := func(p int) {
		if j := m.pushBooking(p); m.selectedID != 0 && m.txs.ID(n-1-p) == m.selectedID {
			found = j // the newest of them, as the rows are built from the oldest
		}
	}
	if m.showAll {
		for p := range n {
			add(p)
		}
	} else {
		for j := len(m.matches) - 1; j >= 0; j-- {
			add(n - 1 - m.matches[j])
		}
	}
	m.setLoadingRow()
	cursor := 0
	if found >= 0 {
		cursor = m.line(found)
	}
	m.list.SetLen(m.rowCount(), cursor)
}

// setLoadingRow shows the loading row below the rows while more is on its
// way; no loading row under an empty result: the list's empty state says
// why nothing shows.
func (m *Model) setLoadingRow() {
	m.loadingRow = (m.syncing || m.syncErr != nil) && len(m.pendingRows)+len(m.rows) > 0
}

// pushBooking adds the booking at position p (from the oldest) above the
// rows, under its month's header, counting its money in the month; it
// returns the booking's index in rows. The header of the newest month is
// always the last row: a booking of that month goes in below it.
func (m *Model) pushBooking(p int) int {
	amount := m.txs.Amount(m.txs.Len() - 1 - p)
	key := m.monthKey[p]
	if top := len(m.rows) - 1; top >= 0 && m.months[m.rows[top].idx].key == key {
		m.rows = m.rows[:top]
	} else {
		m.months = append(m.months, month{key: key})
	}
	mo := &m.months[len(m.months)-1]
	if amount >= 0 {
		mo.in += amount
	} else {
		mo.out += amount
	}
	m.rows = append(m.rows, row{kind: rowTx, idx: int32(p)})
	m.rows = append(m.rows, row{kind: rowHeader, idx: int32(len(m.months) - 1)})
	return len(m.rows) - 2
}

// arrive takes the bookings a poll found (newest first, in front of the
// history) at a cost of what is new (see grow). The history is a snapshot
// others may read (History hands it out): it grows into a new one.
func (m *Model) arrive(fresh []api.Transaction) tea.Cmd {
	grown := Prepend(m.txs, fresh)
	if k := grown.Len() - m.txs.Len(); k > 0 {
		return m.grow(grown, k)
	}
	return nil
}

// grow shows h, which is the history shown with k newer bookings in front,
// at a cost of k: the month keys, labels, balances, filter index and rows
// are extended, and a kept filter's result is extended by the new
// bookings that match it.
func (m *Model) grow(h *history.History, k int) tea.Cmd {
	sel := m.Selected()
	oldN, oldGen := m.txs.Len(), m.gen
	m.txs = h
	m.gen++
	m.monthKey = appendMonthKeys(m.monthKey, h, k, m.c.Loc)
	// Labels of the new bookings (newest first), when the others' are known.
	var labels []rules.Result
	if m.resultsGen == oldGen && m.results.Len() == oldN {
		set := m.c.RuleSet()
		labels = make([]rules.Result, k)
		for i := k - 1; i >= 0; i-- {
			tx := h.At(i)
			labels[i] = set.Apply(&tx, m.labels[tx.ID])
			m.results.Append(labels[i])
		}
		m.resultsGen = m.gen
	}
	if m.balancesGen == oldGen && m.balances.n == oldN {
		m.balances.extend(h, k)
		m.balancesGen = m.gen
	}
	var cmds []tea.Cmd
	if m.index != nil && m.indexGen == oldGen && labels != nil {
		m.index, m.indexGen = m.index.PrependWithLabels(h, labels), m.gen
	} else {
		cmds = append(cmds, m.buildIndex()) // the one on its way is of the old data
	}
	before := len(m.rows)
	switch {
	case m.showAll:
		for p := oldN; p < oldN+k; p++ {
			m.pushBooking(p)
		}
		if !m.query.IsEmpty() {
			cmds = append(cmds, m.runMatch()) // a first query running on the old data
		}
	case m.matched && m.queryErr == nil && labels != nil:
		// The new bookings are matched here, among themselves; the old
		// ones' result only moves down by k.
		newer := filter.NewIndexWithLabels(newest(h, k), m.c.Loc, labels).Match(m.query)
		matches := make([]int, 0, len(newer)+len(m.matches))
		matches = append(matches, newer...)
		for _, i := range m.matches {
			matches = append(matches, i+k)
		}
		m.matches = matches
		for j := len(newer) - 1; j >= 0; j-- {
			m.matchSum += h.Amount(newer[j])
			m.pushBooking(oldN + k - 1 - newer[j])
		}
	default:
		// The rows stand (positions do not move); the query runs again.
		shifted := make([]int, len(m.matches)) // a match running may read the old one
		for j, i := range m.matches {
			shifted[j] = i + k
		}
		m.matches = shifted
		if m.queryErr == nil && !m.query.IsEmpty() {
			m.matched = false
			cmds = append(cmds, m.runMatch())
		}
	}
	m.setLoadingRow()
	cursor := 0
	if sel != nil {
		m.selectedID = sel.ID
		cursor = m.list.Cursor() + len(m.rows) - before
	}
	m.list.SetLen(m.rowCount(), cursor)
	return tea.Batch(cmds...)
}

// newest is a history of h's newest k bookings alone.
func newest(h *history.History, k int) *history.History {
	b := history.NewBuilder(k)
	var valuta api.TxTime // the builder keeps a copy of what it takes
	for i := range k {
		tx := h.Read(i, &valuta)
		b.Add(&tx)
	}
	return b.Done()
}

// Click selects the booking drawn at line y of the pane (0 is the header
// line); ok is false when no booking is drawn there.
func (m *Model) Click(y int) bool {
	if m.filtering || m.rowCount() == 0 {
		return false
	}
	return m.list.Click(y - 1)
}

// move goes delta bookings up or down, skipping headers.
func (m *Model) move(delta int) { m.list.Move(delta) }

// jumpTo puts the cursor on row i, or the nearest booking in direction dir.
func (m *Model) jumpTo(i, dir int) { m.list.JumpTo(i, dir) }

// listHeight is the number of rows the list shows (one line is the header).
func (m *Model) listHeight() int { return m.height - 1 }

// Position is the selected row and the first visible one (month headers
// and pending rows counted).
func (m *Model) Position() (cursor, offset int) { return m.list.Cursor(), m.list.Offset() }
