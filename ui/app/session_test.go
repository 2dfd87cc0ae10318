package app

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"konto/api"
	"konto/store"
	"konto/ui/common"
	"konto/ui/uitest"
)

// writeConfig puts text in $XDG_CONFIG_HOME/konto/config.toml of a temp
// home and returns a getenv for it.
func writeConfig(t *testing.T, text string) func(string) string {
	t.Helper()
	home := t.TempDir()
	env := map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(home, "config"),
		"XDG_CACHE_HOME":  filepath.Join(home, "cache"),
	}
	if text != "" {
		dir := filepath.Join(env["XDG_CONFIG_HOME"], "konto")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return func(k string) string { return env[k] }
}

func settingsFor(t *testing.T, getenv func(string) string, args ...string) (*settings, error) {
	t.Helper()
	fs := flag.NewFlagSet("konto", flag.ContinueOnError)
	fs.String("api-url", "", "")
	fs.String("theme", "auto", "")
	fs.String("layout", "auto", "")
	f := addSessionFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return loadSettings(fs, f, getenv)
}

const sampleConfig = `api_url = "http://127.0.0.1:8080"
theme = "light"
poll_interval = "2m"

[profiles.work]
api_url = "https://api.kontist.com"
layout = "stacked"
read_only = true
cache = false

[profiles.work.keys]
list.down = ["J", "down"]
`

