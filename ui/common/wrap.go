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

// WrapIBAN breaks an IBAN grouped by four (sepa.FormatIBAN) into lines of at
// most width cells, only ever between groups, so no group is split and no
// lone "78" trails on a line of its own: when more than one group fits, a
// line takes an even number of them, "DE84 7601 0085 0012" / "3456 78".
func WrapIBAN(grouped string, width int) []string {
	if width <= 0 || ansi.StringWidth(grouped) <= width {
		return []string{grouped}
	}
	groups := strings.Fields(grouped)
	per := max((width+1)/5, 1) // n groups of four take 5n-1 cells
	if per > 1 {
		per -= per % 2
	}
	var lines []string
	for len(groups) > 0 {
		n := min(per, len(groups))
		lines = append(lines, Truncate(strings.Join(groups[:n], " "), width))
		groups = groups[n:]
	}
	return lines
}

// URL break points: a line of a wrapped URL ends after one of these.
// Path and query separators come first; the others only when breaking
// at the first would leave less than half a line and the piece after it
// would not fit a line of its own either.
const (
	urlBreaks       = "/?&#"
	urlLesserBreaks = "-._=~+,;"
)

// WrapURL breaks a URL (or any text without spaces) into lines of at most
// width cells after a "/", "?", "&" or "#" (after a "-" or "." when the
// host or a file name would not fit a line anyway), never inside a run
// such as "//". A piece with no
// break point that is wider than the line is cut with "…" and the text
// goes on at its next break point: the link itself stays whole.
func WrapURL(s string, width int) []string {
	if width <= 1 {
		return []string{s}
	}
	var lines []string
	for s != "" {
		if ansi.StringWidth(s) <= width {
			return append(lines, s)
		}
		head := ansi.Truncate(s, width, "")
		cut := lastBreak(s, len(head), urlBreaks)
		if cut == 0 || ansi.StringWidth(s[:cut]) < width/2 && ansi.StringWidth(nextPiece(s[cut:])) > width {
			cut = max(cut, lastBreak(s, len(head), urlLesserBreaks))
		}
		if cut > 0 {
			lines = append(lines, s[:cut])
			s = s[cut:]
			continue
		}
		lines = append(lines, ansi.Truncate(s, width, "…"))
		next := nextBreak(s, len(head))
		if next < 0 {
			break
		}
		s = s[next:]
	}
	return lines
}

// lastBreak is the last byte offset in s[:limit] (not 0) that follows a
// character of breaks and does not split a run of them; 0 when there is none.
func lastBreak(s string, limit int, breaks string) int {
	for i := limit; i > 0; i-- {
		if strings.IndexByte(breaks, s[i-1]) >= 0 && (i == len(s) || strings.IndexByte(breaks, s[i]) < 0) {
			return i
		}
	}
	return 0
}

// nextPiece is s up to and including its first run of urlBreaks (all of s
// when there is none): what the next line would hold.
func nextPiece(s string) string {
	i := strings.IndexAny(s, urlBreaks)
	if i < 0 {
		return s
	}
	for i < len(s) && strings.IndexByte(urlBreaks, s[i]) >= 0 {
		i++
	}
	return s[:i]
}

// nextBreak is the first offset at or after from where a line may start
// (just after any break character), or -1.
func nextBreak(s string, from int) int {
	all := urlBreaks + urlLesserBreaks
	for i := max(from, 1); i < len(s); i++ {
		if strings.IndexByte(all, s[i-1]) >= 0 && strings.IndexByte(all, s[i]) < 0 {
			return i
		}
	}
	return -1
}
