package theme

import (
	"testing"

	"charm.land/lipgloss/v2"
)

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": Auto, "auto": Auto, "dark": Dark, "light": Light} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Fatalf("ParseMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseMode("blue"); err == nil {
		t.Fatalf("no error for an unknown theme")
	}
}

func TestNoColorUsesReverseSelection(t *testing.T) {
	s := New(true, true)
	if !s.Selection.GetReverse() {
		t.Fatalf("NO_COLOR selection is not reverse video")
	}
	if _, none := s.Credit.GetForeground().(lipgloss.NoColor); !none {
		t.Fatalf("colour in the NO_COLOR theme: %v", s.Credit.GetForeground())
	}
	if New(true, false).Credit.GetForeground() == New(false, false).Credit.GetForeground() {
		t.Fatalf("dark and light palettes share the credit colour")
	}
}
