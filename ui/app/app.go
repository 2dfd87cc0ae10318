// Package app is konto's command line: every command (the dashboard,
// sandbox, serve, login, logout, config and the read commands for scripts)
// built by one Factory, each in its own file. A command parses its options
// into a struct and then runs; NewCmdX(f, runF) builds it, and a test
// passes a runF to see the options, or nil to run it for real. The rules
// every command shares are here: help (konto help X, konto X --help), one
// line for a mistake on the command line, and the exit statuses.
package app

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	xterm "github.com/charmbracelet/x/term"

	"konto/api"
	"konto/store/offline"
	"konto/theme"
	"konto/ui/common"
	"konto/ui/session"
)

// Factory is what every command is built with: the process's streams and
// environment, and what only main may know (the version, the sandbox).
type Factory struct {
	IO IOStreams
	// Stdin is where konto login reads the email and password (nil: none).
	Stdin *os.File
	// Getenv and Environ read the environment (os.Getenv, os.Environ if nil).
	Getenv  func(string) string
	Environ func() []string
	// Version is konto's version; every client sends it as its user agent.
	Version string
	// Demo starts demo banks: the sandbox, which only main imports.
	Demo Demo

	// BankFlags defines on fs the flags that choose the bank and session
	// of a read command (--profile, --api-url, --demo and its flags) and
	// returns the Connector to call once fs is parsed. nil: the local
	// command line's (the profile's session and cache, or a demo bank).
	BankFlags func(fs *flag.FlagSet) Connector
	// BankUsage documents those flags in each read command's help.
	BankUsage string
	// Loc is the bank's time zone; dates are written in it (nil: Berlin).
	Loc *time.Location
	// Exec allows konto watch --exec to run programs: only on the user's
	// own command line, never for a command sent over SSH.
	Exec bool
	// After is konto watch's timer between polls (time.After if nil); tests
	// tick it by hand.
	After func(time.Duration) <-chan time.Time

	usage string // konto's own usage, for konto help and the dashboard's
}

// Demo is what the commands need of the sandbox bank, given by main.
type Demo struct {
	// Check applies the sandbox's rules to options from a command line.
	Check func(DemoOptions) error
	// Start starts a sandbox bank on loopback and logs in as its demo user.
	Start func(ctx context.Context, opts DemoOptions) (*DemoBank, error)
	// ParseStart reads --now, else $KONTO_SANDBOX_NOW (envValue): the
	// clock's start; zero when both are empty.
	ParseStart func(flagValue, envValue string) (time.Time, error)
}

// DemoOptions are a demo bank's settings (zero: the sandbox's defaults).
type DemoOptions struct {
	Seed         int64
	Transactions int
	// TransactionsGiven is true when --transactions was on the command line.
	TransactionsGiven bool
	Hostile           bool
	Faults            string
	Start             time.Time // the virtual clock's start (zero: now)
}

// DemoBank is a running demo bank with a session of its demo user.
type DemoBank struct {
	URL     string           // base URL, http://127.0.0.1:PORT
	Refresh string           // the demo user's refresh token
	Now     func() time.Time // the bank's virtual clock
	Close   func()
}

// EnvNow names the variable that starts the sandbox's clock.
const EnvNow = "KONTO_SANDBOX_NOW"

func (f *Factory) getenv(key string) string {
	if f.Getenv == nil {
		return os.Getenv(key)
	}
	return f.Getenv(key)
}

func (f *Factory) environ() []string {
	if f.Environ == nil {
		return os.Environ()
	}
	return f.Environ()
}

// local completes f for konto's own command line: the read commands' bank
// is the profile's or a demo, and watch may run programs.
func (f *Factory) local() {
	if f.Loc == nil {
		f.Loc = berlin()
	}
	if f.BankFlags == nil {
		f.BankFlags = func(fs *flag.FlagSet) Connector { return localBankFlags(fs, f) }
		f.BankUsage = scriptBankUsage
		f.Exec = true
	}
}

