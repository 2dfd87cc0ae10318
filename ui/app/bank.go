package app

// The read commands' bank on konto's own command line: what the dashboard
// has, the profile's session and offline cache, or a demo sandbox.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"konto/api"
	"konto/store"
	"konto/store/offline"
	"konto/ui/session"
)

const scriptBankUsage = `
Bank and session flags:
  --profile NAME       profile to use: its API URL, session and offline cache
  --api-url URL        the bank's API (default: the profile's api_url)
  --no-cache           do not use the offline cache
  --resync             fetch the whole history again instead of only what is new
  --insecure-storage   without an OS keyring, read the session from its file
  --demo               read an in-process sandbox bank (no login needed)
  --seed N             demo: the sandbox's seed
  --transactions N     demo: bookings on the main account
  --hostile            demo: add bookings with hostile text
  --faults SPEC        demo: inject faults (see konto sandbox --help)
  --now TIME           demo: the sandbox's start time (RFC 3339; default
                       $KONTO_SANDBOX_NOW, else now)

Exit status: 0 ok, 1 failure, 2 usage, 4 no session (run "konto login").
`

// berlin is the bank's time zone, in which konto shows dates.
func berlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC // time/tzdata is linked in: not reached
	}
	return loc
}

// localBankFlags defines the bank and session flags on fs; the Connector
// opens what they chose, as the dashboard does.
func localBankFlags(fs *flag.FlagSet, f *Factory) Connector {
	fs.String("api-url", "", "") // read by Resolve
	sf := addSessionFlags(fs)
	demo := fs.Bool("demo", false, "")
	seed := fs.Int64("seed", 0, "")
	txCount := fs.Int("transactions", 0, "")
	hostile := fs.Bool("hostile", false, "")
	faults := fs.String("faults", "", "")
	nowFlag := fs.String("now", "", "")
	return func(ctx context.Context) (*Source, error) {
		if msg := inapplicableFlag(givenFlags(fs), *demo, readDemoOnly); msg != "" {
			return nil, &UsageError{Msg: msg}
		}
		set, err := loadSettings(fs, sf, f.getenv)
		if err != nil {
			return nil, &UsageError{Msg: err.Error()}
		}
		var (
			baseURL, refresh string
			demoBank         *DemoBank
			now              = time.Now
		)
		if *demo {
			opts := DemoOptions{Seed: *seed, Transactions: *txCount, TransactionsGiven: givenFlags(fs)["transactions"], Hostile: *hostile, Faults: *faults}
			if opts.Start, err = sandboxStart(*nowFlag, f.getenv); err != nil {
				return nil, &UsageError{Msg: err.Error()}
			}
			if err := f.Demo.Check(opts); err != nil {
				return nil, &UsageError{Msg: err.Error()}
			}
			if demoBank, err = f.Demo.Start(ctx, opts); err != nil {
				return nil, Local(err)
			}
			baseURL, refresh, now = demoBank.URL, demoBank.Refresh, demoBank.Now
		} else {
			baseURL = set.prof.APIURL
		}
		sess := openDashboardStores(ctx, f, set, baseURL, *demo)
		closeAll := func() {
			sess.Close()
			if demoBank != nil {
				demoBank.Close()
			}
		}
		if !*demo {
			var reason string
			if refresh, reason = sess.secrets.tokens.StartToken(ctx, baseURL); refresh == "" {
				closeAll()
				if reason != "" {
					reason = " (" + strings.TrimSuffix(reason, ".") + ")"
				}
				return nil, fmt.Errorf("%w for profile %s%s: run \"konto login\" first", ErrNoSession, set.prof.Name, reason)
			}
		}
		src, err := openBank(ctx, f, baseURL, refresh, sess.cache)
		if err != nil {
			closeAll()
			return nil, err
		}
		if f.IO.ErrTTY {
			for _, n := range append(sess.notices, src.notices...) {
				fmt.Fprintln(f.IO.ErrOut, "konto:", n)
			}
		}
		src.Now = now
		src.Alerts = set.cfg.Alerts
		src.Close = func() {
			sess.endAuthToken(src.jwt)
			closeAll()
		}
		if src.Rules, err = set.prof.RuleSet(); err != nil {
			src.Close()
			return nil, Local(err)
		}
		return &src.Source, nil
	}
}

