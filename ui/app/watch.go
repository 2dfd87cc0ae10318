package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"konto/api"
	"konto/store/alerts"
	"konto/store/forecast"
	"konto/store/history"
	"konto/ui/common"
)

const watchUsage = `konto watch: print each new booking and alert as it arrives, until Ctrl-C

Usage:
  konto watch [--json] [--exec CMD] [--interval 60s] [--account ID|IBAN]

The bookings there at the start are not printed; every one that arrives
while konto watch runs is, once. The [[alerts]] rules of the config are
checked on every poll. SIGINT or SIGTERM end it with status 0.

Flags:
  --json              one JSON object per line: {"event": "booking"|"alert",
                      "account": ID, "transaction": {the bank's fields},
                      "text": the alert's sentence}
  --exec CMD          run CMD for each event with the event's JSON on its
                      stdin; CMD is split at spaces and run directly, never
                      by a shell. A failing CMD is reported on stderr and the
                      watch goes on. Its output goes to stderr.
  --interval D        time between polls of the bank (default 60s, at least 5s)
  --account ID|IBAN   only this account (default: every account)
`

// WatchOptions are the parsed command line of konto watch.
type WatchOptions struct {
	JSON     bool
	Exec     []string
	Interval time.Duration
	Account  string
	Connect  Connector
}

// Watch intervals.
const (
	DefaultWatchInterval = 60 * time.Second
	MinWatchInterval     = 5 * time.Second
)

// WatchEvent is one line of konto watch --json, and what --exec reads.
type WatchEvent struct {
	Event       string           `json:"event"` // "booking" or "alert"
	Account     int64            `json:"account"`
	Transaction *api.Transaction `json:"transaction,omitempty"`
	Text        string           `json:"text,omitempty"`  // an alert's sentence
	Alert       alerts.Kind      `json:"alert,omitempty"` // an alert's rule kind
}

// NewCmdWatch builds konto watch; runF, if set, runs instead (tests).
func NewCmdWatch(f *Factory, runF func(context.Context, *WatchOptions) error) *Command {
	return &Command{Name: "watch", Usage: watchUsage, UntilSignal: true, Run: func(ctx context.Context, args []string) int {
		p := newParser(f, "watch", watchUsage)
		jsonOut := p.fs.Bool("json", false, "")
		execCmd := p.fs.String("exec", "", "")
		interval := p.fs.Duration("interval", DefaultWatchInterval, "")
		account := p.fs.String("account", "", "")
		if status, done := p.parse(args); done {
			return status
		}
		if err := p.noArgs(); err != nil {
			return p.fail(err)
		}
		if *interval < MinWatchInterval {
			return p.fail(usageErrorf("--interval %s: at least %s, so as not to hammer the bank", *interval, MinWatchInterval))
		}
		opts := &WatchOptions{JSON: *jsonOut, Interval: *interval, Account: *account, Connect: p.connect}
		if *execCmd != "" {
			if !f.Exec {
				return p.fail(usageErrorf("--exec runs programs only on your own machine, not here"))
			}
			opts.Exec = strings.Fields(*execCmd)
			if len(opts.Exec) == 0 {
				return p.fail(usageErrorf("--exec: name a command"))
			}
		}
		if runF != nil {
			if err := runF(ctx, opts); err != nil {
				return p.fail(err)
			}
			return ExitOK
		}
		return p.run(ctx, func(ctx context.Context, src *Source) error {
			err := (&watcher{p: p, f: f, opts: opts, src: src}).run(ctx)
			if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
				return nil // a signal: the watch ends cleanly
			}
			return err
		})
	}}
}

// watcher is one running konto watch.
type watcher struct {
	p    *parser
	f    *Factory
	opts *WatchOptions
	src  *Source

	state    alerts.State
	standing map[int64]map[int64]api.StandingOrder // every order seen, by account and id
	timed    map[int64]map[string]api.TimedOrderListItem
	failing  bool // the last poll failed (said once on stderr)
}

func (w *watcher) run(ctx context.Context) error {
	after := w.f.After
	if after == nil {
		after = time.After
	}
	w.standing = map[int64]map[int64]api.StandingOrder{}
	w.timed = map[int64]map[string]api.TimedOrderListItem{}
	for {
		if err := w.poll(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, api.ErrLoginNeeded) || errors.Is(err, ErrNoSession) {
				return err
			}
			var uerr *UsageError
			if errors.As(err, &uerr) {
				return err
			}
			if !w.failing {
				fmt.Fprintf(w.f.IO.ErrOut, "konto watch: %s (trying again)\n", errorText(err))
			}
			w.failing = true
		} else if w.failing {
			fmt.Fprintln(w.f.IO.ErrOut, "konto watch: the bank answers again")
			w.failing = false
		}
		select {
		case <-ctx.Done():
			return nil
		case <-after(w.opts.Interval):
		}
	}
}

