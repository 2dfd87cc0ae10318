package app

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"konto/api/sepa"
	"konto/store"
	"konto/store/forecast"
	"konto/store/history"
	"konto/ui/common"
)

const forecastUsage = `konto forecast: the balance day by day over the coming days, and what makes it

Usage:
  konto forecast [--days N] [--account ID|IBAN] [--json]

The forecast starts from today's balance and adds the standing orders, the
timed orders and the recurring bookings found in the history (the same
counterparty and a similar amount at a steady interval). Items switched off
in the dashboard stay off here.

Flags:
  --days N            how many days from tomorrow (default 90, at most 3660)
  --account ID|IBAN   only this account (default: all accounts together)
  --json              one JSON object: {"from", "days": [{"date", "balance"}],
                      "lowest": {"date", "balance"}, "items": [{"date",
                      "amount", "counterparty", "source", "id"}]}, cents
`

// ForecastOptions are the parsed command line of konto forecast.
type ForecastOptions struct {
	Days    int
	Account string
	JSON    bool
	Connect Connector
}

// cached is a bank with an offline cache (offline.Mirror): the cache keeps
// the forecast items the user switched off. Without one, none is off.
type cached interface {
	Cache() *store.Cache
}

// NewCmdForecast builds konto forecast; runF, if set, runs instead (tests).
func NewCmdForecast(f *Factory, runF func(context.Context, *ForecastOptions) error) *Command {
	return &Command{Name: "forecast", Usage: forecastUsage, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "forecast", forecastUsage)
		jsonOut := p.fs.Bool("json", false, "")
		days := p.fs.Int("days", forecast.DefaultDays, "")
		account := p.fs.String("account", "", "")
		if status, done := p.parse(args); done {
			return status
		}
		if err := p.noArgs(); err != nil {
			return p.fail(err)
		}
		if *days < 1 || *days > forecast.MaxDays {
			return p.fail(usageErrorf("--days %d: give a number of days from 1 to %d", *days, forecast.MaxDays))
		}
		opts := &ForecastOptions{Days: *days, Account: *account, JSON: *jsonOut, Connect: p.connect}
		if runF != nil {
			if err := runF(ctx, opts); err != nil {
				return p.fail(err)
			}
			return ExitOK
		}
		return p.run(ctx, func(ctx context.Context, src *Source) error {
			proj, err := p.forecast(ctx, src, opts)
			if err != nil {
				return err
			}
			if opts.JSON {
				return writeJSON(f.IO.Out, proj)
			}
			return writeForecast(f, proj, opts.Account != "")
		})
	}}
}

// forecast reads every account (a transfer between own accounts shows on
// both) and projects the one asked for, or all together.
func (p *parser) forecast(ctx context.Context, src *Source, opts *ForecastOptions) (forecast.Projection, error) {
	accs, err := freshAccounts(ctx, src.Bank)
	if err != nil {
		return forecast.Projection{}, err
	}
	pick := -1
	if opts.Account != "" {
		if pick, err = pickAccount(accs, opts.Account); err != nil {
			return forecast.Projection{}, err
		}
	}
	in := make([]forecast.Account, len(accs))
	for i, a := range accs {
		in[i].Account = a
		txs, err := p.history(ctx, src.Bank, a.ID)
		if err != nil {
			return forecast.Projection{}, err
		}
		in[i].History = history.Of(txs)
		if in[i].StandingOrders, err = src.Bank.StandingOrders(ctx, a.ID); err != nil {
			return forecast.Projection{}, fmt.Errorf("read the standing orders: %w", err)
		}
		if in[i].TimedOrders, err = src.Bank.TimedOrders(ctx, a.ID); err != nil {
			return forecast.Projection{}, fmt.Errorf("read the timed orders: %w", err)
		}
	}
	var off map[string]bool
	if c, ok := src.Bank.(cached); ok && c.Cache() != nil {
		if off, err = c.Cache().LoadForecastOff(); err != nil {
			return forecast.Projection{}, local(fmt.Errorf("read the switched-off forecast items: %w", err))
		}
	}
	now := src.Now
	if now == nil {
		return forecast.Projection{}, local(fmt.Errorf("forecast: the bank has no clock"))
	}
	fc := forecast.New(in, forecast.DateOf(now(), p.f.Loc), p.f.Loc)
	res := fc.Project(forecast.Options{Days: opts.Days, Off: off})
	if pick < 0 {
		return res.Total, nil
	}
	proj, _ := res.Account(accs[pick].ID)
	return proj, nil
}

// writeForecast writes a summary line, the items by date and the balance
// at the end of each day.
func writeForecast(f *Factory, proj forecast.Projection, oneAccount bool) error {
	what := "all accounts"
	if oneAccount {
		what = "account " + strconv.FormatInt(proj.Account, 10)
	}
	lowest := sepa.FormatEuro(proj.Lowest.Balance) + " on " + dayText(proj.Lowest.Date)
	if proj.Lowest.Balance < 0 {
		lowest += " (overdrawn)"
	}
	if _, err := fmt.Fprintf(f.IO.Out, "Forecast for %s from %s, %d days: today %s, lowest %s\n\n",
		what, dayText(proj.From), len(proj.Days), sepa.FormatEuro(proj.Balance), lowest); err != nil {
		return local(err)
	}
	if len(proj.Items) == 0 {
		if _, err := io.WriteString(f.IO.Out, "No payments expected.\n\n"); err != nil {
			return local(err)
		}
	} else {
		items := f.newTable(column{title: "Date"}, column{title: "Amount", right: true},
			column{title: "Counterparty", flex: true}, column{title: "From"})
		for _, it := range proj.Items {
			items.add(text(dayText(it.Date)), amountCell(it.Amount), text(it.Counterparty), text(it.Origin()))
		}
		if err := items.write(f.IO.Out, f.IO.Width); err != nil {
			return err
		}
		if _, err := io.WriteString(f.IO.Out, "\n"); err != nil {
			return local(err)
		}
	}
	days := f.newTable(column{title: "Date"}, column{title: "Balance", right: true})
	for _, d := range proj.Days {
		c := cell{text: common.Euro(d.Balance)}
		if d.Balance < 0 {
			c.sign = -1
		}
		days.add(text(dayText(d.Date)), c)
	}
	return days.write(f.IO.Out, f.IO.Width)
}

// dayText writes a forecast day as the dashboard does: 04.12.2026.
func dayText(d forecast.Date) string {
	y, m, day := d.Date()
	return fmt.Sprintf("%02d.%02d.%04d", day, m, y)
}
