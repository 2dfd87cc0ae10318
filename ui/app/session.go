package app

// Sessions: `konto login`, `konto logout`, `konto config`, and the session
// bootstrap of the dashboard: config and flags resolved into a profile, where
// the refresh token lives, the offline cache, the login screen when no
// session is stored, and the wiring of the cache-backed bank, polling and the
// login dialog into the UI.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store"
	"konto/store/offline"
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
// line (fs parsed) with store.Resolve. A config problem is a
// *store.ConfigError naming file, line and key.
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
	s := &settings{cfg: cfg, flags: *f, getenv: getenv}
	var o store.Overrides
	fs.Visit(func(fl *flag.Flag) {
		v := fl.Value.String()
		switch fl.Name {
		case "profile":
			s.profileExplicit = true
		case "api-url":
			o.APIURL = &v
		case "theme":
			o.Theme = &v
		case "layout":
			o.Layout = &v
		case "read-only":
			o.ReadOnly = f.readOnly
		case "no-cache":
			o.NoCache = f.noCache
		}
	})
	resolved, err := store.Resolve(cfg, f.profile, o)
	if err != nil {
		return nil, err
	}
	s.prof, s.configuredURL = resolved.Profile, resolved.ConfiguredURL
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

// secretsEnv is where the profile's session lives (a store.TokenStore),
// with what the command line and the login screen do with it.
type secretsEnv struct {
	f      *Factory
	tokens *store.TokenStore
}

// openSecretsEnv opens the token store of the profile s names.
func openSecretsEnv(ctx context.Context, f *Factory, s *settings) *secretsEnv {
	return &secretsEnv{f: f, tokens: store.OpenTokenStore(ctx, store.TokenStoreOptions{
		Getenv:          s.getenv,
		Profile:         s.prof.Name,
		InsecureStorage: s.flags.insecureStorage,
		ConfiguredURL:   s.configuredURL,
	})}
}

// endReplaced ends a session a new login replaced, at its own bank only
// (best effort, within replacedTimeout), and says how it went; "" when
// there was none.
func (e *secretsEnv) endReplaced(ctx context.Context, replaced store.StoredSession) string {
	if replaced.RefreshToken == "" {
		return ""
	}
	bank := e.tokens.BankOf(replaced)
	client, err := e.f.newClient(bank, nil)
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
	opt := login.Options{Login: fn, BaseURL: baseURL, Notice: e.tokens.Notice()}
	if e.tokens.OffersFile() && e.tokens.EnvToken() == "" {
		opt.FileDir = e.tokens.ShownDir()
		opt.Notice = "No OS keyring here: unless you tick the box, you will log in at each start."
	}
	return opt
}

// logIn creates a refresh token and an auth token with the JWT endpoints.
func (f *Factory) logIn(ctx context.Context, baseURL string, cred api.Credentials) (refresh, auth string, err error) {
	client, err := f.newClient(baseURL, nil)
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
		refresh, auth, err := e.f.logIn(ctx, baseURL, cred)
		if err != nil {
			return login.Result{}, err
		}
		res := login.Result{RefreshToken: refresh, AuthToken: auth}
		notice, replaced, err := e.tokens.Keep(ctx, store.StoredSession{APIURL: baseURL, RefreshToken: refresh}, keepInFile)
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

// dashboardStores is where one dashboard run keeps its session: the token
// store and the offline cache, and what opening them had to say.
type dashboardStores struct {
	f       *Factory
	set     *settings
	secrets *secretsEnv // nil in the demo
	cache   *store.Cache
	baseURL string
	notices []string
}

// openDashboardStores opens the token store (not for the demo) and the
// offline cache (for the demo only with an explicit --profile). Problems
// with either become notices: konto runs without.
func openDashboardStores(ctx context.Context, f *Factory, set *settings, baseURL string, demo bool) *dashboardStores {
	d := &dashboardStores{f: f, set: set, baseURL: baseURL}
	if !demo {
		d.secrets = openSecretsEnv(ctx, f, set)
		if t := d.secrets.tokens; t.EnvToken() == "" && t.Notice() != "" && !t.OffersFile() {
			d.notices = append(d.notices, t.Notice())
		}
	}
	if set.prof.Cache && (!demo || set.profileExplicit) {
		var err error
		d.cache, err = store.OpenProfileCache(set.getenv, set.prof.Name)
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
func (d *dashboardStores) Close() {
	if d.cache != nil {
		_ = d.cache.Close()
	}
}

// token returns the session to start with; without one it runs the login
// screen (a program of its own) and returns its tokens. ok is false when the
// user quit the login screen.
func (d *dashboardStores) token(ctx context.Context, connection string, mode theme.Mode, noColor bool) (refresh, auth string, ok bool, err error) {
	if d.secrets == nil {
		return "", "", false, errors.New("no session store")
	}
	tok, reason := d.secrets.tokens.StartToken(ctx, d.baseURL)
	if tok != "" {
		return tok, "", true, nil
	}
	c := newCommon(ctx, nil, connection, mode, noColor)
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
func (d *dashboardStores) endAuthToken(src *api.JWTSource) {
	src.Close()
	auth := src.AuthToken()
	if d.secrets == nil || auth == "" {
		return
	}
	client, err := d.f.newClient(d.baseURL, nil)
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
func (d *dashboardStores) attach(c *common.Common, remote offline.Remote, src *api.JWTSource, refresh, auth string) {
	if auth != "" {
		src.SetAuthToken(auth)
	}
	c.Keys = d.set.keys
	c.ReadOnly = c.ReadOnly || d.set.prof.ReadOnly
	wireLookahead(c, d.set.cfg, d.set.prof, d.cache)
	bank := session.NewMirror(remote, d.cache, nil)
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
