package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"konto/theme"
)

// Box draws lines inside a rounded border of exactly width×height cells, with
// title (plain, or already styled by the caller: see PaneTitle) set into the
// top edge. Lines are cut or padded to fit, so a box can never wrap or push
// the layout.
func Box(st *theme.Styles, title string, lines []string, width, height int, focused bool) string {
	if width < 2 || height < 2 {
		return ""
	}
	border := st.Border
	if focused {
		border = st.BorderFocus
	}
	inner := width - 2
	var b strings.Builder
	b.Grow((width + 8) * height * 2)

	top := "─"
	if title != "" {
		if !strings.Contains(title, "\x1b") {
			title = PaneTitle(st, title, focused)
		}
		t := " " + ansi.Truncate(title, max(inner-3, 0), "…") + " "
		rest := inner - 1 - ansi.StringWidth(t)
		b.WriteString(border.Render("╭─"))
		b.WriteString(t)
		b.WriteString(border.Render(strings.Repeat(top, max(rest, 0)) + "╮"))
	} else {
		b.WriteString(border.Render("╭" + strings.Repeat(top, inner) + "╮"))
	}
	side := border.Render("│")
	for i := 0; i < height-2; i++ {
		b.WriteByte('\n')
		b.WriteString(side)
		if i < len(lines) {
			b.WriteString(FitLine(lines[i], inner))
		} else {
			b.WriteString(strings.Repeat(" ", inner))
		}
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(border.Render("╰" + strings.Repeat("─", inner) + "╯"))
	return b.String()
}

// BottomBorder is a box's bottom edge, width cells, with label (a scroll
// position, say) set in at its right; a plain edge when label is "".
func BottomBorder(st *theme.Styles, label string, width int, focused bool) string {
	border := st.Border
	if focused {
		border = st.BorderFocus
	}
	inner := width - 2
	if label == "" || ansi.StringWidth(label)+4 > inner {
		return border.Render("╰" + strings.Repeat("─", max(inner, 0)) + "╯")
	}
	t := " " + label + " "
	rest := inner - 1 - ansi.StringWidth(t)
	return border.Render("╰"+strings.Repeat("─", rest)) + st.Accent.Render(t) + border.Render("─╯")
}

// StateLines draws a pane's loading / empty / error state centred-ish in
// height rows: a sentence and, for errors, what to do.
func StateLines(st *theme.Styles, text string, isErr bool, height int) []string {
	lines := make([]string, 0, height)
	for i := 0; i < (height-2)/2; i++ {
		lines = append(lines, "")
	}
	if isErr {
		lines = append(lines, " "+st.Error.Render(text), " "+st.Muted.Render("press r to retry"))
	} else {
		lines = append(lines, " "+st.Muted.Render(text))
	}
	return lines
}

// PaneTitle styles a pane title: accented when the pane has the focus.
func PaneTitle(st *theme.Styles, title string, focused bool) string {
	if focused {
		return st.Title.Render(title)
	}
	return st.Header.Render(title)
}

// Section draws lines under a rule carrying title, exactly width×height
// cells with no side borders, a blank column either side of the lines: the
// stacked layout's panes. With no border
// cells in a row, a list row is a whole terminal line, so the renderer can
// scroll it with the terminal's own scrolling instead of repainting it.
func Section(st *theme.Styles, title string, lines []string, width, height int, focused bool) string {
	if width < 4 || height < 1 {
		return ""
	}
	border := st.Border
	if focused {
		border = st.BorderFocus
	}
	var b strings.Builder
	b.Grow((width + 8) * height * 2)
	if !strings.Contains(title, "\x1b") {
		title = PaneTitle(st, title, focused)
	}
	t := " " + ansi.Truncate(title, max(width-4, 0), "…") + " "
	b.WriteString(border.Render("──"))
	b.WriteString(t)
	b.WriteString(border.Render(strings.Repeat("─", max(width-2-ansi.StringWidth(t), 0))))
	blank := strings.Repeat(" ", width)
	for i := 0; i < height-1; i++ {
		b.WriteByte('\n')
		if i < len(lines) {
			b.WriteByte(' ')
			b.WriteString(FitLine(lines[i], width-2))
			b.WriteByte(' ')
		} else {
			b.WriteString(blank)
		}
	}
	return b.String()
}
