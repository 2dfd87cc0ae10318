package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// WrapWords breaks a sentence into lines of at most width cells at spaces, so
// error messages and notices are read whole rather than cut with "…". A word
// longer than the line stays on a line of its own (the caller's box cuts it).
// Below 10 cells there is no room to wrap and s comes back as one line.
func WrapWords(s string, width int) []string {
	if width < 10 {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
