package app

// End to end: log in to a sandbox bank through the login screen, quit,
// start again without typing (the session comes from the token file), log
// out. The bank runs in this test process; konto runs in a pty.

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/api/sepa"
	"konto/store"
)

// startKontoHome is startKonto with a home the test chooses, so a second
// run finds what the first one stored (later variables win in exec).
func startKontoHome(t *testing.T, home string, env []string, w, h int, args ...string) *term {
	t.Helper()
	return startKontoEnv(t, append(homeEnv(home), env...), w, h, args...)
}

// homeEnv is the environment of a user whose home is home, without a keyring.
func homeEnv(home string) []string {
	return []string{
		"TERM=xterm-256color",
		"COLORTERM=truecolor",
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"TZ=Europe/Berlin",
		"DBUS_SESSION_BUS_ADDRESS=disabled:", // no keyring, as over SSH
	}
}

// startSandbox serves a sandbox bank in this process.
func startSandbox(t *testing.T) string {
	t.Helper()
	bank, err := sandbox.New(sandbox.Options{Transactions: 300, Now: apitest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestE2ELoginRestoreLogout(t *testing.T) {
	url := startSandbox(t)
	home := t.TempDir()
	tokenFile := filepath.Join(home, "config", "konto", "credentials", "default.token")
	cacheFile := filepath.Join(home, "cache", "konto", "default.db")

	// 1. No session: the login screen, cursor in the email field.
	tm := startKontoHome(t, home, nil, 100, 30, "--api-url", url, "--insecure-storage")
	tm.WaitFor(t, "Log in to your bank account", startup)
	tm.WaitFor(t, "Password", startup)
	tm.Send("Aladdin", "tab", "wrong", "enter")
	tm.WaitFor(t, "wrong email or password", startup)
	if !strings.Contains(tm.Screen(), "Aladdin") {
		t.Fatal("the email was not kept after a failed login")
	}
	tm.Send("OpenSesame", "enter") // the cursor is back in the password
	tm.WaitFor(t, "…4711", startup)
	tm.WaitFor(t, "session", startup)
	if strings.Contains(tm.Screen(), "OpenSesame") {
		t.Fatal("the password is on the screen")
	}
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 5 })
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("q: exit %d", code)
	}
	info, err := os.Stat(tokenFile)
	if err != nil {
		t.Fatalf("no token file after logging in with --insecure-storage: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", info.Mode().Perm())
	}
	if _, err := os.Stat(cacheFile); err != nil {
		t.Fatalf("no offline cache: %v", err)
	}
	token, _ := os.ReadFile(tokenFile)
	if strings.Contains(string(token), "OpenSesame") {
		t.Fatal("the password was stored")
	}
	sess, err := store.LoadSession(context.Background(), store.NewFileSecrets(filepath.Dir(tokenFile)), "default")
	if err != nil || sess.APIURL != url {
		t.Fatalf("the stored session %+v (%v) does not record its bank %s", sess, err, url)
	}

	// 2. Start again: the dashboard at once, nothing typed.
	tm = startKontoHome(t, home, nil, 100, 30, "--api-url", url)
	tm.WaitFor(t, "…4711", startup)
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 5 })
	if strings.Contains(string(tm.Raw()), "Log in to your bank account") {
		t.Fatal("the login screen came up although a session was stored")
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("second run: exit %d", code)
	}

	// 3. Logout: the bank forgets the session, and so does the disk.
	bin, err := kontoBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "logout", "--api-url", url)
	cmd.Env = append(cleanEnv(), homeEnv(home)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("konto logout: %v\n%s", err, out)
	}
	for _, want := range []string{"Ended the session at the bank", "Deleted the stored session", "Deleted the offline cache"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("logout output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{tokenFile, cacheFile} {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after logout (%v)", f, err)
		}
	}
	client, err := api.New(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.AuthTokenFromRefresh(context.Background(), sess.RefreshToken)
	if !errors.Is(err, api.ErrUnauthorized) {
		t.Errorf("the refresh token still works at the bank after logout: %v", err)
	}
}

