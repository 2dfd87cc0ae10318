package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"konto/api/sandbox"
)

const sandboxUsage = `konto sandbox: run the sandbox bank, a faithful offline Kontist API, as an HTTP server

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

// sandboxConfig is `konto sandbox` after flag parsing.
type sandboxConfig struct {
	listen string
	opts   sandbox.Options
}

// userFlags collects repeated --user flags.
type userFlags []sandbox.User

func (u *userFlags) String() string { return "" }

func (u *userFlags) Set(s string) error {
	login, password, ok := strings.Cut(s, ":")
	if !ok || login == "" || password == "" {
		return errors.New("want LOGIN:PASSWORD")
	}
	*u = append(*u, sandbox.User{Login: login, Password: password})
	return nil
}

// parseSandboxFlags parses the flags; help is true for --help.
func parseSandboxFlags(args []string) (cfg sandboxConfig, help bool, err error) {
	fs := flag.NewFlagSet("konto sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by the caller
	fs.Usage = func() {}
	var users userFlags
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "")
	fs.Var(&users, "user", "")
	fs.Int64Var(&cfg.opts.Seed, "seed", sandbox.DefaultSeed, "")
	fs.IntVar(&cfg.opts.Transactions, "transactions", sandbox.DefaultTransactions, "")
	fs.DurationVar(&cfg.opts.TokenTTL, "token-ttl", sandbox.DefaultTokenTTL, "")
	fs.StringVar(&cfg.opts.Faults, "faults", "", "")
	fs.BoolVar(&cfg.opts.Hostile, "hostile", false, "")
	now := fs.String("now", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, true, nil
		}
		return cfg, false, err
	}
	switch {
	case fs.NArg() > 0:
		return cfg, false, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case cfg.opts.Transactions < 1:
		return cfg, false, fmt.Errorf("--transactions must be at least 1, got %d", cfg.opts.Transactions)
	case cfg.opts.TokenTTL <= 0:
		return cfg, false, fmt.Errorf("--token-ttl must be positive, got %s", cfg.opts.TokenTTL)
	}
	if _, err := sandbox.ParseFaults(cfg.opts.Faults); err != nil {
		return cfg, false, fmt.Errorf("--faults: %w", err)
	}
	start, err := sandbox.ParseStart(*now, os.Getenv(sandbox.EnvNow))
	if err != nil {
		return cfg, false, err
	}
	cfg.opts.Now = sandbox.StartAt(start)
	cfg.opts.Users = users
	return cfg, false, nil
}

// runSandbox runs `konto sandbox` until SIGINT or SIGTERM.
func runSandbox(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveSandbox(ctx, args, stdout, stderr, nil)
}

// serveSandbox runs the sandbox until ctx ends. ready, if not nil, is called
// with the base URL once the server accepts connections.
func serveSandbox(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(baseURL string)) int {
	cfg, help, err := parseSandboxFlags(args)
	if help {
		fmt.Fprintf(stdout, sandboxUsage, sandbox.DefaultSeed, sandbox.DefaultTransactions, sandbox.EnvNow, sandbox.FaultsHelp)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "konto sandbox: %v (see konto sandbox --help)\n", err)
		return 2
	}
	out := &lockedWriter{w: stdout}
	cfg.opts.Log = out
	bank, err := sandbox.New(cfg.opts)
	if err != nil {
		fmt.Fprintf(stderr, "konto sandbox: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fmt.Fprintf(stderr, "konto sandbox: listen: %v\n", err)
		return 1
	}
	baseURL := "http://" + ln.Addr().String()
	printBanner(out, baseURL, cfg.opts.Users, bank)

	srv := &http.Server{Handler: bank, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(baseURL)
	}
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "konto sandbox: serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "konto sandbox: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(out, "konto sandbox stopped")
	return 0
}

func printBanner(w io.Writer, baseURL string, users []sandbox.User, bank *sandbox.Bank) {
	if len(users) == 0 {
		users = []sandbox.User{{Login: sandbox.DefaultLogin, Password: sandbox.DefaultPassword}}
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
