package app

// `konto serve`: konto as an SSH server (ui/sshserve), one dashboard per
// session. In demo mode every session gets its own fresh sandbox bank; with
// profiles, each authorized key opens the profile its line names.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	charmlog "charm.land/log/v2"
	"golang.org/x/time/rate"

	"konto/store"
	"konto/theme"
	"konto/ui"
	"konto/ui/common"
	"konto/ui/insight"
	"konto/ui/sshserve"
)

const serveUsage = `konto serve: serve the dashboard over SSH

Usage:
  konto serve [--listen 127.0.0.1:2222] [--host-key PATH] [--authorized-keys PATH]
              [--idle-timeout 15m] [--max-sessions 20] [--demo] [--theme MODE]
              [--layout MODE]

Flags:
  --listen ADDR            address to listen on (default 127.0.0.1:2222)
  --host-key PATH          the server's ed25519 host key, created on first start
                           (default $XDG_DATA_HOME/konto/ssh_host_ed25519_key)
  --authorized-keys PATH   OpenSSH authorized-keys file; each key line names its
                           profile: konto-profile="work" ssh-ed25519 AAAA… me@laptop
                           (default $XDG_CONFIG_HOME/konto/authorized_keys)
  --idle-timeout D         close a session after D without input (default 15m; 0: never)
  --max-sessions N         sessions open at once (default 20)
  --demo                   accept any public key; each session gets its own fresh
                           in-memory sandbox bank (no authorized-keys file needed),
                           its clock starting at $KONTO_SANDBOX_NOW if set
  --theme MODE             dark, light or auto (default auto: each client's terminal)
  --layout MODE            side, stacked or auto (default auto: the profile's layout
                           setting, else stacked: accounts above a full-width list,
                           so a scroll sends ~300 B, not ~2 KB; L switches in a session)

A profile needs a stored session on the server: run "konto login --profile NAME"
there first, as the user that runs konto serve.
`

// Serve defaults.
const (
	defaultServeListen  = "127.0.0.1:2222"
	defaultIdleTimeout  = 15 * time.Minute
	defaultMaxSessions  = 20
	serveShutdownWait   = 10 * time.Second
	serveShutdownNotice = "the server is shutting down: this session closes in a moment"
	demoConnection      = "Sandbox (SSH demo)"
	demoGreeting        = "demo: your own sandbox bank, no real money"
	demoBanner          = "konto demo: every session gets its own sandbox bank with made-up money.\r\nNothing you do here touches a real account or anyone else's session.\r\n"
)

// ServeOptions is the parsed command line of konto serve.
type ServeOptions struct {
	Listen         string
	HostKey        string
	AuthorizedKeys string
	IdleTimeout    time.Duration
	MaxSessions    int
	Demo           bool
	Theme          theme.Mode
	// Layout is --layout: "auto" defers to each profile's setting.
	Layout string
	// RateLimit and RateBurst bound new sessions per client IP (zero: the
	// sshserve defaults); tests raise them.
	RateLimit rate.Limit
	RateBurst int

	// demoStarted, if set, sees each demo session's bank (tests only).
	demoStarted func(*DemoBank)
}

// NewCmdServe builds konto serve; runF, if set, runs instead (tests).
func NewCmdServe(f *Factory, runF func(context.Context, *ServeOptions) error) *Command {
	return &Command{Name: "serve", Usage: serveUsage, UntilSignal: true, Run: func(ctx context.Context, args []string) int {
		opts, code := parseServeFlags(f, args)
		if code >= 0 {
			return code
		}
		if runF != nil {
			if err := runF(ctx, &opts); err != nil {
				fmt.Fprintln(f.IO.ErrOut, "konto serve:", err)
				return ExitFailure
			}
			return ExitOK
		}
		return runServe(ctx, f, opts)
	}}
}

