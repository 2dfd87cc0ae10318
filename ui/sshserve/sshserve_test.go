package sshserve

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"konto/ui/sshserve/sshtest"
)

// echoModel is a tiny session model: it shows its profile, size, colour
// profile, the keys typed and the last notice. "q" quits, "p" panics in
// Update, "v" makes View panic.
type echoModel struct {
	profile   string
	w, h      int
	colors    string
	typed     string
	notice    string
	viewPanic bool
}

type noticeMsg string

func (m *echoModel) Init() tea.Cmd { return nil }

func (m *echoModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.ColorProfileMsg:
		m.colors = msg.String()
	case noticeMsg:
		m.notice = string(msg)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		case "p":
			panic("test hook: panic in Update")
		case "v":
			m.viewPanic = true
		default:
			m.typed += msg.String()
		}
	}
	return m, nil
}

func (m *echoModel) View() tea.View {
	if m.viewPanic {
		panic("test hook: panic in View")
	}
	v := tea.NewView(fmt.Sprintf("profile=%s\nsize=%dx%d\ncolors=%s\ntyped=%s\nnotice=%s",
		m.profile, m.w, m.h, m.colors, m.typed, m.notice))
	v.AltScreen = true
	return v
}

type testServer struct {
	srv     *Server
	addr    string
	hostKey gossh.PublicKey
	served  chan error
	logs    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startServer serves cfg on a loopback port; cfg gets a host key, the echo
// model factory and a generous rate limit unless it sets its own.
func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	ts := &testServer{served: make(chan error, 1), logs: &syncBuffer{}}
	if cfg.HostKey == nil {
		signer, _, err := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "host_key"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.HostKey = signer
	}
	ts.hostKey = cfg.HostKey.PublicKey()
	if cfg.NewSession == nil {
		cfg.NewSession = func(info SessionInfo) (*Session, error) {
			if info.Identity.Profile == "explode" {
				panic("test hook: panic in the factory")
			}
			return &Session{Model: &echoModel{profile: info.Identity.Profile}}, nil
		}
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit, cfg.RateBurst = 1000, 1000
	}
	if cfg.Notice == nil {
		cfg.Notice = func(s string) tea.Msg { return noticeMsg(s) }
	}
	if cfg.Log == nil {
		cfg.Log = log.New(ts.logs, "", 0)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.srv, ts.addr = srv, ln.Addr().String()
	go func() { ts.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", ts.logs.String())
		}
	})
	return ts
}

func (ts *testServer) dial(t *testing.T, key gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := sshtest.Dial(ts.addr, key, ts.hostKey)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (ts *testServer) open(t *testing.T, key gossh.Signer, w, h int) *sshtest.Term {
	t.Helper()
	term, err := sshtest.Open(ts.dial(t, key), w, h, sshtest.Options{})
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	t.Cleanup(term.Close)
	return term
}

func writeKeys(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuthorizedKeyOpensItsProfile(t *testing.T) {
	work, home, shared := sshtest.NewKey(t), sshtest.NewKey(t), sshtest.NewKey(t)
	ts := startServer(t, Config{AuthorizedKeysPath: writeKeys(t,
		"# konto keys",
		sshtest.AuthorizedLine(work, "work", "me@laptop"),
		"",
		sshtest.AuthorizedLine(home, "home", ""),
		sshtest.AuthorizedLine(shared, "work", "colleague"), // two keys, one profile
	)})
	for key, profile := range map[gossh.Signer]string{work: "work", home: "home", shared: "work"} {
		term := ts.open(t, key, 80, 24)
		term.WaitFor(t, "profile="+profile+"\n", 5*time.Second)
		term.Send("q")
		if code, err := term.ExitStatus(5 * time.Second); err != nil || code != 0 {
			t.Fatalf("quit: status %d, %v", code, err)
		}
	}
	logs := ts.logs.String()
	if !strings.Contains(logs, "connect 127.0.0.1:") || !strings.Contains(logs, "key="+Fingerprint(work.PublicKey())+" profile=work") ||
		!strings.Contains(logs, ": quit") {
		t.Errorf("log lacks connect/disconnect lines with fingerprint and profile:\n%s", logs)
	}
}

func TestUnknownKeyRefused(t *testing.T) {
	known := sshtest.NewKey(t)
	ts := startServer(t, Config{AuthorizedKeysPath: writeKeys(t, sshtest.AuthorizedLine(known, "work", ""))})
	_, err := sshtest.Dial(ts.addr, sshtest.NewKey(t), ts.hostKey)
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("unknown key: err = %v, want an authentication failure", err)
	}
}

func TestPasswordAuthNotOffered(t *testing.T) {
	ts := startServer(t, Config{Demo: true})
	_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "konto",
		Auth:            []gossh.AuthMethod{gossh.Password("secret"), gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.FixedHostKey(ts.hostKey),
	})
	if err == nil || !strings.Contains(err.Error(), "[none]") && !strings.Contains(err.Error(), "publickey") {
		t.Fatalf("password login: err = %v, want refused with publickey the only method", err)
	}
}

