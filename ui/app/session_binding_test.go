package app

// A session belongs to the bank it was made for: a stored refresh token is
// never sent to another API URL, a replaced one is ended at its bank, the
// auth token in hand is ended when konto quits (over SSH when the last
// session of a profile ends), and `konto logout` says only what is true.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store"
	"konto/ui/sshserve/sshtest"
)

// bankLog records what reached a bank: each request's method, path and
// Authorization header, and the refresh tokens it handed out.
type bankLog struct {
	next http.Handler

	mu       sync.Mutex
	requests []seenRequest
	issued   []string // answers to POST /api/user/refresh-token, oldest first
	events   []string // requests and the test's own marks, in order
}

type seenRequest struct{ Method, Path, Auth string }

func (l *bankLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	l.requests = append(l.requests, seenRequest{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization")})
	l.events = append(l.events, r.Method+" "+strings.TrimRight(r.URL.Path, "/"))
	l.mu.Unlock()
	if l.next == nil {
		http.Error(w, `{"message":"nothing here"}`, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost || strings.TrimRight(r.URL.Path, "/") != "/api/user/refresh-token" {
		l.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	l.next.ServeHTTP(rec, r)
	var out struct{ Token string }
	if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &out) == nil && out.Token != "" {
		l.mu.Lock()
		l.issued = append(l.issued, out.Token)
		l.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// mark notes a step of the test among the requests.
func (l *bankLog) mark(s string) {
	l.mu.Lock()
	l.events = append(l.events, s)
	l.mu.Unlock()
}

func (l *bankLog) seen() []seenRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]seenRequest(nil), l.requests...)
}

func (l *bankLog) tokens() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.issued...)
}

func (l *bankLog) order() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.events...)
}

// dataToken is the bearer token of the latest request for the account list
// (an auth token), "" if there was none.
func (l *bankLog) dataToken() string {
	reqs := l.seen()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == http.MethodGet && strings.TrimRight(reqs[i].Path, "/") == "/api/accounts" {
			return strings.TrimPrefix(reqs[i].Auth, "Bearer ")
		}
	}
	return ""
}

// loggedSandbox serves a sandbox bank behind a bankLog.
func loggedSandbox(t *testing.T, opts sandbox.Options) (*bankLog, string) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = apitest.Clock(t)
	}
	bank, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	log := &bankLog{next: bank}
	srv := httptest.NewServer(log)
	t.Cleanup(srv.Close)
	return log, srv.URL
}