// runServe runs konto serve until ctx ends (SIGINT or SIGTERM).
func runServe(ctx context.Context, f *Factory, opts ServeOptions) int {
	stdout, stderr := f.IO.Out, f.IO.ErrOut
	logger := newServeLogger(stderr)
	// wish logs through charm's default logger (an abrupt disconnect, a
	// panic in its resize loop): into the same stream, marked as such.
	charmlog.SetDefault(charmlog.NewWithOptions(stderr, charmlog.Options{Prefix: "konto serve (wish)", ReportTimestamp: true}))

	srv, fingerprint, release, err := newServeServer(context.WithoutCancel(ctx), f, opts, logger)
	if err != nil {
		fmt.Fprintln(stderr, "konto serve:", err)
		return 1
	}
	defer release()
	tuneMemory(ctx, f.getenv)
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		fmt.Fprintln(stderr, "konto serve:", err)
		return 1
	}
	fmt.Fprintf(stdout, "konto serve: listening on %s\n", ln.Addr())
	fmt.Fprintf(stdout, "host key %s (ED25519); check it on first connect\n", fingerprint)
	if opts.Demo {
		fmt.Fprintln(stdout, "demo mode: any public key is accepted; each session gets its own sandbox bank")
	} else {
		fmt.Fprintf(stdout, "authorized keys: %s\n", opts.AuthorizedKeys)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintln(stderr, "konto serve:", err)
		return 1
	case <-ctx.Done():
	}
	logger.Printf("shutting down: closing %d session(s)", srv.Sessions())
	sctx, cancel := context.WithTimeout(context.Background(), serveShutdownWait)
	defer cancel()
	if err := srv.Shutdown(sctx, serveShutdownNotice); err != nil {
		logger.Printf("%v", err)
	}
	<-served
	return 0
}

// newServeLogger is the server's log: every line stamped with the time, in
// the form README.md's fail2ban filter matches.
func newServeLogger(w io.Writer) *log.Logger { return log.New(w, "konto serve: ", log.LstdFlags) }

// parseServeFlags parses konto serve's flags; code is the exit status to
// return at once, or -1 to go on.
func parseServeFlags(f *Factory, args []string) (opts ServeOptions, code int) {
	getenv, stderr := f.getenv, f.IO.ErrOut
	fs := flag.NewFlagSet("konto serve", flag.ContinueOnError)
	fs.StringVar(&opts.Listen, "listen", defaultServeListen, "")
	fs.StringVar(&opts.HostKey, "host-key", "", "")
	fs.StringVar(&opts.AuthorizedKeys, "authorized-keys", "", "")
	fs.DurationVar(&opts.IdleTimeout, "idle-timeout", defaultIdleTimeout, "")
	fs.IntVar(&opts.MaxSessions, "max-sessions", defaultMaxSessions, "")
	fs.BoolVar(&opts.Demo, "demo", false, "")
	themeFlag := fs.String("theme", "auto", "")
	fs.StringVar(&opts.Layout, "layout", "auto", "")
	if code := parseCommandFlags(fs, "serve", serveUsage, args, f.IO.Out, stderr); code >= 0 {
		return opts, code
	}
	fail := func(format string, a ...any) (ServeOptions, int) {
		return opts, usageError(stderr, "serve", fmt.Sprintf(format, a...))
	}
	mode, err := theme.ParseMode(*themeFlag)
	if err != nil {
		return fail("%v", err)
	}
	opts.Theme = mode
	if _, err := common.ParseLayout(opts.Layout, true); err != nil {
		return fail("--layout: %v", err)
	}
	if opts.IdleTimeout < 0 || opts.MaxSessions < 0 {
		return fail("--idle-timeout and --max-sessions must not be negative")
	}
	if opts.HostKey == "" {
		dir, err := dataDir(getenv)
		if err != nil {
			return fail("no place for the host key (%v): pass --host-key PATH", err)
		}
		opts.HostKey = filepath.Join(dir, "ssh_host_ed25519_key")
	}
	if opts.AuthorizedKeys == "" && !opts.Demo {
		dir, err := store.ConfigDir(getenv)
		if err != nil {
			return fail("no place for authorized keys (%v): pass --authorized-keys PATH", err)
		}
		opts.AuthorizedKeys = filepath.Join(dir, "authorized_keys")
	}
	return opts, -1
}

// dataDir is $XDG_DATA_HOME/konto, by default ~/.local/share/konto.
func dataDir(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "konto"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "konto"), nil
}

