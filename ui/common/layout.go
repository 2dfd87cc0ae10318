package common

import (
	"fmt"
	"strings"
)

// Layout is how the dashboard arranges its panes on a terminal wide enough
// for more than one (below NarrowWidth there is one pane at a time either way).
type Layout int

const (
	// LayoutSide puts accounts, transactions and details side by side
	// (details from 120 columns on).
	LayoutSide Layout = iota
	// LayoutStacked puts the accounts above the transactions, each the full
	// width, and opens details on enter. A one-row scroll then moves whole
	// terminal lines, which the renderer sends as a scroll and one or two
	// new rows (≈ 300 B) instead of repainting the list (≈ 1.5–2 KB): the
	// layout for a remote terminal.
	LayoutStacked
)

// LayoutNames are the values --layout and the config's layout accept.
const LayoutNames = "auto, side or stacked"

func (l Layout) String() string {
	if l == LayoutStacked {
		return "stacked"
	}
	return "side"
}

// Toggle returns the other layout.
func (l Layout) Toggle() Layout {
	if l == LayoutStacked {
		return LayoutSide
	}
	return LayoutStacked
}

// ParseLayout reads a --layout or config value. "auto" (or "") is stacked
// when the terminal is remote (konto serve, or konto run in an SSH
// session), where every repainted cell crosses the network, and side by
// side otherwise.
func ParseLayout(s string, remote bool) (Layout, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		if remote {
			return LayoutStacked, nil
		}
		return LayoutSide, nil
	case "side":
		return LayoutSide, nil
	case "stacked":
		return LayoutStacked, nil
	}
	return LayoutSide, fmt.Errorf("unknown layout %q (use %s)", s, LayoutNames)
}

// RemoteTerminal reports whether environ (KEY=value pairs) belongs to a
// program running in an SSH session, whose screen is drawn over the network.
func RemoteTerminal(environ []string) bool {
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if (name == "SSH_CONNECTION" || name == "SSH_TTY") && value != "" {
			return true
		}
	}
	return false
}
