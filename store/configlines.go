package store

import (
	"strconv"
	"strings"
)

// pathSep joins key path pieces in the line index; it cannot occur in a
// TOML key a person writes.
const pathSep = "\x1f"

// keyLines maps each key and table header of a TOML text to its line
// (1-based). The toml package keeps key positions to itself, so this is a
// small scanner of its own: good for every config a person writes (tables,
// dotted and quoted keys, multi-line arrays and strings); keys inside inline
// tables are not indexed, and lineOf falls back to the enclosing key. The
// tables of an array ([[rules]]) are numbered from 0 in the path:
// rules, 1, category is the category of the second [[rules]].
func keyLines(src string) map[string]int {
	lines := map[string]int{}
	arrays := map[string]int{} // tables seen so far of each [[array]]
	var table []string
	var depth int          // open [ and { of a value spanning lines
	var inMultiline string // `"""` or `'''` while inside a multi-line string
	record := func(path []string, line int) {
		for i := 1; i <= len(path); i++ {
			k := strings.Join(path[:i], pathSep)
			if _, seen := lines[k]; !seen {
				lines[k] = line
			}
		}
	}
	for n, line := range strings.Split(src, "\n") {
		lineNo := n + 1
		if inMultiline != "" || depth > 0 {
			depth, inMultiline = scanValue(line, depth, inMultiline)
			continue
		}
		s := strings.TrimSpace(line)
		switch {
		case s == "" || s[0] == '#':
			continue
		case s[0] == '[':
			inner := strings.TrimLeft(s, "[")
			if end := indexOutsideQuotes(inner, ']'); end >= 0 {
				inner = inner[:end]
			}
			table = splitKey(inner)
			if strings.HasPrefix(s, "[[") {
				key := strings.Join(table, pathSep)
				n := arrays[key]
				arrays[key] = n + 1
				record(table, lineNo)
				table = append(table, strconv.Itoa(n))
			}
			record(table, lineNo)
			continue
		}
		eq := indexOutsideQuotes(s, '=')
		if eq < 0 {
			continue
		}
		record(append(append([]string{}, table...), splitKey(s[:eq])...), lineNo)
		depth, inMultiline = scanValue(s[eq+1:], 0, "")
	}
	return lines
}

// lineOf returns the line of path, or of its nearest indexed parent, or 0.
func lineOf(lines map[string]int, path []string) int {
	for i := len(path); i > 0; i-- {
		if line, ok := lines[strings.Join(path[:i], pathSep)]; ok {
			return line
		}
	}
	return 0
}

// scanValue follows brackets and multi-line strings through one line of a
// value, so the lines inside a multi-line array are not read as keys.
func scanValue(s string, depth int, inMultiline string) (int, string) {
	for i := 0; i < len(s); i++ {
		if inMultiline != "" {
			if strings.HasPrefix(s[i:], inMultiline) {
				i += 2
				inMultiline = ""
			}
			continue
		}
		switch c := s[i]; c {
		case '#':
			return depth, ""
		case '"', '\'':
			if q := strings.Repeat(string(c), 3); strings.HasPrefix(s[i:], q) {
				inMultiline = q
				i += 2
				continue
			}
			end := closingQuote(s, i)
			if end < 0 {
				return depth, ""
			}
			i = end
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return depth, inMultiline
}

// closingQuote returns the index of the quote closing the string that
// opens at s[start], or -1.
func closingQuote(s string, start int) int {
	q := s[start]
	for i := start + 1; i < len(s); i++ {
		if q == '"' && s[i] == '\\' {
			i++
			continue
		}
		if s[i] == q {
			return i
		}
	}
	return -1
}

func indexOutsideQuotes(s string, target byte) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			end := closingQuote(s, i)
			if end < 0 {
				return -1
			}
			i = end
		case target:
			return i
		}
	}
	return -1
}

// splitKey splits a dotted TOML key (`a."b.c".d`) into its unquoted pieces.
func splitKey(s string) []string {
	var parts []string
	for {
		s = strings.TrimSpace(s)
		dot := indexOutsideQuotes(s, '.')
		piece := s
		if dot >= 0 {
			piece = s[:dot]
		}
		piece = strings.TrimSpace(piece)
		if len(piece) >= 2 && (piece[0] == '"' || piece[0] == '\'') && piece[len(piece)-1] == piece[0] {
			piece = piece[1 : len(piece)-1]
		}
		parts = append(parts, piece)
		if dot < 0 {
			return parts
		}
		s = s[dot+1:]
	}
}
