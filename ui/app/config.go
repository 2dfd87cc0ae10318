package app

// `konto config path|example`.

import (
	"context"
	"flag"
	"fmt"
	"konto/store"
	"strings"
)

const configUsage = `konto config: the config file

Usage:
  konto config path     print where the config file is
  konto config example  print a config file with every key at its default
`

// ConfigOptions are the parsed command line of konto config.
type ConfigOptions struct {
	What string // path or example
}

// NewCmdConfig builds konto config; runF, if set, runs instead (tests).
func NewCmdConfig(f *Factory, runF func(context.Context, *ConfigOptions) error) *Command {
	return &Command{Name: "config", Usage: configUsage, Run: func(ctx context.Context, args []string) int {
		stdout, stderr := f.IO.Out, f.IO.ErrOut
		fs := flag.NewFlagSet("konto config", flag.ContinueOnError)
		if code := parseArgs(fs, "config", configUsage, args, stdout, stderr); code >= 0 {
			return code
		}
		rest := fs.Args()
		if len(rest) != 1 || (rest[0] != "path" && rest[0] != "example") {
			if len(rest) == 0 {
				return usageError(stderr, "config", "say path or example")
			}
			return usageError(stderr, "config", fmt.Sprintf("say path or example, not %q", strings.Join(rest, " ")))
		}
		opts := &ConfigOptions{What: rest[0]}
		if runF == nil {
			runF = func(_ context.Context, opts *ConfigOptions) error { return runConfig(f, opts) }
		}
		if err := runF(ctx, opts); err != nil {
			fmt.Fprintln(stderr, "konto config:", err)
			return ExitFailure
		}
		return ExitOK
	}}
}

// runConfig is `konto config path|example`.
func runConfig(f *Factory, opts *ConfigOptions) error {
	if opts.What == "example" {
		fmt.Fprint(f.IO.Out, store.DefaultConfigText())
		return nil
	}
	path, err := store.ConfigPath(f.getenv)
	if err != nil {
		return err
	}
	fmt.Fprintln(f.IO.Out, path)
	return nil
}
