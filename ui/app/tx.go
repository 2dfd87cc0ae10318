package app

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"konto/api"
	"konto/store/export"
	"konto/ui/common"
	"konto/ui/filter"
)

const txUsage = `konto tx: list an account's bookings, oldest first

Usage:
  konto tx [QUERY…] [--account ID|IBAN] [--limit N] [--json|--csv|--tsv]

QUERY is the dashboard's filter ("/"): words and "phrases" match name,
purpose, end-to-end id and IBAN; amt:<-100 amt:10..50 date:2026-11
date:2026-01..2026-03 in out type:card.

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
		q, err := parseQuery(p.args)
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
			_, _, txs, err := p.selected(ctx, src, opts.Account, opts.Query)
			if err != nil {
				return err
			}
			if opts.Limit > 0 && len(txs) > opts.Limit {
				slices.SortFunc(txs, newestFirst)
				txs = txs[:opts.Limit]
			}
			return writeTransactions(f, out, txs)
		})
	}}
}

// parseQuery reads the QUERY arguments with the dashboard's filter; an
// argument the shell kept whole that holds a space is one phrase.
func parseQuery(args []string) (filter.Query, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " \t") && !strings.Contains(a, `"`) {
			a = `"` + a + `"`
		}
		parts[i] = a
	}
	q, err := filter.Parse(strings.Join(parts, " "))
	if err != nil {
		return filter.Query{}, usageErrorf("query: %v", err)
	}
	return q, nil
}

// selected reads the accounts and the chosen account's history and keeps
// the bookings q matches; it returns the account's index among accs too.
func (p *parser) selected(ctx context.Context, src *Source, account string, q filter.Query) ([]api.Account, int, []api.Transaction, error) {
	accs, err := freshAccounts(ctx, src.Bank)
	if err != nil {
		return nil, 0, nil, err
	}
	i, err := pickAccount(accs, account)
	if err != nil {
		return nil, 0, nil, err
	}
	txs, err := p.history(ctx, src.Bank, accs[i].ID)
	if err != nil {
		return nil, 0, nil, err
	}
	if !q.IsEmpty() {
		idx := filter.NewIndex(txs, p.f.Loc).Match(q)
		kept := make([]api.Transaction, len(idx))
		for k, j := range idx {
			kept[k] = txs[j]
		}
		txs = kept
	}
	return accs, i, txs, nil
}

// newestFirst orders bookings by booking date, then id, newest first.
func newestFirst(a, b api.Transaction) int {
	if c := b.BookingDate.Compare(a.BookingDate.Time); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// writeTransactions writes txs oldest first: JSON, CSV and TSV as the
// exports write them, else a table.
func writeTransactions(f *Factory, out Output, txs []api.Transaction) error {
	format := map[Output]export.Format{OutJSON: export.JSON, OutCSV: export.CSV, OutTSV: export.TSV}[out]
	if format != "" {
		_, err := export.Write(f.IO.Out, export.Account{}, txs, export.Options{Format: format, Loc: f.Loc})
		return local(err)
	}
	slices.SortFunc(txs, func(a, b api.Transaction) int { return newestFirst(b, a) })
	t := f.newTable(column{title: "Date"}, column{title: "Amount", right: true}, column{title: "Name", flex: true}, column{title: "Purpose", flex: true})
	for i := range txs {
		tx := common.SanitizeTransaction(txs[i])
		t.add(text(common.FormatFullDate(tx.BookingDate.Time, f.Loc)), amountCell(tx.Amount),
			text(api.Str(tx.Name)), text(common.PurposeLine(&tx)))
	}
	return t.write(f.IO.Out, f.IO.Width)
}
