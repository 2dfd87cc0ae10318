package transactions

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
)

// column widths, computed from the pane width.
type columns struct {
	date, name, purpose, amount int
	// category and balance (after the booking) show where the width
	// allows: 0 when they do not.
	category, balance int
}

// Past these widths a column stops growing: on a very wide terminal a
// row keeps its amount near its text instead of 100 blanks away.
const (
	maxNameWidth     = 40
	maxPurposeWidth  = 64
	maxCategoryWidth = 20
	balanceWidth     = 12 // "−123.456,78" and a blank
)

// rowWidth is the width of a booking row (selection mark included).
func (c columns) rowWidth() int {
	w := 1 + c.date + 1 + c.name + 1 + c.amount
	if c.purpose > 0 {
		w += c.purpose + 1
	}
	if c.category > 0 {
		w += c.category + 1
	}
	if c.balance > 0 {
		w += c.balance + 1
	}
	return w
}

func (m *Model) columns() columns {
	w := m.width - 1 // the selection mark
	// Dates are dd.mm. in every year: the month headers carry the year, and
	// a column that widened when an older year scrolled into view would
	// shift every row.
	c := columns{date: 6, amount: 11}
	rest := w - c.date - c.amount - 2
	// The category before the purpose's second half, the balance after
	// the amount only on a wide pane: at 80 columns a row still reads
	// date, name, purpose, amount.
	if rest >= 56 {
		c.category = min(max(rest/6, 10), maxCategoryWidth)
		rest -= c.category + 1
	}
	if rest >= 66 && m.hasBalance() {
		c.balance = balanceWidth
		rest -= c.balance + 1
	}
	if rest < 26 {
		c.name = max(rest, 1)
		return c
	}
	c.name = min(max(rest/2, 12), maxNameWidth)
	c.purpose = min(rest-c.name-1, maxPurposeWidth)
	return c
}

// View draws the list: a header line (count and sum, or the filter line),
// then only the rows that fit. Cost does not depend on the history's size.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	lines := make([]string, 0, m.height)
	lines = append(lines, m.headerLine())
	h := m.listHeight()
	switch {
	case m.err != nil && m.txs.Len() == 0:
		lines = append(lines, common.StateLines(st, common.ErrorText(m.err), true, h)...)
	case m.loading && m.txs.Len() == 0:
		lines = append(lines, common.StateLines(st, m.spin.View()+" loading transactions…", false, h)...)
	case m.accountID == 0:
		lines = append(lines, common.StateLines(st, "waiting for the accounts…", false, h)...)
	case m.queryErr != nil && m.filterUnfinished():
		lines = append(lines, common.StateLines(st, "finish the filter to see what it matches", false, h)...)
	case m.queryErr != nil:
		lines = append(lines, common.StateLines(st, "fix the filter to see what it matches", false, h)...)
	case m.rowCount() == 0 && !m.showAll && !m.matched:
		lines = append(lines, common.StateLines(st, "matching…", false, h)...)
	case m.rowCount() == 0 && !m.showAll:
		lines = append(lines, common.StateLines(st, "nothing matches the filter", false, h)...)
	case m.rowCount() == 0:
		lines = append(lines, common.StateLines(st, "no bookings yet", false, h)...)
	default:
		cols := m.columns()
		end := min(m.list.Offset()+h, m.rowCount())
		for i := m.list.Offset(); i < end; i++ {
			lines = append(lines, m.rowLine(i, cols))
		}
	}
	return common.FitBlock(lines, m.width, m.height)
}

func (m *Model) headerLine() string {
	st := m.c.Styles
	status, style := m.filterStatus()
	if m.filtering {
		line := m.input.View()
		if status != "" {
			line += "  " + style.Render(status)
		}
		return line
	}
	if p := m.periodHeader(); p != "" && m.queryText == "" {
		// Stepped to a period with no filter typed: its name, and what
		// the filter line would say of it.
		line := st.Header.Render(p)
		if status != "" {
			line += "  " + style.Render(status)
		}
		return line + st.Muted.Render(" · esc shows all")
	}
	if status != "" {
		// The count and sum (or the error) always show in full: the hint
		// goes first, then the query is shortened.
		const hint = " · esc clears"
		width := ansi.StringWidth(status)
		withHint := ansi.StringWidth(m.queryText)+4+width+ansi.StringWidth(hint) <= m.width-1
		if withHint {
			width += ansi.StringWidth(hint)
		}
		query := common.Truncate(m.queryText, max(m.width-1-2-2-width, 1))
		line := st.Accent.Render("/ "+query) + "  " + style.Render(status)
		if withHint {
			line += st.Muted.Render(hint)
		}
		return line
	}
	n := m.txs.Len()
	if n == 0 && (m.loading || m.accountID == 0) {
		return "" // the body says what is on its way; "0 bookings" would be wrong
	}
	s := strconv.Itoa(n) + plural(n, " booking", " bookings")
	if m.syncing && n > 0 {
		s += " · " + m.spin.View() + " syncing"
	}
	return st.Muted.Render(s)
}

// filterStatus is what the header says beside the filter's query, and its
// style: why the query does not parse (calmly while a token is still being
// typed), "matching…" while it runs, or the count and sum of its result; ""
// with no filter.
func (m *Model) filterStatus() (string, lipgloss.Style) {
	st := m.c.Styles
	switch {
	case m.queryErr != nil && m.filtering && m.filterUnfinished():
		return m.queryErr.Error(), st.Muted
	case m.queryErr != nil:
		return m.queryErr.Error(), st.Warning
	case m.query.IsEmpty():
		return "", st.Muted
	case !m.matched:
		return m.inPeriod("matching…"), st.Muted
	}
	return m.inPeriod(m.matchSummary()), st.Muted
}

