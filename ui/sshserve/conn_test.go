package sshserve

import (
	"bufio"
	"errors"
	"log"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"konto/ui/sshserve/sshtest"
)

// rawConn connects without speaking SSH and waits for the server's version
// line, so the server has counted the connection when it returns; closed
// says whether the server closed it instead.
func rawConn(t *testing.T, addr string) (c net.Conn, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return c, true
	}
	if !strings.HasPrefix(line, "SSH-2.0-") {
		t.Fatalf("server said %q", line)
	}
	return c, false
}

// waitClosed waits until the server closes c.
func waitClosed(t *testing.T, c net.Conn) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 4096)
	for {
		if _, err := c.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server did not close the connection")
			}
			return
		}
	}
}

func TestLoginGraceClosesSilentConnections(t *testing.T) {
	ts := startServer(t, Config{Demo: true, LoginGrace: 300 * time.Millisecond})
	c, closed := rawConn(t, ts.addr)
	if closed {
		t.Fatal("closed at once")
	}
	waitClosed(t, c)
	waitFor(t, func() bool { return strings.Contains(ts.logs.String(), `reason="not logged in within 300ms"`) })
}

func TestDefaultLimits(t *testing.T) {
	if DefaultLoginGrace != 20*time.Second || DefaultSessionGrace != 30*time.Second ||
		DefaultMaxUnauthed != 100 || DefaultMaxUnauthedPerIP != 10 {
		t.Fatal("the default limits changed: update README.md and the usage text")
	}
}

func TestUnauthenticatedConnectionsCapped(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"per address", Config{Demo: true, MaxUnauthenticatedPerIP: 3, MaxUnauthenticated: 50}},
		{"in all", Config{Demo: true, MaxUnauthenticatedPerIP: 10, MaxUnauthenticated: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.LoginGrace = time.Minute
			ts := startServer(t, tc.cfg)
			var held []net.Conn
			for range 3 {
				c, closed := rawConn(t, ts.addr)
				if closed {
					t.Fatal("a connection within the cap was closed")
				}
				held = append(held, c)
			}
			for range 5 {
				if _, closed := rawConn(t, ts.addr); !closed {
					t.Fatal("a connection beyond the cap was kept")
				}
			}
			if n := strings.Count(ts.logs.String(), "too many connections not logged in"); n != 1 {
				t.Errorf("%d log lines for the refused flood, want 1 (at most one a second):\n%s", n, ts.logs.String())
			}
			// A place freed is a place for a real client again.
			held[0].Close()
			waitFor(t, func() bool {
				c, err := sshtest.Dial(ts.addr, sshtest.NewKey(t), ts.hostKey)
				if err != nil {
					return false
				}
				c.Close()
				return true
			})
		})
	}
}

func TestLoggedInConnectionWithoutSessionClosed(t *testing.T) {
	ts := startServer(t, Config{Demo: true, SessionGrace: 300 * time.Millisecond})
	client := ts.dial(t, sshtest.NewKey(t))
	done := make(chan error, 1)
	go func() { done <- client.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a connection with no session stayed open")
	}
	// With a session open, the deadline does not apply.
	client = ts.dial(t, sshtest.NewKey(t))
	term, err := sshtest.Open(client, 80, 24, sshtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	term.WaitFor(t, "size=80x24", 5*time.Second)
	time.Sleep(600 * time.Millisecond) // two deadlines: the session must stay
	term.Send("x")
	term.WaitFor(t, "typed=x", 5*time.Second)
}

func TestRefusedLoginsLoggedForFail2ban(t *testing.T) {
	known := sshtest.NewKey(t)
	ts := startServer(t, Config{AuthorizedKeysPath: writeKeys(t, sshtest.AuthorizedLine(known, "work", ""))})
	dial := func(user string, auth ...gossh.AuthMethod) {
		_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.FixedHostKey(ts.hostKey)})
		if err == nil {
			t.Fatalf("%s logged in", user)
		}
	}
	stranger := sshtest.NewKey(t)
	// Clients only try what the server offers (public keys): "none" first.
	dial("root", gossh.Password("hunter2"))
	dial("nobody")                                           // "none" only
	dial("mallory", gossh.PublicKeys(stranger))              // an unknown key
	dial("eve\n konto serve: login refused from 10.9.9.9 x") // a user name trying to forge a line
	ts.open(t, known, 80, 24).WaitFor(t, "profile=work", 5*time.Second)
	// An agent offering another key before the right one: no refusal.
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: "me", Auth: []gossh.AuthMethod{gossh.PublicKeys(stranger, known)},
		HostKeyCallback: gossh.FixedHostKey(ts.hostKey)})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	// Three unknown keys on one connection: one line.
	dial("trudy", gossh.PublicKeys(sshtest.NewKey(t), sshtest.NewKey(t), stranger))

	// The filter documented in README.md.
	failregex := regexp.MustCompile(`(?m)^login refused from (\S+) port \d+ user="`)
	want := []string{
		`user="root" method=none key=- reason="no key offered"`,
		`user="nobody" method=none key=- reason="no key offered"`,
		`user="mallory" method=publickey key=` + Fingerprint(stranger.PublicKey()) + ` reason="key not in the authorized keys"`,
		`user="trudy" method=publickey key=` + Fingerprint(stranger.PublicKey()) + ` reason="key not in the authorized keys (3 keys offered)"`,
	}
	waitFor(t, func() bool { return len(failregex.FindAllString(ts.logs.String(), -1)) >= 5 })
	logs := ts.logs.String()
	for _, w := range want {
		if !strings.Contains(logs, "login refused from 127.0.0.1 port ") || !strings.Contains(logs, w) {
			t.Errorf("log lacks %s:\n%s", w, logs)
		}
	}
	for _, m := range failregex.FindAllStringSubmatch(logs, -1) {
		if m[1] != "127.0.0.1" {
			t.Errorf("a line matches for host %s:\n%s", m[1], logs)
		}
	}
	if n := len(failregex.FindAllString(logs, -1)); n != 5 {
		t.Errorf("%d refusal lines, want 5 (the good logins write none):\n%s", n, logs)
	}
}

