package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"konto/theme"
)

func TestParseLayout(t *testing.T) {
	for _, tt := range []struct {
		in     string
		remote bool
		want   Layout
	}{
		{"", false, LayoutSide},
		{"auto", false, LayoutSide},
		{"auto", true, LayoutStacked},
		{" Stacked ", false, LayoutStacked},
		{"side", true, LayoutSide},
	} {
		got, err := ParseLayout(tt.in, tt.remote)
		if err != nil || got != tt.want {
			t.Errorf("ParseLayout(%q, %v) = %v, %v; want %v", tt.in, tt.remote, got, err, tt.want)
		}
	}
	if _, err := ParseLayout("grid", false); err == nil || !strings.Contains(err.Error(), "auto, side or stacked") {
		t.Errorf("an unknown layout: %v", err)
	}
}

func TestRemoteTerminal(t *testing.T) {
	if RemoteTerminal([]string{"HOME=/root", "SSH_CONNECTION_X=1"}) {
		t.Errorf("no SSH variables, yet remote")
	}
	if RemoteTerminal([]string{"SSH_TTY="}) {
		t.Errorf("an empty SSH_TTY counts as remote")
	}
	if !RemoteTerminal([]string{"SSH_CONNECTION=10.0.0.2 52000 10.0.0.1 22"}) || !RemoteTerminal([]string{"SSH_TTY=/dev/pts/3"}) {
		t.Errorf("an SSH session is not remote")
	}
}

// A section is exactly its size, its lines keep a blank column either
// side, and nothing in it is a border cell beside the lines.
func TestSectionSize(t *testing.T) {
	st := theme.New(true, false)
	out := Section(st, "Accounts", []string{"a line far too long " + strings.Repeat("x", 40), "short"}, 30, 4, true)
	lines := strings.Split(out, "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 30 {
			t.Errorf("line %d is %d cells: %q", i, w, ansi.Strip(l))
		}
	}
	plain := ansi.Strip(out)
	if !strings.HasPrefix(plain, "── Accounts ──") || strings.ContainsAny(plain, "│╭╰") {
		t.Errorf("section:\n%s", plain)
	}
	if got := ansi.Strip(lines[2]); got != " short"+strings.Repeat(" ", 24) {
		t.Errorf("line 3 = %q", got)
	}
}
