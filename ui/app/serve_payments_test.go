package app

// Payments over SSH (issue 6: "payments work over SSH exactly as locally,
// TAN dialog included"): the flow of e2e_payments_test.go, typed into a
// konto serve --demo session through a real SSH client, with the TAN read
// from the dialog's "sandbox SMS" notice as a visitor reads it.

import (
	"regexp"
	"strings"
	"testing"

	"konto/api/sandbox"
	"konto/api/sepa"
	"konto/ui/sshserve/sshtest"
)

// smsTAN is the TAN dialog's demo notice: "✉ sandbox SMS: your TAN is 123456".
var smsTAN = regexp.MustCompile(`sandbox SMS: your TAN is (\d+)`)

func TestServeDemoTransferWithTAN(t *testing.T) {
	banks := make(chan *DemoBank, 1)
	h := startServe(t, ServeOptions{Demo: true, demoStarted: func(b *DemoBank) { banks <- b }})
	key := sshtest.NewKey(t)
	term := h.open(t, key, 120, 40, sshtest.Options{})
	bank := <-banks
	// A second visitor at the same time, with a bank of its own.
	other := h.open(t, key, 120, 40, sshtest.Options{})
	otherBank := <-banks
	if sandboxOf(otherBank) == sandboxOf(bank) {
		t.Fatal("two sessions got the same sandbox bank")
	}

	before := mainBalance(t, bank)
	dashboardShown(t, term, demoConnection)
	waitAccountBalance(t, term, before)
	dashboardShown(t, other, demoConnection)
	otherBefore := mainBalance(t, otherBank)
	waitAccountBalance(t, other, otherBefore)

	// The form, then its review.
	term.Send("t")
	term.WaitFor(t, "New transfer from", serveWait)
	term.Send("Karl Brenner", "tab", "DE89370400440532013000", "tab", "12,50", "tab", "Thank you for lunch")
	term.Send("ctrl+s")
	term.WaitFor(t, "Review", serveWait)
	term.WaitFor(t, "twelve euros and fifty cents", serveWait)
	term.Send("enter")

	// The TAN dialog, and in it the TAN the demo bank "sent by SMS".
	term.WaitFor(t, "Confirm with TAN", serveWait)
	var tan string
	term.WaitUntil(t, serveWait, "the sandbox SMS in the TAN dialog", func(screen string) bool {
		if m := smsTAN.FindStringSubmatch(screen); m != nil {
			tan = m[1]
		}
		return tan != ""
	})
	outbox := sandboxOf(bank).Outbox()
	if len(outbox) != 1 || outbox[0].TAN != tan {
		t.Fatalf("the dialog shows TAN %s; the session's bank sent %+v", tan, outbox)
	}
	if n := len(sandboxOf(otherBank).Outbox()); n != 0 {
		t.Fatalf("the other session's bank sent %d SMS", n)
	}
	term.Send(tan, "enter")

	// Sent: the notice first (it shows for a few seconds), then the booking
	// and the new balance from the reload that follows.
	term.WaitUntil(t, serveWait, "the success notice", func(screen string) bool {
		top, _, _ := strings.Cut(screen, "\n")
		return strings.Contains(top, "sent 12,50 € to Karl Brenner")
	})
	term.WaitUntil(t, serveWait, "the TAN dialog closed", func(screen string) bool {
		return !strings.Contains(screen, "Confirm with TAN")
	})
	after := before - 1250
	waitAccountBalance(t, term, after)
	waitListRow(t, term, "Karl Brenner", "−12,50")
	if got := mainBalance(t, bank); got != after {
		t.Errorf("balance at the session's bank %s, want %s", sepa.FormatEuro(got), sepa.FormatEuro(after))
	}

	// The other session: its own booking shows after a refresh (which
	// proves the refresh went through), the first session's does not.
	sendDemoTransfer(t, otherBank, "Own booking")
	other.Send("r")
	waitListRow(t, other, "Own booking", "−1,00")
	waitAccountBalance(t, other, otherBefore-100)
	if screen := other.Screen(); strings.Contains(screen, "Karl Brenner") || strings.Contains(screen, sepa.FormatEuro(after)) {
		t.Errorf("the other session sees the first one's transfer:\n%s", screen)
	}
	if got := mainBalance(t, otherBank); got != otherBefore-100 {
		t.Errorf("the other session's balance %s, want %s", sepa.FormatEuro(got), sepa.FormatEuro(otherBefore-100))
	}

	term.Send("q")
	if code, err := term.ExitStatus(serveWait); err != nil || code != 0 {
		t.Fatalf("quit: status %d, %v", code, err)
	}
	other.Send("?")
	other.WaitFor(t, "previous pane", serveWait) // the help: still working after the first quit
}

// mainBalance is the balance of account 4711 at a demo session's bank.
func mainBalance(t *testing.T, bank *DemoBank) int64 {
	t.Helper()
	for _, a := range sandboxOf(bank).Accounts(sandbox.DefaultLogin) {
		if a.ID == 4711 {
			return a.Balance
		}
	}
	t.Fatal("no account 4711")
	return 0
}

// waitAccountBalance waits for the accounts pane to show cents as an
// account's balance (the line under the account's name starts with it; a
// form or a review showing the same sum elsewhere does not count).
func waitAccountBalance(t *testing.T, term *sshtest.Term, cents int64) {
	t.Helper()
	want := sepa.FormatEuro(cents)
	term.WaitUntil(t, serveWait, "the balance "+want+" of the main account", func(screen string) bool {
		for i, line := range strings.Split(screen, "\n") {
			// The stacked layout's strip has it on the account's line; a
			// pane on the line under it.
			if (strings.Contains(line, "Main ") && strings.Contains(line, want)) || (i > 2 && strings.HasPrefix(line, "│  "+want)) {
				return true
			}
		}
		return false
	})
}

// waitListRow waits for a screen line holding every one of parts.
func waitListRow(t *testing.T, term *sshtest.Term, parts ...string) {
	t.Helper()
	term.WaitUntil(t, serveWait, "a row with "+strings.Join(parts, ", "), func(screen string) bool {
		for _, line := range strings.Split(screen, "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return true
			}
		}
		return false
	})
}
