package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/period"
	"konto/store/report"
	"konto/store/rules"
	"konto/ui/common"
)

const reportUsage = `konto report: money in and out over a period, by category, month and counterparty

Usage:
  konto report [--period P] [--account ID|IBAN|all] [--top N] [--json]

Bookings are categorised by the config's [[rules]] (and the built-in ones)
and by the categories set on the dashboard. The table gives the totals,
spending and income by category with their share, the counterparties paid
and paying the most, and a chart of the twelve months up to the period's end.

Flags:
  --period P          the period (default thismonth): today, thisweek,
                      lastweek, thismonth, lastmonth, thisquarter, lastquarter,
                      thisyear, lastyear, ytd, 2026-11, 11.2026, 2026-Q3, 2026,
                      2026-W48, 2026-01..2026-03, 2026-11.., ..2026-01
  --account ID|IBAN   the account (default: the main account); all: every account
  --top N             counterparties listed each way in the table (default 5)
  --json              one JSON object: {"from", "to", "in", "out", "count",
                      "categories": [{"category", "in", "out", "count"}],
                      "months": [{"month", "in", "out", "count"}],
                      "counterparties": [{"name", "iban", "in", "out", "count"}]};
                      amounts in cents, uncategorised bookings under
                      "category": null
`

// DefaultReportPeriod is the period konto report sums without --period.
const DefaultReportPeriod = "thismonth"

// ReportOptions are the parsed command line of konto report.
type ReportOptions struct {
	// Period is --period as written; it is read on the bank's day.
	Period string
	// Account is --account; "all" sums every account.
	Account string
	Top     int
	JSON    bool
	Connect Connector
}

// NewCmdReport builds konto report; runF, if set, runs instead (tests).
func NewCmdReport(f *Factory, runF func(context.Context, *ReportOptions) error) *Command {
	return &Command{Name: "report", Usage: reportUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "report", reportUsage)
		jsonOut := p.fs.Bool("json", false, "")
		per := p.fs.String("period", DefaultReportPeriod, "")
		account := p.fs.String("account", "", "")
		top := p.fs.Int("top", 5, "")
		if status, done := p.parse(args); done {
			return status
		}
		if len(p.args) > 0 {
			return p.fail(usageErrorf("unexpected argument %q (the period goes after --period)", common.Sanitize(p.args[0])))
		}
		if *top < 0 {
			return p.fail(usageErrorf("--top %d: give the number of counterparties to list, 0 or more", *top))
		}
		// Refused before the bank is asked; read again on the bank's day.
		if _, err := parsePeriod(*per, p.provisionalToday()); err != nil {
			return p.fail(err)
		}
		opts := &ReportOptions{Period: *per, Account: *account, Top: *top, JSON: *jsonOut, Connect: p.connect}
		if runF != nil {
			if err := runF(ctx, opts); err != nil {
				return p.fail(err)
			}
			return ExitOK
		}
		return p.run(ctx, func(ctx context.Context, src *Source) error {
			rep, err := p.report(ctx, src, opts)
			if err != nil {
				return err
			}
			if opts.JSON {
				return writeJSON(f.IO.Out, rep.Report)
			}
			return writeReport(f, rep, opts.Top)
		})
	}}
}

// parsePeriod reads --period as date: in a query reads it, relative to today.
func parsePeriod(s string, today period.Date) (period.Period, error) {
	p, err := period.Parse(s, today)
	if err != nil {
		return period.Period{}, usageErrorf("--period %q: %v (try thismonth, lastmonth, 2026-11, 2026-Q3, 2026 or 2026-01..2026-03)", common.Sanitize(s), err)
	}
	return p, nil
}

// reportData is a report and what its table shows beside it.
type reportData struct {
	report.Report
	Period period.Period // as asked, before its open ends were narrowed
	What   string        // the account(s): "Main", "all accounts"
	Months []report.Bucket
}

// chartMonths is how many months the table's chart shows.
const chartMonths = 12

