package app

import (
	"context"
)

const balanceUsage = `konto balance: the balance of one account, or of each

Usage:
  konto balance [--account ID|IBAN] [--json|--csv|--tsv]

Flags:
  --account ID|IBAN      only this account (default: every account)
  --json, --csv, --tsv   output format (default: a table)
`

// BalanceOptions are the parsed command line of konto balance.
type BalanceOptions struct {
	Account string
	Output  Output
	Connect Connector
}

// NewCmdBalance builds konto balance; runF, if set, runs instead (tests).
func NewCmdBalance(f *Factory, runF func(context.Context, *BalanceOptions) error) *Command {
	return &Command{Name: "balance", Usage: balanceUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "balance", balanceUsage)
		p.outputFlags()
		account := p.fs.String("account", "", "")
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
		opts := &BalanceOptions{Account: *account, Output: out, Connect: p.connect}
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
			var pick []int
			if opts.Account != "" {
				i, err := pickAccount(accs, opts.Account)
				if err != nil {
					return err
				}
				pick = []int{i}
			}
			return writeAccounts(f, out, accs, pick)
		})
	}}
}