// poll reads every account and reports what is new. Nothing is marked seen
// unless the whole poll succeeded, so a failed poll loses nothing.
func (w *watcher) poll(ctx context.Context) error {
	accs, err := freshAccounts(ctx, w.src.Bank)
	if err != nil {
		return err
	}
	pick := -1
	if w.opts.Account != "" {
		if pick, err = pickAccount(accs, w.opts.Account); err != nil {
			return err
		}
	}
	needForecast := false
	for _, r := range w.src.Alerts {
		needForecast = needForecast || r.Kind == alerts.ForecastBelow
	}
	var inputs []alerts.Input
	var fcIn []forecast.Account
	for _, a := range accs {
		txs, err := w.src.Bank.SyncTransactions(ctx, a.ID, api.SyncOptions{})
		if err != nil {
			return fmt.Errorf("read the bookings: %w", err)
		}
		so, err := w.src.Bank.StandingOrders(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("read the standing orders: %w", err)
		}
		to, err := w.src.Bank.TimedOrders(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("read the timed orders: %w", err)
		}
		h := history.Of(txs)
		fcIn = append(fcIn, forecast.Account{Account: a, History: h, StandingOrders: so, TimedOrders: to})
		inputs = append(inputs, alerts.Input{Account: a, History: h,
			StandingOrders: w.knownStanding(a.ID, so), TimedOrders: w.knownTimed(a.ID, to)})
	}
	now := time.Now
	if w.src.Now != nil {
		now = w.src.Now
	}
	at := now()
	if needForecast {
		res := forecast.New(fcIn, forecast.DateOf(at, w.f.Loc), w.f.Loc).Project(forecast.Options{})
		for i := range inputs {
			if p, ok := res.Account(inputs[i].Account.ID); ok {
				inputs[i].Forecast = &p
			}
		}
	}
	if pick >= 0 {
		inputs = inputs[pick : pick+1]
	}
	ev := alerts.Evaluate(w.src.Alerts, &w.state, inputs, at, w.f.Loc)
	for _, b := range ev.Bookings {
		tx := b.Transaction
		w.emit(ctx, WatchEvent{Event: "booking", Account: b.Account, Transaction: &tx}, accs)
	}
	for _, a := range ev.Alerts {
		w.emit(ctx, WatchEvent{Event: "alert", Account: a.Account, Transaction: a.Transaction, Text: a.Text, Alert: a.Kind}, accs)
		if a.Bell && w.f.IO.OutTTY && !w.opts.JSON {
			fmt.Fprint(w.f.IO.Out, alerts.Bell)
		}
		if d := alerts.Desktop(a.Desktop, "konto", a.Text); d != "" && w.f.IO.OutTTY && !w.opts.JSON {
			fmt.Fprint(w.f.IO.Out, d)
		}
	}
	return nil
}

// knownStanding is every standing order of the account seen since the
// start: an order's booking names it even once the list has moved on.
func (w *watcher) knownStanding(id int64, now []api.StandingOrder) []api.StandingOrder {
	m := w.standing[id]
	if m == nil {
		m = map[int64]api.StandingOrder{}
		w.standing[id] = m
	}
	for _, o := range now {
		m[o.ID] = o
	}
	out := make([]api.StandingOrder, 0, len(m))
	for _, o := range m {
		out = append(out, o)
	}
	return out
}

func (w *watcher) knownTimed(id int64, now []api.TimedOrderListItem) []api.TimedOrderListItem {
	m := w.timed[id]
	if m == nil {
		m = map[string]api.TimedOrderListItem{}
		w.timed[id] = m
	}
	for _, o := range now {
		m[o.ID] = o
	}
	out := make([]api.TimedOrderListItem, 0, len(m))
	for _, o := range m {
		out = append(out, o)
	}
	return out
}

// emit writes one event and runs --exec with it.
func (w *watcher) emit(ctx context.Context, e WatchEvent, accs []api.Account) {
	line, err := json.Marshal(e)
	if err != nil {
		fmt.Fprintf(w.f.IO.ErrOut, "konto watch: encode an event: %v\n", err)
		return
	}
	if w.opts.JSON {
		_ = writeJSON(w.f.IO.Out, e)
	} else {
		fmt.Fprintln(w.f.IO.Out, w.lineOf(e, accs))
	}
	if len(w.opts.Exec) > 0 {
		cmd := exec.CommandContext(ctx, w.opts.Exec[0], w.opts.Exec[1:]...)
		cmd.Stdin = bytes.NewReader(append(line, '\n'))
		cmd.Stdout, cmd.Stderr = w.f.IO.ErrOut, w.f.IO.ErrOut
		if err := cmd.Run(); err != nil && ctx.Err() == nil {
			fmt.Fprintf(w.f.IO.ErrOut, "konto watch: --exec %s: %s\n", common.Sanitize(w.opts.Exec[0]), common.Sanitize(err.Error()))
		}
	}
}

// lineOf is an event as a line for a person: time, account, amount,
// counterparty and purpose of a booking; "alert" and the sentence of one.
func (w *watcher) lineOf(e WatchEvent, accs []api.Account) string {
	label := strings.TrimSpace(fmt.Sprint(e.Account))
	for i, a := range accs {
		if a.ID == e.Account {
			label = accountLabel(i)
		}
	}
	if e.Event == "alert" {
		return "alert    " + label + "  " + common.Sanitize(e.Text)
	}
	tx := e.Transaction
	parts := []string{"booking  " + tx.BookingDate.In(w.f.Loc).Format("02.01.2006 15:04"), label, common.Signed(tx.Amount) + " €"}
	if tx.Name != nil && *tx.Name != "" {
		parts = append(parts, common.Sanitize(*tx.Name))
	}
	if tx.Purpose != nil && *tx.Purpose != "" {
		parts = append(parts, common.Sanitize(*tx.Purpose))
	}
	return strings.Join(parts, "  ")
}
