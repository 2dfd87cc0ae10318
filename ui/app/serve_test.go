package app

// konto serve end to end: the real dashboard per SSH session, reached with a
// golang.org/x/crypto/ssh client over loopback, each session's screen kept
// by an x/vt emulator (ui/sshserve/sshtest).

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	gossh "golang.org/x/crypto/ssh"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/api/sepa"
	"konto/store"
	"konto/ui/sshserve"
	"konto/ui/sshserve/sshtest"
)

const serveWait = 20 * time.Second // generous: -race on two shared cores

type serveHarness struct {
	srv     *sshserve.Server
	addr    string
	hostKey gossh.PublicKey
	logs    *serveLog
}

// serveLog is the server's log, written from many goroutines.
type serveLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *serveLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *serveLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs newServeServer (what `konto serve` runs) on a loopback
// port with a host key in a temp dir and no rate limit to speak of.
func startServe(tb testing.TB, opts ServeOptions) *serveHarness {
	tb.Helper()
	return startServeWithLogger(tb, opts, nil)
}

// startServeWithLogger is startServe logging to logger (nil: the harness's
// log, without time stamps).
func startServeWithLogger(tb testing.TB, opts ServeOptions, logger *log.Logger) *serveHarness {
	tb.Helper()
	opts.HostKey = filepath.Join(tb.TempDir(), "ssh_host_ed25519_key")
	if opts.RateLimit == 0 {
		opts.RateLimit, opts.RateBurst = 1000, 1000
	}
	h := &serveHarness{logs: &serveLog{}}
	ctx, cancel := context.WithCancel(context.Background())
	if logger == nil {
		logger = log.New(h.logs, "", 0)
	}
	srv, fingerprint, release, err := newServeServer(ctx, testFactory(io.Discard, io.Discard), opts, logger)
	if err != nil {
		cancel()
		tb.Fatalf("newServeServer: %v", err)
	}
	signer, created, err := sshserve.LoadOrCreateHostKey(opts.HostKey)
	if err != nil || created || sshserve.Fingerprint(signer.PublicKey()) != fingerprint {
		tb.Fatalf("host key not kept: created=%v err=%v", created, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	h.srv, h.addr, h.hostKey = srv, ln.Addr().String(), signer.PublicKey()
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() {
		_ = srv.Close()
		cancel()
		release()
		if tb.Failed() {
			tb.Logf("server log:\n%s", h.logs.String())
		}
	})
	return h
}

func (h *serveHarness) open(tb testing.TB, key gossh.Signer, w, ht int, opt sshtest.Options) *sshtest.Term {
	tb.Helper()
	client, err := sshtest.Dial(h.addr, key, h.hostKey)
	if err != nil {
		tb.Fatalf("dial: %v", err)
	}
	term, err := sshtest.Open(client, w, ht, opt)
	if err != nil {
		client.Close()
		tb.Fatalf("open session: %v", err)
	}
	tb.Cleanup(func() {
		term.Close()
		client.Close()
	})
	return term
}

// dashboardShown waits for the dashboard's top line and first bookings.
// The top line names the connection, beside the demo greeting too.
func dashboardShown(tb testing.TB, term *sshtest.Term, connection string) {
	tb.Helper()
	term.WaitUntil(tb, serveWait, "the top line of "+connection, func(screen string) bool {
		// "konto · " may give way to a notice (the demo greeting at 80
		// columns); the connection may not.
		top, _, _ := strings.Cut(screen, "\n")
		return strings.Contains(top+" ", " "+connection+" ")
	})
	term.WaitFor(tb, "bookings", serveWait)
}

// historySynced waits until the transaction list holds the account's whole
// history: the list's first line says "N bookings" with no "syncing" after
// it. Until then the full sync may land at any moment and rebuild the list
// (and, with a filter open, clear its matches until they are computed
// again), so a key sent meanwhile may find nothing selected.
func historySynced(tb testing.TB, term *sshtest.Term) {
	tb.Helper()
	term.WaitUntil(tb, serveWait, "the whole history synced", func(screen string) bool {
		return bookingCount.MatchString(screen) && !strings.Contains(screen, "syncing")
	})
}

// bookingCount is the transaction list's count line ("│1200 bookings" in
// a box, " 1200 bookings" in the stacked layout).
var bookingCount = regexp.MustCompile(`(?:│| )\d+ bookings?\b`)

// frameFits checks the screen is h lines and the first pane's top edge
// (a box's border, or the stacked layout's rule) spans exactly w cells.
func frameFits(term *sshtest.Term, w, h int) bool {
	lines := term.Lines()
	if len(lines) != h {
		return false
	}
	row := lines[1]
	box := strings.HasPrefix(row, "╭") && strings.HasSuffix(row, "╮")
	rule := strings.HasPrefix(row, "── ") && strings.HasSuffix(row, "─")
	return (box || rule) && utf8.RuneCountInString(row) == w
}

func sessionsUnderTest() int {
	if n, err := strconv.Atoi(os.Getenv("KONTO_SERVE_SESSIONS")); err == nil && n > 1 {
		return n
	}
	return 6
}

func TestServeDemoSessionOpensDashboardInItsColours(t *testing.T) {
	h := startServe(t, ServeOptions{Demo: true})
	key := sshtest.NewKey(t)
	truecolor := h.open(t, key, 120, 40, sshtest.Options{Env: map[string]string{"COLORTERM": "truecolor"}})
	dashboardShown(t, truecolor, demoConnection)
	truecolor.WaitFor(t, "▸ Main", serveWait)
	truecolor.WaitFor(t, "Account 2", serveWait)
	truecolor.WaitFor(t, "demo: your own sandbox bank", serveWait)
	if !strings.Contains(truecolor.Raw(), "38;2;") {
		t.Error("a truecolor client got no 24-bit colours")
	}

	basic := h.open(t, key, 80, 24, sshtest.Options{Term: "xterm"})
	dashboardShown(t, basic, demoConnection)
	if raw := basic.Raw(); strings.Contains(raw, "38;2;") || strings.Contains(raw, "38;5;") {
		t.Error("a 16-colour client got 256 or 24-bit colours")
	}
	if !strings.Contains(h.logs.String(), "profile=(demo)") {
		t.Errorf("no connect line in the log:\n%s", h.logs.String())
	}
}

func TestServeDemoSessionsAreIsolated(t *testing.T) {
	banks := make(chan *DemoBank, 1)
	h := startServe(t, ServeOptions{Demo: true, demoStarted: func(b *DemoBank) { banks <- b }})
	key := sshtest.NewKey(t)
	const n = 3
	terms := make([]*sshtest.Term, n)
	seen := map[*sandbox.Bank]bool{}
	for i := range n {
		terms[i] = h.open(t, key, 100, 30, sshtest.Options{})
		bank := <-banks
		if seen[sandboxOf(bank)] {
			t.Fatal("two sessions got the same sandbox bank")
		}
		seen[sandboxOf(bank)] = true
		dashboardShown(t, terms[i], demoConnection)
		// A transfer only this session's bank knows of, sent over its API
		// with the TAN from its SMS outbox.
		sendDemoTransfer(t, bank, fmt.Sprintf("Iso-check %d", i))
	}
	for i, term := range terms {
		term.Send("r")
		term.WaitFor(t, fmt.Sprintf("Iso-check %d", i), serveWait)
	}
	for i, term := range terms {
		for j := range n {
			if j != i && strings.Contains(term.Screen(), fmt.Sprintf("Iso-check %d", j)) {
				t.Errorf("session %d shows session %d's booking:\n%s", i, j, term.Screen())
			}
		}
	}
}

// sendDemoTransfer sends 1,00 € from account 4711 of a session's sandbox
// bank to recipient, confirmed with the TAN the bank "sent by SMS".
func sendDemoTransfer(t *testing.T, bank *DemoBank, recipient string) {
	t.Helper()
	client := demoClient(t, bank)
	ctx := context.Background()
	pending, err := client.CreateTransfer(ctx, 4711, api.TransferRequest{Recipient: recipient, IBAN: "DE89370400440532013000", Amount: 100})
	if err != nil {
		t.Fatalf("create transfer: %v", err)
	}
	sms, err := client.SandboxSMS(ctx)
	if err != nil || len(sms) == 0 {
		t.Fatalf("sandbox SMS: %v (%d)", err, len(sms))
	}
	if _, err := client.ConfirmTransfer(ctx, pending, sms[len(sms)-1].TAN); err != nil {
		t.Fatalf("confirm transfer: %v", err)
	}
}

// demoClient is an API client of a demo session's bank, logged in as the
// session is (its token source stops with the test).
func demoClient(t *testing.T, bank *DemoBank) *api.Client {
	t.Helper()
	src, err := api.NewJWTSource(bank.URL, bank.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.Close)
	client, err := api.New(bank.URL, src)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// TestServeProfilesConcurrently runs sessions of two profiles at once (6 by
// default; KONTO_SERVE_SESSIONS=20 for the full load): each sees only
// its profile's accounts, resizes on its own, and quits on its own while the
// others keep working.
func TestServeProfilesConcurrently(t *testing.T) {
	env := profileEnv(t)
	alice, aliceLaptop, bob := sshtest.NewKey(t), sshtest.NewKey(t), sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, strings.Join([]string{
		"# two keys share alice's profile",
		sshtest.AuthorizedLine(alice, "alice", "alice@desk"),
		sshtest.AuthorizedLine(aliceLaptop, "alice", "alice@laptop"),
		sshtest.AuthorizedLine(bob, "bob", "bob@home"),
	}, "\n"))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})

	// Unknown keys get no further than authentication.
	if _, err := sshtest.Dial(h.addr, sshtest.NewKey(t), h.hostKey); err == nil {
		t.Fatal("an unknown key was let in")
	}

	n := sessionsUnderTest()
	type sess struct {
		term     *sshtest.Term
		own, not string // an account only this profile has, and one only the other has
		w, h     int
	}
	sessions := make([]sess, n)
	profiles := make([]string, n)
	for i := range n {
		key, own, not, profile := alice, env.aliceAccount, env.bobAccount, "alice"
		switch i % 3 {
		case 1:
			key = aliceLaptop
		case 2:
			key, own, not, profile = bob, env.bobAccount, env.aliceAccount, "bob"
		}
		sessions[i] = sess{term: h.open(t, key, 100, 30, sshtest.Options{}), own: own, not: not}
		profiles[i] = profile
	}
	// All of them load at once; the waits are only checks.
	for i, s := range sessions {
		dashboardShown(t, s.term, "profile "+profiles[i])
		s.term.WaitFor(t, s.own, serveWait)
	}
	for i, s := range sessions {
		if strings.Contains(s.term.Screen(), s.not) {
			t.Fatalf("session %d sees the other profile's account %s:\n%s", i, s.not, s.term.Screen())
		}
		if strings.Contains(s.term.Screen(), "offline cache") {
			t.Fatalf("session %d could not share its profile's cache:\n%s", i, s.term.Screen())
		}
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "konto", "alice.db")); err != nil {
		t.Errorf("alice's offline cache was not opened: %v", err)
	}

	// Each resizes to its own size.
	for i := range sessions {
		s := &sessions[i]
		s.w, s.h = 90+3*i, 26+i%5
		if err := s.term.Resize(s.w, s.h); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range sessions {
		s.term.WaitUntil(t, serveWait, fmt.Sprintf("session %d drawn at %dx%d", i, s.w, s.h), func(string) bool {
			return frameFits(s.term, s.w, s.h)
		})
	}

	// Half quit (q and ctrl+c); the others keep working.
	for i, s := range sessions {
		switch i % 4 {
		case 0:
			s.term.Send("q")
		case 2:
			s.term.Send("ctrl+c")
		}
	}
	for i, s := range sessions {
		if i%2 != 0 {
			continue
		}
		if code, err := s.term.ExitStatus(serveWait); err != nil || code != 0 {
			t.Fatalf("session %d quit with status %d, %v", i, code, err)
		}
	}
	for i, s := range sessions {
		if i%2 == 0 {
			continue
		}
		s.term.Send("?")
		s.term.WaitFor(t, "Moving", serveWait) // the full help opened
		s.term.Send("esc")
		if !frameFits(s.term, s.w, s.h) && !strings.Contains(s.term.Screen(), s.own) {
			t.Errorf("session %d lost its screen:\n%s", i, s.term.Screen())
		}
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "profile=alice") || !strings.Contains(logs, "profile=bob") || strings.Contains(logs, env.secret) {
		t.Errorf("log lines wrong (or a token leaked):\n%s", logs)
	}
}

