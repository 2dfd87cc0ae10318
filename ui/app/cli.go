// The read commands for scripts: accounts, balance, tx, orders, export,
// forecast, report and watch, each in its own file. A command parses its
// flags, gets its data through a Connector the caller supplies (the
// profile's session and offline cache with its rules and labels, a demo
// sandbox, or a profile served over SSH) and
// writes the result, and nothing else, to stdout: a table aligned to the
// terminal, or --json, --csv, --tsv. These commands never move money.
//
// A command runs without a process: NewCmdX(f, runF) builds it, and a test
// passes a runF to see the parsed options, or nil to run it for real.

package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"konto/api"
	"konto/store/alerts"
	"konto/store/rules"
)

// Exit statuses, as the README documents them.
const (
	ExitOK        = 0
	ExitFailure   = 1
	ExitUsage     = 2
	ExitNoSession = 4
)

// ErrNoSession says there is no session to use: the user has to log in.
// A Connector wraps it with a sentence saying so.
var ErrNoSession = errors.New("no stored session")

// UsageError is a command line that cannot be run: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usageErrorf(format string, a ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, a...)}
}

// ScriptReader is what the scripting commands (konto accounts, tx, export,
// report, watch, …) read from the bank; offline.Mirror is one (the offline
// cache in front of the bank's API). Nothing here can move money.
type ScriptReader interface {
	Accounts(ctx context.Context) ([]api.Account, error)
	SyncTransactions(ctx context.Context, accountID int64, opt api.SyncOptions) ([]api.Transaction, error)
	StandingOrders(ctx context.Context, accountID int64) ([]api.StandingOrder, error)
	TimedOrders(ctx context.Context, accountID int64) ([]api.TimedOrderListItem, error)
}

// Source is an open bank for one command.
type Source struct {
	Bank ScriptReader
	// Now is the bank's clock: when a balance read now was true (the demo
	// sandbox's virtual clock, else the wall clock).
	Now func() time.Time
	// Status, once the command has read its data, is the one line stderr
	// gets about where the data came from ("offline: data as of …"), or "".
	Status func() string
	// Close releases the source.
	Close func()
	// Alerts are the config's [[alerts]] rules (konto watch checks them).
	Alerts []alerts.Rule
	// Rules are the profile's [[rules]] that categorise bookings (nil: the
	// built-in defaults alone).
	Rules *rules.Set
}

// Connector opens the bank the command line chose; progress is where a
// long sync may say how it goes (nil: nowhere).
type Connector func(ctx context.Context) (*Source, error)

// IOStreams are a command's output streams and what is known about them.
type IOStreams struct {
	Out, ErrOut io.Writer
	// OutTTY and ErrTTY report terminals: colour and widths on stdout,
	// progress on stderr only then.
	OutTTY, ErrTTY bool
	// Width is the terminal's width (0: unknown, no limit).
	Width int
	// NoColor is NO_COLOR set, or no colour wanted.
	NoColor bool
}

// Names lists the commands, as the SSH server allows them.
var Names = []string{"accounts", "balance", "tx", "orders", "export", "forecast", "report"}

// Lookup builds the command called name, or returns nil.
func Lookup(f *Factory, name string) *Command {
	switch name {
	case "accounts":
		return NewCmdAccounts(f, nil)
	case "balance":
		return NewCmdBalance(f, nil)
	case "tx":
		return NewCmdTx(f, nil)
	case "orders":
		return NewCmdOrders(f, nil)
	case "export":
		return NewCmdExport(f, nil)
	case "forecast":
		return NewCmdForecast(f, nil)
	case "report":
		return NewCmdReport(f, nil)
	case "watch":
		return NewCmdWatch(f, nil)
	}
	return nil
}

// Run runs the command args[0] with its arguments; an unknown name is a
// usage error.
func Run(ctx context.Context, f *Factory, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(f.IO.ErrOut, "konto: name a command: %s\n", strings.Join(Names, ", "))
		return ExitUsage
	}
	cmd := Lookup(f, args[0])
	if cmd == nil {
		fmt.Fprintf(f.IO.ErrOut, "konto: %q is not a command here: use %s\n", args[0], strings.Join(Names, ", "))
		return ExitUsage
	}
	return cmd.Run(ctx, args[1:])
}

