package app

// The command line's one rule for every command: --help prints the
// command's usage; a flag error, or a flag that does not apply, is said in
// one line that names the flag and where the usage is (exit 2), instead of
// Go's flag package text plus the usage.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

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
// it prints usage and returns 0; for a flag error, or an argument that is
// not a flag, it prints one line and returns 2; -1 means go on.
func parseCommandFlags(fs *flag.FlagSet, topic, usage string, args []string, stdout, stderr io.Writer) int {
	if code := parseArgs(fs, topic, usage, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, topic, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	return -1
}

// parseArgs is parseCommandFlags for a command that takes arguments after
// its flags (fs.Args()).
func parseArgs(fs *flag.FlagSet, topic, usage string, args []string, stdout, stderr io.Writer) int {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return ExitOK
	case err != nil:
		return usageError(stderr, topic, flagProblem(fs, err))
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

// demoFlags are a command's flags for the demo's own sandbox (only with
// --demo); notInDemo those that name a real bank's session, which the demo
// has not.
type demoFlags []string

var (
	dashboardDemoOnly = demoFlags{"seed", "transactions", "hostile", "faults", "check-window"}
	readDemoOnly      = demoFlags{"seed", "transactions", "hostile", "faults", "now"}
	notInDemo         = []string{"api-url", "insecure-storage"}
)

// inapplicableFlag names the first flag given that does not apply, ""
// when they all do: a flag is refused, never silently ignored.
func inapplicableFlag(given map[string]bool, demo bool, demoOnly demoFlags) string {
	if demo {
		for _, name := range notInDemo {
			if given[name] {
				return "--" + name + " does not apply to --demo, which runs its own sandbox bank"
			}
		}
		return ""
	}
	for _, name := range demoOnly {
		if given[name] {
			return "--" + name + " only applies with --demo"
		}
	}
	return ""
}