// accountsStatus asks the bank at url for the account list with
// "Authorization: Bearer token" and returns the HTTP status.
func accountsStatus(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+"/api/accounts", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// refreshWorks reports whether the bank at url still trades refresh for an
// auth token.
func refreshWorks(t *testing.T, url, refresh string) bool {
	t.Helper()
	client, err := api.New(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.AuthTokenFromRefresh(context.Background(), refresh)
	if err != nil && !errors.Is(err, api.ErrUnauthorized) {
		t.Fatalf("ask the bank about a refresh token: %v", err)
	}
	return err == nil
}

// flatScreen is the screen's text with box borders removed and the lines
// joined by single spaces, so a wrapped sentence reads as one.
func flatScreen(lines []string) string {
	var words []string
	for _, l := range lines {
		l = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(l)
		words = append(words, strings.Fields(l)...)
	}
	return strings.Join(words, " ")
}

// sessionHome gives this process the environment of a user whose home is a
// new temp dir, without a keyring, and returns the home.
func sessionHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_CACHE_HOME": filepath.Join(home, "cache"),
		"XDG_DATA_HOME": filepath.Join(home, "data"), "DBUS_SESSION_BUS_ADDRESS": "disabled:", "KONTO_REFRESH_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	return home
}

// kontoLogin runs `konto login args…` in this process with login and
// password typed on stdin; it returns the exit status and what was printed.
func kontoLogin(t *testing.T, login, password string, args ...string) (int, string, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := fmt.Fprintf(w, "%s\n%s\n", login, password); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var stdout, stderr bytes.Buffer
	f := testFactory(&stdout, &stderr)
	f.Stdin = r
	code := Main(f, testUsage, testCommands(f), append([]string{"login"}, args...))
	return code, stdout.String(), stderr.String()
}

// Logged in to sandbox A, konto is started with the API URL of a server
// that logs every request: it receives nothing (the stored token least of
// all), and the login screen says why it is asked.
func TestE2EStoredSessionIsNeverSentToAnotherBank(t *testing.T) {
	bl, bankURL := loggedSandbox(t, sandbox.Options{Transactions: 50})
	home := t.TempDir()
	tm := startKontoHome(t, home, nil, 100, 30, "--api-url", bankURL, "--insecure-storage")
	tm.WaitFor(t, "Log in to your bank account", startup)
	tm.Send("Aladdin", "tab", "OpenSesame", "enter")
	tm.WaitFor(t, "…4711", startup)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("the first run: exit %d", code)
	}
	issued := bl.tokens()
	if len(issued) != 1 {
		t.Fatalf("the sandbox issued %d refresh tokens, want 1", len(issued))
	}

	other := &bankLog{}
	otherSrv := httptest.NewServer(other)
	t.Cleanup(otherSrv.Close)
	tm = startKontoHome(t, home, nil, 100, 30, "--api-url", otherSrv.URL)
	want := "The stored session is for " + bankURL + "; log in to " + otherSrv.URL
	tm.waitUntil(t, startup, fmt.Sprintf("%q on the login screen", want), func(string) bool {
		return strings.Contains(flatScreen(tm.Lines()), want)
	})
	tm.WaitFor(t, "Log in to your bank account", startup)
	tm.Send("esc")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("esc on the login screen: exit %d", code)
	}
	for _, r := range other.seen() {
		if r.Auth != "" || strings.Contains(fmt.Sprint(r), issued[0]) {
			t.Errorf("the other server received %s %s with an Authorization header", r.Method, r.Path)
		}
	}
	if n := len(other.seen()); n != 0 {
		t.Errorf("the other server received %d requests before any login: %v", n, other.seen())
	}
	if !refreshWorks(t, bankURL, issued[0]) {
		t.Error("the session at sandbox A ended although nobody logged in anywhere else")
	}
}