// report reads the accounts asked for, categorises their bookings and sums
// them over the period.
func (p *parser) report(ctx context.Context, src *Source, opts *ReportOptions) (*reportData, error) {
	now := time.Now
	if src.Now != nil {
		now = src.Now
	}
	today := period.DateOf(now(), p.f.Loc)
	per, err := parsePeriod(opts.Period, today)
	if err != nil {
		return nil, err
	}
	accs, err := freshAccounts(ctx, src.Bank)
	if err != nil {
		return nil, err
	}
	picked, what := accs, "all accounts"
	if !strings.EqualFold(strings.TrimSpace(opts.Account), "all") {
		i, err := pickAccount(accs, opts.Account)
		if err != nil {
			return nil, err
		}
		picked, what = accs[i:i+1], accountLabel(i)
	}
	l, err := newLabeller(src)
	if err != nil {
		return nil, err
	}
	var (
		txs     []api.Transaction
		results []rules.Result
	)
	for _, a := range picked {
		b, err := l.history(ctx, p, src, a)
		if err != nil {
			return nil, err
		}
		txs = append(txs, b.txs...)
		results = append(results, b.results...)
	}
	rep := &reportData{Report: report.Build(txs, results, per, p.f.Loc), Period: per, What: what}
	// The chart ends with the period, or today when the period reaches
	// beyond it (thisyear in March: the last twelve months, not to December).
	end := rep.To
	if end > today && rep.From <= today {
		end = today
	}
	rep.Months = report.Series(txs, report.Trailing(end, chartMonths, period.Month), period.Month, p.f.Loc)
	return rep, nil
}