func TestKeyWithoutProfileRefusedWithMessage(t *testing.T) {
	key := sshtest.NewKey(t)
	ts := startServer(t, Config{AuthorizedKeysPath: writeKeys(t, sshtest.AuthorizedLine(key, "", "nameless"))})
	sess, err := ts.dial(t, key).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("")
	var ee *gossh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	if !strings.Contains(string(out), "names no konto profile") || !strings.Contains(string(out), `konto-profile="NAME"`) {
		t.Fatalf("output %q does not say the profile is missing", out)
	}
}

func TestNoPTYRefusedInOneLine(t *testing.T) {
	ts := startServer(t, Config{Demo: true})
	sess, err := ts.dial(t, sshtest.NewKey(t)).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("ls")
	var ee *gossh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	if lines := strings.Split(strings.TrimRight(string(out), "\r\n"), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "PTY") {
		t.Fatalf("output %q, want one line asking for a PTY", out)
	}
}

func TestPanicEndsOnlyThatSession(t *testing.T) {
	key, boom := sshtest.NewKey(t), sshtest.NewKey(t)
	ts := startServer(t, Config{AuthorizedKeysPath: writeKeys(t,
		sshtest.AuthorizedLine(key, "work", ""),
		sshtest.AuthorizedLine(boom, "explode", ""),
	)})
	bystander := ts.open(t, key, 80, 24)
	bystander.WaitFor(t, "profile=work", 5*time.Second)

	for _, hook := range []string{"p", "v"} { // panic in Update, in View
		victim := ts.open(t, key, 80, 24)
		victim.WaitFor(t, "profile=work", 5*time.Second)
		victim.Send(hook)
		if code, err := victim.ExitStatus(5 * time.Second); err != nil || code != 1 {
			t.Fatalf("%s: status %d, %v; want 1", hook, code, err)
		}
		if !strings.Contains(victim.Raw(), "internal error") {
			t.Errorf("%s: the session did not say why it ended: %q", hook, victim.Raw())
		}
	}
	// A panic in the factory, outside the program: the recover middleware.
	exploded := ts.open(t, boom, 80, 24)
	if code, err := exploded.ExitStatus(5 * time.Second); err != nil || code != 1 {
		t.Fatalf("factory panic: status %d, %v; want 1", code, err)
	}

	bystander.Send("x")
	bystander.WaitFor(t, "typed=x", 5*time.Second)
	fresh := ts.open(t, key, 80, 24)
	fresh.WaitFor(t, "profile=work", 5*time.Second)
	if !strings.Contains(ts.logs.String(), "panic") {
		t.Errorf("panics were not logged:\n%s", ts.logs.String())
	}
}

func TestIdleTimeoutCountsInputOnly(t *testing.T) {
	ts := startServer(t, Config{Demo: true, IdleTimeout: 400 * time.Millisecond})
	term := ts.open(t, sshtest.NewKey(t), 80, 24)
	term.WaitFor(t, "size=80x24", 5*time.Second)
	for range 4 { // typing keeps the session alive past the timeout
		time.Sleep(150 * time.Millisecond)
		term.Send("a")
	}
	select {
	case <-term.Done():
		t.Fatal("session closed while the user was typing")
	default:
	}
	term.WaitFor(t, "typed=aaaa", 5*time.Second)
	if code, err := term.ExitStatus(5 * time.Second); err != nil || code != 0 {
		t.Fatalf("idle: status %d, %v", code, err)
	}
	if !strings.Contains(term.Raw(), "without input") {
		t.Errorf("no idle notice in %q", term.Raw())
	}
}

func TestMaxSessions(t *testing.T) {
	ts := startServer(t, Config{Demo: true, MaxSessions: 2})
	key := sshtest.NewKey(t)
	a, b := ts.open(t, key, 80, 24), ts.open(t, key, 80, 24)
	a.WaitFor(t, "size=", 5*time.Second)
	b.WaitFor(t, "size=", 5*time.Second)
	full := ts.open(t, key, 80, 24)
	if code, _ := full.ExitStatus(5 * time.Second); code != 1 || !strings.Contains(full.Raw(), "server is full (2 sessions)") {
		t.Fatalf("third session: status %d, output %q", code, full.Raw())
	}
	a.Send("q")
	if _, err := a.ExitStatus(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return ts.srv.Sessions() == 1 })
	again := ts.open(t, key, 80, 24)
	again.WaitFor(t, "size=", 5*time.Second)
}

