package app

import (
	"regexp"
	"strings"
	"testing"
)

// transactionID reads the "Transaction ID" of the details pane.
var transactionID = regexp.MustCompile(`Transaction ID\s+(\d+)`)

// At 160 columns the details pane has a 24-cell value column: the grouped
// IBAN (27 cells) breaks between its fourth and fifth group, and the invoice
// links reach the terminal as hyperlinks (OSC 8) on every line, through
// the renderer.
func TestE2EDetailsPaneIBANAndLinks(t *testing.T) {
	tm := startKonto(t, 160, 40, "--demo")
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })
	tm.WaitFor(t, "Transaction ID", startup)
	// The newest client invoice with links, a few bookings down at most.
	for range 60 {
		if strings.Contains(tm.Screen(), "Invoice preview") {
			break
		}
		was := transactionID.FindStringSubmatch(tm.Screen())
		tm.Send("j")
		tm.waitUntil(t, startup, "the next booking's details", func(s string) bool {
			now := transactionID.FindStringSubmatch(s)
			return was == nil || now == nil || now[1] != was[1]
		})
	}
	tm.WaitFor(t, "Invoice preview", startup)

	// The screen is read while konto draws: wait for a frame in which the
	// IBAN reads as whole groups on both lines.
	first := regexp.MustCompile(`^[A-Z]{2}\d\d( [0-9A-Z]{4}){3}$`)
	next := regexp.MustCompile(`^[0-9A-Z]{4} [0-9A-Z]{1,4}$`)
	tm.waitUntil(t, startup, "the IBAN broken between its groups", func(string) bool {
		// Columns are counted in characters: the line above may hold
		// multi-byte sparkline blocks where this one has blanks.
		lines := tm.Lines()
		for i, l := range lines {
			if j := strings.Index(l, "│ IBAN "); j >= 0 && i+1 < len(lines) {
				col := len([]rune(l[:j])) + 1
				below := []rune(lines[i+1])
				return col < len(below) &&
					first.MatchString(strings.Trim(l[j+len("│ IBAN "):], " │")) &&
					next.MatchString(strings.Trim(string(below[col:]), " │"))
			}
		}
		return false
	})

	// Every cell of the preview's text links to the whole URL.
	tm.emuMu.Lock()
	defer tm.emuMu.Unlock()
	w, h := tm.emu.Width(), tm.emu.Height()
	var text strings.Builder
	url := ""
	for y := range h {
		for x := range w {
			c := tm.emu.CellAt(x, y)
			if c == nil || !strings.HasSuffix(c.Link.URL, "/preview") {
				continue
			}
			if url == "" {
				url = c.Link.URL
			}
			if c.Link.URL != url {
				t.Fatalf("cell %d,%d links to %q, not %q", x, y, c.Link.URL, url)
			}
			text.WriteString(c.Content)
		}
	}
	if url == "" || text.String() != url {
		t.Fatalf("the linked cells read %q, want the URL %q", text.String(), url)
	}
}
