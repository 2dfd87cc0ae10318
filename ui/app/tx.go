package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"konto/api"
	"konto/store/export"
	"konto/store/period"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/filter"
)

const txUsage = `konto tx: list an account's bookings, oldest first

Usage:
  konto tx [QUERY…] [--account ID|IBAN] [--limit N] [--json|--csv|--tsv]

QUERY is the dashboard's filter ("/"): words and "phrases" match name,
purpose, end-to-end id and IBAN; amt:<-100 amt:10..50 date:2026-11
date:2026-01..2026-03 date:lastmonth in out type:card, and what konto
knows of a booking: cat:rent tag:tax note:… marked uncategorised.
--json adds each booking's category, tags, note, marked and balanceAfter.

Flags:
  --account ID|IBAN      the account (default: the main account)
  --limit N              only the newest N bookings that match
  --json, --csv, --tsv   output format (default: a table)
`

// TxOptions are the parsed command line of konto tx.
type TxOptions struct {
	Query   filter.Query
	Account string
	Limit   int
	Output  Output
	Connect Connector
}

// NewCmdTx builds konto tx; runF, if set, runs instead (tests).
func NewCmdTx(f *Factory, runF func(context.Context, *TxOptions) error) *Command {
	return &Command{Name: "tx", Usage: txUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "tx", txUsage)
		p.outputFlags()
		account := p.fs.String("account", "", "")
		limit := p.fs.Int("limit", 0, "")
		if status, done := p.parse(args); done {
			return status
		}
		out, err := p.format.output()
		if err != nil {
			return p.fail(err)
		}
		if *limit < 0 {
			return p.fail(usageErrorf("--limit must not be negative"))
		}
		q, err := parseQuery(p.args, p.provisionalToday())
		if err != nil {
			return p.fail(err)
		}
		opts := &TxOptions{Query: q, Account: *account, Limit: *limit, Output: out, Connect: p.connect}
		if runF != nil {
			if err := runF(ctx, opts); err != nil {
				return p.fail(err)
			}
			return ExitOK
		}
		return p.run(ctx, func(ctx context.Context, src *Source) error {
			_, _, sel, err := p.selected(ctx, src, opts.Account, opts.Query)
			if err != nil {
				return err
			}
			return writeTransactions(f, out, sel.newest(opts.Limit))
		})
	}}
}

// parseQuery reads the QUERY arguments with the dashboard's filter; an
// argument the shell kept whole that holds a space is one phrase. Relative
// dates (date:lastmonth) count from today.
func parseQuery(args []string, today period.Date) (filter.Query, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t") && !strings.Contains(a, `"`) {
			a = `"` + a + `"`
		}
		parts[i] = a
	}
	q, err := filter.Parse(strings.Join(parts, " "), today)
	if err != nil {
		return filter.Query{}, usageErrorf("query: %v", err)
	}
	return q, nil
}

// provisionalToday is the day QUERY is first read on, before the bank (and
// its clock) is there: good for finding a query that does not parse;
// selected reads it again on the bank's day.
func (p *parser) provisionalToday() period.Date { return period.DateOf(time.Now(), p.f.Loc) }

// selected reads the accounts and the chosen account's history and keeps
// the bookings q matches, categorised and with their balances; it returns
// the account's index among accs too.
func (p *parser) selected(ctx context.Context, src *Source, account string, q filter.Query) ([]api.Account, int, *booked, error) {
	if len(p.args) > 0 && src.Now != nil {
		// Read again on the bank's clock (the demo's may not be the wall
		// clock's), for the relative dates.
		again, err := parseQuery(p.args, period.DateOf(src.Now(), p.f.Loc))
		if err != nil {
			return nil, 0, nil, err
		}
		q = again
	}
	accs, err := freshAccounts(ctx, src.Bank)
	if err != nil {
		return nil, 0, nil, err
	}
	i, err := pickAccount(accs, account)
	if err != nil {
		return nil, 0, nil, err
	}
	l, err := newLabeller(src)
	if err != nil {
		return nil, 0, nil, err
	}
	all, err := l.history(ctx, p, src, accs[i])
	if err != nil {
		return nil, 0, nil, err
	}
	return accs, i, all.match(q, p), nil
}

// newestFirst orders bookings by booking date, then id, newest first.
func newestFirst(a, b api.Transaction) int {
	if c := b.BookingDate.Compare(a.BookingDate.Time); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// writeTransactions writes the bookings oldest first: JSON, CSV and TSV as
// the exports write them (with category, tags, note, mark and, in JSON,
// the balance after each), else a table.
func writeTransactions(f *Factory, out Output, b *booked) error {
	format := map[Output]export.Format{OutJSON: export.JSON, OutCSV: export.CSV, OutTSV: export.TSV}[out]
	if format != "" {
		_, err := export.Write(f.IO.Out, export.Account{}, b.txs, export.Options{Format: format, Loc: f.Loc,
			Results: b.results, BalanceAfter: true, Balances: b.balances})
		return local(err)
	}
	order := make([]int, len(b.txs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return newestFirst(b.txs[y], b.txs[x]) })
	t := f.newTable(column{title: "Date"}, column{title: "Amount", right: true}, column{title: "Balance", right: true},
		column{title: "Category", flex: true}, column{title: "Name", flex: true}, column{title: "Purpose", flex: true})
	for _, i := range order {
		tx := common.SanitizeTransaction(b.txs[i])
		res := b.results[i]
		name := api.Str(tx.Name)
		if res.Payee != "" {
			name = res.Payee
		}
		if res.Marked {
			name = "* " + name
		}
		purpose := common.PurposeLine(&tx)
		if res.Note != "" {
			purpose = res.Note + " · " + purpose
		}
		t.add(text(common.FormatFullDate(tx.BookingDate.Time, f.Loc)), amountCell(tx.Amount), text(common.Euro(b.balances[i])),
			text(res.Category), text(name), text(purpose))
	}
	// What a narrow terminal cannot hold goes: the balance, then the
	// category; the category too when no booking has one.
	if !slices.ContainsFunc(b.results, func(r rules.Result) bool { return r.Category != "" }) {
		t.drop(3)
	}
	if f.IO.Width > 0 && t.minWidth() > f.IO.Width {
		t.drop(2)
	}
	if f.IO.Width > 0 && t.minWidth() > f.IO.Width && t.cols[2].title == "Category" {
		t.drop(2)
	}
	return t.write(f.IO.Out, f.IO.Width)
}