func TestRateLimitPerIP(t *testing.T) {
	ts := startServer(t, Config{Demo: true, RateLimit: 0.001, RateBurst: 2})
	key := sshtest.NewKey(t)
	for range 2 {
		ts.open(t, key, 80, 24).WaitFor(t, "size=", 5*time.Second)
	}
	limited := ts.open(t, key, 80, 24)
	if code, _ := limited.ExitStatus(5 * time.Second); code != 1 || !strings.Contains(limited.Raw(), "rate limit") {
		t.Fatalf("third session in a burst of 2: status %d, output %q", code, limited.Raw())
	}
}

func TestSessionsAreIndependent(t *testing.T) {
	ts := startServer(t, Config{Demo: true})
	key := sshtest.NewKey(t)
	client := ts.dial(t, key)
	// Two sessions on one connection, two colour profiles.
	truecolor, err := sshtest.Open(client, 100, 30, sshtest.Options{Env: map[string]string{"COLORTERM": "truecolor"}})
	if err != nil {
		t.Fatal(err)
	}
	defer truecolor.Close()
	basic, err := sshtest.Open(client, 80, 24, sshtest.Options{Term: "xterm"})
	if err != nil {
		t.Fatal(err)
	}
	defer basic.Close()
	truecolor.WaitFor(t, "colors=TrueColor", 5*time.Second)
	basic.WaitFor(t, "colors=ANSI\n", 5*time.Second)

	if err := truecolor.Resize(120, 40); err != nil {
		t.Fatal(err)
	}
	truecolor.WaitFor(t, "size=120x40", 5*time.Second)
	basic.Send("z")
	basic.WaitFor(t, "typed=z", 5*time.Second)
	if !strings.Contains(basic.Screen(), "size=80x24") || strings.Contains(truecolor.Screen(), "typed=z") {
		t.Fatalf("sessions leaked into each other:\n%s\n---\n%s", truecolor.Screen(), basic.Screen())
	}
	basic.Send("ctrl+c")
	if code, err := basic.ExitStatus(5 * time.Second); err != nil || code != 0 {
		t.Fatalf("ctrl+c: status %d, %v", code, err)
	}
	truecolor.Send("y")
	truecolor.WaitFor(t, "typed=y", 5*time.Second)
}

func TestShutdownNotifiesAndClosesSessions(t *testing.T) {
	var closed sync.WaitGroup
	closed.Add(1)
	ts := startServer(t, Config{Demo: true, ShutdownGrace: 300 * time.Millisecond,
		NewSession: func(SessionInfo) (*Session, error) {
			return &Session{Model: &echoModel{}, Close: closed.Done, Greeting: "welcome"}, nil
		}})
	term := ts.open(t, sshtest.NewKey(t), 80, 24)
	term.WaitFor(t, "notice=welcome", 5*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shutdown := make(chan error, 1)
	go func() { shutdown <- ts.srv.Shutdown(ctx, "konto is restarting") }()
	term.WaitFor(t, "notice=konto is restarting", 5*time.Second)
	if code, err := term.ExitStatus(5 * time.Second); err != nil || code != 0 {
		t.Fatalf("status %d, %v", code, err)
	}
	if !strings.Contains(term.Raw(), "shutting down") {
		t.Errorf("no goodbye line in %q", term.Raw())
	}
	closed.Wait() // the session's Close ran
	if err := <-shutdown; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-ts.served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve returned %v", err)
	}
	if _, err := sshtest.Dial(ts.addr, sshtest.NewKey(t), ts.hostKey); err == nil {
		t.Fatal("server still accepts connections after Shutdown")
	}
}

func TestFactoryErrorRefusesWithItsSentence(t *testing.T) {
	ts := startServer(t, Config{Demo: true, NewSession: func(SessionInfo) (*Session, error) {
		return nil, errors.New(`profile "work" has no stored session on this server`)
	}})
	term := ts.open(t, sshtest.NewKey(t), 80, 24)
	if code, _ := term.ExitStatus(5 * time.Second); code != 1 || !strings.Contains(term.Raw(), `konto: profile "work" has no stored session`) {
		t.Fatalf("status %d, output %q", code, term.Raw())
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