// writeReport writes the report as tables: the totals, spending and
// income by category, the largest counterparties and the monthly chart.
// Bars are drawn in two patterns (█ in, ▒ out) so they read without colour.
func writeReport(f *Factory, r *reportData, top int) error {
	var b strings.Builder
	head := fmt.Sprintf("%s, %s (%s – %s): %d booking%s", r.What, r.Period.Label(), r.From.German(), r.To.German(), r.Count, plural(r.Count))
	if f.IO.Width > 0 {
		head = common.Truncate(head, f.IO.Width)
	}
	b.WriteString(head + "\n")
	totals := f.newTable(column{title: "Total"}, column{title: "Amount", right: true})
	totals.add(text("In"), amountCell(r.In))
	totals.add(text("Out"), amountCell(r.Out))
	totals.add(text("Net"), amountCell(r.In+r.Out))
	w := &reportWriter{f: f, b: &b}
	w.table(totals, false)
	if r.Count == 0 {
		b.WriteString("No bookings in this period.\n")
	}
	if spending := r.Spending(); len(spending) > 0 {
		t := f.newTable(column{title: "Spending", flex: true}, column{title: "Amount", right: true},
			column{title: "Share", right: true}, column{title: "Bookings", right: true})
		var bars []int64
		for _, c := range spending {
			t.add(text(categoryName(c.Category)), amountCell(c.Out), text(strconv.Itoa(report.Percent(c.Out, r.Out))+"%"), text(strconv.Itoa(c.Count)))
			bars = append(bars, -c.Out)
		}
		w.barTable(t, barColumn{title: "▒ out", fill: "▒", sign: -1, values: bars})
	}
	if income := r.Income(); len(income) > 0 {
		t := f.newTable(column{title: "Income", flex: true}, column{title: "Amount", right: true},
			column{title: "Share", right: true}, column{title: "Bookings", right: true})
		var bars []int64
		for _, c := range income {
			t.add(text(categoryName(c.Category)), amountCell(c.In), text(strconv.Itoa(report.Percent(c.In, r.In))+"%"), text(strconv.Itoa(c.Count)))
			bars = append(bars, c.In)
		}
		w.barTable(t, barColumn{title: "█ in", fill: "█", sign: 1, values: bars})
	}
	for _, side := range []struct {
		title   string
		parties []report.PartySum
		amount  func(report.PartySum) int64
	}{
		{"Paid the most", r.TopOut(top), func(p report.PartySum) int64 { return p.Out }},
		{"Paid in the most", r.TopIn(top), func(p report.PartySum) int64 { return p.In }},
	} {
		if len(side.parties) == 0 || top == 0 {
			continue
		}
		t := f.newTable(column{title: side.title, flex: true}, column{title: "Amount", right: true}, column{title: "Bookings", right: true})
		for _, p := range side.parties {
			name := "(no name)"
			if p.Name != nil {
				name = *p.Name
			}
			t.add(text(name), amountCell(side.amount(p)), text(strconv.Itoa(p.Count)))
		}
		w.table(t, true)
	}
	if len(r.Months) > 0 {
		t := f.newTable(column{title: "Month"}, column{title: "In", right: true}, column{title: "Out", right: true}, column{title: "Net", right: true})
		var ins, outs []int64
		for _, m := range r.Months {
			y, mo, _ := m.Period.From.Date()
			t.add(text(fmt.Sprintf("%02d.%04d", mo, y)), amountCell(m.In), amountCell(m.Out), amountCell(m.Net()))
			ins, outs = append(ins, m.In), append(outs, -m.Out)
		}
		// One scale for both bars, so a month's in and out compare.
		w.barTable(t, barColumn{title: "█ in", fill: "█", sign: 1, values: ins, scale: max(maxOf(ins), maxOf(outs))},
			barColumn{title: "▒ out", fill: "▒", sign: -1, values: outs, scale: max(maxOf(ins), maxOf(outs))})
	}
	_, err := io.WriteString(f.IO.Out, b.String())
	return local(err)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// categoryName names a category in the table; nil is the uncategorised.
func categoryName(c *string) string {
	if c == nil {
		return "(uncategorised)"
	}
	return *c
}

func maxOf(v []int64) int64 {
	var m int64
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// reportWriter writes the report's tables one after the other, a blank
// line between them.
type reportWriter struct {
	f *Factory
	b *strings.Builder
}

func (w *reportWriter) table(t *table, gap bool) {
	if gap || w.b.Len() > 0 {
		w.b.WriteByte('\n')
	}
	_ = t.write(w.b, w.f.IO.Width) // a strings.Builder does not fail
}

// barColumn is a column of horizontal bars: values[i] (>= 0) is row i's,
// drawn against scale (0: the largest value).
type barColumn struct {
	title  string
	fill   string
	sign   int
	values []int64
	scale  int64
}

// Bar widths: what the terminal leaves, within these bounds; without a
// terminal the default.
const (
	barMin     = 4
	barMax     = 60
	barDefault = 24
)

// barTable adds the bar columns to t, as wide as the terminal leaves
// beside the other columns, and writes it.
func (w *reportWriter) barTable(t *table, bars ...barColumn) {
	width := barDefault
	if w.f.IO.Width > 0 {
		width = (w.f.IO.Width - t.naturalWidth() - 2*len(bars)) / len(bars)
		width = min(max(width, barMin), barMax)
	}
	for _, bc := range bars {
		t.cols = append(t.cols, column{title: bc.title})
		scale := bc.scale
		if scale == 0 {
			scale = maxOf(bc.values)
		}
		for i := range t.rows {
			t.rows[i] = append(t.rows[i], cell{text: bar(bc.values[i], scale, width, bc.fill), sign: bc.sign})
		}
	}
	// The bar columns keep their width: the last is padded so that a
	// second one starts in line.
	if len(bars) > 1 {
		for i := range t.rows {
			for c := len(t.cols) - len(bars); c < len(t.cols)-1; c++ {
				cl := &t.rows[i][c]
				cl.text += strings.Repeat(" ", width-ansi.StringWidth(cl.text))
			}
		}
	}
	w.table(t, true)
}

// bar is value's share of scale in width cells of fill, rounded; a value
// above zero gets at least one cell.
func bar(value, scale int64, width int, fill string) string {
	if value <= 0 || scale <= 0 {
		return ""
	}
	n := int((value*int64(width)*2 + scale) / (2 * scale))
	n = min(max(n, 1), width)
	return strings.Repeat(fill, n)
}

// naturalWidth is the width t takes without cutting a column.
func (t *table) naturalWidth() int {
	total := 2 * max(len(t.cols)-1, 0)
	for i, c := range t.cols {
		wd := ansi.StringWidth(c.title)
		for _, r := range t.rows {
			wd = max(wd, ansi.StringWidth(r[i].text))
		}
		total += wd
	}
	return total
}
