package main

// Sessions: `konto login`, `konto logout`, `konto config`, and the session
// bootstrap of the dashboard: config and flags resolved into a profile, where
// the refresh token lives, the offline cache, the login screen when no
// session is stored, and the wiring of the cache-backed bank, polling and the
// login dialog into the UI.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	xterm "github.com/charmbracelet/x/term"

	"konto/api"
	"konto/store"
	"konto/theme"
	"konto/ui/common"
	"konto/ui/login"
	"konto/ui/session"
)

const sessionUsage = `
Session flags (dashboard, login, logout):
  --profile NAME        profile to use: its own API URL, session and cache (default "default")
  --insecure-storage    without an OS keyring, keep the session in a file readable only by you
  --read-only           hide every way to move money
  --no-cache            do not use the offline cache
  --resync              fetch the whole history again instead of only what is new

Sessions:
  konto login [--profile NAME] [--api-url URL] [--insecure-storage]
                        log in on the terminal and keep the session
  konto logout [--profile NAME] [--api-url URL]
                        end the session at the bank, delete it and the offline cache
  konto config path     print where the config file is
  konto config example  print a config file with every key at its default

Environment:
  KONTO_REFRESH_TOKEN   a refresh token to use instead of the stored session (never saved)
`

// loginTimeout bounds one login at the bank.
const loginTimeout = 30 * time.Second

// sessionFlags are the flags of the dashboard that the session resolves.
type sessionFlags struct {
	profile         string
	insecureStorage bool
	readOnly        bool
	noCache         bool
	resync          bool
}

// addSessionFlags defines the session flags on fs.
func addSessionFlags(fs *flag.FlagSet) *sessionFlags {
	f := &sessionFlags{}
	fs.StringVar(&f.profile, "profile", store.DefaultProfile, "")
	fs.BoolVar(&f.insecureStorage, "insecure-storage", false, "")
	fs.BoolVar(&f.readOnly, "read-only", false, "")
	fs.BoolVar(&f.noCache, "no-cache", false, "")
	fs.BoolVar(&f.resync, "resync", false, "")
	return f
}

// settings is the profile in force: config file defaults, flags on top.
type settings struct {
	cfg             *store.Config
	prof            store.Profile
	profileExplicit bool
	flags           sessionFlags
	keys            common.KeyMap
	getenv          func(string) string
}

// loadSettings reads the config and applies the flags given on the command
// line (fs parsed). A config problem is a *store.ConfigError naming file,
// line and key.
func loadSettings(fs *flag.FlagSet, f *sessionFlags, getenv func(string) string) (*settings, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if !store.ValidProfileName(f.profile) {
		return nil, fmt.Errorf("--profile %q: use letters, digits, '.', '_' and '-'", f.profile)
	}
	path, err := store.ConfigPath(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := store.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	s := &settings{cfg: cfg, prof: cfg.Profile(f.profile), flags: *f, getenv: getenv}
	var flagErr error
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "profile":
			s.profileExplicit = true
		case "api-url":
			s.prof.APIURL = strings.TrimRight(fl.Value.String(), "/")
			// Refused now, in a sentence, rather than as a bank that
			// "cannot be reached" on the login screen.
			if _, err := api.New(s.prof.APIURL, nil); err != nil {
				flagErr = fmt.Errorf("--api-url: %w", err)
			}
		case "theme":
			s.prof.Theme = fl.Value.String()
		case "layout":
			s.prof.Layout = fl.Value.String()
		case "read-only":
			s.prof.ReadOnly = s.prof.ReadOnly || f.readOnly
		case "no-cache":
			s.prof.Cache = s.prof.Cache && !f.noCache
		}
	})
	if flagErr != nil {
		return nil, flagErr
	}
	s.keys = common.DefaultKeyMap()
	if err := common.ApplyKeyBindings(&s.keys, s.prof.Keys); err != nil {
		var kerr *common.KeyBindingError
		if errors.As(err, &kerr) {
			return nil, cfg.KeyError(f.profile, kerr.Action, kerr.Msg)
		}
		return nil, err
	}
	return s, nil
}

