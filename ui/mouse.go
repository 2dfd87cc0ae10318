package ui

// The mouse: the wheel scrolls the list under the pointer, a click on a
// list selects its row and focuses its pane, a click on a tab's name shows
// that tab. The program asks for cell motion (clicks, releases, the wheel
// and drags, never bare motion): the mode is set once per program, so a
// frame costs no byte more for it (the README's SSH bandwidth benchmark).

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// rect is a pane's place on the screen, its decoration included.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// paneRects are where the panes are drawn now (a pane not shown is absent).
// The body starts under the top line; a pane's contents start one cell in
// from its left and one line under its top (a box's border, or a section's
// rule and blank column).
func (m *Model) paneRects() map[pane]rect {
	w := m.c.Width
	accW, mainW, detW := m.paneWidths()
	accH, mainH := m.paneHeights()
	bodyH := m.c.Height - 2
	switch {
	case m.stacked():
		return map[pane]rect{paneAccounts: {0, 1, w, accH}, paneMain: {0, 1 + accH, w, mainH}}
	case m.narrow():
		if m.focus == paneAccounts {
			return map[pane]rect{paneAccounts: {0, 1, w, bodyH}}
		}
		return map[pane]rect{paneMain: {0, 1, w, bodyH}}
	}
	rs := map[pane]rect{paneAccounts: {0, 1, accW, accH}, paneMain: {accW, 1, mainW, mainH}}
	if m.detailPane() {
		rs[paneDetail] = rect{accW + mainW, 1, detW, bodyH}
	}
	return rs
}

// updateMouse handles a click or a wheel notch; a dialog takes none (it
// has no rows to click), nor does the filter line while it is open.
func (m *Model) updateMouse(msg tea.Msg) tea.Cmd {
	if len(m.modals) > 0 || m.filterOpen() {
		return nil
	}
	mouse := msg.(tea.MouseMsg).Mouse()
	for p, r := range m.paneRects() {
		if !r.contains(mouse.X, mouse.Y) {
			continue
		}
		x, y := mouse.X-r.x-1, mouse.Y-r.y-1
		switch msg := msg.(type) {
		case tea.MouseWheelMsg:
			switch p {
			case paneAccounts:
				return m.accounts.Update(msg)
			case paneMain:
				return m.mainUpdate(msg)
			}
		case tea.MouseClickMsg:
			if msg.Button != tea.MouseLeft {
				return nil
			}
			if p == paneMain && y == -1 {
				return m.clickTabTitle(mouse.X)
			}
			m.setFocus(p)
			if x < 0 || y < 0 {
				return nil
			}
			switch p {
			case paneAccounts:
				return m.accounts.Click(y)
			case paneMain:
				m.mainClick(y)
			}
		}
		return nil
	}
	return nil
}

// mainClick selects the row at line y of the current tab's list.
func (m *Model) mainClick(y int) {
	switch m.tab {
	case tabStanding:
		m.standing.Click(y)
	case tabTimed:
		m.timed.Click(y)
	default:
		m.txs.Click(y)
	}
}

// clickTabTitle shows the tab whose name is drawn at column x of the main
// pane's title, and focuses its list.
func (m *Model) clickTabTitle(x int) tea.Cmd {
	r := m.paneRects()[paneMain]
	lines := strings.Split(m.Render(), "\n")
	if r.y >= len(lines) {
		return nil
	}
	plain := ansi.Strip(lines[r.y])
	for t, name := range tabNames {
		col := strings.Index(plain, name)
		if col < 0 {
			continue
		}
		start := ansi.StringWidth(plain[:col])
		if x >= start-1 && x < start+ansi.StringWidth(name)+1 {
			return m.setTab(tab(t))
		}
	}
	m.setFocus(paneMain)
	return nil
}