func TestServeProfileWithoutStoredSessionIsRefused(t *testing.T) {
	profileEnv(t)
	key := sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, sshtest.AuthorizedLine(key, "carol", ""))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})
	term := h.open(t, key, 80, 24, sshtest.Options{})
	if code, _ := term.ExitStatus(serveWait); code != 1 || !strings.Contains(term.Raw(), `konto login --profile carol`) {
		t.Fatalf("status %d, output %q", code, term.Raw())
	}
}

func TestServeFlags(t *testing.T) {
	getenv := func(k string) string {
		return map[string]string{"XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/config"}[k]
	}
	parseServe := func(args []string, stderr io.Writer) (ServeOptions, int) {
		return parseServeFlags(&Factory{Getenv: getenv, IO: IOStreams{Out: io.Discard, ErrOut: stderr}}, args)
	}
	opts, code := parseServe(nil, io.Discard)
	if code != -1 || opts.Listen != "127.0.0.1:2222" || opts.HostKey != "/data/konto/ssh_host_ed25519_key" ||
		opts.AuthorizedKeys != "/config/konto/authorized_keys" || opts.IdleTimeout != 15*time.Minute || opts.MaxSessions != 20 || opts.Demo {
		t.Fatalf("defaults: %+v (code %d)", opts, code)
	}
	var stderr strings.Builder
	if _, code := parseServe([]string{"--max-sessions", "-1"}, &stderr); code != 2 {
		t.Fatalf("negative --max-sessions accepted")
	}
	if _, code := parseServe([]string{"extra"}, &stderr); code != 2 {
		t.Fatalf("stray argument accepted")
	}
	if opts.Layout != "auto" {
		t.Fatalf("default --layout = %q", opts.Layout)
	}
	stderr.Reset()
	if _, code := parseServe([]string{"--layout", "grid"}, &stderr); code != 2 || !strings.Contains(stderr.String(), "auto, side or stacked") {
		t.Fatalf("--layout grid: code %d, %q", code, stderr.String())
	}
}

