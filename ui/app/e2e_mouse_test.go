package app

import (
	"fmt"
	"strings"
	"testing"
)

// sgrClick is what a terminal in SGR mouse mode (1006) sends for a left
// click at column x, row y (0-based here, 1-based on the wire).
func sgrClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

// sgrWheelDown is one notch of the wheel turned down at x, y.
func sgrWheelDown(x, y int) string { return fmt.Sprintf("\x1b[<65;%d;%dM", x+1, y+1) }

// TestE2EMouse drives the real binary with SGR mouse reports: a click
// selects the row under it, the wheel scrolls the list, and a click on a
// tab's name shows that tab.
func TestE2EMouse(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 20 })

	// Click the fifth booking on screen.
	var y, x int
	var want string
	seen := 0
	for i, line := range tm.Lines() {
		if dateRow.MatchString(line) {
			seen++
			if seen == 5 {
				y, want = i, bookingText(line)
				x = strings.Index(line, want[:6]) // the date's column, in runes of the line
				x = len([]rune(line[:x])) + 2
				break
			}
		}
	}
	if want == "" {
		t.Fatalf("no fifth booking:\n%s", tm.Screen())
	}
	tm.Send(sgrClick(x, y))
	tm.waitUntil(t, startup, "the clicked booking selected", func(string) bool {
		return bookingText(selectedRowOrEmpty(tm)) == want
	})

	// The wheel scrolls the list: the first booking on screen moves on.
	top := bookingText(transactionRows(tm)[0])
	for range 10 {
		tm.Send(sgrWheelDown(x, y))
	}
	tm.waitUntil(t, startup, "the list scrolled by the wheel", func(string) bool {
		rows := transactionRows(tm)
		return len(rows) > 0 && bookingText(rows[0]) != top
	})

	// A click on "3 Timed" in the tab titles shows the timed orders.
	ty, tx := -1, -1
	for i, line := range tm.Lines() {
		if j := strings.Index(line, "3 Timed"); j >= 0 {
			ty, tx = i, len([]rune(line[:j]))+2
			break
		}
	}
	if ty < 0 {
		t.Fatalf("no tab title:\n%s", tm.Screen())
	}
	tm.Send(sgrClick(tx, ty))
	tm.WaitFor(t, "[3 Timed]", startup)
}
