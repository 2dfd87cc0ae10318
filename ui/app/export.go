package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"konto/store/export"
	"konto/ui/filter"
)

const exportUsage = `konto export: write an account's bookings for hledger, beancount, a spreadsheet…

Usage:
  konto export --format hledger|beancount|csv|tsv|qif|json [--account ID|IBAN]
               [QUERY…] [--output FILE] [--new] [--prefix ACCOUNT]

Flags:
  --format F           hledger, beancount, csv, tsv, qif or json
  --account ID|IBAN    the account (default: the main account)
  --output FILE        write to FILE instead of stdout
  --new                with --output: append only the bookings FILE does not
                       hold yet (known by their bank ids, read from the file)
  --prefix ACCOUNT     the ledger account the bank account lives under
                       (default assets:bank:kontist)
`

// ExportOptions are the parsed command line of konto export.
type ExportOptions struct {
	Format  export.Format
	Account string
	Query   filter.Query
	Output  string
	New     bool
	Prefix  string
	Connect Connector
}

// NewCmdExport builds konto export; runF, if set, runs instead (tests).
func NewCmdExport(f *Factory, runF func(context.Context, *ExportOptions) error) *Command {
	return &Command{Name: "export", Usage: exportUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "export", exportUsage)
		format := p.fs.String("format", "", "")
		account := p.fs.String("account", "", "")
		output := p.fs.String("output", "", "")
		onlyNew := p.fs.Bool("new", false, "")
		prefix := p.fs.String("prefix", "", "")
		if status, done := p.parse(args); done {
			return status
		}
		if *format == "" {
			return p.fail(usageErrorf("--format is missing: hledger, beancount, csv, tsv, qif or json"))
		}
		fm, err := export.ParseFormat(*format)
		if err != nil {
			return p.fail(usageErrorf("--format: %v", err))
		}
		if *onlyNew && *output == "" {
			return p.fail(usageErrorf("--new needs --output FILE: it appends to that file what it does not hold yet"))
		}
		q, err := parseQuery(p.args, p.provisionalToday())
		if err != nil {
			return p.fail(err)
		}
		opts := &ExportOptions{Format: fm, Account: *account, Query: q, Output: *output, New: *onlyNew, Prefix: *prefix, Connect: p.connect}
		if runF != nil {
			if err := runF(ctx, opts); err != nil {
				return p.fail(err)
			}
			return ExitOK
		}
		return p.run(ctx, func(ctx context.Context, src *Source) error { return p.export(ctx, src, opts) })
	}}
}

func (p *parser) export(ctx context.Context, src *Source, opts *ExportOptions) error {
	accs, i, sel, err := p.selected(ctx, src, opts.Account, opts.Query)
	if err != nil {
		return err
	}
	a, txs := accs[i], sel.txs
	acc := export.Account{ID: a.ID, IBAN: a.IBAN, Label: accountLabel(i), Balance: a.Balance, AsOf: src.Now()}
	eo := export.Options{Format: opts.Format, AccountPrefix: opts.Prefix, Loc: p.f.Loc,
		Results: sel.results, BalanceAfter: true, Balances: sel.balances}
	switch {
	case opts.Output == "":
		_, err := export.Write(p.f.IO.Out, acc, txs, eo)
		return local(err)
	case opts.New:
		file, err := os.OpenFile(opts.Output, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return local(err)
		}
		n, err := export.Append(file, acc, txs, eo)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return local(fmt.Errorf("%s: %w", opts.Output, err))
		}
		p.say("%d new booking(s) added to %s", n, opts.Output)
		return nil
	}
	// A whole file: written next to it and renamed, so a failed export
	// never leaves half a ledger where the last good one was.
	tmp, err := os.CreateTemp(filepath.Dir(opts.Output), "."+filepath.Base(opts.Output)+".*")
	if err != nil {
		return local(err)
	}
	defer os.Remove(tmp.Name())
	n, err := export.Write(tmp, acc, txs, eo)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), opts.Output)
	}
	if err != nil {
		return local(fmt.Errorf("%s: %w", opts.Output, err))
	}
	p.say("%d booking(s) written to %s", n, opts.Output)
	return nil
}

// say writes a line of progress to stderr, only on a terminal.
func (p *parser) say(format string, a ...any) {
	if p.f.IO.ErrTTY {
		fmt.Fprintf(p.f.IO.ErrOut, strings.TrimRight(format, "\n")+"\n", a...)
	}
}
