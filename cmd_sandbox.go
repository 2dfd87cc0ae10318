package main

import (
	"fmt"
	"io"
)

// runSandbox runs `konto sandbox`.
func runSandbox(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "konto sandbox: not built yet")
	return 1
}