// connection names where the dashboard is connected, for its top line: the
// API URL, and the profile when it is not the default one, so a user with a
// work and a private profile always sees which one is open.
func (s *settings) connection() string {
	if s.prof.Name == store.DefaultProfile {
		return s.prof.APIURL
	}
	return "profile " + s.prof.Name + " · " + s.prof.APIURL
}

// secretsEnv is where the profile's refresh token lives, and may move: the
// login screen's checkbox turns "memory only" into a token file.
type secretsEnv struct {
	profile  string
	dir      string // where token files go
	shownDir string // dir as notices write it (~/…)
	envToken string // KONTO_REFRESH_TOKEN: used, never written

	mu        sync.Mutex
	secrets   store.Secrets
	notice    string // store.OpenSecrets' sentence ("" for the keyring)
	offerFile bool   // no keyring and no consent yet: offer the checkbox
}

// openSecretsEnv picks the token store of profile. A token file left by an
// earlier consent (the checkbox) counts as consent again.
func openSecretsEnv(ctx context.Context, s *settings) *secretsEnv {
	e := &secretsEnv{profile: s.prof.Name, envToken: strings.TrimSpace(s.getenv("KONTO_REFRESH_TOKEN"))}
	e.dir, _ = store.SecretsDir(s.getenv)
	e.shownDir = tildePath(e.dir, s.getenv)
	e.secrets, e.notice = store.OpenSecrets(ctx, store.SecretsOptions{
		Getenv:          s.getenv,
		InsecureStorage: s.flags.insecureStorage,
		Profile:         s.prof.Name,
		Dir:             e.dir,
	})
	if e.dir != "" {
		e.notice = strings.ReplaceAll(e.notice, e.dir, e.shownDir)
	}
	if e.secrets.Where() == store.NewMemorySecrets().Where() && e.dir != "" {
		files := store.NewFileSecrets(e.dir)
		if _, err := files.Get(ctx, s.prof.Name); err == nil {
			e.secrets = files
			e.notice = "no OS keyring here: the session is kept in " + e.shownDir + " (you agreed at an earlier login)"
		} else {
			e.offerFile = true
		}
	}
	return e
}

// stored returns the session to start with: KONTO_REFRESH_TOKEN, else the
// stored token, else "".
func (e *secretsEnv) stored(ctx context.Context) string {
	if e.envToken != "" {
		return e.envToken
	}
	e.mu.Lock()
	secrets := e.secrets
	e.mu.Unlock()
	tok, err := secrets.Get(ctx, e.profile)
	if err != nil {
		return ""
	}
	return tok
}

// keep stores a new refresh token where the user agreed and says where.
func (e *secretsEnv) keep(ctx context.Context, token string, keepInFile bool) (string, error) {
	if e.envToken != "" {
		return "KONTO_REFRESH_TOKEN is set: the new session is not saved", nil
	}
	e.mu.Lock()
	if keepInFile && e.offerFile {
		e.secrets, e.offerFile = store.NewFileSecrets(e.dir), false
		e.notice = "the session is kept in " + e.shownDir + " (readable only by you)"
	}
	secrets := e.secrets
	e.mu.Unlock()
	if err := secrets.Set(ctx, e.profile, token); err != nil {
		return "", err
	}
	switch where := secrets.Where(); where {
	case "OS keyring":
		return "", nil
	case store.NewMemorySecrets().Where():
		return "the session is kept in memory only: you will log in again at the next start", nil
	default:
		return "the session is kept in " + e.shownDir, nil
	}
}

