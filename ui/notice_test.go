package ui

import (
	"strings"
	"testing"
	"time"

	"konto/ui/common"
	"konto/ui/uitest"
)

// A warning leaves the top line at the first key pressed once it could be
// read, and that key still does its job; the connection stays beside it.
func TestAKeyDismissesAWarning(t *testing.T) {
	m, _ := start(t, 50, 80, 24)
	now := uitest.Now
	m.c.Now = func() time.Time { return now }
	const warning = "not logged in: showing the offline copy; the login comes back at the next poll"
	send(m, common.NoticeMsg{Level: common.NoticeWarning, Text: warning})
	top := strings.Split(screen(t, m), "\n")[0]
	if !strings.Contains(top, "Sandbox (demo)") || !strings.Contains(top, "not logged in") || !strings.Contains(top, "…") {
		t.Fatalf("top line %q", top)
	}
	now = now.Add(3 * time.Second)
	before := m.txs.Selected()
	keys(m, "j")
	if top := strings.Split(screen(t, m), "\n")[0]; strings.Contains(top, "not logged in") {
		t.Fatalf("the warning outlived a key: %q", top)
	}
	if m.txs.Selected() == before {
		t.Fatal("the key that dismissed the warning did nothing else")
	}
}