func TestE2ELoginWithoutKeyringOrConsentStoresNothing(t *testing.T) {
	url := startSandbox(t)
	home := t.TempDir()
	tm := startKontoHome(t, home, nil, 100, 30, "--api-url", url)
	tm.WaitFor(t, "unless you tick the box", startup)
	tm.Send("Aladdin", "tab", "OpenSesame", "enter")
	tm.WaitFor(t, "…4711", startup)
	tm.WaitFor(t, "memory only", startup)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(home, "config", "konto", "credentials")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something secret was written without consent (%v)", err)
	}
}

func TestE2EEnvTokenIsUsedAndNeverWritten(t *testing.T) {
	url := startSandbox(t)
	client, err := api.New(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	refresh, err := client.CreateRefreshToken(context.Background(), api.Credentials{Email: "Aladdin", Password: "OpenSesame"})
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	tm := startKontoHome(t, home, []string{"KONTO_REFRESH_TOKEN=" + refresh}, 100, 30, "--api-url", url, "--insecure-storage", "--no-cache")
	tm.WaitFor(t, "…4711", startup)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, dir := range []string{filepath.Join(home, "config", "konto", "credentials"), filepath.Join(home, "cache", "konto")} {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s written with KONTO_REFRESH_TOKEN and --no-cache (%v)", dir, err)
		}
	}
}

// swapBank serves whichever sandbox it holds, or drops every connection
// while it holds none: a bank that stops and starts again.
type swapBank struct {
	mu   sync.Mutex
	bank *sandbox.Bank
}

func (s *swapBank) set(b *sandbox.Bank) {
	s.mu.Lock()
	s.bank = b
	s.mu.Unlock()
}

func (s *swapBank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	b := s.bank
	s.mu.Unlock()
	if b == nil {
		// No answer at all, as from a stopped server.
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
		return
	}
	b.ServeHTTP(w, r)
}

