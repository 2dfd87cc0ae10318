package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// lowestOnScreen is the accounts pane's first "ahead: lowest …" (or, in a
// narrow pane, "low …") line.
var lowestOnScreen = regexp.MustCompile(`low(?:est)? [^ ]+ €`)

// Looking ahead against the sandbox: a new standing order shows in the
// accounts pane's forward line; once the sandbox's clock passes its first
// execution, the sync announces it (order_executed); and a transfer of the
// same amount to the same IBAN stops at the guard, which enter does not
// pass.
func TestE2ELookahead(t *testing.T) {
	b := startPayBank(t, "")
	config := t.TempDir()
	if err := os.MkdirAll(filepath.Join(config, "konto"), 0o700); err != nil {
		t.Fatal(err)
	}
	rules := "[[alerts]]\nwhen = \"order_executed\"\nbell = true\ndesktop = \"osc9\"\n"
	if err := os.WriteFile(filepath.Join(config, "konto", "config.toml"), []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--api-url", b.url}
	env := []string{"KONTO_REFRESH_TOKEN=" + b.token, "KONTO_NOW=" + b.bank.Now().Format(time.RFC3339Nano), "XDG_CONFIG_HOME=" + config}
	tm := startKontoEnv(t, env, 120, 40, args...)
	tm.WaitFor(t, "payments on", startup)
	tm.waitUntil(t, startup, "the forward line", func(s string) bool { return lowestOnScreen.MatchString(s) })
	before := lowestOnScreen.FindString(tm.Screen())

	const iban = "DE02120300000000202051"
	tm.Send("2")
	tm.WaitFor(t, "Tierheim", startup)
	tm.Send("n")
	tm.WaitFor(t, "New standing order", startup)
	tm.Send("Hausverwaltung Sonnenhof", "tab", iban, "tab", "950,00", "tab", "Miete", "tab",
		"tab", "tab", b.berlinDay(1), "ctrl+s")
	tm.WaitFor(t, "Review", startup)
	tm.WaitFor(t, "after this and your scheduled payments: lowest", startup)
	tm.Send("enter")
	confirmWithTAN(t, tm, b, 1)
	waitRow(t, tm, "Hausverwaltung Sonnenhof", "−950,00")
	tm.waitUntil(t, startup, "the forward line with the new order", func(s string) bool {
		now := lowestOnScreen.FindString(s)
		return now != "" && now != before
	})

	// The sandbox's clock passes the first execution; a refresh syncs.
	b.bank.Advance(48 * time.Hour)
	tm.Send("1", "r")
	tm.WaitFor(t, "standing order executed: −950,00 €", startup)
	if raw := string(tm.Raw()); !strings.Contains(raw, "\x1b]9;") || !strings.Contains(raw, "\a") {
		t.Error("no bell or OSC 9 notification written")
	}
	tm.Send("N")
	tm.WaitFor(t, "Notices", startup)
	tm.WaitFor(t, "Hausverwaltung Sonnenhof", startup)
	tm.Send("esc")
	tm.WaitGone(t, "Notices", startup)

	// The same amount to the same IBAN again: the guard.
	fillTransfer(t, tm, "Hausverwaltung Sonnenhof", iban, "950,00", "Miete")
	tm.WaitFor(t, "paid twice?", startup)
	tm.WaitFor(t, "950,00 €", startup)
	tm.Send("enter", "enter")
	time.Sleep(200 * time.Millisecond) // nothing should happen: give it the chance
	if n := b.count("POST", "/api/accounts/*/transfer"); n != 0 {
		t.Fatalf("enter went past the guard: %d creates", n)
	}
	tm.WaitFor(t, "ctrl+y pay all the same", startup)
}
