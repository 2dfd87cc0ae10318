package main

// The command line's own words: each command's usage (konto help TOPIC,
// konto TOPIC --help), and flag errors said in one line that names the flag
// and where its usage is, instead of Go's flag package text plus the usage.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"konto/api/sandbox"
)

const loginUsage = `konto login: log in on the terminal and keep the session

Usage:
  konto login [--profile NAME] [--api-url URL] [--insecure-storage]

Flags:
  --profile NAME        profile to log in for: its own API URL, session and cache (default "default")
  --api-url URL         the bank's API (default: the profile's api_url, https://api.kontist.com)
  --insecure-storage    without an OS keyring, keep the session in a file readable only by you

The email and the password are asked on the terminal (the password without echo).
`

const logoutUsage = `konto logout: end the session at the bank, delete it and the offline cache

Usage:
  konto logout [--profile NAME] [--api-url URL] [--insecure-storage]

Flags:
  --profile NAME        profile to log out of (default "default")
  --api-url URL         the bank's API (default: the profile's api_url, https://api.kontist.com)
  --insecure-storage    also look for a session kept in a file (see konto login)
`

const configUsage = `konto config: the config file

Usage:
  konto config path     print where the config file is
  konto config example  print a config file with every key at its default
`

// helpTopics are the commands konto help knows, in the order it lists them.
var helpTopics = []string{"dashboard", "sandbox", "serve", "login", "logout", "config"}

// commandUsage is the usage text of a command ("" and "dashboard": konto
// itself, the dashboard), false for a command konto does not have.
func commandUsage(topic string) (string, bool) {
	switch topic {
	case "", "dashboard":
		return usage + dashboardUsage + sessionUsage, true
	case "sandbox":
		return fmt.Sprintf(sandboxUsage, sandbox.DefaultSeed, sandbox.DefaultTransactions, sandbox.EnvNow, sandbox.FaultsHelp), true
	case "serve":
		return serveUsage, true
	case "login":
		return loginUsage, true
	case "logout":
		return logoutUsage, true
	case "config":
		return configUsage, true
	}
	return "", false
}

// runHelp is `konto help [TOPIC]`; without one, the commands in brief.
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return 0
	}
	text, ok := commandUsage(args[0])
	if !ok || len(args) > 1 {
		fmt.Fprintf(stderr, "konto help: no help on %q; topics: %s.\n", strings.Join(args, " "), strings.Join(helpTopics, ", "))
		return 2
	}
	fmt.Fprint(stdout, text)
	return 0
}

// commandName is how a command is named in its messages: "konto" for the
// dashboard, "konto sandbox" for the others.
func commandName(topic string) string {
	if topic == "" {
		return "konto"
	}
	return "konto " + topic
}

// usageHint is the pointer to a command's usage that ends every command-line
// error.
func usageHint(topic string) string {
	if topic == "" {
		return `Run "konto help" for the flags.`
	}
	return fmt.Sprintf(`Run "konto help %s" for its flags.`, topic)
}

// usageError prints the one line of a command-line mistake and returns the
// exit status for it, 2.
func usageError(stderr io.Writer, topic string, problem string) int {
	fmt.Fprintf(stderr, "%s: %s. %s\n", commandName(topic), strings.TrimSuffix(problem, "."), usageHint(topic))
	return 2
}

// parseCommandFlags parses args into fs for the command topic. For --help
// it prints the command's usage and returns 0; for a flag error it prints
// one line and returns 2; -1 means go on.
func parseCommandFlags(fs *flag.FlagSet, topic string, args []string, stdout, stderr io.Writer) int {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		text, _ := commandUsage(topic)
		fmt.Fprint(stdout, text)
		return 0
	case err != nil:
		return usageError(stderr, topic, flagProblem(fs, err))
	case fs.NArg() > 0:
		return usageError(stderr, topic, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	return -1
}

// badValue is the flag package's error for a value it cannot parse.
var badValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-([^:]+): (.*)$`)

// flagProblem says a flag package error in konto's words, naming the flag
// as it is documented (--name).
func flagProblem(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + strings.TrimPrefix(name, "-")
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value"
	}
	if m := badValue.FindStringSubmatch(msg); m != nil {
		value, name, reason := m[1], m[2], m[3]
		if reason == "parse error" || reason == "value out of range" {
			reason = "want " + flagKind(fs.Lookup(name))
		}
		return fmt.Sprintf("--%s %q: %s", name, value, reason)
	}
	return strings.Replace(msg, " -", " --", 1)
}

// flagKind is what a flag's value must look like, for a message.
func flagKind(f *flag.Flag) string {
	if f == nil {
		return "another value"
	}
	switch fmt.Sprintf("%T", f.Value) {
	case "*flag.intValue", "*flag.int64Value", "*flag.uintValue", "*flag.uint64Value":
		return "a whole number"
	case "*flag.durationValue":
		return "a duration such as 90s, 30m or 2h"
	case "*flag.boolValue":
		return "true or false"
	case "*flag.float64Value":
		return "a number"
	}
	return "another value"
}

// givenFlags is the set of flags given on the command line (fs parsed).
func givenFlags(fs *flag.FlagSet) map[string]bool {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}

// checkBankOptions checks the options konto sandbox and konto --demo share,
// with one rule and one wording for both: opts.Transactions as given (0
// only when the flag was not).
func checkBankOptions(opts sandbox.Options, transactionsGiven bool) error {
	if transactionsGiven && opts.Transactions < 1 {
		return fmt.Errorf("--transactions must be at least 1, got %d", opts.Transactions)
	}
	if _, err := sandbox.ParseFaults(opts.Faults); err != nil {
		return fmt.Errorf("--faults: %w", err)
	}
	return nil
}
