// Command konto is a terminal dashboard for a Kontist bank account, with its
// own sandbox bank. main holds the usage, the table of commands and the one
// Factory they are built with; the commands are package ui/app's, and main
// is the only importer of the sandbox outside its own tests.
package main

import (
	"context"
	"flag"
	"os"

	"konto/api/sandbox"
	"konto/ui/app"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

const usage = `konto: a terminal dashboard for your Kontist bank account

Usage:
  konto [flags]                 open the dashboard
  konto --demo                  open the dashboard against an in-process sandbox bank
  konto sandbox [flags]         run the sandbox bank as an HTTP server
  konto serve [flags]           serve the dashboard over SSH (--demo: a sandbox per session)
  konto login | logout          log in on the terminal, or end and delete the session
  konto config path             print where the config file is
  konto accounts | balance | tx | orders | export
                                read commands for scripts (--json, --csv, --tsv);
                                "konto tx --help" for each one's flags
  konto forecast | report       the balance ahead; money in and out by category
  konto watch [--json] [--exec CMD]
                                print each new booking and alert as it arrives
  konto --version               print the version
  konto --help                  this help

Run "konto help COMMAND" or "konto COMMAND --help" for a command's own flags
(COMMAND: dashboard, sandbox, serve, login, logout, config, and each read command).
`

func main() {
	f := &app.Factory{
		IO:      app.SystemStreams(os.Stdout, os.Stderr),
		Stdin:   os.Stdin,
		Getenv:  os.Getenv,
		Environ: os.Environ,
		Version: version,
		Demo:    app.Demo{Check: checkDemo, Start: startDemo, ParseStart: sandbox.ParseStart},
	}
	os.Exit(app.Main(f, usage, commands(f), os.Args[1:]))
}

// commands is konto's dispatch table; the first runs when none is named.
func commands(f *app.Factory) []*app.Command {
	return []*app.Command{
		app.NewCmdDashboard(f, nil),
		app.NewCmdSandbox(f, sandbox.CommandUsage(), func(fs *flag.FlagSet) (func() error, func(context.Context) error) {
			return sandbox.CommandFlags(fs, f.Getenv, f.IO.Out)
		}),
		app.NewCmdServe(f, nil),
		app.NewCmdLogin(f, nil),
		app.NewCmdLogout(f, nil),
		app.NewCmdConfig(f, nil),
		app.NewCmdAccounts(f, nil),
		app.NewCmdBalance(f, nil),
		app.NewCmdTx(f, nil),
		app.NewCmdOrders(f, nil),
		app.NewCmdExport(f, nil),
		app.NewCmdForecast(f, nil),
		app.NewCmdReport(f, nil),
		app.NewCmdWatch(f, nil),
	}
}

// demoOptions are the sandbox's options for a demo bank.
func demoOptions(o app.DemoOptions) sandbox.Options {
	return sandbox.Options{Seed: o.Seed, Transactions: o.Transactions, Hostile: o.Hostile, Faults: o.Faults, Now: sandbox.StartAt(o.Start)}
}

func checkDemo(o app.DemoOptions) error {
	return sandbox.CheckOptions(demoOptions(o), o.TransactionsGiven)
}

func startDemo(ctx context.Context, o app.DemoOptions) (*app.DemoBank, error) {
	b, err := sandbox.StartLoopback(ctx, demoOptions(o))
	if err != nil {
		return nil, err
	}
	return &app.DemoBank{URL: b.URL, Refresh: b.Refresh, Now: b.Bank.Now, Close: b.Close}, nil
}