// profileEnvironment is a sandbox with two users and a konto config whose
// profiles alice and bob hold their stored sessions.
type profileEnvironment struct {
	aliceAccount, bobAccount string // an IBAN only that profile has, grouped as the accounts strip shows it
	secret                   string // a refresh token, which must never reach the log
}

func profileEnv(t *testing.T) profileEnvironment {
	t.Helper()
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_CACHE_HOME": filepath.Join(home, "cache"),
		"XDG_DATA_HOME": filepath.Join(home, "data"), "DBUS_SESSION_BUS_ADDRESS": "disabled:", "KONTO_REFRESH_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	users := []sandbox.User{{Login: "alice@example.com", Password: "alice-pw"}, {Login: "bob@example.com", Password: "bob-pw"}}
	bank, err := sandbox.New(sandbox.Options{Users: users, Transactions: 200, Now: apitest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	bankSrv := httptest.NewServer(bank)
	t.Cleanup(bankSrv.Close)

	secretsDir, err := store.SecretsDir(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	secrets := store.NewFileSecrets(secretsDir)
	client, err := api.New(bankSrv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	var env profileEnvironment
	config := ""
	for i, u := range users {
		profile := strings.Split(u.Login, "@")[0]
		tok, err := client.CreateRefreshToken(context.Background(), api.Credentials{Email: u.Login, Password: u.Password})
		if err != nil {
			t.Fatal(err)
		}
		if err := secrets.Set(context.Background(), profile, tok); err != nil {
			t.Fatal(err)
		}
		iban := bank.Accounts(u.Login)[0].IBAN
		if i == 0 {
			env.aliceAccount, env.secret = sepa.FormatIBAN(iban), tok
		} else {
			env.bobAccount = sepa.FormatIBAN(iban)
		}
		// alice's sessions share one offline cache; bob has none.
		config += fmt.Sprintf("[profiles.%s]\napi_url = %q\ncache = %v\n", profile, bankSrv.URL, i == 0)
	}
	configPath, err := store.ConfigPath(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, configPath, config)
	return env
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestServeDemoSessionReleasesItsBankOnQuit(t *testing.T) {
	banks := make(chan *DemoBank, 1)
	h := startServe(t, ServeOptions{Demo: true, demoStarted: func(b *DemoBank) { banks <- b }})
	term := h.open(t, sshtest.NewKey(t), 80, 24, sshtest.Options{})
	bank := <-banks
	dashboardShown(t, term, demoConnection)
	if _, err := http.Get(bank.URL + "/api/accounts"); err != nil {
		t.Fatalf("the session's bank does not answer while it runs: %v", err)
	}
	term.Send("q")
	if code, err := term.ExitStatus(serveWait); err != nil || code != 0 {
		t.Fatalf("quit: status %d, %v", code, err)
	}
	waitUntil(t, func() bool {
		_, err := http.Get(bank.URL + "/api/accounts")
		return err != nil
	})
	waitUntil(t, func() bool { return h.srv.Sessions() == 0 })
}

// TestServeSIGTERMClosesSessionsWithANotice runs the built binary: konto
// serve --demo, a session, then SIGTERM.
func TestServeSIGTERMClosesSessionsWithANotice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin, err := kontoBinary()
	if err != nil {
		t.Skipf("konto does not build: %v", err)
	}
	home := t.TempDir()
	cmd := exec.Command(bin, "serve", "--demo", "--listen", "127.0.0.1:0")
	cmd.Env = append(cleanEnv(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr serveLog
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	var addr, fingerprint string
	for lines.Scan() && (addr == "" || fingerprint == "") {
		if a, ok := strings.CutPrefix(lines.Text(), "konto serve: listening on "); ok {
			addr = a
		}
		if f, ok := strings.CutPrefix(lines.Text(), "host key "); ok {
			fingerprint, _, _ = strings.Cut(f, " ")
		}
	}
	if addr == "" || !strings.HasPrefix(fingerprint, "SHA256:") {
		t.Fatalf("no address or host key fingerprint printed (stderr %s)", stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	var hostKey gossh.PublicKey
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "visitor",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(sshtest.NewKey(t))},
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			hostKey = key
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if got := gossh.FingerprintSHA256(hostKey); got != fingerprint {
		t.Fatalf("printed fingerprint %s, server presents %s", fingerprint, got)
	}
	term, err := sshtest.Open(client, 100, 30, sshtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	dashboardShown(t, term, demoConnection)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	term.WaitFor(t, "shutting down", serveWait)
	if code, err := term.ExitStatus(serveWait); err != nil || code != 0 {
		t.Fatalf("session: status %d, %v", code, err)
	}
	if !strings.Contains(term.Raw(), "session closed") {
		t.Errorf("no goodbye line: %q", term.Raw())
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("konto serve exited with %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(serveWait):
		t.Fatal("konto serve did not exit after SIGTERM")
	}
	if info, err := os.Stat(filepath.Join(home, "data", "konto", "ssh_host_ed25519_key")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key not at the XDG data path with mode 0600: %v %v", info, err)
	}
}

func waitUntil(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(serveWait)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestServeCopyReachesTheClientTerminal: the detail pane's "copy IBAN" is an
// OSC 52 sequence written to the session's channel, so the SSH client's
// terminal (not the server's) gets the text.
//
// Every key is sent only once the screen shows the state it acts on: the
// whole history synced (a sync landing later rebuilds the list and would
// leave the details empty for a moment, swallowing y), the booking selected,
// and its details open and showing that booking's IBAN.
func TestServeCopyReachesTheClientTerminal(t *testing.T) {
	banks := make(chan *DemoBank, 1)
	h := startServe(t, ServeOptions{Demo: true, demoStarted: func(b *DemoBank) { banks <- b }})
	term := h.open(t, sshtest.NewKey(t), 120, 40, sshtest.Options{})
	bank := <-banks
	// The booking the filter selects: the newest of Lektorat Weber (they
	// pay by transfer: it has an IBAN), as the session's own bank has it.
	iban := newestIBAN(t, bank, "Lektorat")
	dashboardShown(t, term, demoConnection)
	historySynced(t, term)

	term.Send("/", "Lektorat", "enter")
	term.WaitUntil(t, serveWait, "Lektorat selected", func(screen string) bool {
		return slices.ContainsFunc(strings.Split(screen, "\n"), func(l string) bool {
			return strings.Contains(l, "▸") && strings.Contains(l, "Lektorat")
		})
	})
	term.Send("enter") // over SSH the stacked layout opens the details as a dialog
	term.WaitUntil(t, serveWait, "the details of that booking with its IBAN", func(screen string) bool {
		return strings.Contains(screen, "y copy IBAN") && strings.Contains(screen, sepa.FormatIBAN(iban))
	})
	term.Send("y")
	term.WaitOutput(t, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(iban)), serveWait)
}

// newestIBAN is the IBAN of the newest booking of the demo bank's main
// account whose counterparty's name contains name.
func newestIBAN(t *testing.T, bank *DemoBank, name string) string {
	t.Helper()
	client := demoClient(t, bank)
	ctx, cancel := context.WithTimeout(context.Background(), serveWait)
	defer cancel()
	for p := 1; ; p++ {
		page, err := client.TransactionsPage(ctx, 4711, p)
		if err != nil {
			t.Fatalf("transactions page %d: %v", p, err)
		}
		for _, tx := range page.Results {
			if strings.Contains(api.Str(tx.Name), name) {
				if api.Str(tx.IBAN) == "" {
					t.Fatalf("the newest booking of %s has no IBAN", name)
				}
				return sepa.NormalizeIBAN(api.Str(tx.IBAN))
			}
		}
		if page.Next == nil || len(page.Results) == 0 {
			t.Fatalf("no booking of %s", name)
		}
	}
}

// Over SSH the stacked layout is the default (a scroll moves whole lines);
// --layout side brings the three panes, and L switches one session only.
func TestServeLayouts(t *testing.T) {
	h := startServe(t, ServeOptions{Demo: true})
	key := sshtest.NewKey(t)
	stacked := h.open(t, key, 120, 40, sshtest.Options{})
	other := h.open(t, key, 120, 40, sshtest.Options{})
	for _, term := range []*sshtest.Term{stacked, other} {
		dashboardShown(t, term, demoConnection)
		term.WaitFor(t, "── Accounts", serveWait)
		if strings.Contains(term.Screen(), "Details") {
			t.Fatalf("a details pane in the default SSH layout:\n%s", term.Screen())
		}
	}
	stacked.Send("L")
	stacked.WaitFor(t, "╭─ Details", serveWait)
	time.Sleep(100 * time.Millisecond)
	if s := other.Screen(); strings.Contains(s, "Details") || !frameFits(other, 120, 40) {
		t.Fatalf("L in one session changed another:\n%s", s)
	}

	side := startServe(t, ServeOptions{Demo: true, Layout: "side"})
	term := side.open(t, key, 120, 40, sshtest.Options{})
	dashboardShown(t, term, demoConnection)
	term.WaitFor(t, "╭─ Details", serveWait)
}

// A one-row scroll at 120×40 sends the terminal a scroll and the rows that
// changed, not the list. The goal is 300 B (BenchmarkServeScrollBytes
// reports the figure); this fails only well above it, where a change has
// brought back a repaint (side by side, the list costs ~1.5 KB a row).
func TestServeScrollSendsOnlyWhatChanged(t *testing.T) {
	h := startServe(t, ServeOptions{Demo: true})
	term := h.open(t, sshtest.NewKey(t), 120, 40, sshtest.Options{})
	dashboardShown(t, term, demoConnection)
	historySynced(t, term)
	term.Settle(term.Received(), 200*time.Millisecond, 5*time.Second)
	// To the last visible row, then ten rows further.
	for range 40 {
		before := term.Received()
		term.Send("j")
		term.Settle(before, 50*time.Millisecond, 5*time.Second)
	}
	const scrolls = 10
	start := len(term.Raw())
	var total int64
	for range scrolls {
		before := term.Received()
		term.Send("j")
		total += term.Settle(before, 50*time.Millisecond, 5*time.Second)
	}
	raw := term.Raw()[start:]
	if !regexp.MustCompile(`\x1b\[\d+;\d+r`).MatchString(raw) {
		t.Errorf("no scroll region set while scrolling: %q", raw)
	}
	if per := total / scrolls; per > 450 {
		t.Errorf("%d B per one-row scroll (goal ≤ 300): %q", per, raw)
	}
}

// A profile's stored session changes to another user on the server (`konto
// login` there while the server runs; the bank then refuses the old one):
// the next SSH session reads the new session and must show nothing of the
// previous user's, although the server holds the profile's cache, filled
// with the previous user's data, open all along.
func TestServeProfileWhoseStoredSessionChangesUserShowsOnlyTheNewUsersData(t *testing.T) {
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_CACHE_HOME": filepath.Join(home, "cache"),
		"XDG_DATA_HOME": filepath.Join(home, "data"), "DBUS_SESSION_BUS_ADDRESS": "disabled:", "KONTO_REFRESH_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	alice, bob := sandbox.User{Login: "alice@example.com", Password: "alice-pw"}, sandbox.User{Login: "bob@example.com", Password: "bob-pw"}
	// Short-lived auth tokens: the server's token source soon asks for a new
	// one, and learns that the old session is over.
	bank, err := sandbox.New(sandbox.Options{Users: []sandbox.User{alice, bob}, Transactions: 120, TokenTTL: 3 * time.Second, Now: apitest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	bankSrv := httptest.NewServer(bank)
	t.Cleanup(bankSrv.Close)
	client, err := api.New(bankSrv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	login := func(u sandbox.User) string {
		tok, err := client.CreateRefreshToken(context.Background(), api.Credentials{Email: u.Login, Password: u.Password})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	secretsDir, err := store.SecretsDir(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	secrets := store.NewFileSecrets(secretsDir)
	aliceToken := login(alice)
	if err := secrets.Set(context.Background(), "home", aliceToken); err != nil {
		t.Fatal(err)
	}
	configPath, err := store.ConfigPath(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, configPath, fmt.Sprintf("[profiles.home]\napi_url = %q\ncache = true\n", bankSrv.URL))
	key := sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, sshtest.AuthorizedLine(key, "home", "the family laptop"))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})

	// What of Alice's would show: her IBANs in either form, and her login
	// (the sandbox names her in transfers between her accounts).
	alicesTraces := []string{alice.Login}
	for _, a := range bank.Accounts(alice.Login) {
		alicesTraces = append(alicesTraces, sepa.FormatIBAN(a.IBAN), sepa.ShortIBAN(a.IBAN))
	}
	bobs := sepa.FormatIBAN(bank.Accounts(bob.Login)[0].IBAN)

	// 1. Alice's session fills the profile's cache.
	first := h.open(t, key, 100, 30, sshtest.Options{})
	dashboardShown(t, first, "profile home")
	first.WaitFor(t, alicesTraces[1], serveWait)
	historySynced(t, first)
	cachePath, err := store.CachePath(os.Getenv, "home")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cachePath); err != nil {
		t.Fatalf("the profile's cache was not opened: %v", err)
	}

	// 2. `konto login` on the server as Bob: his session is stored, the
	// cache (held by the server) deleted; the bank ends Alice's session.
	bobToken := login(bob)
	if err := secrets.Set(context.Background(), "home", bobToken); err != nil {
		t.Fatal(err)
	}
	said, err := store.ClaimCacheFile(os.Getenv, "home", api.TokenSubject(bobToken))
	if err != nil || !strings.Contains(said, "in use by another konto") {
		t.Fatalf("konto login's claim of the cache the server holds: %q, %v", said, err)
	}
	if err := client.InvalidateRefreshToken(context.Background(), aliceToken); err != nil {
		t.Fatal(err)
	}
	first.WaitFor(t, "log in needed", serveWait) // the server forgot Alice's session

	// 3. The next session is Bob's: nothing of Alice's on any frame.
	second := h.open(t, key, 100, 30, sshtest.Options{})
	seen := ""
	second.WaitUntil(t, serveWait, "Bob's account and history", func(s string) bool {
		for _, trace := range alicesTraces {
			if seen == "" && strings.Contains(s, trace) {
				seen = trace + " on Bob's screen:\n" + s
			}
		}
		return seen != "" || strings.Contains(s, bobs) && bookingCount.MatchString(s) && !strings.Contains(s, "syncing")
	})
	if seen != "" {
		t.Fatalf("Alice's %s", seen)
	}
	raw := second.Raw()
	for _, trace := range alicesTraces {
		if strings.Contains(raw, trace) {
			t.Errorf("the server sent Alice's %s to Bob's session", trace)
		}
	}
	if !strings.Contains(h.logs.String(), "cleared the offline cache") {
		t.Errorf("the server did not say it cleared the cache:\n%s", h.logs.String())
	}
}