// inPeriod says status is of the period stepped to, with a filter typed
// (without one, the header names the period itself).
func (m *Model) inPeriod(status string) string {
	if p := m.periodHeader(); p != "" && m.queryText != "" {
		return p + " · " + status
	}
	return status
}

func (m *Model) matchSummary() string {
	n := len(m.matches)
	if n == 0 {
		return "0 matches"
	}
	return strconv.Itoa(n) + plural(n, " match", " matches") + " · sum " + m.c.Money(m.matchSum)
}

func (m *Model) rowLine(i int, cols columns) string {
	st := m.c.Styles
	r := m.row(i)
	switch r.kind {
	case rowHeader:
		mo := m.months[r.idx]
		label := monthLabel(mo.key)
		// The full "in … out …" if it fits, else just the two sums.
		for _, right := range []string{
			"in " + m.c.Money(mo.in) + "  out " + m.c.Money(mo.out),
			m.c.Money(mo.in) + " " + m.c.Money(mo.out),
		} {
			if gap := cols.rowWidth() - len([]rune(label)) - len([]rune(right)) - 1; gap >= 1 {
				return " " + st.Header.Render(label) + strings.Repeat(" ", gap) + st.Muted.Render(right)
			}
		}
		return " " + st.Header.Render(label)
	case rowPending:
		return m.pendingLine(m.pending[r.idx], cols)
	case rowLoading:
		if m.syncErr != nil {
			return " " + st.Error.Render("could not load everything: "+common.ErrorText(m.syncErr)) + st.Muted.Render(" · r retries")
		}
		return " " + m.spin.View() + st.Muted.Render(" loading more…")
	}
	// A row reads its booking and keeps none of it: one valuta for all.
	booking := m.txs.Read(int(r.idx), &m.rowValuta)
	tx := &booking
	res := m.result(int(r.idx))
	date := common.FormatDay(tx.BookingDate.Time, m.c.Loc)
	name := labelText(res.Payee)
	if name == "" {
		name = api.Str(tx.Name)
	}
	if name == "" {
		name = m.c.IBAN(api.Str(tx.IBAN))
	}
	if res.Marked {
		name = "• " + name
	}
	name = common.Truncate(name, cols.name)
	purpose := ""
	if cols.purpose > 0 {
		purpose = common.Truncate(m.c.PurposeLine(tx), cols.purpose)
	}
	category := ""
	if cols.category > 0 {
		category = common.Truncate(labelText(res.Category), cols.category)
	}
	balance := ""
	if cols.balance > 0 {
		if b, ok := m.balanceAfter(int(r.idx)); ok {
			balance = strings.TrimSuffix(m.c.Balance(b), " €")
		}
	}
	amount := m.c.Money(tx.Amount)
	selected := i == m.list.Cursor()
	if selected && m.focused {
		line := "▸" + common.PadRight(date, cols.date) + " " + common.PadRight(name, cols.name)
		if cols.category > 0 {
			line += " " + common.PadRight(category, cols.category)
		}
		if cols.purpose > 0 {
			line += " " + common.PadRight(purpose, cols.purpose)
		}
		line += " " + common.PadLeft(amount, cols.amount)
		if cols.balance > 0 {
			line += " " + common.PadLeft(balance, cols.balance)
		}
		return st.Selection.Render(line)
	}
	mark := " "
	if selected {
		mark = st.Accent.Render("▸")
	}
	amt := st.Debit
	if tx.Amount >= 0 {
		amt = st.Credit
	}
	// Padding stays outside the styles and the counterparty takes the
	// terminal's own foreground: unstyled blanks are sent as a cursor move
	// and fewer colour changes mean fewer bytes per row over SSH.
	out := mark + st.Muted.Render(date) + pad(cols.date-len(date)+1) + name + pad(cols.name-ansi.StringWidth(name)+1)
	if cols.category > 0 {
		out += st.Accent.Render(category) + pad(cols.category-ansi.StringWidth(category)+1)
	}
	if cols.purpose > 0 {
		out += st.Muted.Render(purpose) + pad(cols.purpose-ansi.StringWidth(purpose)+1)
	}
	out += pad(cols.amount-len([]rune(amount))) + amt.Render(amount)
	if cols.balance > 0 {
		out += pad(cols.balance-len([]rune(balance))+1) + st.Muted.Render(balance)
	}
	return out
}

// pendingLine draws a transfer pending check in the columns of a booking,
// in the warning colour: "26.11. Karl Brenner  pending check · sent 17:42,
// asking the bank  −12,50" ("pending check · Karl Brenner" when there is no
// purpose column).
func (m *Model) pendingLine(p api.PendingPayment, cols columns) string {
	st := m.c.Styles
	date := common.FormatDay(p.SentAt, m.c.Loc)
	name := p.Recipient
	if cols.purpose == 0 {
		name = "pending check · " + name
	}
	name = common.Truncate(name, cols.name)
	line := " " + common.PadRight(date, cols.date) + " " + common.PadRight(name, cols.name)
	if cols.category > 0 {
		line += pad(cols.category + 1)
	}
	if cols.purpose > 0 {
		at := p.SentAt.In(m.c.Loc).Format("15:04")
		what := "pending check"
		for _, longer := range []string{"pending check · sent " + at + ", asking the bank", "pending check · sent " + at} {
			if ansi.StringWidth(longer) <= cols.purpose {
				what = longer
				break
			}
		}
		line += " " + common.PadRight(common.Truncate(what, cols.purpose), cols.purpose)
	}
	return st.Warning.Render(line + " " + common.PadLeft(m.c.Money(-p.Amount), cols.amount))
}

// pad is n blanks (none for n < 1).
func pad(n int) string { return strings.Repeat(" ", max(n, 0)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