func TestSettingsConfigThenFlags(t *testing.T) {
	getenv := writeConfig(t, sampleConfig)
	s, err := settingsFor(t, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if s.prof.Name != "default" || s.prof.APIURL != "http://127.0.0.1:8080" || s.prof.Theme != "light" ||
		s.prof.PollInterval != 2*time.Minute || !s.prof.Cache || s.prof.ReadOnly || s.profileExplicit {
		t.Errorf("default profile from the file: %+v explicit=%v", s.prof, s.profileExplicit)
	}

	s, err = settingsFor(t, getenv, "--profile", "work")
	if err != nil {
		t.Fatal(err)
	}
	if s.prof.APIURL != "https://api.kontist.com" || !s.prof.ReadOnly || s.prof.Cache || !s.profileExplicit || s.prof.Layout != "stacked" {
		t.Errorf("work profile: %+v", s.prof)
	}
	if s.keys.List.Down.Help().Key != "J/↓" {
		t.Errorf("work keys not applied: %q", s.keys.List.Down.Help().Key)
	}

	// Flags win over the file.
	s, err = settingsFor(t, getenv, "--theme", "dark", "--api-url", "http://127.0.0.1:9999/", "--no-cache", "--read-only", "--profile", "work", "--layout", "side")
	if err != nil {
		t.Fatal(err)
	}
	if s.prof.Theme != "dark" || s.prof.APIURL != "http://127.0.0.1:9999" || s.prof.Cache || !s.prof.ReadOnly || s.prof.Layout != "side" {
		t.Errorf("flags did not override the file: %+v", s.prof)
	}
}

func TestConnectionNamesAProfileThatIsNotTheDefault(t *testing.T) {
	getenv := writeConfig(t, sampleConfig)
	s, err := settingsFor(t, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.connection(); got != "http://127.0.0.1:8080" {
		t.Errorf("default profile: %q", got)
	}
	s, err = settingsFor(t, getenv, "--profile", "work")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.connection(); got != "profile work · https://api.kontist.com" {
		t.Errorf("work profile: %q", got)
	}
}

func TestPlainHTTPAPIURLFlagIsRefusedAtOnce(t *testing.T) {
	getenv := writeConfig(t, "")
	_, err := settingsFor(t, getenv, "--api-url", "http://bank.example")
	if err == nil || !strings.Contains(err.Error(), "--api-url") || !strings.Contains(err.Error(), "only for loopback") {
		t.Fatalf("plain http to a remote host: %v", err)
	}
	if _, err := settingsFor(t, getenv, "--api-url", "http://127.0.0.1:8080"); err != nil {
		t.Errorf("the local sandbox refused: %v", err)
	}
}

func TestSettingsWithoutConfigFile(t *testing.T) {
	s, err := settingsFor(t, writeConfig(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	if s.prof.APIURL != "https://api.kontist.com" || s.prof.Theme != "auto" || !s.prof.Cache || s.prof.PollInterval != time.Minute {
		t.Errorf("built-in defaults: %+v", s.prof)
	}
}

func TestSettingsErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name, config, want string
		args               []string
	}{
		{"bad value", "theme = \"dark\"\npoll_interval = \"soon\"\n", `config.toml:2: key "poll_interval": not a duration`, nil},
		{"unknown key", "\n\ncolour = \"red\"\n", `config.toml:3: key "colour": unknown key`, nil},
		{"syntax", "theme = \n", `config.toml:1:`, nil},
		{"collision", "[keys]\nlist.down = [\"j\"]\nlist.up = [\"j\", \"up\"]\n", `config.toml:3: key "keys.list.up": key "j" is also bound to list.down`, nil},
		{"profile collision", "[profiles.work.keys]\nglobal.help = [\"q\"]\n", `config.toml:2: key "profiles.work.keys.global.help": key "q" is also bound to global.quit`, []string{"--profile", "work"}},
		{"unknown action", "[keys]\nlist.dwn = \"n\"\n", `config.toml:2: key "keys.list.dwn": unknown action`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := settingsFor(t, writeConfig(t, tt.config), tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestInvalidConfigExitsWithTwo(t *testing.T) {
	getenv := writeConfig(t, "read_only = \"yes\"\n")
	t.Setenv("XDG_CONFIG_HOME", getenv("XDG_CONFIG_HOME"))
	var stdout, stderr bytes.Buffer
	code := run([]string{"--api-url", "http://127.0.0.1:1"}, &stdout, &stderr)
	if code != 2 {
		t.Fatalf("exit %d, want 2; stderr %q", code, stderr.String())
	}
	want := `config.toml:1: key "read_only": want true or false, got "yes"`
	if !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "panic") {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

func TestConfigPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"config", "path"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if got, want := strings.TrimSpace(stdout.String()), filepath.Join(dir, "konto", "config.toml"); got != want {
		t.Errorf("config path %q, want %q", got, want)
	}
	stdout.Reset()
	if code := run([]string{"config", "example"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "poll_interval") {
		t.Errorf("config example: %d %q", code, stdout.String())
	}
}

// defaultProfileCache is the settings of the default profile of an empty
// config, and where its offline cache lives.
func defaultProfileCache(t *testing.T) (*settings, string) {
	t.Helper()
	getenv := writeConfig(t, "")
	set, err := settingsFor(t, getenv)
	if err != nil {
		t.Fatal(err)
	}
	path, err := store.CachePath(getenv, "default")
	if err != nil {
		t.Fatal(err)
	}
	return set, path
}

func TestLockedCacheIsReportedAndSkipped(t *testing.T) {
	set, path := defaultProfileCache(t)
	other, err := store.OpenCache(path, store.CacheOptions{}) // another konto
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	d := openDashboardStores(context.Background(), testFactory(io.Discard, io.Discard), set, "http://127.0.0.1:1", false)
	defer d.Close()
	if d.cache != nil {
		t.Fatal("opened a cache another konto holds")
	}
	if !strings.Contains(strings.Join(d.notices, "; "), "in use by another konto") {
		t.Errorf("notices %q do not say the cache is in use", d.notices)
	}
}

func TestDemoUsesNoCacheUnlessAProfileIsGiven(t *testing.T) {
	getenv := writeConfig(t, "")
	set, err := settingsFor(t, getenv)
	if err != nil {
		t.Fatal(err)
	}
	d := openDashboardStores(context.Background(), testFactory(io.Discard, io.Discard), set, "http://127.0.0.1:1", true)
	d.Close()
	if d.cache != nil || d.secrets != nil {
		t.Error("the demo opened a cache or a token store")
	}
	set, err = settingsFor(t, getenv, "--profile", "demo")
	if err != nil {
		t.Fatal(err)
	}
	d = openDashboardStores(context.Background(), testFactory(io.Discard, io.Discard), set, "http://127.0.0.1:1", true)
	defer d.Close()
	if d.cache == nil {
		t.Error("--demo --profile demo has no cache")
	}
}

func TestTokenSubjectAndTildePath(t *testing.T) {
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "Aladdin"}).SignedString([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	if got := api.TokenSubject(tok); got != "Aladdin" {
		t.Errorf("TokenSubject = %q", got)
	}
	if got := api.TokenSubject("not a token"); got != "" {
		t.Errorf("TokenSubject of junk = %q", got)
	}
	env := func(string) string { return "/home/k" }
	if got := store.TildePath("/home/k/.config/konto/credentials", env); got != "~/.config/konto/credentials" {
		t.Errorf("tildePath = %q", got)
	}
	if got := store.TildePath("/home/kx/a", env); got != "/home/kx/a" {
		t.Errorf("tildePath outside home = %q", got)
	}
}

// subjectToken is a refresh token (unsigned for the bank, but a JWT) for
// the user sub.
func subjectToken(t *testing.T, sub string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub, "scope": "refresh"}).SignedString([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// aliceID is Alice's subject in the bank's tokens (a user id, as the real
// API has it).
const aliceID = "6661b22d-2f1c-4a55-9d6c-alice0000001"

// aliceCacheAt leaves the profile's cache as a run of Alice's does: hers,
// with her accounts and a history.
func aliceCacheAt(t *testing.T, path string) {
	t.Helper()
	c, err := store.OpenCache(path, store.CacheOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.Claim(aliceID); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveAccounts([]api.Account{{ID: 4711, IBAN: "DE06110101001000004444"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTransactions(4711, []api.Transaction{{ID: 1, Name: api.Ptr("Alpha Secret GmbH")}}); err != nil {
		t.Fatal(err)
	}
}

// cacheState opens the cache at path and says whose it is and how many of
// Alice's bookings it holds.
func cacheState(t *testing.T, path, who string) (owned bool, alices int) {
	t.Helper()
	c, err := store.OpenCache(path, store.CacheOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	owned, _ = c.OwnedBy(who)
	alices, _, _ = c.TransactionsInfo(4711)
	return owned, alices
}

// Whatever token the dashboard starts with (stored, KONTO_REFRESH_TOKEN or
// the login screen's), the cache becomes its subject's before the dashboard
// paints anything from it: another user's start finds none of Alice's
// data. A token whose subject cannot be read checks nothing.
func TestAttachClaimsTheCacheForTheTokensSubject(t *testing.T) {
	set, path := defaultProfileCache(t)
	for _, tc := range []struct {
		name         string
		token        string
		wantBookings int
		owner        string
	}{
		{"Alice's token", subjectToken(t, aliceID), 1, aliceID},
		{"Alice's token, subject padded", subjectToken(t, " "+aliceID+"\n"), 1, aliceID},
		{"Bob's token", subjectToken(t, "7772c33e-bob"), 0, "7772c33e-bob"},
		{"same id in other case", subjectToken(t, strings.ToUpper(aliceID)), 0, strings.ToUpper(aliceID)},
		{"not a JWT", "opaque-refresh-token", 1, aliceID},
	} {
		aliceCacheAt(t, path)
		d := openDashboardStores(context.Background(), testFactory(io.Discard, io.Discard), set, "http://127.0.0.1:1", false)
		src, err := api.NewJWTSource("http://127.0.0.1:1", tc.token)
		if err != nil {
			t.Fatal(err)
		}
		offline := uitest.NewBank(1) // the bank cannot be reached: only the cache paints
		offline.Err = errors.New("connect: connection refused")
		c := common.New(context.Background(), offline)
		d.attach(c, offline, src, tc.token, "")
		// What the first paint would take: the session's first account list.
		accs, _ := c.Bank.Accounts(context.Background())
		n, _, _ := d.cache.TransactionsInfo(4711)
		if n != tc.wantBookings || len(accs) != tc.wantBookings {
			t.Errorf("%s: %d of Alice's bookings in the cache and accounts %v on screen, want %d", tc.name, n, accs, tc.wantBookings)
		}
		if owned, _ := d.cache.OwnedBy(tc.owner); !owned {
			t.Errorf("%s: the cache is not %q's", tc.name, tc.owner)
		}
		d.Close()
		src.Close()
		if err := store.DeleteCacheFile(path); err != nil {
			t.Fatal(err)
		}
	}
}

// `konto login` as someone else clears the cache the next start would
// paint; as the owner it keeps it; a cache another konto holds is deleted;
// a token naming nobody claims nothing.
func TestKontoLoginClaimsTheCache(t *testing.T) {
	set, path := defaultProfileCache(t)
	if said, err := store.ClaimCacheFile(set.getenv, set.prof.Name, "bob"); err != nil || said != "" {
		t.Errorf("no cache: %q, %v", said, err)
	}

	aliceCacheAt(t, path)
	if said, err := store.ClaimCacheFile(set.getenv, set.prof.Name, aliceID); err != nil || said != "" {
		t.Errorf("the owner: %q, %v", said, err)
	}
	if owned, n := cacheState(t, path, aliceID); !owned || n != 1 {
		t.Errorf("the owner's login: owned %v, %d bookings; want it kept", owned, n)
	}
	if said, err := store.ClaimCacheFile(set.getenv, set.prof.Name, ""); err != nil || said != "" {
		t.Errorf("unknown identity: %q, %v", said, err)
	}
	if owned, n := cacheState(t, path, aliceID); !owned || n != 1 {
		t.Errorf("after a token naming nobody: owned %v, %d bookings; want it kept", owned, n)
	}

	said, err := store.ClaimCacheFile(set.getenv, set.prof.Name, "bob")
	if err != nil || !strings.Contains(said, "Cleared the offline cache") {
		t.Errorf("someone else: %q, %v", said, err)
	}
	if owned, n := cacheState(t, path, "bob"); !owned || n != 0 {
		t.Errorf("after Bob's login: Bob's %v, %d of Alice's bookings", owned, n)
	}

	aliceCacheAt(t, path)
	other, err := store.OpenCache(path, store.CacheOptions{}) // a konto still running
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	said, err = store.ClaimCacheFile(set.getenv, set.prof.Name, "bob")
	if err != nil || !strings.Contains(said, "in use by another konto") {
		t.Errorf("a cache in use: %q, %v", said, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cache in use was not deleted (%v)", err)
	}
}

// The dialog offers the token's subject as the login only when it is one:
// the bank's tokens name a user id, which would be a wrong email.
func TestLoginHint(t *testing.T) {
	for sub, want := range map[string]string{
		"Aladdin":                              "Aladdin",
		"me@example.com":                       "me@example.com",
		"6661b22d-574f-409c-b4ec-7fba945df0b9": "",
		"6661B22D-574F-409C-B4EC-7FBA945DF0B9": "",
		"6661b22d-574f-409c-b4ec-7fba945df0bz": "6661b22d-574f-409c-b4ec-7fba945df0bz",
		"":                                     "",
		"evil\x1b]0;x\x07":                     "evil",
	} {
		if got := loginHint(sub); got != want {
			t.Errorf("loginHint(%q) = %q, want %q", sub, got, want)
		}
	}
}