// On quit konto ends the auth token it holds; the refresh token stays good
// for the next start.
func TestE2EQuitEndsTheAuthToken(t *testing.T) {
	bl, bankURL := loggedSandbox(t, sandbox.Options{Transactions: 50})
	client, err := api.New(bankURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	refresh, err := client.CreateRefreshToken(context.Background(), api.Credentials{Email: "Aladdin", Password: "OpenSesame"})
	if err != nil {
		t.Fatal(err)
	}
	tm := startKontoHome(t, t.TempDir(), []string{"KONTO_REFRESH_TOKEN=" + refresh}, 100, 30, "--api-url", bankURL, "--no-cache")
	tm.WaitFor(t, "…4711", startup)
	auth := bl.dataToken()
	if auth == "" {
		t.Fatal("konto asked for no account list")
	}
	if code := accountsStatus(t, bankURL, auth); code != http.StatusOK {
		t.Fatalf("konto's auth token does not work while it runs: %d", code)
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if code := accountsStatus(t, bankURL, auth); code != http.StatusUnauthorized {
		t.Errorf("the auth token konto held still works after it quit: %d, want 401", code)
	}
	if !refreshWorks(t, bankURL, refresh) {
		t.Error("the refresh token was ended too: the next start could not use it")
	}
}

// A second `konto login` ends the session it replaces, at that session's
// own bank, after the new one is stored; the new one keeps working.
func TestSecondLoginEndsTheReplacedSession(t *testing.T) {
	sessionHome(t)
	bl, bankURL := loggedSandbox(t, sandbox.Options{Transactions: 20})
	if code, out, errOut := kontoLogin(t, "Aladdin", "OpenSesame", "--api-url", bankURL, "--insecure-storage"); code != 0 {
		t.Fatalf("first login: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := kontoLogin(t, "Aladdin", "OpenSesame", "--api-url", bankURL, "--insecure-storage")
	if code != 0 {
		t.Fatalf("second login: exit %d\n%s%s", code, out, errOut)
	}
	issued := bl.tokens()
	if len(issued) != 2 {
		t.Fatalf("the sandbox issued %d refresh tokens, want 2", len(issued))
	}
	if refreshWorks(t, bankURL, issued[0]) {
		t.Error("the replaced refresh token still works at the bank")
	}
	if !refreshWorks(t, bankURL, issued[1]) {
		t.Error("the new refresh token does not work")
	}
	if !strings.Contains(out, "Ended the session it replaces") {
		t.Errorf("konto login does not say it ended the replaced session:\n%s", out)
	}

	// A login to another bank ends the replaced session at its own bank,
	// and sends it nowhere else.
	otherLog, otherURL := loggedSandbox(t, sandbox.Options{Transactions: 20})
	if code, out, errOut := kontoLogin(t, "Aladdin", "OpenSesame", "--api-url", otherURL, "--insecure-storage"); code != 0 {
		t.Fatalf("login to another bank: exit %d\n%s%s", code, out, errOut)
	}
	if refreshWorks(t, bankURL, issued[1]) {
		t.Error("the session replaced by a login to another bank still works at its bank")
	}
	for _, r := range otherLog.seen() {
		if strings.Contains(r.Auth, issued[1]) {
			t.Errorf("the other bank received the replaced session's token: %s %s", r.Method, r.Path)
		}
	}
}

// With nothing stored, `konto logout` says so, and nothing else.
func TestLogoutWithoutSessionSaysOnlyThat(t *testing.T) {
	sessionHome(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"logout", "--profile", "nosuch", "--insecure-storage"}, &stdout, &stderr)
	if code != 0 || stdout.String() != "No session of profile nosuch is stored.\n" || stderr.String() != "" {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout.String(), stderr.String())
	}
}

// konto serve refuses a profile whose stored session was made for another
// API URL than the profile's api_url, tells the SSH user why, and sends the
// token nowhere.
func TestServeRefusesAProfileWhoseSessionIsForAnotherBank(t *testing.T) {
	sessionHome(t)
	_, bankURL := loggedSandbox(t, sandbox.Options{Transactions: 20})
	if code, out, errOut := kontoLogin(t, "Aladdin", "OpenSesame", "--api-url", bankURL, "--profile", "home", "--insecure-storage"); code != 0 {
		t.Fatalf("login: exit %d\n%s%s", code, out, errOut)
	}
	other := &bankLog{}
	otherSrv := httptest.NewServer(other)
	t.Cleanup(otherSrv.Close)
	configPath, err := store.ConfigPath(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, configPath, fmt.Sprintf("[profiles.home]\napi_url = %q\n", otherSrv.URL))
	key := sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, sshtest.AuthorizedLine(key, "home", ""))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})
	term := h.open(t, key, 100, 30, sshtest.Options{})
	code, _ := term.ExitStatus(serveWait)
	said := flatScreen(strings.Split(term.Raw(), "\n"))
	if code != 1 || !strings.Contains(said, "is for "+bankURL) || !strings.Contains(said, "konto login --profile home") {
		t.Errorf("status %d, said %q", code, said)
	}
	if n := len(other.seen()); n != 0 {
		t.Errorf("the profile's api_url received %d requests: %v", n, other.seen())
	}
	if !strings.Contains(h.logs.String(), "is for "+bankURL) {
		t.Errorf("the server log does not say why:\n%s", h.logs.String())
	}
}

