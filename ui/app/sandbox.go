package app

// `konto sandbox`: its flags and what they run are package api/sandbox's
// (which only main imports); the command line's rules are the same as
// every other command's.

import (
	"context"
	"flag"
	"fmt"
)

// SandboxFlags defines konto sandbox's flags on fs and returns check, which
// says once fs is parsed what is wrong with them, and serve, which runs
// the bank until ctx ends.
type SandboxFlags func(fs *flag.FlagSet) (check func() error, serve func(ctx context.Context) error)

// NewCmdSandbox builds konto sandbox from the sandbox's own usage and flags.
func NewCmdSandbox(f *Factory, usage string, define SandboxFlags) *Command {
	return &Command{Name: "sandbox", Usage: usage, UntilSignal: true, Run: func(ctx context.Context, args []string) int {
		fs := flag.NewFlagSet("konto sandbox", flag.ContinueOnError)
		check, serve := define(fs)
		if code := parseCommandFlags(fs, "sandbox", usage, args, f.IO.Out, f.IO.ErrOut); code >= 0 {
			return code
		}
		if err := check(); err != nil {
			return usageError(f.IO.ErrOut, "sandbox", err.Error())
		}
		if err := serve(ctx); err != nil {
			fmt.Fprintln(f.IO.ErrOut, "konto sandbox:", err)
			return ExitFailure
		}
		return ExitOK
	}}
}
