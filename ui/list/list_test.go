package list

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"konto/ui/keys"
)

// rows: "h" a header (kept above, not selectable), "p" pending (the same),
// "x" an item.
func fixture(rows string, height int) Model {
	l := New(func(i int) bool { return rows[i] == 'x' }, func(i int) bool { return rows[i] != 'x' })
	l.SetHeight(height)
	l.SetLen(len(rows), 0)
	return l
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "ctrl+d":
		return tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

func TestKeys(t *testing.T) {
	k := keys.DefaultKeyMap().List
	//          0123456789012345678901
	rows := "phxxxhxxxxhxxxxxxxxhxx"
	for _, tt := range []struct {
		keys           []string
		cursor, offset int
	}{
		{nil, 2, 0},
		{[]string{"j"}, 3, 0},
		{[]string{"j", "j", "j"}, 6, 1}, // the header at 5 passed by, kept in view
		{[]string{"G"}, 21, 16},
		{[]string{"G", "k", "k"}, 18, 16}, // the header above the last month passed by
		{[]string{"G", "g"}, 2, 0},        // the pending row and header stay above the first item
		{[]string{"ctrl+d"}, 6, 1},        // 5 is a header: the next item
		{[]string{"ctrl+d", "ctrl+d"}, 9, 4},
		{[]string{"pgdown"}, 8, 3},
		{[]string{"pgdown", "pgdown"}, 14, 9},
		{[]string{"pgdown", "pgdown", "pgup"}, 8, 8},
		{[]string{"G", "ctrl+u"}, 18, 16},
		{[]string{"k"}, 2, 0},
	} {
		l := fixture(rows, 6)
		for _, s := range tt.keys {
			if !l.Update(press(s), k) {
				t.Fatalf("%v: %s not handled", tt.keys, s)
			}
		}
		if l.Cursor() != tt.cursor || l.Offset() != tt.offset {
			t.Errorf("%v: cursor %d offset %d, want %d %d", tt.keys, l.Cursor(), l.Offset(), tt.cursor, tt.offset)
		}
	}
	l := fixture(rows, 6)
	if l.Update(press("x"), k) {
		t.Error("x handled as a movement")
	}
}

func TestWheelAndClick(t *testing.T) {
	rows := "hxxxxhxxxxhxxxx"
	l := fixture(rows, 4)
	down := tea.MouseWheelMsg{Button: tea.MouseWheelDown}
	up := tea.MouseWheelMsg{Button: tea.MouseWheelUp}
	l.Update(down, keys.ListKeys{})
	if l.Offset() != 1 || l.Cursor() != 1 {
		t.Errorf("one notch down: offset %d cursor %d, want 1 1", l.Offset(), l.Cursor())
	}
	l.Update(down, keys.ListKeys{})
	if l.Offset() != 2 || l.Cursor() != 2 {
		t.Errorf("the selection goes with the view: offset %d cursor %d, want 2 2", l.Offset(), l.Cursor())
	}
	for range 20 {
		l.Update(down, keys.ListKeys{})
	}
	if l.Offset() != len(rows)-4 {
		t.Errorf("offset %d at the end, want %d", l.Offset(), len(rows)-4)
	}
	for range 3 {
		l.Update(up, keys.ListKeys{})
	}
	if l.Offset() != len(rows)-7 || l.Cursor() != len(rows)-4 {
		t.Errorf("up: offset %d cursor %d", l.Offset(), l.Cursor())
	}
	// The cursor stays while its row is in view.
	l = fixture(rows, 4)
	l.JumpTo(3, 1)
	l.Update(down, keys.ListKeys{})
	if l.Cursor() != 3 {
		t.Errorf("cursor %d, want it kept at 3", l.Cursor())
	}
	// A click selects the row under it, not a header, not past the end.
	l = fixture(rows, 4)
	if !l.Click(2) || l.Cursor() != 2 {
		t.Errorf("click on line 2: cursor %d", l.Cursor())
	}
	l.Scroll(4)
	if l.Click(1) {
		t.Error("a click on a header selected it")
	}
	if !l.Click(2) || l.Cursor() != 6 {
		t.Errorf("click after scrolling: cursor %d, want 6", l.Cursor())
	}
	if l.Click(4) || l.Click(-1) {
		t.Error("a click outside the view selected")
	}
}

func TestSetLenKeepsTheSelectionWhereTheOwnerFoundIt(t *testing.T) {
	l := New(nil, nil)
	l.SetHeight(3)
	l.SetLen(8, 0)
	l.JumpTo(6, 1)
	l.SetLen(10, 8) // two items came above: the owner found it at 8
	if l.Cursor() != 8 || l.Offset() != 6 {
		t.Errorf("cursor %d offset %d", l.Cursor(), l.Offset())
	}
	l.SetLen(2, 8)
	if l.Cursor() != 1 {
		t.Errorf("cursor %d past the end", l.Cursor())
	}
	if Find(5, func(i int) bool { return i == 3 }) != 3 || Find(5, func(int) bool { return false }) != -1 {
		t.Error("Find")
	}
	var empty Model
	empty.SetHeight(4)
	empty.Update(press("j"), keys.DefaultKeyMap().List)
	empty.Scroll(1)
	if empty.Cursor() != 0 || empty.HasSelection() || empty.Click(0) {
		t.Error("an empty list has a selection")
	}
}
