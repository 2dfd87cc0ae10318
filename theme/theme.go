// Package theme holds konto's palettes and the semantic lipgloss styles built
// from them. It is pure: no I/O, no terminal queries; the UI decides which
// palette to use (from --theme, NO_COLOR and the terminal's background).
package theme

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"
)

// Mode is the user's theme choice.
type Mode int

const (
	// Auto paints with Dark first and switches when the terminal reports its background.
	Auto Mode = iota
	Dark
	Light
)

// String returns the flag spelling of m.
func (m Mode) String() string {
	switch m {
	case Dark:
		return "dark"
	case Light:
		return "light"
	}
	return "auto"
}

// ParseMode reads the --theme flag value.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", "auto":
		return Auto, nil
	case "dark":
		return Dark, nil
	case "light":
		return Light, nil
	}
	return Auto, fmt.Errorf("unknown theme %q: use dark, light or auto", s)
}

// Palette is the set of colours a theme is built from.
type Palette struct {
	Text, Muted, Accent, Credit, Debit, Warning, Error color.Color
	Border, BorderFocus, SelectionFg, SelectionBg      color.Color
}

// DarkPalette is for terminals with a dark background.
func DarkPalette() Palette {
	return Palette{
		Text:        lipgloss.Color("#E4E4E7"),
		Muted:       lipgloss.Color("#8A8A94"),
		Accent:      lipgloss.Color("#7AA2F7"),
		Credit:      lipgloss.Color("#73D48C"),
		Debit:       lipgloss.Color("#F7768E"),
		Warning:     lipgloss.Color("#E0AF68"),
		Error:       lipgloss.Color("#FF5F5F"),
		Border:      lipgloss.Color("#3F3F46"),
		BorderFocus: lipgloss.Color("#7AA2F7"),
		SelectionFg: lipgloss.Color("#FFFFFF"),
		SelectionBg: lipgloss.Color("#2F3B5C"),
	}
}

// LightPalette is for terminals with a light background.
func LightPalette() Palette {
	return Palette{
		Text:        lipgloss.Color("#1F2328"),
		Muted:       lipgloss.Color("#6E7781"),
		Accent:      lipgloss.Color("#0550AE"),
		Credit:      lipgloss.Color("#1A7F37"),
		Debit:       lipgloss.Color("#CF222E"),
		Warning:     lipgloss.Color("#9A6700"),
		Error:       lipgloss.Color("#D1242F"),
		Border:      lipgloss.Color("#C8CCD1"),
		BorderFocus: lipgloss.Color("#0550AE"),
		SelectionFg: lipgloss.Color("#000000"),
		SelectionBg: lipgloss.Color("#DDE6F5"),
	}
}

// Styles are the semantic styles every component draws with. Components
// never pick colours themselves.
type Styles struct {
	Dark    bool // built for a dark background (help styles follow it)
	NoColor bool // NO_COLOR: attributes only

	Text        lipgloss.Style
	Title       lipgloss.Style // pane titles, the app name
	Muted       lipgloss.Style // secondary text: dates, IBANs, hints
	Accent      lipgloss.Style // active tab, focus marks
	Credit      lipgloss.Style // money in
	Debit       lipgloss.Style // money out
	Warning     lipgloss.Style
	Error       lipgloss.Style
	Selection   lipgloss.Style // the selected row
	Header      lipgloss.Style // month headers, column headers
	Border      lipgloss.Style // pane border, unfocused
	BorderFocus lipgloss.Style // pane border, focused
	Label       lipgloss.Style // field labels in details

	HelpKey, HelpDesc, HelpSep lipgloss.Style
}

// New returns the styles for a dark or light background; noColor drops
// every colour and marks the selection with reverse video.
func New(dark, noColor bool) *Styles {
	if noColor {
		return plain(dark)
	}
	p := LightPalette()
	if dark {
		p = DarkPalette()
	}
	return FromPalette(p, dark)
}

// ForMode resolves a Mode to styles; Auto starts dark (see Mode Auto).
func ForMode(m Mode, noColor bool) *Styles {
	return New(m != Light, noColor)
}

// FromPalette builds the styles from p.
func FromPalette(p Palette, dark bool) *Styles {
	s := lipgloss.NewStyle()
	return &Styles{
		Dark:        dark,
		Text:        s.Foreground(p.Text),
		Title:       s.Foreground(p.Accent).Bold(true),
		Muted:       s.Foreground(p.Muted),
		Accent:      s.Foreground(p.Accent).Bold(true),
		Credit:      s.Foreground(p.Credit),
		Debit:       s.Foreground(p.Debit),
		Warning:     s.Foreground(p.Warning),
		Error:       s.Foreground(p.Error).Bold(true),
		Selection:   s.Foreground(p.SelectionFg).Background(p.SelectionBg).Bold(true),
		Header:      s.Foreground(p.Text).Bold(true),
		Border:      s.Foreground(p.Border),
		BorderFocus: s.Foreground(p.BorderFocus),
		Label:       s.Foreground(p.Muted),
		HelpKey:     s.Foreground(p.Accent),
		HelpDesc:    s.Foreground(p.Muted),
		HelpSep:     s.Foreground(p.Border),
	}
}

// plain is the NO_COLOR theme: bold, faint and reverse only.
func plain(dark bool) *Styles {
	s := lipgloss.NewStyle()
	return &Styles{
		Dark:        dark,
		NoColor:     true,
		Text:        s,
		Title:       s.Bold(true),
		Muted:       s.Faint(true),
		Accent:      s.Bold(true),
		Credit:      s,
		Debit:       s,
		Warning:     s.Bold(true),
		Error:       s.Bold(true),
		Selection:   s.Reverse(true),
		Header:      s.Bold(true),
		Border:      s,
		BorderFocus: s.Bold(true),
		Label:       s.Faint(true),
		HelpKey:     s.Bold(true),
		HelpDesc:    s,
		HelpSep:     s.Faint(true),
	}
}
