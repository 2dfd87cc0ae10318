package sandbox

// `konto sandbox`: the bank as an HTTP server, its flags and its usage. The
// command line's shared rules (help, one-line flag errors, exit statuses)
// are the command layer's; this file defines the flags and what they run.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

const commandUsage = `konto sandbox: run the sandbox bank, a faithful offline Kontist API, as an HTTP server

Usage:
  konto sandbox [--listen 127.0.0.1:8080] [--user LOGIN:PASSWORD]... [--seed N]
                [--transactions N] [--token-ttl 1h] [--faults SPEC] [--hostile]
                [--now TIME]

Flags:
  --listen ADDR         address to listen on (default 127.0.0.1:8080; port 0 picks a free one)
  --user LOGIN:PASSWORD a user of the bank, repeatable; the login is sent as "email"
                        (default: Aladdin:OpenSesame, main account 4711, as in the API doc)
  --seed N              seed of the generated history; same seed and day, same bank
                        (default %d)
  --transactions N      bookings on each main account (default %d, two years of history)
  --token-ttl D         lifetime of auth tokens (default 1h; refresh tokens live 30 days)
  --faults SPEC         inject faults, see below (default none)
  --hostile             seed incoming bookings whose texts carry escape sequences,
                        control characters, bidi overrides, emoji and 300-character text
  --now TIME            start the virtual clock at TIME, RFC 3339 (2026-11-20T10:00:00+01:00),
                        instead of now; also read from $%s. For tests and demos:
                        the history, "today" and due orders follow it (token lifetimes
                        stay on the real clock). Give konto the same, so both agree.

Sandbox endpoints (no auth):
  GET  /sandbox/sms     the TAN outbox, JSON, newest last
  POST /sandbox/clock   {"advance":"72h"} moves the virtual clock (runs due orders)

%s

The bank logs one line per request to stdout; it stops on Ctrl-C (SIGINT) or SIGTERM.
`

// CommandUsage is konto sandbox's usage text.
func CommandUsage() string {
	return fmt.Sprintf(commandUsage, DefaultSeed, DefaultTransactions, EnvNow, FaultsHelp)
}

// CommandConfig is `konto sandbox` after flag parsing.
type CommandConfig struct {
	Listen  string
	Options Options
}

// userFlags collects repeated --user flags.
type userFlags []User

func (u *userFlags) String() string { return "" }

func (u *userFlags) Set(s string) error {
	login, password, ok := strings.Cut(s, ":")
	if !ok || login == "" || password == "" {
		return errors.New("want LOGIN:PASSWORD")
	}
	*u = append(*u, User{Login: login, Password: password})
	return nil
}

// CommandFlags defines konto sandbox's flags on fs. Once fs is parsed,
// check says what is wrong with them (a usage error), and serve runs the
// bank until ctx ends, its log and banner on stdout.
func CommandFlags(fs *flag.FlagSet, getenv func(string) string, stdout io.Writer) (check func() error, serve func(ctx context.Context) error) {
	cfg, checked := defineCommandFlags(fs, getenv)
	var (
		bank *Bank
		out  = &lockedWriter{w: stdout}
	)
	check = func() error {
		c, err := checked()
		if err != nil {
			return err
		}
		c.Options.Log = out
		if bank, err = New(c.Options); err != nil {
			return err
		}
		*cfg = c
		return nil
	}
	serve = func(ctx context.Context) error { return serveCommand(ctx, *cfg, bank, out, nil) }
	return check, serve
}

// defineCommandFlags defines the flags; the function it returns checks
// them once fs is parsed.
func defineCommandFlags(fs *flag.FlagSet, getenv func(string) string) (*CommandConfig, func() (CommandConfig, error)) {
	cfg := &CommandConfig{}
	var users userFlags
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.1:8080", "")
	fs.Var(&users, "user", "")
	fs.Int64Var(&cfg.Options.Seed, "seed", DefaultSeed, "")
	fs.IntVar(&cfg.Options.Transactions, "transactions", DefaultTransactions, "")
	fs.DurationVar(&cfg.Options.TokenTTL, "token-ttl", DefaultTokenTTL, "")
	fs.StringVar(&cfg.Options.Faults, "faults", "", "")
	fs.BoolVar(&cfg.Options.Hostile, "hostile", false, "")
	now := fs.String("now", "", "")
	return cfg, func() (CommandConfig, error) {
		c := *cfg
		if c.Options.TokenTTL <= 0 {
			return c, fmt.Errorf("--token-ttl must be positive, got %s", c.Options.TokenTTL)
		}
		if err := CheckOptions(c.Options, true); err != nil {
			return c, err
		}
		start, err := ParseStart(*now, getenv(EnvNow))
		if err != nil {
			return c, err
		}
		c.Options.Now = StartAt(start)
		c.Options.Users = users
		return c, nil
	}
}

// CheckOptions checks the options konto sandbox and konto --demo share,
// with one rule and one wording for both: opts.Transactions as given (0
// only when the flag was not).
func CheckOptions(opts Options, transactionsGiven bool) error {
	if transactionsGiven && opts.Transactions < 1 {
		return fmt.Errorf("--transactions must be at least 1, got %d", opts.Transactions)
	}
	if _, err := ParseFaults(opts.Faults); err != nil {
		return fmt.Errorf("--faults: %w", err)
	}
	return nil
}

// serveCommand serves bank until ctx ends. ready, if not nil, is called
// with the base URL once the server accepts connections.
func serveCommand(ctx context.Context, cfg CommandConfig, bank *Bank, out io.Writer, ready func(baseURL string)) error {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	baseURL := "http://" + ln.Addr().String()
	printBanner(out, baseURL, cfg.Options.Users, bank)

	srv := &http.Server{Handler: bank, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(baseURL)
	}
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(out, "konto sandbox stopped")
	return nil
}

func printBanner(w io.Writer, baseURL string, users []User, bank *Bank) {
	if len(users) == 0 {
		users = []User{{Login: DefaultLogin, Password: DefaultPassword}}
	}
	fmt.Fprintf(w, "konto sandbox listening on %s\n", baseURL)
	for _, u := range users {
		var ids []string
		for _, a := range bank.Accounts(u.Login) {
			ids = append(ids, strconv.FormatInt(a.ID, 10))
		}
		// The sandbox's users are made up for testing: showing the password is the point.
		fmt.Fprintf(w, "user %s password %s accounts %s\n", u.Login, u.Password, strings.Join(ids, ", "))
	}
	first := users[0]
	fmt.Fprintf(w, "try: curl -u '%s:%s' %s/api/accounts\n", first.Login, first.Password, baseURL)
}

// lockedWriter serialises the banner, the bank's log and the stop line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
