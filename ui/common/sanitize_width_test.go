package common

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Bubble Tea measures cells with wcwidth unless the terminal speaks mode
// 2027 (tmux does not), lipgloss pads by grapheme: sanitised text must
// measure the same both ways, or a row is cut and loses its border.
func TestSanitizedEmojiMeasureTheSameBothWays(t *testing.T) {
	for in, want := range map[string]string{
		"👍🏽 ok":         "👍 ok",
		"❤️ love":       "❤ love",
		"👩🏽‍💻 dev":      "👩💻 dev",
		"🏳️‍🌈":          "🏳🌈",
		"fam 👨‍👩‍👧 ily": "fam 👨👩👧 ily",
		"🏦 Bank of Émoji 💸👩‍💻🇩🇪👍🏽": "🏦 Bank of Émoji 💸👩💻🇩🇪👍",
	} {
		got := Sanitize(in)
		if got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
		if g, w := ansi.StringWidth(got), ansi.StringWidthWc(got); g != w {
			t.Errorf("%q: %d cells by grapheme, %d by wcwidth", got, g, w)
		}
	}
}
