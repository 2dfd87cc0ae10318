package app

import (
	"context"
	"strconv"

	"konto/api"
	"konto/api/sepa"
)

const accountsUsage = `konto accounts: list the accounts with their balances

Usage:
  konto accounts [--json|--csv|--tsv]

Flags:
  --json, --csv, --tsv   output format (default: a table)
`

// AccountsOptions are the parsed command line of konto accounts.
type AccountsOptions struct {
	Output  Output
	Connect Connector
}

// NewCmdAccounts builds konto accounts; runF, if set, runs instead of the
// command (tests).
func NewCmdAccounts(f *Factory, runF func(context.Context, *AccountsOptions) error) *Command {
	return &Command{Name: "accounts", Usage: accountsUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "accounts", accountsUsage)
		p.outputFlags()
		if status, done := p.parse(args); done {
			return status
		}
		out, err := p.format.output()
		if err != nil {
			return p.fail(err)
		}
		if err := p.noArgs(); err != nil {
			return p.fail(err)
		}
		opts := &AccountsOptions{Output: out, Connect: p.connect}
		if runF != nil {
			if err := runF(ctx, opts); err != nil {
				return p.fail(err)
			}
			return ExitOK
		}
		return p.run(ctx, func(ctx context.Context, src *Source) error {
			accs, err := freshAccounts(ctx, src.Bank)
			if err != nil {
				return err
			}
			return writeAccounts(f, out, accs, nil)
		})
	}}
}

// writeAccounts writes accs (only those at the indexes in pick, when set),
// shared by accounts and balance.
func writeAccounts(f *Factory, out Output, accs []api.Account, pick []int) error {
	if pick == nil {
		pick = make([]int, len(accs))
		for i := range accs {
			pick[i] = i
		}
	}
	switch out {
	case OutJSON:
		sel := make([]api.Account, 0, len(pick))
		for _, i := range pick {
			sel = append(sel, accs[i])
		}
		return writeJSON(f.IO.Out, sel)
	case OutCSV, OutTSV:
		rows := make([][]string, 0, len(pick))
		for _, i := range pick {
			a := accs[i]
			rows = append(rows, []string{strconv.FormatInt(a.ID, 10), cellText(a.IBAN), decimal(a.Balance), accountLabel(i)})
		}
		return writeDelimited(f.IO.Out, out, []string{"id", "iban", "balance", "label"}, rows)
	}
	t := f.newTable(column{title: "Account"}, column{title: "ID", right: true}, column{title: "IBAN"}, column{title: "Balance", right: true})
	for _, i := range pick {
		a := accs[i]
		bal := amountCell(a.Balance)
		bal.text += " €"
		t.add(text(accountLabel(i)), text(strconv.FormatInt(a.ID, 10)), text(sepa.FormatIBAN(a.IBAN)), bal)
	}
	return t.write(f.IO.Out, f.IO.Width)
}
