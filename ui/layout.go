package ui

// The pane manager: which panes the layout shows, their sizes and places,
// and the focus among them.

import (
	tea "charm.land/bubbletea/v2"

	"konto/ui/common"
)

// Layout breakpoints (terminal columns).
const (
	WideWidth   = 120 // side by side: accounts | transactions | details
	NarrowWidth = 90  // below: one pane at a time
)

// stripMaxRows is the most lines the stacked layout's accounts strip takes.
const stripMaxRows = 4

// pane is a place of the layout: the accounts, the main pane (the current
// tab) and the details.
type pane int

const (
	paneAccounts pane = iota
	paneMain
	paneDetail
)

// panes lists the panes that can take the focus in the current layout.
func (m *Model) panes() []pane {
	if m.detailPane() {
		return []pane{paneAccounts, paneMain, paneDetail}
	}
	return []pane{paneAccounts, paneMain}
}

func (m *Model) cycleFocus(dir int) {
	ps := m.panes()
	i := 0
	for j, p := range ps {
		if p == m.focus {
			i = j
		}
	}
	m.setFocus(ps[(i+dir+len(ps))%len(ps)])
}

// setFocus focuses p: every tab is the main pane, shown or not.
func (m *Model) setFocus(p pane) {
	m.focus = p
	m.accounts.SetFocused(p == paneAccounts)
	for _, e := range m.tabs {
		e.tab.SetFocused(p == paneMain)
	}
}

func (m *Model) wide() bool   { return m.c.Width >= WideWidth }
func (m *Model) narrow() bool { return m.c.Width < NarrowWidth }

// stacked: the accounts strip above a full-width list.
func (m *Model) stacked() bool { return m.c.Layout == common.LayoutStacked && !m.narrow() }

// detailPane: the details follow the selection in a pane of their own.
func (m *Model) detailPane() bool { return m.wide() && m.c.Layout == common.LayoutSide }

// switchLayout toggles side by side and stacked.
func (m *Model) switchLayout() tea.Cmd {
	m.c.Layout = m.c.Layout.Toggle()
	m.layout()
	if m.narrow() {
		return common.Notice(common.NoticeInfo, m.c.Layout.String()+" layout from 90 columns on")
	}
	return common.Notice(common.NoticeInfo, m.c.Layout.String()+" layout")
}

// paneWidths are the outer widths (borders included) of the accounts, main
// and details panes; 0 for a pane not shown. The transaction list gets the
// room first: at 120–139 columns the side panes are narrower, so the
// counterparty still reads (about 20 cells); wider, the accounts pane grows
// to the full grouped IBAN.
func (m *Model) paneWidths() (acc, main, det int) {
	w := m.c.Width
	switch {
	case m.stacked(), m.narrow():
		return w, w, 0
	case w >= 180:
		acc, det = 41, 46
	case w >= 160:
		acc, det = 28, 44
	case w >= 140:
		acc, det = 26, 40
	case m.wide():
		acc, det = 24, 34
	default:
		acc = 26
	}
	return acc, w - acc - det, det
}

// paneHeights are the outer heights of the accounts and main panes: the
// body's height, except that the stacked layout gives the accounts strip a
// line per account (up to stripMaxRows, and at most a quarter of the body)
// under its title rule.
func (m *Model) paneHeights() (acc, main int) {
	bodyH := max(m.c.Height-2, 3)
	if !m.stacked() {
		return bodyH, bodyH
	}
	acc = m.accounts.StripRows(max(min(stripMaxRows, bodyH/4), 1)) + 1
	return acc, max(bodyH-acc, 2)
}

// frame is what a pane's decoration takes from its outer size: a box's
// border, or the stacked layout's title rule alone.
func (m *Model) frame() (w, h int) {
	if m.stacked() {
		return 2, 1
	}
	return 2, 2
}

// layout gives every component its inner size for the terminal size.
func (m *Model) layout() {
	w, h := m.c.Width, m.c.Height
	bodyH := max(h-2, 3)
	inner := bodyH - 2
	m.status.SetSize(w)
	m.help.SetWidth(w - 2)
	accW, mainW, detW := m.paneWidths()
	if !m.detailPane() && m.focus == paneDetail {
		m.setFocus(paneMain)
	}
	accH, mainH := m.paneHeights()
	fw, fh := m.frame()
	m.accounts.SetStrip(m.stacked())
	m.accounts.SetSize(accW-fw, accH-fh)
	for _, e := range m.tabs {
		e.tab.SetSize(mainW-fw, mainH-fh)
	}
	m.detail.SetSize(max(detW-2, 0), inner)
	for _, md := range m.modals {
		md.SetSize(w-4, bodyH-2)
	}
	m.setFocus(m.focus)
}

func (m *Model) mainWidth() int {
	_, main, _ := m.paneWidths()
	return main
}

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