// sandboxStart is --now, else $KONTO_SANDBOX_NOW; zero when neither is set.
func sandboxStart(flagValue string, getenv func(string) string) (time.Time, error) {
	v, what := flagValue, "--now"
	if v == "" {
		v, what = getenv(EnvNow), EnvNow
	}
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, berlin()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q: write a time as 2026-12-03T17:42:00+01:00", what, v)
}

// scriptSource is a Source on an offline.Mirror, with what it needs to
// say where its data came from and to end its auth token.
type scriptSource struct {
	Source
	jwt     *api.JWTSource
	notices []string
}

// openBank starts a token source for refresh at baseURL and puts the
// cache-backed bank in front of it (cache may be nil).
func openBank(ctx context.Context, f *Factory, baseURL, refresh string, cache *store.Cache) (*scriptSource, error) {
	jwt, err := f.newJWTSource(baseURL, refresh)
	if err != nil {
		return nil, err
	}
	jwt.Start(ctx)
	client, err := f.newClient(baseURL, jwt)
	if err != nil {
		jwt.Close()
		return nil, err
	}
	src := newScriptSource(client, cache, api.TokenSubject(refresh))
	src.jwt = jwt
	return src, nil
}

// newScriptSource is the dashboard's offline.Mirror (sync what is new, the
// cache when the bank cannot be reached) on remote, for identity, with the
// status line of where the data came from.
func newScriptSource(remote offline.Remote, cache *store.Cache, identity string) *scriptSource {
	watched := &loginWatch{Remote: remote}
	bank := session.NewMirror(watched, cache, nil)
	src := &scriptSource{}
	if _, err := bank.SetOwner(identity); err != nil {
		src.notices = append(src.notices, "the offline cache could not be cleared of an earlier login's data ("+err.Error()+"): it was deleted and konto runs without it")
	}
	src.Bank = bank
	src.Now = time.Now
	src.Close = func() {}
	src.Status = func() string {
		offline := !bank.OfflineSince().IsZero()
		refused := watched.refused.Load()
		if !offline && !refused {
			return ""
		}
		asOf := "unknown"
		if c := bank.Cache(); c != nil {
			if _, at, err := c.LoadAccounts(); err == nil && !at.IsZero() {
				asOf = at.In(berlin()).Format("02.01.2006 15:04")
			}
		}
		if refused {
			return "konto: the bank ended the session (run \"konto login\"): data as of " + asOf
		}
		return "offline: data as of " + asOf
	}
	return src
}

// loginWatch notes that the bank refused the session: the cache then
// answers, and the user is told to log in.
type loginWatch struct {
	offline.Remote
	refused atomic.Bool
}

func (w *loginWatch) note(err error) {
	if errors.Is(err, api.ErrLoginNeeded) {
		w.refused.Store(true)
	}
}

func (w *loginWatch) Accounts(ctx context.Context) ([]api.Account, error) {
	a, err := w.Remote.Accounts(ctx)
	w.note(err)
	return a, err
}

func (w *loginWatch) TransactionsPage(ctx context.Context, id int64, page int) (*api.TransactionPage, error) {
	p, err := w.Remote.TransactionsPage(ctx, id, page)
	w.note(err)
	return p, err
}

func (w *loginWatch) SyncTransactions(ctx context.Context, id int64, opt api.SyncOptions) ([]api.Transaction, error) {
	t, err := w.Remote.SyncTransactions(ctx, id, opt)
	w.note(err)
	return t, err
}

func (w *loginWatch) StandingOrders(ctx context.Context, id int64) ([]api.StandingOrder, error) {
	o, err := w.Remote.StandingOrders(ctx, id)
	w.note(err)
	return o, err
}

func (w *loginWatch) TimedOrders(ctx context.Context, id int64) ([]api.TimedOrderListItem, error) {
	o, err := w.Remote.TimedOrders(ctx, id)
	w.note(err)
	return o, err
}
