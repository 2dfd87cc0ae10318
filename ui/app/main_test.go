package app

import (
	"context"
	"flag"
	"io"
	"os"
	"sync"
	"time"

	"konto/api/apitest"
	"konto/api/sandbox"
)

// version is the binary's version when it is built without -ldflags, as
// the e2e tests build it.
const version = "0.1.0-dev"

// testUsage stands for main's usage in the in-process tests.
const testUsage = "konto: a terminal dashboard for your Kontist bank account\n\nRun \"konto help COMMAND\" or \"konto COMMAND --help\" for a command's own flags.\n"

// demoBanks maps each test demo bank's URL to its sandbox, for tests that
// look inside.
var demoBanks sync.Map

// sandboxOf is the sandbox bank behind a demo bank the tests started.
func sandboxOf(b *DemoBank) *sandbox.Bank {
	v, _ := demoBanks.Load(b.URL)
	bank, _ := v.(*sandbox.Bank)
	return bank
}

// testDemo is main's Demo: the sandbox on loopback.
func testDemo() Demo {
	options := func(o DemoOptions) sandbox.Options {
		if o.Start.IsZero() {
			o.Start = testClock() // a demo bank in a test never starts at the wall clock
		}
		return sandbox.Options{Seed: o.Seed, Transactions: o.Transactions, Hostile: o.Hostile, Faults: o.Faults, Now: sandbox.StartAt(o.Start)}
	}
	return Demo{
		Check: func(o DemoOptions) error { return sandbox.CheckOptions(options(o), o.TransactionsGiven) },
		Start: func(ctx context.Context, o DemoOptions) (*DemoBank, error) {
			b, err := sandbox.StartLoopback(ctx, options(o))
			if err != nil {
				return nil, err
			}
			demoBanks.Store(b.URL, b.Bank)
			return &DemoBank{URL: b.URL, Refresh: b.Refresh, Now: b.Bank.Now, Close: b.Close}, nil
		},
		ParseStart: sandbox.ParseStart,
	}
}

// testClock is apitest.Now for code without a testing.TB: $KONTO_TEST_NOW,
// else apitest.DefaultNow (apitest.Now fails a test on a malformed value).
func testClock() time.Time {
	if now, err := time.Parse(time.RFC3339, os.Getenv(apitest.EnvNow)); err == nil {
		return now
	}
	return apitest.DefaultNow
}

// testFactory is main's Factory, writing to stdout and stderr.
func testFactory(stdout, stderr io.Writer) *Factory {
	return &Factory{
		IO:      IOStreams{Out: stdout, ErrOut: stderr},
		Getenv:  os.Getenv,
		Environ: os.Environ,
		Version: version,
		Demo:    testDemo(),
	}
}

// testCommands is main's dispatch table.
func testCommands(f *Factory) []*Command {
	return []*Command{
		NewCmdDashboard(f, nil),
		NewCmdSandbox(f, sandbox.CommandUsage(), func(fs *flag.FlagSet) (func() error, func(context.Context) error) {
			return sandbox.CommandFlags(fs, f.getenv, f.IO.Out)
		}),
		NewCmdServe(f, nil),
		NewCmdLogin(f, nil),
		NewCmdLogout(f, nil),
		NewCmdConfig(f, nil),
		NewCmdAccounts(f, nil),
		NewCmdBalance(f, nil),
		NewCmdTx(f, nil),
		NewCmdOrders(f, nil),
		NewCmdExport(f, nil),
		NewCmdForecast(f, nil),
		NewCmdReport(f, nil),
		NewCmdWatch(f, nil),
	}
}

// run runs konto's command line in-process, as main does.
func run(args []string, stdout, stderr io.Writer) int {
	f := testFactory(stdout, stderr)
	return Main(f, testUsage, testCommands(f), args)
}
