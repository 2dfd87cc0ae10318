package main

import (
	"flag"
	"fmt"
	"io"
)

// runDashboard runs konto's dashboard (the default command).
func runDashboard(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("konto", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stdout, usage); fs.SetOutput(stdout); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	fmt.Fprintln(stderr, "konto: the dashboard is not built yet")
	return 1
}
