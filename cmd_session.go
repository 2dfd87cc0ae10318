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
Session flags:
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

// Ending a token at the bank is best effort: a bank that does not answer in
// this time is left to expire it.
const (
	quitTimeout     = time.Second      // the auth token in hand when konto quits
	replacedTimeout = 10 * time.Second // the session a new login replaces
)

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

	// configuredURL is the profile's api_url from the config (or the
	// default), before --api-url: the bank a session stored by an earlier
	// konto, which did not record its bank, is taken to be from.
	configuredURL string
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
	s.configuredURL = s.prof.APIURL
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

// secretsEnv is where the profile's session lives, and may move: the
// login screen's checkbox turns "memory only" into a token file.
//
// A stored session is a store.Session: the refresh token with the API URL
// it was made at. It is only ever sent there (bankOf): started with another
// --api-url, konto asks for a login instead and says why. A session stored
// by an earlier konto as a bare token has no recorded bank; it is taken to
// be from the profile's configured api_url (where `konto login` made it
// unless --api-url said otherwise), used only there, and recorded as such
// on its first use. KONTO_REFRESH_TOKEN is the user's explicit choice for
// the run and goes to whatever bank konto is pointed at.
type secretsEnv struct {
	profile  string
	dir      string // where token files go
	shownDir string // dir as notices write it (~/…)
	envToken string // KONTO_REFRESH_TOKEN: used, never written
	// configuredURL is settings.configuredURL: the bank of a session an
	// earlier konto stored without recording one.
	configuredURL string

	mu        sync.Mutex
	secrets   store.Secrets
	notice    string // store.OpenSecrets' sentence ("" for the keyring)
	offerFile bool   // no keyring and no consent yet: offer the checkbox
}