// Two SSH sessions share a profile's auth token: it is ended at the bank
// when the last of them ends, not before, and once.
func TestServeSharedAuthTokenEndsWithTheLastSession(t *testing.T) {
	sessionHome(t)
	bl, bankURL := loggedSandbox(t, sandbox.Options{Transactions: 20})
	if code, out, errOut := kontoLogin(t, "Aladdin", "OpenSesame", "--api-url", bankURL, "--profile", "home", "--insecure-storage"); code != 0 {
		t.Fatalf("login: exit %d\n%s%s", code, out, errOut)
	}
	configPath, err := store.ConfigPath(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, configPath, fmt.Sprintf("[profiles.home]\napi_url = %q\ncache = false\n", bankURL))
	key := sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, sshtest.AuthorizedLine(key, "home", ""))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})

	first := h.open(t, key, 100, 30, sshtest.Options{})
	dashboardShown(t, first, "profile home")
	second := h.open(t, key, 100, 30, sshtest.Options{})
	dashboardShown(t, second, "profile home")
	auth := bl.dataToken()
	if auth == "" {
		t.Fatal("no account list was asked for")
	}

	first.Send("q")
	if code, err := first.ExitStatus(serveWait); code != 0 || err != nil {
		t.Fatalf("the first session: exit %d, %v", code, err)
	}
	if code := accountsStatus(t, bankURL, auth); code != http.StatusOK {
		t.Fatalf("the shared auth token was ended while a session still runs: %d", code)
	}

	bl.mark("the last session quits")
	second.Send("q")
	if code, err := second.ExitStatus(serveWait); code != 0 || err != nil {
		t.Fatalf("the second session: exit %d, %v", code, err)
	}
	deadline := time.Now().Add(serveWait)
	for accountsStatus(t, bankURL, auth) != http.StatusUnauthorized {
		if time.Now().After(deadline) {
			t.Fatal("the shared auth token still works after the last session ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
	deletes, quit := 0, false
	for _, ev := range bl.order() {
		switch ev {
		case "the last session quits":
			quit = true
		case "DELETE /api/user/auth-token":
			deletes++
			if !quit {
				t.Error("the shared auth token was ended before the last session quit")
			}
		}
	}
	if deletes != 1 {
		t.Errorf("%d DELETEs of the auth token, want 1", deletes)
	}
}

// startToken hands the dashboard a stored session only for the bank it was
// made at (URLs compared as the server sees them); otherwise it says why
// the login screen is shown. A session of an earlier konto, which recorded
// no bank, is the profile's configured api_url's, and recorded as such.
func TestStartTokenOnlyAtTheSessionsBank(t *testing.T) {
	sessionHome(t)
	const configured, other = "http://127.0.0.1:8080", "http://127.0.0.1:8182"
	configPath, err := store.ConfigPath(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, configPath, fmt.Sprintf("api_url = %q\n", configured))
	ctx := context.Background()
	for _, tc := range []struct {
		name, secret, baseURL string
		want                  string   // the token handed out, "" for none
		reason                []string // what the login screen says
		recorded              string   // the API URL stored afterwards
	}{
		{"localhost is another host", `{"api_url":"http://127.0.0.1:8080","refresh_token":"A"}`, "http://LOCALHOST:8080", "", []string{"The stored session is for http://127.0.0.1:8080; log in to http://LOCALHOST:8080"}, configured},
		{"same bank, spelt otherwise", `{"api_url":"http://127.0.0.1:8080/","refresh_token":"A"}`, "HTTP://127.0.0.1:8080", "A", nil, "http://127.0.0.1:8080/"},
		{"another bank", `{"api_url":"http://127.0.0.1:8080","refresh_token":"A"}`, other, "",
			[]string{"The stored session is for " + configured + "; log in to " + other + " to replace it", "--api-url " + configured}, configured},
		{"earlier konto, configured bank", "A", configured, "A", nil, configured},
		{"earlier konto, another bank", "A", other, "", []string{"earlier konto", "api_url " + configured, "log in to " + other}, ""},
		{"damaged", `{"api_url":`, configured, "", []string{"damaged"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := settingsFor(t, os.Getenv, "--api-url", tc.baseURL, "--insecure-storage")
			if err != nil {
				t.Fatal(err)
			}
			e := openSecretsEnv(ctx, testFactory(io.Discard, io.Discard), set)
			if err := e.tokens.Stores()[0].Set(ctx, "default", tc.secret); err != nil {
				t.Fatal(err)
			}
			got, reason := e.tokens.StartToken(ctx, set.prof.APIURL)
			if got != tc.want {
				t.Errorf("token %q, want %q", got, tc.want)
			}
			for _, w := range tc.reason {
				if !strings.Contains(reason, w) {
					t.Errorf("reason %q lacks %q", reason, w)
				}
			}
			if tc.reason == nil && reason != "" {
				t.Errorf("reason %q, want none", reason)
			}
			if sess, err := store.LoadSession(ctx, e.tokens.Stores()[0], "default"); tc.recorded != "" && (err != nil || sess.APIURL != tc.recorded) {
				t.Errorf("stored afterwards: %+v, %v; want it recorded for %s", sess, err, tc.recorded)
			}
		})
	}
	t.Run("KONTO_REFRESH_TOKEN", func(t *testing.T) {
		t.Setenv("KONTO_REFRESH_TOKEN", "E")
		set, err := settingsFor(t, os.Getenv, "--api-url", other, "--insecure-storage")
		if err != nil {
			t.Fatal(err)
		}
		e := openSecretsEnv(ctx, testFactory(io.Discard, io.Discard), set)
		if got, reason := e.tokens.StartToken(ctx, other); got != "E" || reason != "" {
			t.Errorf("token %q, reason %q; want the variable's, whatever the bank", got, reason)
		}
	})
}

// A login in the dialog (or on the login screen) ends the session it
// replaces at that session's own bank, after the new one is stored.
func TestDialogLoginEndsTheReplacedSessionAtItsBank(t *testing.T) {
	sessionHome(t)
	_, oldURL := loggedSandbox(t, sandbox.Options{Transactions: 20})
	newLog, newURL := loggedSandbox(t, sandbox.Options{Transactions: 20})
	ctx := context.Background()
	client, err := api.New(oldURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	old, err := client.CreateRefreshToken(ctx, api.Credentials{Email: "Aladdin", Password: "OpenSesame"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := settingsFor(t, os.Getenv, "--api-url", newURL, "--insecure-storage")
	if err != nil {
		t.Fatal(err)
	}
	e := openSecretsEnv(ctx, testFactory(io.Discard, io.Discard), set)
	if err := store.SaveSession(ctx, e.tokens.Stores()[0], "default", store.StoredSession{APIURL: oldURL, RefreshToken: old}); err != nil {
		t.Fatal(err)
	}
	res, err := e.loginFunc(newURL, nil)(ctx, api.Credentials{Email: "Aladdin", Password: "OpenSesame"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if sess, err := store.LoadSession(ctx, e.tokens.Stores()[0], "default"); err != nil || sess != (store.StoredSession{APIURL: newURL, RefreshToken: res.RefreshToken}) {
		t.Fatalf("stored %+v, %v; want the new session for %s", sess, err, newURL)
	}
	deadline := time.Now().Add(20 * time.Second)
	for refreshWorks(t, oldURL, old) {
		if time.Now().After(deadline) {
			t.Fatal("the replaced session still works at its bank")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, r := range newLog.seen() {
		if strings.Contains(r.Auth, old) {
			t.Errorf("the new bank received the replaced session's token: %s %s", r.Method, r.Path)
		}
	}
	if !refreshWorks(t, newURL, res.RefreshToken) {
		t.Error("the new session does not work")
	}
}
