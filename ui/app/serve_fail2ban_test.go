package app

import (
	"os"
	"regexp"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"konto/ui/sshserve/sshtest"
)

// The fail2ban filter in README.md matches the line a refused login writes.
func TestServeRefusedLoginMatchesTheREADMEsFail2banFilter(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^failregex = (.+)$`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no failregex")
	}
	// fail2ban's <HOST> is an address; the rest is a Python regex this
	// one is also valid Go for.
	failregex := regexp.MustCompile(strings.ReplaceAll(string(m[1]), "<HOST>", `(?P<host>\S+)`))

	profileEnv(t)
	logs := &serveLog{}
	keysPath := t.TempDir() + "/authorized_keys"
	writeFile(t, keysPath, sshtest.AuthorizedLine(sshtest.NewKey(t), "work", ""))
	opts := ServeOptions{AuthorizedKeys: keysPath}
	h := startServeWithLogger(t, opts, newServeLogger(logs))
	if _, err := gossh.Dial("tcp", h.addr, &gossh.ClientConfig{User: "root", Auth: []gossh.AuthMethod{gossh.PublicKeys(sshtest.NewKey(t))},
		HostKeyCallback: gossh.FixedHostKey(h.hostKey)}); err == nil {
		t.Fatal("an unknown key logged in")
	}
	waitUntil(t, func() bool { return strings.Contains(logs.String(), "login refused") })
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "login refused") {
			line = l
		}
	}
	sub := failregex.FindStringSubmatch(line)
	if sub == nil || sub[1] != "127.0.0.1" {
		t.Fatalf("the README's failregex %q does not find the host in\n%s", failregex, line)
	}
}