// newServeServer builds the SSH server for opts: the host key (created on
// first start), and the session factory of demo or profile mode. ctx bounds
// what outlives single sessions (the profiles' token refreshers); release
// frees that (the profiles' caches) once the server has stopped.
func newServeServer(ctx context.Context, f *Factory, opts ServeOptions, logger *log.Logger) (srv *sshserve.Server, fingerprint string, release func(), err error) {
	signer, created, err := sshserve.LoadOrCreateHostKey(opts.HostKey)
	if err != nil {
		return nil, "", nil, err
	}
	fingerprint = sshserve.Fingerprint(signer.PublicKey())
	release = func() {}
	if created {
		logger.Printf("created host key %s", opts.HostKey)
	}
	cfg := sshserve.Config{
		HostKey:            signer,
		AuthorizedKeysPath: opts.AuthorizedKeys,
		CheckProfile:       checkProfileName,
		Demo:               opts.Demo,
		IdleTimeout:        opts.IdleTimeout,
		MaxSessions:        opts.MaxSessions,
		RateLimit:          opts.RateLimit,
		RateBurst:          opts.RateBurst,
		Notice:             func(text string) tea.Msg { return common.NoticeMsg{Level: common.NoticeWarning, Text: text} },
		Log:                logger,
	}
	if opts.Demo {
		cfg.Banner = demoBanner
		// Every session's bank and the read commands over SSH
		// (serve_commands.go) start at $KONTO_SANDBOX_NOW, if set.
		start, err := sandboxStart("", f.getenv)
		if err != nil {
			return nil, "", nil, err
		}
		cfg.NewSession = (&demoSessions{f: f, theme: opts.Theme, layout: opts.Layout, start: start, started: opts.demoStarted}).newSession
		cfg.Command = demoCommands{f: f, start: start}.run
	} else {
		if _, err := os.Stat(opts.AuthorizedKeys); err != nil {
			return nil, "", nil, fmt.Errorf("%w\nCreate it with one line per key: konto-profile=\"NAME\" ssh-ed25519 AAAA… (or try --demo)", err)
		}
		profiles, err := newProfileSessions(ctx, f, opts.Theme, opts.Layout, logger)
		if err != nil {
			return nil, "", nil, err
		}
		cfg.NewSession = profiles.newSession
		cfg.Command = profiles.command // read commands over SSH (serve_commands.go)
		release = profiles.close
	}
	srv, err = sshserve.New(cfg)
	if err != nil {
		release()
		return nil, "", nil, err
	}
	return srv, fingerprint, release, nil
}

func checkProfileName(name string) error {
	if !store.ValidProfileName(name) {
		return fmt.Errorf("invalid profile name %q: use letters, digits, '.', '_' and '-'", name)
	}
	return nil
}

// demoSessions builds demo sessions: each its own sandbox bank.
type demoSessions struct {
	f      *Factory
	theme  theme.Mode
	layout string    // --layout, checked by parseServeFlags
	start  time.Time // the banks' start ($KONTO_SANDBOX_NOW; zero: now)
	// started, if set, sees each session's bank (tests check isolation).
	started func(*DemoBank)
}

func (d *demoSessions) newSession(info sshserve.SessionInfo) (*sshserve.Session, error) {
	ctx, cancel := context.WithCancel(info.Ctx)
	bank, err := d.f.Demo.Start(ctx, DemoOptions{Start: d.start})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("the demo bank did not start: %w", err)
	}
	src, err := d.f.newJWTSource(bank.URL, bank.Refresh)
	if err != nil {
		cancel()
		bank.Close()
		return nil, fmt.Errorf("demo session: %w", err)
	}
	src.Start(ctx)
	client, err := d.f.newClient(bank.URL, src)
	if err != nil {
		cancel()
		src.Close()
		bank.Close()
		return nil, fmt.Errorf("demo session: %w", err)
	}
	if d.started != nil {
		d.started(bank)
	}
	c := newCommon(ctx, client, demoConnection, d.theme, noColor(info.Environ))
	if bank.Now != nil {
		c.Now = bank.Now // the session's calendar is its bank's
	}
	c.TokenEvents = src.Events()
	c.Demo = true
	c.Layout, _ = common.ParseLayout(d.layout, true)
	insight.Attach(c, nil, store.Profile{}, insight.Options{Remote: true}) // the built-in rules; labels for the session
	return &sshserve.Session{
		Model:    ui.New(c),
		Greeting: demoGreeting,
		Close: func() {
			cancel()
			src.Close()
			bank.Close()
		},
	}, nil
}