// parser is the flag handling every command shares.
type parser struct {
	f       *Factory
	name    string
	usage   string
	fs      *flag.FlagSet
	connect Connector
	format  outputFlags
	args    []string // the arguments that are not flags
}

func newParser(f *Factory, name, usage string) *parser {
	p := &parser{f: f, name: name, usage: usage}
	p.fs = flag.NewFlagSet("konto "+name, flag.ContinueOnError)
	p.fs.SetOutput(io.Discard)
	p.fs.Usage = func() {}
	if f.BankFlags != nil {
		p.connect = f.BankFlags(p.fs)
	}
	return p
}

// outputFlags are --json, --csv and --tsv.
type outputFlags struct{ json, csv, tsv bool }

func (p *parser) outputFlags() {
	p.fs.BoolVar(&p.format.json, "json", false, "")
	p.fs.BoolVar(&p.format.csv, "csv", false, "")
	p.fs.BoolVar(&p.format.tsv, "tsv", false, "")
}

// Output is how a command writes its result.
type Output int

// The outputs.
const (
	OutTable Output = iota
	OutJSON
	OutCSV
	OutTSV
)

func (o outputFlags) output() (Output, error) {
	n, out := 0, OutTable
	if o.json {
		n, out = n+1, OutJSON
	}
	if o.csv {
		n, out = n+1, OutCSV
	}
	if o.tsv {
		n, out = n+1, OutTSV
	}
	if n > 1 {
		return 0, usageErrorf("--json, --csv and --tsv exclude each other")
	}
	return out, nil
}

// parse parses args; it answers done with the exit status when the command
// is not to run (help, a flag error).
func (p *parser) parse(args []string) (status int, done bool) {
	err := p.parseInterleaved(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(p.f.IO.Out, p.usage+p.f.BankUsage)
		return ExitOK, true
	case err != nil:
		return usageError(p.f.IO.ErrOut, p.name, flagProblem(p.fs, err)), true
	}
	return 0, false
}

// finish runs fn with the source and turns its error into a line on
// stderr and the exit status.
func (p *parser) run(ctx context.Context, fn func(ctx context.Context, src *Source) error) int {
	if p.connect == nil {
		return p.fail(errors.New("no bank to read from"))
	}
	src, err := p.connect(ctx)
	if err != nil {
		return p.fail(err)
	}
	defer src.Close()
	err = fn(ctx, src)
	if src.Status != nil {
		if line := src.Status(); line != "" {
			fmt.Fprintln(p.f.IO.ErrOut, line)
		}
	}
	if err != nil {
		return p.fail(err)
	}
	return ExitOK
}

// noArgs refuses words left after the flags, for a command that takes none.
func (p *parser) noArgs() error {
	if len(p.args) > 0 {
		return usageErrorf("unexpected argument %q", p.args[0])
	}
	return nil
}

// fail writes err as one line and returns its exit status.
func (p *parser) fail(err error) int {
	var uerr *UsageError
	switch {
	case errors.As(err, &uerr):
		return usageError(p.f.IO.ErrOut, p.name, uerr.Msg)
	case errors.Is(err, ErrNoSession):
		fmt.Fprintf(p.f.IO.ErrOut, "konto %s: %v\n", p.name, err)
		return ExitNoSession
	case errors.Is(err, api.ErrLoginNeeded):
		fmt.Fprintf(p.f.IO.ErrOut, "konto %s: the bank ended the session: run \"konto login\"\n", p.name)
		return ExitNoSession
	}
	fmt.Fprintf(p.f.IO.ErrOut, "konto %s: %s\n", p.name, errorText(err))
	return ExitFailure
}

// parseInterleaved parses flags wherever they stand among the arguments
// (konto tx out amt:<-100 --json); "--" ends the flags. The arguments that
// are not flags are left in p.args.
func (p *parser) parseInterleaved(args []string) error {
	for {
		if err := p.fs.Parse(args); err != nil {
			return err
		}
		rest := p.fs.Args()
		if len(rest) == 0 {
			return nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			p.args = append(p.args, rest...)
			return nil
		}
		p.args = append(p.args, rest[0])
		args = rest[1:]
	}
}
