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
				return m.current().Update(msg)
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
				m.current().Click(y)
			}
		}
		return nil
	}
	return nil
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
	for t := range m.tabs {
		name := m.tabName(t)
		col := strings.Index(plain, name)
		if col < 0 {
			continue
		}
		start := ansi.StringWidth(plain[:col])
		if x >= start-1 && x < start+ansi.StringWidth(name)+1 {
			return m.setTab(t)
		}
	}
	m.setFocus(paneMain)
	return nil
}