// userAgent is what every client of konto says it is.
func (f *Factory) userAgent() string { return "konto/" + f.Version }

// newClient is the one way konto makes an API client: auth may be nil
// (login, ending a session).
func (f *Factory) newClient(baseURL string, auth api.Authenticator) (*api.Client, error) {
	return api.New(baseURL, auth, api.WithUserAgent(f.userAgent()))
}

// newJWTSource is the one way konto makes a token source.
func (f *Factory) newJWTSource(baseURL, refresh string) (*api.JWTSource, error) {
	return api.NewJWTSource(baseURL, refresh, api.WithJWTUserAgent(f.userAgent()))
}

// newCommon is the one constructor of a program's Common: its context, the
// bank (nil for none yet), where it is connected, and styles for its
// terminal. The dashboard reads the bank through a mirror without a cache
// (it hands out sanitised, compact histories) until one with the
// profile's cache takes its place; payments go to the bank itself.
func newCommon(ctx context.Context, remote offline.Remote, connection string, mode theme.Mode, noColor bool) *common.Common {
	var bank common.BankReader
	if remote != nil {
		bank = session.NewMirror(remote, nil, nil)
	}
	c := common.New(ctx, bank)
	c.Payments, _ = remote.(common.Payments)
	c.Connection = connection
	c.ThemeMode = mode
	c.NoColor = noColor
	c.Styles = theme.ForMode(mode, noColor)
	return c
}

// noColor reports NO_COLOR set (to anything, even empty) in environ.
func noColor(environ []string) bool {
	return slices.ContainsFunc(environ, func(kv string) bool { return strings.HasPrefix(kv, "NO_COLOR=") })
}

// Main runs the command line args (without the program name) with the
// commands cmds and returns the exit status. usage is konto's own usage.
// The first command is the one that runs when args name none (the dashboard).
func Main(f *Factory, usage string, cmds []*Command, args []string) int {
	f.usage = usage
	f.local()
	lookup := func(name string) *Command {
		for _, c := range cmds {
			if c.Name == name {
				return c
			}
		}
		return nil
	}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.Name
	}
	ctx := context.Background()
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && !slices.Contains([]string{"--version", "-version"}, args[0]) {
		return cmds[0].Run(ctx, args)
	}
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintln(f.IO.Out, "konto", f.Version)
		return ExitOK
	case "help":
		if len(args) == 1 {
			fmt.Fprint(f.IO.Out, usage)
			return ExitOK
		}
		if c := lookup(args[1]); c != nil && len(args) == 2 {
			return c.Run(ctx, []string{"--help"})
		}
		fmt.Fprintf(f.IO.ErrOut, "konto help: no help on %q; topics: %s.\n", strings.Join(args[1:], " "), strings.Join(names, ", "))
		return ExitUsage
	}
	if c := lookup(args[0]); c != nil && c != cmds[0] {
		if c.UntilSignal {
			var stop context.CancelFunc
			ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
		}
		return c.Run(ctx, args[1:])
	}
	return usageError(f.IO.ErrOut, "", fmt.Sprintf("no command %q (commands: %s)", args[0], strings.Join(names[1:], ", ")))
}

// SystemStreams describes the process's stdout and stderr: terminals,
// width, NO_COLOR.
func SystemStreams(stdout, stderr *os.File) IOStreams {
	s := IOStreams{Out: stdout, ErrOut: stderr}
	_, s.NoColor = os.LookupEnv("NO_COLOR")
	if xterm.IsTerminal(stdout.Fd()) {
		s.OutTTY = true
		if w, _, err := xterm.GetSize(stdout.Fd()); err == nil {
			s.Width = w
		}
	}
	s.ErrTTY = xterm.IsTerminal(stderr.Fd())
	return s
}

// Command is one command.
type Command struct {
	Name  string
	Usage string // the synopsis and the command's own flags
	// Run runs the command with args (after its name) and returns the exit status.
	Run func(ctx context.Context, args []string) int
	// UntilSignal: the command runs until SIGINT or SIGTERM ends its context.
	UntilSignal bool
}
