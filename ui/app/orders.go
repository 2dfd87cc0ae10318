package app

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
)

const ordersUsage = `konto orders: list the standing and timed orders of an account

Usage:
  konto orders [--standing|--timed] [--account ID|IBAN] [--json|--csv|--tsv]

Flags:
  --standing             only standing orders
  --timed                only timed (scheduled) orders
  --account ID|IBAN      the account (default: the main account)
  --json, --csv, --tsv   output format (default: a table)
`

// OrdersOptions are the parsed command line of konto orders.
type OrdersOptions struct {
	Standing, Timed bool // which kinds; both when neither flag was given
	Account         string
	Output          Output
	Connect         Connector
}

// NewCmdOrders builds konto orders; runF, if set, runs instead (tests).
func NewCmdOrders(f *Factory, runF func(context.Context, *OrdersOptions) error) *Command {
	return &Command{Name: "orders", Usage: ordersUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "orders", ordersUsage)
		p.outputFlags()
		standing := p.fs.Bool("standing", false, "")
		timed := p.fs.Bool("timed", false, "")
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
		if *standing && *timed {
			return p.fail(usageErrorf("--standing and --timed exclude each other (give neither for both)"))
		}
		opts := &OrdersOptions{Standing: !*timed, Timed: !*standing, Account: *account, Output: out, Connect: p.connect}
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
			i, err := pickAccount(accs, opts.Account)
			if err != nil {
				return err
			}
			var so []api.StandingOrder
			var to []api.TimedOrderListItem
			if opts.Standing {
				if so, err = src.Bank.StandingOrders(ctx, accs[i].ID); err != nil {
					return err
				}
			}
			if opts.Timed {
				if to, err = src.Bank.TimedOrders(ctx, accs[i].ID); err != nil {
					return err
				}
			}
			return writeOrders(f, out, so, to)
		})
	}}
}

// orderColumns are the CSV and TSV columns of orders: kind is "standing"
// or "timed", date the next execution, amount signed as money moves
// (negative: out; the bank writes a standing order's amount positive).
var orderColumns = []string{"kind", "id", "status", "name", "iban", "amount", "date", "reoccurrence", "lastExecutionDate", "purpose", "e2eId"}

func writeOrders(f *Factory, out Output, so []api.StandingOrder, to []api.TimedOrderListItem) error {
	switch out {
	case OutJSON:
		// One array: standing orders first, each as the bank writes it
		// (a standing order has "reoccurrence", a timed one "date").
		all := make([]json.RawMessage, 0, len(so)+len(to))
		for _, o := range so {
			b, err := marshalRaw(o)
			if err != nil {
				return err
			}
			all = append(all, b)
		}
		for _, o := range to {
			b, err := marshalRaw(o)
			if err != nil {
				return err
			}
			all = append(all, b)
		}
		return writeJSON(f.IO.Out, all)
	case OutCSV, OutTSV:
		var rows [][]string
		for _, o := range so {
			next, last := "", ""
			if o.NextOccurrence != nil {
				next = isoDate(o.NextOccurrence.Time, f.Loc)
			}
			if o.LastExecutionDate != nil {
				last = isoDate(o.LastExecutionDate.Time, f.Loc)
			}
			rows = append(rows, []string{"standing", strconv.FormatInt(o.ID, 10), cellText(o.Status), cellText(o.Name), cellText(o.IBAN),
				decimal(-o.Amount), next, cellText(o.Reoccurrence), last, cellText(api.Str(o.Description)), cellText(api.Str(o.E2EID))})
		}
		for _, o := range to {
			rows = append(rows, []string{"timed", cellText(o.ID), cellText(o.Status), cellText(o.RecipientName), cellText(o.RecipientIBAN),
				decimal(o.Amount), isoDate(o.Date.Time, f.Loc), "", "", cellText(api.Str(o.Purpose)), cellText(api.Str(o.E2EID))})
		}
		return writeDelimited(f.IO.Out, out, orderColumns, rows)
	}
	t := f.newTable(column{title: "Kind"}, column{title: "Next"}, column{title: "Amount", right: true}, column{title: "Every"},
		column{title: "Name", flex: true}, column{title: "IBAN"}, column{title: "Purpose", flex: true})
	for _, o := range so {
		o = common.SanitizeStandingOrder(o)
		next := ""
		if o.NextOccurrence != nil {
			next = common.FormatFullDate(o.NextOccurrence.Time, f.Loc)
		}
		t.add(text("standing"), text(next), amountCell(-o.Amount), text(o.Reoccurrence), text(o.Name), text(sepa.FormatIBAN(o.IBAN)), text(api.Str(o.Description)))
	}
	for _, o := range to {
		o = common.SanitizeTimedOrder(o)
		t.add(text("timed"), text(common.FormatFullDate(o.Date.Time, f.Loc)), amountCell(o.Amount), text("once"), text(o.RecipientName),
			text(sepa.FormatIBAN(o.RecipientIBAN)), text(api.Str(o.Purpose)))
	}
	return t.write(f.IO.Out, f.IO.Width)
}

// marshalRaw encodes v as JSON without HTML escapes, like writeJSON.
func marshalRaw(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, local(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
