package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"konto/store/forecast"
	"konto/store/report"
	"konto/ui/common"
	"konto/ui/detail"
)

// headerLines are the lines above the scrolled body: the period and the
// totals.
const headerLines = 2

// topParties is how many counterparties each direction lists.
const topParties = 5

// line is one line of the tab's body; row is set on a line the cursor can
// rest on.
type line struct {
	text string // drawn
	row  *row
}

// row is what a selectable line stands for.
type row struct {
	key    string         // stays the same across rebuilds: the cursor follows it
	plain  string         // the line without styles, for the selection's colours
	query  string         // the transactions tab's filter enter shows ("" for none)
	item   *forecast.Item // a forecast item, which x switches
	fields []detail.Field // the details pane's figures
	iban   string
}

func (t *Tab) bodyHeight() int { return max(t.height-headerLines, 1) }

// selectedRow is the row under the cursor, or nil.
func (t *Tab) selectedRow() *row {
	t.refresh()
	if !t.list.HasSelection() {
		return nil
	}
	return t.lines[t.list.Cursor()].row
}

// keepCursorKey remembers the selected row, for the cursor to stay on it
// when the lines are drawn again.
func (t *Tab) keepCursorKey() {
	if r := t.selectedRow(); r != nil {
		t.cursorKey = r.key
	}
}

// buildLines draws the body for the width, keeping the cursor on its row.
func (t *Tab) buildLines() {
	w := max(t.width, 20)
	f := &t.figures
	st := t.c.Styles
	var ls []line
	add := func(s string) { ls = append(ls, line{text: s}) }
	addRow := func(r *row, styled string) { ls = append(ls, line{text: styled, row: r}) }
	title := func(s string) { add(st.Header.Render(common.Truncate(s, w))) }

	loading := len(f.txs) == 0 && f.rep.Count == 0 && t.anyHistoryMissing()
	// The trend chart.
	title("Money in and out by month")
	chartH := min(max((t.bodyHeight()-8)/2, 4), 14)
	if loading {
		add(st.Muted.Render("  loading the bookings…"))
	} else {
		for _, s := range trendChart(st, f.trend, t.period, w, chartH, t.c.Privacy) {
			add(s)
		}
	}
	add("")

	// Spending and income by category.
	rep := f.rep
	t.categoryLines(&ls, "Spending", rep.Spending(), rep.Out, true)
	t.categoryLines(&ls, "Income", rep.Income(), rep.In, false)

	// The largest counterparties.
	outs, ins := rep.TopOut(topParties), rep.TopIn(topParties)
	if len(outs)+len(ins) > 0 {
		title("Largest counterparties")
		nameW := max(w-2-4-13-5, 8)
		party := func(p report.PartySum, in bool) {
			name := "(no name)"
			if p.Name != nil {
				name = *p.Name
			}
			dir, amount, style, words := "out", p.Out, st.Debit, "out"
			if in {
				dir, amount, style, words = "in ", p.In, st.Credit, "in"
			}
			count := strconv.Itoa(p.Count) + "×"
			plain := "  " + dir + " " + common.PadRight(common.Truncate(name, nameW), nameW) +
				common.PadLeft(t.c.Money(amount), 13) + common.PadLeft(count, 5)
			styled := "  " + st.Muted.Render(dir) + " " + common.PadRight(common.Truncate(name, nameW), nameW) +
				style.Render(common.PadLeft(t.c.Money(amount), 13)) + st.Muted.Render(common.PadLeft(count, 5))
			r := &row{key: "party:" + words + ":" + name + ":" + p.IBAN, plain: plain, iban: p.IBAN,
				query: partyQuery(p, in, t.period.String()),
				fields: []detail.Field{
					{Label: "Counterparty", Value: name},
					{Label: "Period", Value: t.period.Label()},
					{Label: "Money " + words, Value: t.c.Money(amount), Money: true, Amount: amount},
					{Label: "Bookings", Value: strconv.Itoa(p.Count)},
				}}
			addRow(r, styled)
		}
		for _, p := range outs {
			party(p, false)
		}
		for _, p := range ins {
			party(p, true)
		}
		add("")
	}

	t.forecastLines(&ls, w)
	t.lines, t.linesPrivate = ls, t.c.Privacy

	at := 0
	if t.cursorKey != "" {
		if i := slices.IndexFunc(ls, func(l line) bool { return l.row != nil && l.row.key == t.cursorKey }); i >= 0 {
			at = i
		}
	}
	t.list.SetHeight(t.bodyHeight())
	t.list.SetLen(len(ls), at)
	if at == 0 {
		t.list.JumpTo(0, 1)
	}
}