type fakeMeta struct {
	gossh.ConnMetadata
	user string
}

func (m fakeMeta) User() string { return m.user }

// A password guesser sends passwords whatever the server offers.
func TestRefusedPasswordLogged(t *testing.T) {
	logs := &syncBuffer{}
	s := &Server{cfg: Config{LoginGrace: time.Second}, logger: log.New(logs, "", 0)}
	c := &conn{cs: newConns(s), ip: "192.0.2.1", port: "4711", unauthed: false}
	c.authAttempt(fakeMeta{user: "root"}, "password", errors.New("ssh: password auth not configured"))
	c.authAttempt(fakeMeta{user: "admin"}, "keyboard-interactive", errors.New("ssh: keyboard-interactive auth not configured"))
	want := `login refused from 192.0.2.1 port 4711 user="root" method=password key=- reason="password logins are not offered (public keys only)"
login refused from 192.0.2.1 port 4711 user="admin" method=keyboard-interactive key=- reason="keyboard-interactive logins are not offered (public keys only)"
`
	if logs.String() != want {
		t.Fatalf("log:\n%s\nwant:\n%s", logs, want)
	}
}

func TestOnlyModernAlgorithms(t *testing.T) {
	ts := startServer(t, Config{Demo: true})
	key := sshtest.NewKey(t)
	dial := func(c gossh.Config) error {
		client, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{Config: c, User: "konto",
			Auth: []gossh.AuthMethod{gossh.PublicKeys(key)}, HostKeyCallback: gossh.FixedHostKey(ts.hostKey)})
		if err == nil {
			client.Close()
		}
		return err
	}
	for name, legacy := range map[string]gossh.Config{
		"kex dh-group14-sha1":                              {KeyExchanges: []string{gossh.InsecureKeyExchangeDH14SHA1}},
		"kex dh-group1-sha1":                               {KeyExchanges: []string{gossh.InsecureKeyExchangeDH1SHA1}},
		"kex dh-group14-sha256 (no forward-looking curve)": {KeyExchanges: []string{gossh.KeyExchangeDH14SHA256}},
		"kex nistp256":                                     {KeyExchanges: []string{gossh.KeyExchangeECDHP256}},
		"mac hmac-sha1":                                    {Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.HMACSHA1}},
		"mac hmac-sha1-96":                                 {Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.InsecureHMACSHA196}},
		"mac hmac-sha2-256":                                {Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.HMACSHA256}},
		"cipher aes128-cbc":                                {Ciphers: []string{gossh.InsecureCipherAES128CBC}},
		"cipher 3des-cbc":                                  {Ciphers: []string{gossh.InsecureCipherTripleDESCBC}},
	} {
		if err := dial(legacy); err == nil || !strings.Contains(err.Error(), "no common algorithm") {
			t.Errorf("%s: err = %v, want no common algorithm", name, err)
		}
	}
	for name, modern := range map[string]gossh.Config{
		"mlkem768x25519":    {KeyExchanges: []string{gossh.KeyExchangeMLKEM768X25519}},
		"curve25519":        {KeyExchanges: []string{gossh.KeyExchangeCurve25519}},
		"chacha20-poly1305": {Ciphers: []string{gossh.CipherChaCha20Poly1305}},
		"aes256-gcm":        {Ciphers: []string{gossh.CipherAES256GCM}},
		"aes-ctr etm":       {Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.HMACSHA256ETM}},
	} {
		if err := dial(modern); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
