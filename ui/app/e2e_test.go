package app

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/api/apitest"
)

// dateRow finds a booking row: a "dd.mm." or "dd.mm.yyyy" date opening a
// row of the list (right after the pane's border, or the stacked layout's
// margin, and the selection mark, so dates in the details do not count).
var dateRow = regexp.MustCompile(`(?:│|^ )[▸ ]\d\d\.\d\d\.(\d{4})?\s`)

// bookingDate finds where a booking's text starts within a row.
var bookingDate = regexp.MustCompile(`\d\d\.\d\d\.(\d{4})?\s`)

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
	tm.WaitFor(t, "…4711", startup) // the doc's account 4711, IBAN shortened
	tm.WaitFor(t, "…4712", startup)
	tm.waitUntil(t, startup, "a balance in euros", balance.MatchString)
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })

	// The newest booking is of the last days before the demo's today (the
	// tests' clock), and it is selected; j selects the next one, k goes back.
	rows := transactionRows(tm)
	first, second := bookingText(rows[0]), bookingText(rows[1])
	if !bookedInTheWeekBefore(first, apitest.Now(t)) {
		t.Errorf("newest booking %q is not of the week before %s", first, apitest.Now(t).In(berlin()).Format("02.01.2006"))
	}
	if got := bookingText(selectedRow(t, tm)); got != first {
		t.Fatalf("selected %q at start, want the newest booking %q", got, first)
	}
	tm.Send("j")
	tm.waitUntil(t, startup, "the second booking selected", func(string) bool {
		return bookingText(selectedRowOrEmpty(tm)) == second
	})
	tm.Send("k")
	tm.waitUntil(t, startup, "the first booking selected again", func(string) bool {
		return bookingText(selectedRowOrEmpty(tm)) == first
	})

	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("q: konto exited with status %d, want 0", code)
	}
}

func TestE2EDetails(t *testing.T) {
	tm := startKonto(t, 80, 24, "--demo")
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 5 })
	tm.Send("j", "enter")
	tm.WaitFor(t, "Details", startup)
	tm.WaitFor(t, "Counterparty", startup)
	tm.WaitFor(t, "Amount", startup)
	tm.Send("esc")
	tm.WaitGone(t, "Counterparty", startup)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("q: konto exited with status %d, want 0", code)
	}
}

func TestE2EFilter(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })
	tm.Send("/")
	tm.Send(strings.Split("finanzamt", "")...) // the seeded tax payments
	tm.Send("enter")
	tm.waitUntil(t, startup, "only Finanzamt bookings listed", func(string) bool {
		rows := transactionRows(tm)
		for _, row := range rows {
			if !strings.Contains(bookingText(row), "Finanzamt") {
				return false
			}
		}
		return len(rows) > 0
	})
	tm.Send("/", "esc") // esc in the filter line clears the filter
	tm.waitUntil(t, startup, "the whole list back", func(string) bool {
		for _, row := range transactionRows(tm) {
			if !strings.Contains(row, "Finanzamt") {
				return true
			}
		}
		return false
	})
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with status %d", code)
	}
}

func TestE2EResizeReflows(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })
	tm.Resize(80, 24)
	tm.waitUntil(t, startup, "a screen redrawn for 80×24", func(s string) bool {
		lines := tm.Lines()
		return len(lines) == 24 && strings.Contains(lines[len(lines)-1], "quit") &&
			strings.Contains(lines[0], "konto") && len(transactionRows(tm)) > 5
	})
	for i, line := range tm.Lines() {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d cells wide: %q", i, w, line)
		}
	}
	// Nothing wrapped: every bordered row is closed by its border.
	for i, line := range tm.Lines()[1:23] {
		if strings.HasPrefix(line, "│") && !strings.HasSuffix(line, "│") {
			t.Errorf("row %d is not closed by its border: %q", i+1, line)
		}
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with status %d", code)
	}
}

func TestE2EHostileDataCannotDriveTheTerminal(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo", "--hostile")
	tm.WaitFor(t, "Accounts", startup)
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })
	title0, n0 := tm.Title()
	// Walk over the newest bookings (the hostile ones are among them) and
	// open each one's details.
	// Each step waits for its screen: a key sent on the heels of esc would
	// be read as alt+key on a busy machine.
	for range 8 {
		tm.Send("j", "enter")
		tm.WaitFor(t, "esc back to the list", startup)
		tm.Send("esc")
		tm.WaitGone(t, "esc back to the list", startup)
	}
	tm.Send("/")
	tm.Send(strings.Split("pwned", "")...)
	tm.WaitFor(t, "pwned", startup)
	tm.Send("enter")
	tm.WaitFor(t, "esc clear filter", startup)
	tm.Send("esc")
	tm.WaitGone(t, "esc clear filter", startup)

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

// balance finds an amount in euros such as "17.325,00 €".
var balance = regexp.MustCompile(`\d,\d\d €`)

// bookingText is a booking row from its date to the end of its pane, without
// the selection marker.
func bookingText(row string) string {
	loc := bookingDate.FindStringIndex(row)
	if loc == nil {
		return ""
	}
	text := row[loc[0]:]
	if i := strings.Index(text, "│"); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSpace(text)
}

// bookedInTheWeekBefore says whether booking (a row's text from its date
// on) is dated today or in the 7 days before, in Berlin.
func bookedInTheWeekBefore(booking string, today time.Time) bool {
	for d := 0; d <= 7; d++ {
		if strings.HasPrefix(booking, today.In(berlin()).AddDate(0, 0, -d).Format("02.01.")) {
			return true
		}
	}
	return false
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
		if i := strings.Index(line, "▸"); i >= 0 && selectedBooking.MatchString(line[i:]) {
			return line[i:]
		}
	}
	return ""
}

// selectedBooking is the selection mark on a booking row (a date follows),
// not on an account.
var selectedBooking = regexp.MustCompile(`^▸\d\d\.\d\d\.`)

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

// In an SSH session (SSH_CONNECTION set) konto starts stacked: the accounts
// above a full-width list. --layout side overrides it, L switches, and a
// wrong --layout is refused before the screen is taken over.
func TestE2ELayoutFollowsTheConnection(t *testing.T) {
	tm := startKontoEnv(t, []string{"SSH_CONNECTION=10.0.0.2 52000 10.0.0.1 22"}, 120, 40, "--demo")
	tm.WaitFor(t, "── Accounts", startup)
	tm.WaitFor(t, "DE09 1101 0100 1000 0047 11", startup) // the IBAN in full on the strip
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })
	if s := tm.Screen(); strings.Contains(s, "Details") || strings.Contains(s, "│") {
		t.Fatalf("not the stacked layout over SSH:\n%s", s)
	}
	tm.Send("L")
	tm.WaitFor(t, "╭─ Details", startup)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("exit %d", code)
	}

	side := startKontoEnv(t, []string{"SSH_TTY=/dev/pts/3"}, 120, 40, "--demo", "--layout", "side")
	side.WaitFor(t, "╭─ Details", startup)
	side.Send("q")
	side.Wait()

	bad := startKonto(t, 80, 24, "--demo", "--layout", "grid")
	bad.WaitFor(t, "auto, side or stacked", startup)
	if code := bad.Wait(); code != 2 {
		t.Errorf("--layout grid exited with %d, want 2", code)
	}
}
