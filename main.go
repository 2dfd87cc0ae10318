// Command konto is a terminal dashboard for a Kontist bank account, with its
// own sandbox bank. main wires flags and subcommands to the packages; nothing else.
package main

import (
	"fmt"
	"io"
	"os"
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
(COMMAND: dashboard, sandbox, serve, login, logout, config).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "sandbox":
			return runSandbox(args[1:], stdout, stderr)
		case "serve":
			return runServe(args[1:], stdout, stderr)
		case "login":
			return runLogin(args[1:], os.Stdin, stdout, stderr)
		case "logout":
			return runLogout(args[1:], stdout, stderr)
		case "config":
			return runConfig(args[1:], stdout, stderr)
		case "accounts", "balance", "tx", "orders", "export", "forecast", "report", "watch":
			return runScript(args, stdout, stderr)
		case "--version", "-version", "version":
			fmt.Fprintln(stdout, "konto", version)
			return 0
		case "help":
			return runHelp(args[1:], stdout, stderr)
		}
	}
	return runDashboard(args, stdout, stderr)
}