// anyHistoryMissing reports an account in view whose history has not come.
func (t *Tab) anyHistoryMissing() bool {
	for _, a := range t.accounts() {
		if t.inView(a.ID) && t.history(a.ID) == nil {
			return true
		}
	}
	return len(t.accounts()) == 0
}

// categoryLines lists the categories of one direction with bars.
func (t *Tab) categoryLines(ls *[]line, name string, cats []report.CategorySum, total int64, out bool) {
	w := max(t.width, 20)
	st := t.c.Styles
	style := st.Credit
	if out {
		style = st.Debit
	}
	head := fmt.Sprintf("%s · %s", name, t.c.Money(total))
	if total == 0 {
		head = name
	}
	*ls = append(*ls, line{text: st.Header.Render(common.Truncate(head, w))})
	if len(cats) == 0 {
		*ls = append(*ls, line{text: st.Muted.Render("  none in " + t.period.Label())}, line{})
		return
	}
	nameW := min(max(w/4, 10), 24)
	barW := min(max(w-2-nameW-1-13-6, 4), 60)
	for _, c := range cats {
		amount := c.In
		if out {
			amount = c.Out
		}
		label := "uncategorised"
		if c.Category != nil {
			label = *c.Category
		}
		pct := strconv.Itoa(report.Percent(amount, total)) + " %"
		bar := hbar(amount, total, barW)
		shownName := common.PadRight(common.Truncate(label, nameW), nameW)
		plain := "  " + shownName + " " + bar + common.PadLeft(t.c.Money(amount), 13) + common.PadLeft(pct, 6)
		styled := "  " + shownName + " " + style.Render(bar) + style.Render(common.PadLeft(t.c.Money(amount), 13)) +
			st.Muted.Render(common.PadLeft(pct, 6))
		dir := "in"
		if out {
			dir = "out"
		}
		r := &row{key: "cat:" + dir + ":" + label, plain: plain, query: categoryQuery(c.Category, dir, t.period.String()),
			fields: []detail.Field{
				{Label: "Category", Value: label},
				{Label: "Period", Value: t.period.Label()},
				{Label: "Money " + dir, Value: t.c.Money(amount), Money: true, Amount: amount},
				{Label: "Share", Value: pct + " of " + t.c.Money(total)},
				{Label: "Bookings", Value: strconv.Itoa(c.Count)},
			}}
		*ls = append(*ls, line{text: styled, row: r})
	}
	*ls = append(*ls, line{})
}

// categoryQuery is the transactions filter of a category's bookings in one
// direction over the period.
func categoryQuery(cat *string, dir, when string) string {
	what := "uncategorised"
	if cat != nil {
		what = "cat:" + quoteToken(*cat)
	}
	return what + " " + dir + " date:" + when
}

// partyQuery is the filter of a counterparty's bookings: its IBAN, else its
// name as a phrase.
func partyQuery(p report.PartySum, in bool, when string) string {
	dir := "out"
	if in {
		dir = "in"
	}
	what := ""
	switch {
	case p.IBAN != "":
		what = p.IBAN
	case p.Name != nil:
		what = quoteToken(*p.Name)
	default:
		return ""
	}
	return what + " " + dir + " date:" + when
}

// quoteToken writes s as one filter term: in quotes when it has a space.
func quoteToken(s string) string {
	s = strings.ReplaceAll(s, `"`, "")
	if strings.ContainsAny(s, " \t") {
		return `"` + s + `"`
	}
	return s
}

