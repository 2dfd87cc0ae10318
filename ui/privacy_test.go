package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// amountLike is money as konto writes it (1.234,56) or an IBAN's digits.
var amountLike = regexp.MustCompile(`\d,\d\d|\d{4} \d{4}`)

// The privacy key masks every amount, balance and IBAN on the dashboard
// (accounts, list, details) and shows them again.
func TestPrivacyKeyMasksTheScreen(t *testing.T) {
	for _, size := range []struct{ w, h int }{{200, 60}, {80, 24}} {
		m := keyContext{w: size.w, h: size.h}.build(t)
		if !amountLike.MatchString(ansi.Strip(m.Render())) {
			t.Fatalf("%dx%d: no amount on screen to hide:\n%s", size.w, size.h, ansi.Strip(m.Render()))
		}
		keys(m, "*")
		screen := ansi.Strip(m.Render())
		for _, line := range strings.Split(screen, "\n") {
			if amountLike.MatchString(line) {
				t.Errorf("%dx%d: privacy mode shows %q", size.w, size.h, line)
			}
		}
		if !strings.Contains(screen, "•••,••") {
			t.Errorf("%dx%d: nothing masked:\n%s", size.w, size.h, screen)
		}
		// The order tabs and the reports too.
		for _, tab := range []string{"2", "3", "4"} {
			keys(m, tab)
			for _, line := range strings.Split(ansi.Strip(m.Render()), "\n") {
				if amountLike.MatchString(line) {
					t.Errorf("%dx%d tab %s: privacy mode shows %q", size.w, size.h, tab, line)
				}
			}
		}
		keys(m, "1", "*")
		if !amountLike.MatchString(ansi.Strip(m.Render())) {
			t.Errorf("%dx%d: * again did not show the amounts", size.w, size.h)
		}
	}
}
