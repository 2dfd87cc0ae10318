package app

import (
	"path/filepath"
	"strings"
	"testing"

	"konto/ui/sshserve/sshtest"
)

// A key marked konto-readonly opens a session that says read-only, lists
// no key that moves money, and cannot switch payments on; the same
// profile's other key can.
func TestServeReadOnlyKey(t *testing.T) {
	env := profileEnv(t)
	phone, desk := sshtest.NewKey(t), sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, "konto-readonly,"+sshtest.AuthorizedLine(phone, "alice", "alice@phone")+"\n"+
		sshtest.AuthorizedLine(desk, "alice", "alice@desk"))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})

	term := h.open(t, phone, 120, 40, sshtest.Options{})
	dashboardShown(t, term, "profile alice")
	term.WaitFor(t, env.aliceAccount, serveWait)
	if top := strings.Split(term.Screen(), "\n")[0]; !strings.Contains(top, "read-only") {
		t.Fatalf("top line %q", top)
	}
	term.Send("ctrl+w")
	term.Send("t")
	term.WaitFor(t, "this session is read-only", serveWait)
	if s := term.Screen(); strings.Contains(s, "Switch payments on") || strings.Contains(s, "New transfer") {
		t.Fatalf("a way to move money:\n%s", s)
	}
	term.Send("?")
	term.WaitFor(t, "Payments (off)", serveWait)
	if s := term.Screen(); strings.Contains(s, "t transfer") || strings.Contains(s, "ctrl+w") || strings.Contains(s, "R pay again") {
		t.Fatalf("? shows a payment key:\n%s", s)
	}

	other := h.open(t, desk, 120, 40, sshtest.Options{})
	dashboardShown(t, other, "profile alice")
	other.WaitFor(t, "payments on", serveWait)
}
