package ui

// Drawing: the top line, the panes in the layout's boxes, the help bar and
// the open dialogs over them.

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"konto/ui/common"
)

// View draws the top line, the panes and the help bar: exactly the
// terminal's size, nothing wrapped.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion // set once, not per frame (ui/mouse.go)
	v.WindowTitle = "konto · " + m.c.Connection
	return v
}

// Render is the screen as a string (View's content).
func (m *Model) Render() string {
	w, h := m.c.Width, m.c.Height
	if w < 20 || h < 6 {
		return common.FitLine("konto: make the terminal bigger", max(w, 1))
	}
	bodyH := h - 2
	st := m.c.Styles
	var body string
	accW, mainW, detW := m.paneWidths()
	accH, mainH := m.paneHeights()
	drawPane := common.Box // a pane: a box, or a section of the stacked layout
	if m.stacked() {
		drawPane = common.Section
	}
	mainBox := drawPane(st, m.tabTitle(), strings.Split(m.current().View(), "\n"), mainW, mainH, m.focus == paneMain)
	accBox := func(width int) string {
		return drawPane(st, m.accounts.Title(), strings.Split(m.accounts.View(), "\n"), width, accH, m.focus == paneAccounts)
	}
	switch {
	case m.stacked():
		body = accBox(w) + "\n" + mainBox
	case m.detailPane():
		detBox := common.Box(st, "Details", strings.Split(m.detail.View(), "\n"), detW, bodyH, m.focus == paneDetail)
		if label := m.detail.ScrollLabel(detW - 6); label != "" {
			// Say there is more below (or above) on the bottom edge.
			cut := strings.LastIndexByte(detBox, '\n')
			detBox = detBox[:cut+1] + common.BottomBorder(st, label, detW, m.focus == paneDetail)
		}
		body = lipgloss.JoinHorizontal(lipgloss.Top, accBox(accW), mainBox, detBox)
	case m.narrow():
		if m.focus == paneAccounts {
			body = accBox(w)
		} else {
			body = mainBox
		}
	default:
		body = lipgloss.JoinHorizontal(lipgloss.Top, accBox(accW), mainBox)
	}
	bar := " " + m.help.View(m.shortHelp())
	screen := m.status.View() + "\n" + body + "\n" + common.FitLine(bar, w)
	for _, md := range m.modals {
		screen = common.Overlay(st, screen, md.View(), w, h)
	}
	return screen
}

// tabTitle is the main pane's title: the tabs' names, the shown one marked;
// the shown one's alone where the pane is narrow.
func (m *Model) tabTitle() string {
	st := m.c.Styles
	if m.mainWidth() < 50 {
		return common.PaneTitle(st, m.tabName(m.tab), m.focus == paneMain)
	}
	parts := make([]string, len(m.tabs))
	for i := range m.tabs {
		if i == m.tab {
			parts[i] = common.PaneTitle(st, "["+m.tabName(i)+"]", m.focus == paneMain)
		} else {
			parts[i] = st.Muted.Render(" " + m.tabName(i) + " ")
		}
	}
	return strings.Join(parts, " ")
}

// applyTheme passes the theme to the parts that keep their own styles.
func (m *Model) applyTheme() {
	st := m.c.Styles
	m.help.Styles = help.Styles{
		Ellipsis:       st.HelpSep,
		ShortKey:       st.HelpKey,
		ShortDesc:      st.HelpDesc,
		ShortSeparator: st.HelpSep,
		FullKey:        st.HelpKey,
		FullDesc:       st.HelpDesc,
		FullSeparator:  st.HelpSep,
	}
}