// loginOptions are the login screen's and dialog's settings.
func (e *secretsEnv) loginOptions(baseURL string, fn login.Func) login.Options {
	e.mu.Lock()
	defer e.mu.Unlock()
	opt := login.Options{Login: fn, BaseURL: baseURL, Notice: e.notice}
	if e.offerFile && e.envToken == "" {
		opt.FileDir = e.shownDir
		opt.Notice = "No OS keyring here: unless you tick the box, you will log in at each start."
	}
	return opt
}

// logIn creates a refresh token and an auth token with the JWT endpoints.
func logIn(ctx context.Context, baseURL string, cred api.Credentials) (refresh, auth string, err error) {
	client, err := api.New(baseURL, nil, api.WithUserAgent("konto/"+version))
	if err != nil {
		return "", "", err
	}
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	if refresh, err = client.CreateRefreshToken(ctx, cred); err != nil {
		return "", "", err
	}
	if auth, err = client.AuthTokenFromRefresh(ctx, refresh); err != nil {
		return "", "", err
	}
	return refresh, auth, nil
}

// loginFunc logs in and keeps the session; then, if set, hands the tokens
// to the running program (the dialog: the JWT source takes the new token).
func (e *secretsEnv) loginFunc(baseURL string, then func(login.Result)) login.Func {
	return func(ctx context.Context, cred api.Credentials, keepInFile bool) (login.Result, error) {
		refresh, auth, err := logIn(ctx, baseURL, cred)
		if err != nil {
			return login.Result{}, err
		}
		res := login.Result{RefreshToken: refresh, AuthToken: auth}
		notice, err := e.keep(ctx, refresh, keepInFile)
		if err != nil {
			// Logged in all the same: this run carries on, the next asks again.
			notice = "the session could not be saved (" + err.Error() + "): you will log in again at the next start"
		}
		res.Notice = notice
		if then != nil {
			then(res)
		}
		return res, nil
	}
}

// dashboardSession is the session part of one dashboard run.
type dashboardSession struct {
	set     *settings
	secrets *secretsEnv // nil in the demo
	cache   *store.Cache
	baseURL string
	notices []string
}

// openDashboardSession opens the token store (not for the demo) and the
// offline cache (for the demo only with an explicit --profile). Problems
// with either become notices: konto runs without.
func openDashboardSession(ctx context.Context, set *settings, baseURL string, demo bool) *dashboardSession {
	d := &dashboardSession{set: set, baseURL: baseURL}
	if !demo {
		d.secrets = openSecretsEnv(ctx, set)
		if d.secrets.envToken == "" && d.secrets.notice != "" && !d.secrets.offerFile {
			d.notices = append(d.notices, d.secrets.notice)
		}
	}
	if set.prof.Cache && (!demo || set.profileExplicit) {
		path, err := store.CachePath(set.getenv, set.prof.Name)
		if err == nil {
			d.cache, err = store.OpenCache(path, store.CacheOptions{})
		}
		switch {
		case errors.Is(err, store.ErrCacheLocked):
			d.notices = append(d.notices, "the offline cache is in use by another konto: this one runs without it")
		case err != nil:
			d.notices = append(d.notices, "the offline cache cannot be used ("+err.Error()+"): konto runs without it")
		case d.cache.Notice() != "":
			d.notices = append(d.notices, d.cache.Notice())
		}
	}
	return d
}

// Close closes the cache.
func (d *dashboardSession) Close() {
	if d.cache != nil {
		_ = d.cache.Close()
	}
}

