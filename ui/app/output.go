package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/store/export"
	"konto/ui/common"
)

// writeJSON writes v (a slice) as one JSON array in the bank's own field
// names and key order (the api types'), with the characters that could
// drive a terminal escaped.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return local(fmt.Errorf("encode JSON: %w", err))
	}
	_, err := w.Write(export.AppendJSONSafe(nil, buf.Bytes()))
	return local(err)
}

// writeDelimited writes a header row and rows as CSV (RFC 4180, quoted
// where needed) or TSV (tabs; tabs and line breaks in a field become spaces).
func writeDelimited(w io.Writer, out Output, header []string, rows [][]string) error {
	if out == OutCSV {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return local(err)
		}
		if err := cw.WriteAll(rows); err != nil {
			return local(err)
		}
		return nil
	}
	var b strings.Builder
	for _, row := range append([][]string{header}, rows...) {
		for i, f := range row {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(strings.Map(func(r rune) rune {
				if r == '\t' || r == '\n' || r == '\r' {
					return ' '
				}
				return r
			}, f))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return local(err)
}

// cellText is bank text for a CSV or TSV cell: control characters and
// escape sequences stripped, and a leading '=', '+', '-' or '@' guarded
// with "'" so a spreadsheet shows it rather than running it (as the
// exports do).
func cellText(s string) string {
	s = common.Sanitize(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// decimal writes cents as -12.50.
func decimal(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u/100, 10) + "." + fmt.Sprintf("%02d", u%100)
	if neg {
		return "-" + s
	}
	return s
}

// isoDate writes t's day in loc as 2026-12-03 ("" for zero).
func isoDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02")
}

// column is one column of a table.
type column struct {
	title string
	right bool // numbers: aligned right
	// flex columns share what the terminal width leaves, and are cut.
	flex bool
}

// cell is one table cell: text (sanitised), and a colour for amounts.
type cell struct {
	text string
	sign int // -1 red, +1 green, 0 plain
}

// table writes rows aligned under a header, fitting width (0: no limit)
// by cutting the flex columns; colour only when asked.
type table struct {
	cols  []column
	rows  [][]cell
	color bool
}

func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer, width int) error {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = ansi.StringWidth(c.title)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c.text))
		}
	}
	if width > 0 {
		total := 2 * (len(t.cols) - 1)
		for _, wd := range widths {
			total += wd
		}
		// Cut the widest flex column until the table fits (a flex column
		// keeps at least 8 cells).
		for total > width {
			widest := -1
			for i, c := range t.cols {
				if c.flex && widths[i] > 8 && (widest < 0 || widths[i] > widths[widest]) {
					widest = i
				}
			}
			if widest < 0 {
				break
			}
			cut := min(total-width, widths[widest]-8)
			widths[widest] -= cut
			total -= cut
		}
	}
	var b strings.Builder
	line := func(cells []cell, header bool) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			text := common.Truncate(c.text, widths[i])
			pad := strings.Repeat(" ", widths[i]-ansi.StringWidth(text))
			if t.cols[i].right {
				l.WriteString(pad)
			}
			switch {
			case header && t.color:
				text = "\x1b[1m" + text + "\x1b[22m"
			case t.color && c.sign < 0:
				text = "\x1b[31m" + text + "\x1b[39m"
			case t.color && c.sign > 0:
				text = "\x1b[32m" + text + "\x1b[39m"
			}
			l.WriteString(text)
			if !t.cols[i].right && i < len(cells)-1 {
				l.WriteString(pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	head := make([]cell, len(t.cols))
	for i, c := range t.cols {
		head[i] = cell{text: c.title}
	}
	line(head, true)
	for _, r := range t.rows {
		line(r, false)
	}
	_, err := io.WriteString(w, b.String())
	return local(err)
}

// newTable is a table for f's stdout: colour only on a terminal without NO_COLOR.
func (f *Factory) newTable(cols ...column) *table {
	return &table{cols: cols, color: f.IO.OutTTY && !f.IO.NoColor}
}

// amountCell shows cents as on screen: +1.250,00 / −12,50, coloured by sign.
func amountCell(cents int64) cell {
	sign := 0
	switch {
	case cents < 0:
		sign = -1
	case cents > 0:
		sign = 1
	}
	return cell{text: common.Signed(cents), sign: sign}
}

func text(s string) cell { return cell{text: common.Sanitize(s)} }