// forecastLines draws the forecast: a summary, the chart, the items.
func (t *Tab) forecastLines(ls *[]line, w int) {
	f := &t.figures
	st := t.c.Styles
	add := func(s string) { *ls = append(*ls, line{text: s}) }
	add(st.Header.Render(common.Truncate(fmt.Sprintf("Forecast · next %d days", ForecastDays), w)))
	if f.pending > 0 {
		add(st.Muted.Render("  loading the orders…"))
	}
	if t.loadErr != "" {
		add(st.Warning.Render(common.Truncate("  "+t.loadErr, w)))
	}
	if !f.hasProj || len(f.proj.Days) == 0 {
		add(st.Muted.Render("  no forecast yet"))
		return
	}
	proj := f.proj
	add(common.Truncate(fmt.Sprintf("  today %s, lowest %s on %s", t.c.Balance(proj.Balance),
		t.c.Balance(proj.Lowest.Balance), german(proj.Lowest.Date)), w))
	chartH := min(max((t.bodyHeight()-6)/3, 3), 12)
	for _, s := range balanceChart(st, proj, w, chartH, t.c.Privacy) {
		add(s)
	}
	add("")
	add(st.Header.Render("Upcoming"))
	type entry struct {
		it  forecast.Item
		off bool
	}
	var items []entry
	for _, it := range proj.Items {
		items = append(items, entry{it, false})
	}
	for _, it := range proj.Off {
		items = append(items, entry{it, true})
	}
	slices.SortStableFunc(items, func(a, b entry) int { return int(a.it.Date) - int(b.it.Date) })
	if len(items) == 0 {
		add(st.Muted.Render("  nothing expected"))
		return
	}
	const amountW = 11
	originW := min(max(w-2-10-1-amountW-2-24, 14), 32)
	nameW := max(w-2-10-1-amountW-2-1-originW, 8)
	for i := range items {
		e := items[i]
		it := e.it
		origin := it.Origin()
		if lipgloss.Width(origin) > originW {
			origin = strings.TrimPrefix(origin, "detected ")
		}
		if e.off {
			origin = "off · " + origin
		}
		name := common.Sanitize(it.Counterparty)
		cells := "  " + german(it.Date) + " " + common.PadLeft(t.c.Money(it.Amount), amountW) + "  " +
			common.PadRight(common.Truncate(name, nameW), nameW) + " "
		plain := cells + common.Truncate(origin, originW)
		var styled string
		if e.off {
			styled = st.Muted.Render(plain)
		} else {
			money := st.Credit
			if it.Amount < 0 {
				money = st.Debit
			}
			styled = "  " + st.Muted.Render(german(it.Date)) + " " + money.Render(common.PadLeft(t.c.Money(it.Amount), amountW)) + "  " +
				common.PadRight(common.Truncate(name, nameW), nameW) + " " + st.Muted.Render(common.Truncate(origin, originW))
		}
		state := "on"
		if e.off {
			state = "off (x switches it on)"
		}
		itCopy := it
		r := &row{key: "item:" + it.ID + ":" + strconv.Itoa(int(it.Date)), plain: plain, item: &itCopy,
			fields: []detail.Field{
				{Label: "Date", Value: german(it.Date)},
				{Label: "Amount", Value: t.c.Money(it.Amount), Money: true, Amount: it.Amount},
				{Label: "Counterparty", Value: name},
				{Label: "Source", Value: it.Origin()},
				{Label: "In the forecast", Value: state},
			}}
		*ls = append(*ls, line{text: styled, row: r})
	}
}

// header is the period and the totals above the body.
func (t *Tab) header() []string {
	w := max(t.width, 20)
	st := t.c.Styles
	f := &t.figures
	scope := "this account"
	if t.all {
		scope = "all accounts"
	}
	unit := t.period.Unit.String()
	first := st.Title.Render(t.period.Label()) + " " + st.Muted.Render("‹ ›") + "  " + st.Muted.Render(unit+" · "+scope)
	rep := f.rep
	second := st.Credit.Render("in "+t.c.Money(rep.In)) + "  " + st.Debit.Render("out "+t.c.Money(rep.Out)) +
		"  net " + t.c.Money(rep.In+rep.Out) + st.Muted.Render(fmt.Sprintf("  %d bookings", rep.Count))
	if lipgloss.Width(second) > w {
		second = t.c.Money(rep.In) + " " + t.c.Money(rep.Out) + " = " + t.c.Money(rep.In+rep.Out)
	}
	return []string{common.FitLine(first, w), common.FitLine(second, w)}
}

// View draws the header and the body in view, the cursor's row selected.
func (t *Tab) View() string {
	t.refresh()
	out := t.header()
	from, to := t.list.Visible()
	for i := from; i < to; i++ {
		l := t.lines[i]
		if t.focused && l.row != nil && i == t.list.Cursor() {
			out = append(out, t.c.Styles.Selection.Render(common.PadRight(common.Truncate(l.row.plain, t.width), t.width)))
			continue
		}
		out = append(out, l.text)
	}
	return common.FitBlock(out, t.width, t.height)
}