// token returns the session to start with; without one it runs the login
// screen (a program of its own) and returns its tokens. ok is false when the
// user quit the login screen.
func (d *dashboardSession) token(ctx context.Context, connection string, mode theme.Mode) (refresh, auth string, ok bool, err error) {
	if d.secrets == nil {
		return "", "", false, errors.New("no session store")
	}
	if tok := d.secrets.stored(ctx); tok != "" {
		return tok, "", true, nil
	}
	c := common.New(ctx, nil)
	c.Connection = connection
	c.ThemeMode = mode
	_, c.NoColor = os.LookupEnv("NO_COLOR")
	c.Styles = theme.ForMode(mode, c.NoColor)
	screen := &login.Once{Screen: login.NewScreen(c, d.secrets.loginOptions(d.baseURL, d.secrets.loginFunc(d.baseURL, nil)))}
	if _, err := tea.NewProgram(screen, tea.WithContext(ctx)).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return "", "", false, err
	}
	if screen.Result == nil {
		return "", "", false, nil
	}
	if screen.Result.Notice != "" {
		d.notices = append(d.notices, screen.Result.Notice)
	}
	return screen.Result.RefreshToken, screen.Result.AuthToken, true, nil
}

// attach wires the session into c (whose Bank is the API client) and src:
// profile settings and keys, the cache-backed bank, polling, the status
// line's offline and cache state, and the login dialog.
func (d *dashboardSession) attach(c *common.Common, src *api.JWTSource, refresh, auth string) {
	if auth != "" {
		src.SetAuthToken(auth)
	}
	c.Keys = d.set.keys
	c.ReadOnly = c.ReadOnly || d.set.prof.ReadOnly
	bank := session.NewBank(c.Bank, d.cache, nil)
	c.Bank = bank
	if d.cache != nil {
		// Payments of unknown outcome are kept in the cache: a restart
		// resumes their check. Without one they live for this run only.
		c.PendingStore = bank
	}
	// Whoever's token this is (stored, KONTO_REFRESH_TOKEN, or the login
	// screen's): the cache becomes theirs, and loses another user's data (or
	// data of nobody known) before the first frame is painted from it.
	if _, err := bank.SetOwner(api.TokenSubject(refresh)); err != nil {
		d.notices = append(d.notices, "the offline cache could not be cleared of an earlier login's data ("+
			err.Error()+"): it was deleted and konto runs without it")
	}
	opt := session.Options{
		PollInterval: d.set.prof.PollInterval,
		Resync:       d.set.flags.resync,
		Notices:      d.notices,
	}
	if d.secrets != nil {
		swap := func(res login.Result) {
			src.SetRefreshToken(res.RefreshToken)
			src.SetAuthToken(res.AuthToken)
		}
		opt.Login = d.secrets.loginOptions(d.baseURL, d.secrets.loginFunc(d.baseURL, swap))
		opt.Login.Email = loginHint(api.TokenSubject(refresh))
		if opt.Login.FileDir == "" {
			opt.Login.Notice = "" // where the session lives was said at the start
		}
	}
	c.Session = session.New(c, bank, opt)
}

// tildePath writes a path under the home directory as ~/…, for notices.
func tildePath(path string, getenv func(string) string) string {
	home := getenv("HOME")
	if home == "" || !strings.HasPrefix(path, home+string(os.PathSeparator)) {
		return path
	}
	return "~" + path[len(home):]
}

// ---- konto login / logout / config ----

// parseSessionCommand parses the flags of login and logout.
func parseSessionCommand(name string, args []string, stderr io.Writer) (*settings, int) {
	fs := flag.NewFlagSet("konto "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, sessionUsage) }
	fs.String("api-url", "", "")
	f := addSessionFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0
		}
		return nil, 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "konto %s: unexpected argument %q\n", name, fs.Arg(0))
		return nil, 2
	}
	set, err := loadSettings(fs, f, nil)
	if err != nil {
		fmt.Fprintf(stderr, "konto %s: %v\n", name, err)
		return nil, 2
	}
	return set, -1
}

