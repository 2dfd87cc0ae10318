package common

import (
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/theme"
)

// Overlay draws box centred on top of screen, splicing it into the lines
// it covers. Beside the box, on those lines, the pane borders stay as they
// were; of a pane the box cuts, the text between the box and that pane's
// border is blanked (a cut-off "…ung −487,12", the end of a URL or a word
// such as "transfer" next to a dialog must not read as part of it); panes
// beyond are drawn muted.
func Overlay(st *theme.Styles, screen, box string, w, h int) string {
	lines := strings.Split(screen, "\n")
	boxLines := strings.Split(box, "\n")
	bw := lipgloss.Width(box)
	x, y := max((w-bw)/2, 0), max((h-len(boxLines))/2, 1)
	for i, bl := range boxLines {
		row := y + i
		if row >= len(lines) {
			break
		}
		cells := cellsOf(ansi.Strip(lines[row]))
		left := beside(st, lines[row], cells, 0, x, true)
		right := beside(st, lines[row], cells, x+bw, w, false)
		lines[row] = FitLine(left+"\x1b[m"+bl+"\x1b[m"+right, w)
	}
	return strings.Join(lines, "\n")
}

// cell is one grapheme of a plain line: its text, first column and width.
type cell struct {
	text       string
	col, width int
}

func cellsOf(plain string) []cell {
	var out []cell
	col := 0
	for plain != "" {
		g, width := ansi.FirstGraphemeCluster(plain, ansi.GraphemeWidth)
		if g == "" {
			break
		}
		out = append(out, cell{g, col, width})
		plain, col = plain[len(g):], col+width
	}
	return out
}

// isBorder reports a box-drawing character: a pane's border or rule.
func isBorder(g string) bool {
	r, size := utf8.DecodeRuneInString(g)
	return size == len(g) && r >= 0x2500 && r <= 0x257f
}

// beside draws columns from..to of a background line next to a dialog
// (nearSide: to is the dialog's left edge; else from is its right edge),
// exactly to-from cells: the borders as styled in line, blanks from the
// dialog out to the nearest border, the rest muted.
func beside(st *theme.Styles, line string, cells []cell, from, to int, nearSide bool) string {
	if to <= from {
		return ""
	}
	const (
		blank = iota
		muted
		border
	)
	type piece struct {
		kind       int
		text       string
		start, end int // columns
	}
	var ps []piece
	gap := func(a, b int) {
		if b > a {
			ps = append(ps, piece{blank, strings.Repeat(" ", b-a), a, b})
		}
	}
	col := from
	for _, c := range cells {
		// A grapheme cut by either edge (a wide character) leaves blanks.
		if c.col < from || c.col+c.width > to {
			continue
		}
		gap(col, c.col)
		kind := muted
		switch {
		case isBorder(c.text):
			kind = border
		case strings.TrimSpace(c.text) == "":
			kind = blank
		}
		ps = append(ps, piece{kind, c.text, c.col, c.col + c.width})
		col = c.col + c.width
	}
	gap(col, to)
	// Blank from the dialog outwards, up to the first border.
	for k := range ps {
		i := k
		if nearSide {
			i = len(ps) - 1 - k
		}
		if ps[i].kind == border {
			break
		}
		ps[i].kind, ps[i].text = blank, strings.Repeat(" ", ps[i].end-ps[i].start)
	}
	var b strings.Builder
	for i := 0; i < len(ps); {
		j := i
		var run strings.Builder
		for ; j < len(ps) && ps[j].kind == ps[i].kind; j++ {
			run.WriteString(ps[j].text)
		}
		switch ps[i].kind {
		case blank:
			b.WriteString(run.String())
		case muted:
			b.WriteString(st.Muted.Render(run.String()))
		case border:
			// As drawn: cut from the styled line.
			cut := ansi.Cut(line, ps[i].start, ps[j-1].end)
			b.WriteString(cut + "\x1b[m")
			if strings.Contains(cut, "\x1b]8;") {
				b.WriteString(ansi.ResetHyperlink())
			}
		}
		i = j
	}
	return b.String()
}