// openSecretsEnv picks the token store of profile. A token file left by an
// earlier consent (the checkbox) counts as consent again.
func openSecretsEnv(ctx context.Context, s *settings) *secretsEnv {
	e := &secretsEnv{profile: s.prof.Name, configuredURL: s.configuredURL, envToken: strings.TrimSpace(s.getenv("KONTO_REFRESH_TOKEN"))}
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

// bankOf is the one bank the stored session s may be sent to: the API URL
// recorded with it, or for a session of an earlier konto that recorded
// none, the profile's configured api_url.
func (e *secretsEnv) bankOf(s store.Session) string {
	if s.APIURL != "" {
		return s.APIURL
	}
	return e.configuredURL
}

// storedSession reads the profile's session from the store in use.
func (e *secretsEnv) storedSession(ctx context.Context) (store.Session, error) {
	e.mu.Lock()
	secrets := e.secrets
	e.mu.Unlock()
	return store.LoadSession(ctx, secrets, e.profile)
}

// startToken is the refresh token to start the dashboard at baseURL with:
// KONTO_REFRESH_TOKEN, else the stored session when it was made at
// baseURL. Else it is "", and reason says why a stored session was passed
// over ("" when there is none), for the login screen. A stored session of
// an earlier konto that is used gets its bank recorded with it.
func (e *secretsEnv) startToken(ctx context.Context, baseURL string) (refresh, reason string) {
	if e.envToken != "" {
		return e.envToken, ""
	}
	sess, err := e.storedSession(ctx)
	switch {
	case errors.Is(err, store.ErrDamagedSession):
		return "", "The stored session could not be read (it is damaged): log in to replace it."
	case err != nil:
		return "", "" // none stored, or no store that answers (its notice says so)
	}
	bank := e.bankOf(sess)
	if !api.SameBank(bank, baseURL) {
		if sess.APIURL == "" {
			return "", "The stored session was kept by an earlier konto that did not record its bank, so it is used only with the profile's api_url " +
				bank + "; log in to " + baseURL + " to replace it."
		}
		return "", "The stored session is for " + bank + "; log in to " + baseURL + " to replace it, or start konto with --api-url " + bank + "."
	}
	if sess.APIURL == "" {
		e.mu.Lock()
		secrets := e.secrets
		e.mu.Unlock()
		// Best effort: unrecorded, it is taken to be the configured bank's again next time.
		_ = store.SaveSession(ctx, secrets, e.profile, store.Session{APIURL: bank, RefreshToken: sess.RefreshToken})
	}
	return sess.RefreshToken, ""
}

// keep stores a new session where the user agreed and says where. replaced
// is the session it took the place of (RefreshToken "" if none, or the
// same token): end it at its bank with endReplaced, nobody holds it any more.
func (e *secretsEnv) keep(ctx context.Context, sess store.Session, keepInFile bool) (notice string, replaced store.Session, err error) {
	if e.envToken != "" {
		return "KONTO_REFRESH_TOKEN is set: the new session is not saved", store.Session{}, nil
	}
	e.mu.Lock()
	before := e.secrets
	if keepInFile && e.offerFile {
		e.secrets, e.offerFile = store.NewFileSecrets(e.dir), false
		e.notice = "the session is kept in " + e.shownDir + " (readable only by you)"
	}
	secrets := e.secrets
	e.mu.Unlock()
	if old, err := store.LoadSession(ctx, before, e.profile); err == nil && old.RefreshToken != sess.RefreshToken {
		replaced = old
	}
	if err := store.SaveSession(ctx, secrets, e.profile, sess); err != nil {
		return "", store.Session{}, err
	}
	if before != secrets {
		_ = before.Delete(ctx, e.profile) // it lives on in the new place only
	}
	switch where := secrets.Where(); where {
	case "OS keyring":
		return "", replaced, nil
	case store.NewMemorySecrets().Where():
		return "the session is kept in memory only: you will log in again at the next start", replaced, nil
	default:
		return "the session is kept in " + e.shownDir, replaced, nil
	}
}

// endReplaced ends a session a new login replaced, at its own bank only
// (best effort, within replacedTimeout), and says how it went; "" when
// there was none.
func (e *secretsEnv) endReplaced(ctx context.Context, replaced store.Session) string {
	if replaced.RefreshToken == "" {
		return ""
	}
	bank := e.bankOf(replaced)
	client, err := api.New(bank, nil, api.WithUserAgent("konto/"+version))
	if err != nil {
		return "The session it replaces could not be ended at its bank (" + err.Error() + "); it ends by itself within 30 days."
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replacedTimeout)
	defer cancel()
	err = client.InvalidateRefreshToken(ctx, replaced.RefreshToken)
	switch {
	case err == nil:
		return "Ended the session it replaces at " + bank + "."
	case errors.Is(err, api.ErrUnauthorized):
		return "The session it replaces had already ended at " + bank + "."
	}
	return "The session it replaces could not be ended at " + bank + " (" + common.ErrorText(err) + "); it ends by itself within 30 days."
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
		notice, replaced, err := e.keep(ctx, store.Session{APIURL: baseURL, RefreshToken: refresh}, keepInFile)
		if err != nil {
			// Logged in all the same: this run carries on, the next asks again.
			notice = "the session could not be saved (" + err.Error() + "): you will log in again at the next start"
		}
		// In the background: the old session's bank may be slow or gone,
		// and the new session does not wait for it.
		go e.endReplaced(ctx, replaced)
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
	tok, reason := d.secrets.startToken(ctx, d.baseURL)
	if tok != "" {
		return tok, "", true, nil
	}
	c := common.New(ctx, nil)
	c.Connection = connection
	c.ThemeMode = mode
	_, c.NoColor = os.LookupEnv("NO_COLOR")
	c.Styles = theme.ForMode(mode, c.NoColor)
	opt := d.secrets.loginOptions(d.baseURL, d.secrets.loginFunc(d.baseURL, nil))
	opt.Reason = reason
	screen := &login.Once{Screen: login.NewScreen(c, opt)}
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

// endAuthToken stops src and ends the auth token it holds at the bank, when
// konto quits: it would otherwise stay good for the rest of its hour. Best
// effort, within quitTimeout, so quitting never waits longer; the refresh
// token stays for the next start. Not in the demo, whose bank stops anyway.
func (d *dashboardSession) endAuthToken(src *api.JWTSource) {
	src.Close()
	auth := src.AuthToken()
	if d.secrets == nil || auth == "" {
		return
	}
	client, err := api.New(d.baseURL, nil, api.WithUserAgent("konto/"+version))
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), quitTimeout)
	defer cancel()
	_ = client.InvalidateAuthToken(ctx, auth)
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
	bank := session.NewMirror(c.Bank, d.cache, nil)
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

// parseSessionCommand parses the flags of login and logout: a profile, its
// bank and where its session is kept, and none of the dashboard's.
func parseSessionCommand(name string, args []string, stdout, stderr io.Writer) (*settings, int) {
	fs := flag.NewFlagSet("konto "+name, flag.ContinueOnError)
	fs.String("api-url", "", "")
	f := &sessionFlags{}
	fs.StringVar(&f.profile, "profile", store.DefaultProfile, "")
	fs.BoolVar(&f.insecureStorage, "insecure-storage", false, "")
	if code := parseCommandFlags(fs, name, args, stdout, stderr); code >= 0 {
		return nil, code
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
	set, code := parseSessionCommand("login", args, stdout, stderr)
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
	notice, replaced, err := secrets.keep(ctx, store.Session{APIURL: set.prof.APIURL, RefreshToken: refresh}, false)
	if err != nil {
		fmt.Fprintln(stderr, "konto login: logged in, but the session could not be saved:", err)
		return 1
	}
	if notice == "" {
		notice = "the session is kept in the OS keyring"
	}
	fmt.Fprintf(stdout, "Logged in as %s; %s.\n", cred.Email, notice)
	if said := secrets.endReplaced(ctx, replaced); said != "" {
		fmt.Fprintln(stdout, said)
	}
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

// runLogout is `konto logout`: each stored session ended at its own bank
// and deleted, the offline cache deleted; one true sentence per outcome.
func runLogout(args []string, stdout, stderr io.Writer) int {
	set, code := parseSessionCommand("logout", args, stdout, stderr)
	if set == nil {
		return code
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	secrets := openSecretsEnv(ctx, set)
	status := 0
	// The session is looked for in the store in use, and in a token file
	// left from an earlier --insecure-storage.
	stores := []store.Secrets{secrets.secrets}
	if secrets.dir != "" && secrets.secrets.Where() != secrets.dir {
		stores = append(stores, store.NewFileSecrets(secrets.dir))
	}
	found := false
	ended := map[string]bool{}
	for _, st := range stores {
		sess, err := store.LoadSession(ctx, st, set.prof.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue
		case errors.Is(err, store.ErrDamagedSession):
			fmt.Fprintf(stdout, "The stored session in %s could not be read, so it was not ended at the bank.\n", st.Where())
		case err != nil:
			fmt.Fprintf(stderr, "konto logout: %v\n", err)
			status = 1
			continue
		case !ended[sess.RefreshToken]:
			ended[sess.RefreshToken] = true
			fmt.Fprintln(stdout, endAtBank(ctx, "the session", secrets.bankOf(sess), sess.RefreshToken))
		}
		found = true
		if err := st.Delete(ctx, set.prof.Name); err != nil {
			fmt.Fprintf(stderr, "konto logout: delete the session in %s: %v\n", st.Where(), err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "Deleted the stored session of profile %s (%s).\n", set.prof.Name, st.Where())
	}
	if !found {
		fmt.Fprintf(stdout, "No session of profile %s is stored.\n", set.prof.Name)
	}
	if env := secrets.envToken; env != "" {
		if !ended[env] {
			fmt.Fprintln(stdout, endAtBank(ctx, "the session of KONTO_REFRESH_TOKEN", set.prof.APIURL, env))
		}
		fmt.Fprintln(stdout, "KONTO_REFRESH_TOKEN is set: konto never stored it; unset it yourself.")
	}
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

// endAtBank invalidates an auth token of the session and the refresh token
// at baseURL, and says how it went; what names the session ("the session").
func endAtBank(ctx context.Context, what, baseURL, refresh string) string {
	client, err := api.New(baseURL, nil, api.WithUserAgent("konto/"+version))
	if err != nil {
		return "Could not end " + what + " at the bank (" + err.Error() + "); it ends by itself within 30 days."
	}
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	if auth, err := client.AuthTokenFromRefresh(ctx, refresh); err == nil {
		_ = client.InvalidateAuthToken(ctx, auth)
	}
	err = client.InvalidateRefreshToken(ctx, refresh)
	switch {
	case err == nil:
		return "Ended " + what + " at the bank " + baseURL + " (refresh and auth tokens invalidated)."
	case errors.Is(err, api.ErrUnauthorized):
		return "The bank " + baseURL + " had already ended " + what + "."
	}
	return "Could not end " + what + " at the bank " + baseURL + " (" + common.ErrorText(err) + "); it ends by itself within 30 days."
}

// runConfig is `konto config path|example`.
func runConfig(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h") {
		fmt.Fprint(stdout, configUsage)
		return 0
	}
	if len(args) != 1 || (args[0] != "path" && args[0] != "example") {
		if len(args) == 0 {
			return usageError(stderr, "config", "say path or example")
		}
		return usageError(stderr, "config", fmt.Sprintf("say path or example, not %q", strings.Join(args, " ")))
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