func newSandbox(t *testing.T) *sandbox.Bank {
	t.Helper()
	bank, err := sandbox.New(sandbox.Options{Transactions: 300, Now: apitest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	return bank
}

// The "Done when", end to end: money arrives while konto runs and is
// announced; the bank goes away and konto browses offline; the bank comes
// back without its tokens, and konto asks for the password in a dialog over
// the dashboard, carries on, and announces what was booked meanwhile.
func TestE2ENewMoneyOfflineAndLoginAgain(t *testing.T) {
	bank := newSandbox(t)
	swap := &swapBank{bank: bank}
	srv := httptest.NewServer(swap)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	cfgDir := filepath.Join(home, "config", "konto")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// The shortest poll the config allows, so the test waits seconds, not a minute.
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("poll_interval = \"5s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const wait = startup + 25*time.Second // a poll, and a backed-off one

	tm := startKontoHome(t, home, nil, 120, 30, "--api-url", srv.URL, "--insecure-storage")
	tm.WaitFor(t, "Log in to your bank account", startup)
	tm.Send("Aladdin", "tab", "OpenSesame", "enter")
	// The whole history synced (and cached): a booking landing before that
	// would come in with the sync, unannounced.
	tm.WaitFor(t, "300 bookings", startup)

	// 1. Money in while konto runs: a notice, and the booking in the list.
	karl := api.Transaction{Amount: 125000, Name: api.Ptr("Karl Brenner"), Purpose: api.Ptr("Invoice 2026-117"), BookingType: api.Ptr("SEPA_CREDIT_TRANSFER")}
	bank.Book(4711, karl)
	tm.WaitFor(t, "+1.250,00 € from Karl Brenner", wait)
	tm.waitUntil(t, startup, "Karl Brenner's booking in the list", func(string) bool {
		rows := transactionRows(tm)
		return len(rows) > 0 && strings.Contains(rows[0], "Karl Brenner")
	})

	// 2. The bank stops: the cached dashboard stays browsable, marked offline.
	swap.set(nil)
	tm.WaitFor(t, "offline since", wait)
	tm.Send("j", "j")
	if rows := transactionRows(tm); len(rows) < 5 {
		t.Fatalf("the dashboard is not browsable offline:\n%s", tm.Screen())
	}

	// 3. It starts again with its bookings but without its tokens; a
	// payment is booked meanwhile (as with a curl).
	bank2 := newSandbox(t)
	bank2.Book(4711, karl) // the bank keeps what it had booked
	bank2.Book(4711, api.Transaction{Amount: -1250, Name: api.Ptr("Lunch Place"), Purpose: api.Ptr("Lunch"), BookingType: api.Ptr("SEPA_CREDIT_TRANSFER")})
	swap.set(bank2)
	tm.WaitFor(t, "Log in again", wait)
	if rows := transactionRows(tm); len(rows) < 3 {
		t.Fatalf("the dashboard is gone behind the login dialog:\n%s", tm.Screen())
	}
	tm.Send("OpenSesame", "enter") // the email is filled, the cursor in the password
	tm.WaitGone(t, "Log in again", startup)
	tm.WaitFor(t, "−12,50 € to Lunch Place", startup)
	tm.waitUntil(t, startup, "the payment in the list", func(string) bool {
		rows := transactionRows(tm)
		return len(rows) > 0 && strings.Contains(rows[0], "Lunch Place")
	})
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// Two people who share a profile (one terminal, one account on the box).
const (
	aliceLogin, alicePW = "alice@example.com", "alice-pw"
	bobLogin, bobPW     = "bob@example.com", "bob-pw"
	aliceSecret         = "Alpha Secret GmbH" // a booking only Alice has
)

// twoUserBank is a sandbox where Alice and Bob bank.
func twoUserBank(t *testing.T) *sandbox.Bank {
	t.Helper()
	bank, err := sandbox.New(sandbox.Options{Transactions: 300, Now: apitest.Clock(t), Users: []sandbox.User{
		{Login: aliceLogin, Password: alicePW}, {Login: bobLogin, Password: bobPW},
	}})
	if err != nil {
		t.Fatal(err)
	}
	bank.Book(bank.Accounts(aliceLogin)[0].ID, api.Transaction{Amount: 424242, Name: api.Ptr(aliceSecret),
		Purpose: api.Ptr("Alice's invoice"), BookingType: api.Ptr("SEPA_CREDIT_TRANSFER")})
	return bank
}

// alicesTraces is what of Alice's would show on a screen: her booking, her
// login (the sandbox names her in transfers between her accounts), her
// IBANs in either form.
func alicesTraces(t *testing.T, bank *sandbox.Bank) []string {
	t.Helper()
	traces := []string{aliceSecret, aliceLogin}
	for _, a := range bank.Accounts(aliceLogin) {
		traces = append(traces, sepa.ShortIBAN(a.IBAN), sepa.FormatIBAN(a.IBAN))
	}
	for _, a := range bank.Accounts(bobLogin) {
		if slices.Contains(traces, sepa.ShortIBAN(a.IBAN)) {
			t.Fatalf("the sandbox gave both users IBANs that look alike: %s", a.IBAN)
		}
	}
	return traces
}

// showsAccount reports whether screen shows the account's IBAN in either form.
func showsAccount(screen string, a api.Account) bool {
	return strings.Contains(screen, sepa.ShortIBAN(a.IBAN)) || strings.Contains(screen, sepa.FormatIBAN(a.IBAN))
}

// watchBobsScreen checks every screen until Bob's account and whole history
// are on it, and a moment more for anything late (the other account's
// sync), and fails the test if anything of Alice's shows. A screen counts
// once it is read the same twice in a row: the emulator may be read in the
// middle of a frame, with rows of the one before not yet redrawn.
func watchBobsScreen(t *testing.T, tm *term, bank *sandbox.Bank, traces []string) {
	t.Helper()
	seen, prev := "", ""
	watch := func(s string) bool {
		settled := s == prev
		prev = s
		for _, tr := range traces {
			if settled && seen == "" && strings.Contains(s, tr) {
				seen = tr + " on Bob's screen:\n" + s
			}
		}
		return seen != ""
	}
	bobs := bank.Accounts(bobLogin)[0]
	tm.waitUntil(t, startup, "Bob's account and whole history", func(s string) bool {
		return watch(s) || strings.Contains(s, "300 bookings") && showsAccount(s, bobs)
	})
	end := time.Now().Add(time.Second)
	tm.waitUntil(t, 2*time.Second, "a second", func(s string) bool { return watch(s) || time.Now().After(end) })
	if seen != "" {
		t.Fatalf("Alice's %s", seen)
	}
}

// assertCacheIsBobs fails unless the cache file holds nothing of Alice's,
// in its bytes or through the cache, and is recorded as Bob's.
func assertCacheIsBobs(t *testing.T, bank *sandbox.Bank, cacheFile string) {
	t.Helper()
	data, err := os.ReadFile(cacheFile)
	if err != nil {
		t.Fatal(err)
	}
	alices := bank.Accounts(aliceLogin)
	for _, tr := range []string{aliceSecret, aliceLogin, alices[0].IBAN, alices[1].IBAN} {
		if bytes.Contains(data, []byte(tr)) {
			t.Errorf("the cache file still holds Alice's %q", tr)
		}
	}
	cache, err := store.OpenCache(cacheFile, store.CacheOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	if owned, err := cache.OwnedBy(bobLogin); err != nil || !owned {
		t.Errorf("the cache is not recorded as Bob's (%v)", err)
	}
	for _, a := range alices {
		if n, _, _ := cache.TransactionsInfo(a.ID); n != 0 {
			t.Errorf("the cache holds %d of Alice's bookings of account %d", n, a.ID)
		}
	}
	bobs := bank.Accounts(bobLogin)
	if accs, _, _ := cache.LoadAccounts(); len(accs) != len(bobs) || accs[0].ID != bobs[0].ID {
		t.Errorf("cached accounts %v, want Bob's", accs)
	}
}

// aliceLogsIn logs Alice in on the login screen of a new konto and waits
// until her whole history is on screen (and so in the cache).
func aliceLogsIn(t *testing.T, home string, url string) *term {
	t.Helper()
	tm := startKontoHome(t, home, nil, 120, 30, "--api-url", url)
	tm.WaitFor(t, "Log in to your bank account", startup)
	tm.Send(aliceLogin, "tab", alicePW, "enter")
	tm.WaitFor(t, aliceSecret, startup)
	tm.WaitFor(t, "301 bookings", startup)
	return tm
}

// bobQuitsClean checks nothing of Alice's ever reached Bob's terminal (the
// raw output, not only the last screen), quits, and checks the cache is his.
func bobQuitsClean(t *testing.T, tm *term, bank *sandbox.Bank, traces []string, cacheFile string) {
	t.Helper()
	raw := string(tm.Raw())
	for _, tr := range traces {
		if strings.Contains(raw, tr) {
			t.Errorf("konto wrote Alice's %q to Bob's terminal", tr)
		}
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("Bob's run: exit %d", code)
	}
	assertCacheIsBobs(t, bank, cacheFile)
}

// aliceCached runs konto once as Alice against a two-user bank and quits:
// her bookings are then in the profile's cache file (checked, or a test
// built on it would prove nothing).
func aliceCached(t *testing.T) (bank *sandbox.Bank, traces []string, srv *httptest.Server, home, cacheFile string) {
	t.Helper()
	b := twoUserBank(t)
	traces = alicesTraces(t, b)
	srv = httptest.NewServer(b)
	t.Cleanup(srv.Close)
	home = t.TempDir()
	cacheFile = filepath.Join(home, "cache", "konto", "default.db")
	tm := aliceLogsIn(t, home, srv.URL)
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("Alice's run: exit %d", code)
	}
	if data, err := os.ReadFile(cacheFile); err != nil || !bytes.Contains(data, []byte(aliceSecret)) {
		t.Fatalf("Alice's booking is not in the cache to begin with (%v): the test would prove nothing", err)
	}
	return b, traces, srv, home, cacheFile
}

// Alice logs in, her data is cached; at the next start Bob logs in on the
// login screen. Nothing of Alice's may reach his screen, not even as the
// cache's first paint, and the cache file must no longer hold her bookings.
func TestE2EAnotherLoginNeverSeesTheFormerLoginsData(t *testing.T) {
	// 1. Alice's run (no keyring and no consent: the session is not kept,
	// so the next start asks again).
	bank, traces, srv, home, cacheFile := aliceCached(t)

	// 2. Bob logs in on the same profile.
	tm := startKontoHome(t, home, nil, 120, 30, "--api-url", srv.URL)
	tm.WaitFor(t, "Log in to your bank account", startup)
	tm.Send(bobLogin, "tab", bobPW, "enter")
	watchBobsScreen(t, tm, bank, traces)
	bobQuitsClean(t, tm, bank, traces, cacheFile)
}

// Alice's session ends while her dashboard is on screen; Bob logs in in the
// dialog over it. The dashboard changes over to Bob's accounts and keeps
// nothing of Alice's, and neither does the cache.
func TestE2EAnotherLoginInTheDialogReplacesTheScreen(t *testing.T) {
	swap := &swapBank{bank: twoUserBank(t)}
	srv := httptest.NewServer(swap)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	cfgDir := filepath.Join(home, "config", "konto")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("poll_interval = \"5s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := aliceLogsIn(t, home, srv.URL)

	// The bank starts again without its tokens: the next poll asks for a
	// login, with Alice's email filled in.
	bank2 := twoUserBank(t)
	traces := alicesTraces(t, bank2)
	swap.set(bank2)
	tm.WaitFor(t, "Log in again", startup+25*time.Second)
	if !strings.Contains(tm.Screen(), aliceSecret) {
		t.Fatalf("Alice's dashboard is not behind the dialog:\n%s", tm.Screen())
	}
	tm.Send("shift+tab", "ctrl+u", bobLogin, "tab", bobPW, "enter")
	tm.WaitGone(t, "Log in again", startup)
	watchBobsScreen(t, tm, bank2, traces)
	if !strings.Contains(tm.Screen(), "logged in as "+bobLogin) {
		t.Errorf("no notice of the new login:\n%s", tm.Screen())
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("exit %d", code)
	}
	assertCacheIsBobs(t, bank2, filepath.Join(home, "cache", "konto", "default.db"))
}

// Alice's data is cached; the next start has a session of Bob's that
// nobody typed (KONTO_REFRESH_TOKEN here; a stored session alike): the
// cache is his before the first paint, which shows nothing of hers.
func TestE2EStartWithAnotherUsersSessionNeverPaintsTheCachesOwner(t *testing.T) {
	bank, traces, srv, home, cacheFile := aliceCached(t)

	client, err := api.New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	bobs, err := client.CreateRefreshToken(context.Background(), api.Credentials{Email: bobLogin, Password: bobPW})
	if err != nil {
		t.Fatal(err)
	}
	tm := startKontoHome(t, home, []string{"KONTO_REFRESH_TOKEN=" + bobs}, 120, 30, "--api-url", srv.URL)
	watchBobsScreen(t, tm, bank, traces)
	bobQuitsClean(t, tm, bank, traces, cacheFile)
}
