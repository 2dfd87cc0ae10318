// Package list is the one cursor every list of konto moves with (accounts,
// standing orders, timed orders, bookings): a line, half a page, a page, the
// top and the bottom, rows that cannot be selected (a month header, a
// payment pending check) passed by, the selection kept on its item when the
// data changes, and the mouse: the wheel scrolls, a click selects. It knows
// rows by index only; drawing them is the owner's job (Offset, Cursor).
package list

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/ui/keys"
)

// WheelRows is how far one notch of the mouse wheel scrolls.
const WheelRows = 1

// Model is a cursor over n rows shown height at a time.
type Model struct {
	cursor, offset int
	n, height      int
	// selectable reports a row the cursor may rest on; nil: every row.
	selectable func(i int) bool
	// keepAbove reports a row that stays in view above the row under it
	// when the cursor comes to that one from below (a month header above
	// its first booking); nil: none.
	keepAbove func(i int) bool
}

// New returns an empty list; selectable and keepAbove may be nil (see Model).
func New(selectable, keepAbove func(i int) bool) Model {
	return Model{selectable: selectable, keepAbove: keepAbove}
}

// Cursor is the selected row (0 in an empty list).
func (l *Model) Cursor() int { return l.cursor }

// Offset is the first visible row.
func (l *Model) Offset() int { return l.offset }

// Len is the number of rows.
func (l *Model) Len() int { return l.n }

// Height is the number of rows shown at a time.
func (l *Model) Height() int { return l.height }

// Visible is the range of rows in view, [from, to).
func (l *Model) Visible() (from, to int) { return l.offset, min(l.offset+max(l.height, 0), l.n) }

// SetHeight sets how many rows are in view and keeps the cursor in view.
func (l *Model) SetHeight(h int) {
	l.height = h
	l.clamp()
}

// SetLen says the rows changed to n and puts the cursor on row cursor (the
// index the owner found its selected item at, or 0), or the nearest
// selectable row after it.
func (l *Model) SetLen(n, cursor int) {
	l.n = n
	l.cursor = min(max(cursor, 0), max(n-1, 0))
	l.snap(1)
	l.clamp()
}

// Reset empties the list and scrolls it to the top.
func (l *Model) Reset() { l.n, l.cursor, l.offset = 0, 0, 0 }

func (l *Model) ok(i int) bool { return l.selectable == nil || l.selectable(i) }

// HasSelection reports a selectable row under the cursor.
func (l *Model) HasSelection() bool { return l.cursor < l.n && l.ok(l.cursor) }

// Move goes delta selectable rows up (negative) or down; at either end it
// stays.
func (l *Model) Move(delta int) {
	step := 1
	if delta < 0 {
		step, delta = -1, -delta
	}
	for ; delta > 0; delta-- {
		moved := false
		for i := l.cursor + step; i >= 0 && i < l.n; i += step {
			if l.ok(i) {
				l.cursor, moved = i, true
				break
			}
		}
		if !moved {
			break
		}
	}
	l.clamp()
}

// JumpTo puts the cursor on row i, or the nearest selectable row in
// direction dir (then the other way).
func (l *Model) JumpTo(i, dir int) {
	l.cursor = min(max(i, 0), max(l.n-1, 0))
	l.snap(dir)
	l.clamp()
}

// snap moves the cursor off a row it cannot rest on, preferring dir.
func (l *Model) snap(dir int) {
	if l.n == 0 || l.ok(l.cursor) {
		return
	}
	for _, d := range []int{dir, -dir} {
		for i := l.cursor; i >= 0 && i < l.n; i += d {
			if l.ok(i) {
				l.cursor = i
				return
			}
		}
	}
}

// clamp scrolls so the cursor is in view, with the rows kept above it.
func (l *Model) clamp() {
	h := l.height
	if h <= 0 || l.n == 0 {
		l.offset = 0
		return
	}
	top := l.cursor
	for l.keepAbove != nil && top > 0 && l.keepAbove(top-1) {
		top--
	}
	if top < l.offset {
		l.offset = top
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(min(l.offset, max(l.n-h, 0)), 0)
}

// Scroll moves the view delta rows (the mouse wheel); the cursor stays on
// its row while that is in view, else it goes to the nearest selectable
// row in view.
func (l *Model) Scroll(delta int) {
	if l.height <= 0 || l.n == 0 {
		return
	}
	l.offset = max(min(l.offset+delta, max(l.n-l.height, 0)), 0)
	from, to := l.Visible()
	switch {
	case l.cursor < from:
		l.cursor = from
		l.snap(1)
	case l.cursor >= to:
		l.cursor = to - 1
		l.snap(-1)
	}
	if l.cursor < from || l.cursor >= to {
		l.clamp() // nothing selectable in view: the view follows the cursor
	}
}

// Click selects the row at line y of the view (0 is the first visible
// row); ok is false when that line shows no selectable row.
func (l *Model) Click(y int) bool {
	i := l.offset + y
	if y < 0 || y >= l.height || i >= l.n || !l.ok(i) {
		return false
	}
	l.cursor = i
	l.clamp()
	return true
}

// Update moves the cursor for a movement key of k or a wheel notch, and
// reports whether msg was one (a click is the owner's: only it knows where
// its rows are drawn, see Click).
func (l *Model) Update(msg tea.Msg, k keys.ListKeys) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		page := max(l.height, 1)
		switch {
		case key.Matches(msg, k.Down):
			l.Move(1)
		case key.Matches(msg, k.Up):
			l.Move(-1)
		case key.Matches(msg, k.Top):
			l.JumpTo(0, 1)
		case key.Matches(msg, k.Bottom):
			l.JumpTo(l.n-1, -1)
		case key.Matches(msg, k.HalfPageDown):
			l.JumpTo(l.cursor+page/2, 1)
		case key.Matches(msg, k.HalfPageUp):
			l.JumpTo(l.cursor-page/2, -1)
		case key.Matches(msg, k.PageDown):
			l.JumpTo(l.cursor+page, 1)
		case key.Matches(msg, k.PageUp):
			l.JumpTo(l.cursor-page, -1)
		default:
			return false
		}
		return true
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelDown:
			l.Scroll(WheelRows)
		case tea.MouseWheelUp:
			l.Scroll(-WheelRows)
		default:
			return false
		}
		return true
	}
	return false
}

// Find is the index of the first of n rows for which is reports true, or
// -1: where the selected item went after the data changed.
func Find(n int, is func(i int) bool) int {
	for i := range n {
		if is(i) {
			return i
		}
	}
	return -1
}
