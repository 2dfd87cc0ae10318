package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// dateRow finds a booking row: a "dd.mm." date in the list.
var dateRow = regexp.MustCompile(`\b\d\d\.\d\d\.\s`)

// startup is how long konto may take to show its first screen; generous for
// a loaded CI machine, and only ever waited for in full on failure.
const startup = 15 * time.Second

func TestE2EVersion(t *testing.T) {
	tm := startKonto(t, 80, 24, "--version")
	tm.WaitFor(t, "konto "+version, startup)
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto --version exited with %d", code)
	}
}

func TestE2EHelp(t *testing.T) {
	tm := startKonto(t, 80, 24, "help")
	tm.WaitFor(t, "Usage:", startup)
	tm.WaitFor(t, "konto --demo", startup)
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto help exited with %d", code)
	}
	if strings.Contains(tm.Screen(), "\x1b") {
		t.Error("escape character on screen")
	}
}

func TestE2EDemoDashboard(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.WaitFor(t, "Sandbox", startup)
	tm.WaitFor(t, "Accounts", startup)
	tm.WaitFor(t, "…4711", startup)
	tm.WaitFor(t, "224.106,37 €", startup)
	tm.WaitFor(t, "24.11. Bookshop", startup)
	tm.WaitFor(t, "November 2026", startup)
	first := selectedRow(t, tm)

	tm.Send("j")
	tm.waitUntil(t, startup, "selection to move down", func(string) bool {
		return selectedRowOrEmpty(tm) != first && selectedRowOrEmpty(tm) != ""
	})
	second := selectedRow(t, tm)
	if !strings.Contains(second, "Fotostudio") {
		t.Errorf("after j the selected row is %q, want the second booking", second)
	}
	tm.Send("k")
	tm.waitUntil(t, startup, "selection to move back up", func(string) bool { return selectedRowOrEmpty(tm) == first })

	tm.Send("enter")
	tm.WaitFor(t, "Counterparty", startup)
	tm.WaitFor(t, "Bookshop on the Corner", startup)

	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("q: konto exited with status %d, want 0", code)
	}
}

func TestE2EFilter(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.WaitFor(t, "24.11. Bookshop", startup)
	tm.Send("/")
	tm.Send(strings.Split("finanzamt", "")...)
	tm.Send("enter")
	tm.WaitGone(t, "Bookshop", startup)
	tm.WaitFor(t, "Finanzamt", startup)
	for _, line := range transactionRows(tm) {
		if !strings.Contains(line, "Finanzamt") {
			t.Errorf("filter finanzamt shows %q", line)
		}
	}
	tm.Send("esc")
	tm.WaitFor(t, "Bookshop", startup)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with status %d", code)
	}
}

func TestE2EResizeReflows(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.WaitFor(t, "24.11. Bookshop", startup)
	tm.Resize(80, 24)
	tm.waitUntil(t, startup, "a screen redrawn for 80 columns", func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) == 24 && strings.Contains(s, "Bookshop") && strings.Contains(lines[len(lines)-1]+lines[len(lines)-2], "quit")
	})
	for i, line := range tm.Lines() {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d cells wide: %q", i, w, line)
		}
	}
	// The frame is intact: a border character closes every bordered row.
	if s := tm.Screen(); strings.Count(s, "\n") != 23 {
		t.Errorf("screen has %d rows", strings.Count(s, "\n")+1)
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with status %d", code)
	}
}

func TestE2EHostileDataCannotDriveTheTerminal(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo", "--hostile")
	tm.WaitFor(t, "Accounts", startup)
	tm.WaitFor(t, "November 2026", startup)
	title0, n0 := tm.Title()
	// Walk over the newest bookings (the hostile ones are among them) and
	// open each one's details.
	for range 8 {
		tm.Send("j", "enter")
		time.Sleep(50 * time.Millisecond)
		tm.Send("esc")
	}
	tm.Send("/")
	tm.Send(strings.Split("pwned", "")...)
	tm.Send("enter")
	time.Sleep(300 * time.Millisecond)
	tm.Send("esc")
	tm.WaitFor(t, "Accounts", startup)

	screen := tm.Screen()
	for _, r := range screen {
		if r != '\n' && (r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)) {
			t.Errorf("control %U on screen", r)
		}
	}
	if title, n := tm.Title(); n != n0 || title != title0 {
		t.Errorf("window title changed from %q to %q", title0, title)
	}
	if raw := tm.Raw(); bytes.Contains(raw, []byte("\x1b]52")) {
		t.Errorf("konto wrote an OSC 52 clipboard sequence before any copy was asked for")
	}
	for i, line := range tm.Lines() {
		if w := ansi.StringWidth(line); w > 120 {
			t.Errorf("line %d is %d cells wide: %q", i, w, line)
		}
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with status %d", code)
	}
}

// selectedRow returns the transaction row with the selection marker.
func selectedRow(t *testing.T, tm *term) string {
	t.Helper()
	row := selectedRowOrEmpty(tm)
	if row == "" {
		t.Fatalf("no selected row on screen:\n%s", tm.Screen())
	}
	return row
}

func selectedRowOrEmpty(tm *term) string {
	for _, line := range tm.Lines() {
		if i := strings.Index(line, "▸"); i >= 0 && strings.Contains(line[i:], ".11.") {
			return line[i:]
		}
	}
	return ""
}

// transactionRows returns the booking rows on screen (those with a date).
func transactionRows(tm *term) []string {
	var rows []string
	for _, line := range tm.Lines() {
		if dateRow.MatchString(line) {
			rows = append(rows, line)
		}
	}
	return rows
}