// runLogin is `konto login`: email and password asked on the terminal (the
// password without echo), the session kept in the profile's store.
func runLogin(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	set, code := parseSessionCommand("login", args, stderr)
	if set == nil {
		return code
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	secrets := openSecretsEnv(ctx, set)
	if secrets.envToken != "" {
		fmt.Fprintln(stderr, "konto login: KONTO_REFRESH_TOKEN is set and would be used instead of the stored session: unset it first")
		return 1
	}
	if secrets.offerFile {
		fmt.Fprintf(stderr, "konto login: %s\n(konto login would forget the session at once; run it with --insecure-storage to keep it in a file)\n", secrets.notice)
		return 1
	}
	in := bufio.NewReader(stdin)
	fmt.Fprintf(stdout, "Log in to %s (profile %s)\nEmail: ", set.prof.APIURL, set.prof.Name)
	email, err := in.ReadString('\n')
	if err != nil && email == "" {
		fmt.Fprintln(stderr, "\nkonto login: no email given")
		return 1
	}
	fmt.Fprint(stdout, "Password: ")
	password, err := readPassword(stdin, in)
	fmt.Fprintln(stdout)
	if err != nil {
		fmt.Fprintln(stderr, "konto login: read the password:", err)
		return 1
	}
	cred := api.Credentials{Email: strings.TrimSpace(email), Password: password}
	refresh, _, err := logIn(ctx, set.prof.APIURL, cred)
	if err != nil {
		fmt.Fprintln(stderr, "konto login:", login.Sentence(err, set.prof.APIURL))
		return 1
	}
	notice, err := secrets.keep(ctx, refresh, false)
	if err != nil {
		fmt.Fprintln(stderr, "konto login: logged in, but the session could not be saved:", err)
		return 1
	}
	if notice == "" {
		notice = "the session is kept in the OS keyring"
	}
	fmt.Fprintf(stdout, "Logged in as %s; %s.\n", cred.Email, notice)
	said, err := claimCache(set, api.TokenSubject(refresh))
	if err != nil {
		fmt.Fprintf(stderr, "konto login: the offline cache may hold another login's data and could not be cleared (%v): delete it before the next start\n", err)
		return 1
	}
	if said != "" {
		fmt.Fprintln(stdout, said)
	}
	return 0
}

// claimCache makes the profile's offline cache identity's (the new refresh
// token's subject) after `konto login` (store.Cache.Claim): another user's
// data must be gone from it before anything reads it for this one. A cache
// that a running konto holds cannot be opened, and one that cannot be read
// cannot be cleared: the file is deleted instead (a running konto keeps its
// copy until it quits; the next start builds a new one, and konto serve
// claims its copy when it reads the new session). It says what it did, ""
// when there was nothing to clear. An identity that is not known ("": the
// token names no subject) claims nothing.
func claimCache(set *settings, identity string) (string, error) {
	if store.NormalizeIdentity(identity) == "" {
		return "", nil
	}
	path, err := store.CachePath(set.getenv, set.prof.Name)
	if err != nil {
		return "", nil // no cache directory, so no cache
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	cache, err := store.OpenCache(path, store.CacheOptions{})
	if err != nil {
		if derr := store.DeleteCacheFile(path); derr != nil {
			return "", fmt.Errorf("%w; %w", err, derr)
		}
		if errors.Is(err, store.ErrCacheLocked) {
			return "Deleted the offline cache " + path + ", in use by another konto: it may hold another login's data.", nil
		}
		return "Deleted the offline cache " + path + ": it could not be opened (" + err.Error() + ").", nil
	}
	defer cache.Close()
	_, wiped, err := cache.Claim(identity)
	if err != nil {
		// Claim deletes the file after a failure, where it can.
		if _, serr := os.Stat(path); !errors.Is(serr, fs.ErrNotExist) {
			return "", err
		}
		return "Deleted the offline cache " + path + ": it could not be cleared (" + err.Error() + ").", nil
	}
	if wiped {
		return "Cleared the offline cache " + path + ": it held the data of another login (or of one konto did not record).", nil
	}
	return "", nil
}

// readPassword reads a line without echo when stdin is a terminal, else a
// plain line (scripts, tests).
func readPassword(stdin *os.File, buffered *bufio.Reader) (string, error) {
	if xterm.IsTerminal(stdin.Fd()) {
		b, err := xterm.ReadPassword(stdin.Fd())
		return string(b), err
	}
	line, err := buffered.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// runLogout is `konto logout`: both tokens ended at the bank, the stored
// token and the offline cache deleted, each step reported.
func runLogout(args []string, stdout, stderr io.Writer) int {
	set, code := parseSessionCommand("logout", args, stderr)
	if set == nil {
		return code
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	secrets := openSecretsEnv(ctx, set)
	status := 0
	if token := secrets.stored(ctx); token == "" {
		fmt.Fprintf(stdout, "No session of profile %s is stored.\n", set.prof.Name)
	} else {
		fmt.Fprintln(stdout, endAtBank(ctx, set.prof.APIURL, token))
	}
	if secrets.envToken != "" {
		fmt.Fprintln(stdout, "KONTO_REFRESH_TOKEN is set: konto never stored it; unset it yourself.")
	}
	// Delete the token wherever it may be: the store in use, and a token
	// file left from an earlier --insecure-storage.
	stores := []store.Secrets{secrets.secrets}
	if secrets.dir != "" {
		stores = append(stores, store.NewFileSecrets(secrets.dir))
	}
	for _, st := range stores {
		if err := st.Delete(ctx, set.prof.Name); err != nil {
			fmt.Fprintf(stderr, "konto logout: delete the session in %s: %v\n", st.Where(), err)
			status = 1
		}
	}
	fmt.Fprintf(stdout, "Deleted the stored session of profile %s (%s).\n", set.prof.Name, secrets.secrets.Where())
	if path, err := store.CachePath(set.getenv, set.prof.Name); err == nil {
		_, statErr := os.Stat(path)
		if err := store.DeleteCacheFile(path); err != nil {
			fmt.Fprintln(stderr, "konto logout:", err)
			status = 1
		} else if statErr == nil {
			fmt.Fprintf(stdout, "Deleted the offline cache %s.\n", path)
		}
	}
	return status
}

// endAtBank invalidates an auth token of the session and the refresh token,
// and says how it went.
func endAtBank(ctx context.Context, baseURL, refresh string) string {
	client, err := api.New(baseURL, nil, api.WithUserAgent("konto/"+version))
	if err != nil {
		return "Could not end the session at the bank (" + err.Error() + "); it ends by itself within 30 days."
	}
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	if auth, err := client.AuthTokenFromRefresh(ctx, refresh); err == nil {
		_ = client.InvalidateAuthToken(ctx, auth)
	}
	err = client.InvalidateRefreshToken(ctx, refresh)
	switch {
	case err == nil:
		return "Ended the session at the bank (refresh and auth tokens invalidated)."
	case errors.Is(err, api.ErrUnauthorized):
		return "The bank had already ended the session."
	}
	return "Could not end the session at the bank (" + common.ErrorText(err) + "); it ends by itself within 30 days."
}

// runConfig is `konto config path|example`.
func runConfig(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || (args[0] != "path" && args[0] != "example") {
		fmt.Fprintln(stderr, "usage: konto config path | konto config example")
		return 2
	}
	if args[0] == "example" {
		fmt.Fprint(stdout, store.DefaultConfigText())
		return 0
	}
	path, err := store.ConfigPath(nil)
	if err != nil {
		fmt.Fprintln(stderr, "konto config:", err)
		return 1
	}
	fmt.Fprintln(stdout, path)
	return 0
}

// loginHint is what the login dialog's email field starts with: the
// session token's subject when it is a login (the sandbox's), nothing when
// it is a user id (the bank's tokens name a UUID, which is no email).
func loginHint(subject string) string {
	if isUUID(subject) {
		return ""
	}
	return common.Sanitize(subject)
}

// isUUID reports whether s is written as a UUID (8-4-4-4-12 hex digits).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
