package store

// TokenStore: where one profile's session lives for one run of konto, and
// may move (the login screen's checkbox turns "memory only" into a token
// file): the KONTO_REFRESH_TOKEN override, the OS keyring, a token file the
// user consented to, or memory.

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"

	"konto/api"
)

// Place is the kind of place tokens are kept in.
type Place int

// The places, from the override to nowhere lasting.
const (
	PlaceMemory  Place = iota // this run only
	PlaceKeyring              // the OS keyring
	PlaceFile                 // token files (the user's consent)
	PlaceEnv                  // KONTO_REFRESH_TOKEN: used, never written
)

// EnvRefreshToken names the variable with a refresh token to use instead
// of the stored session (never saved).
const EnvRefreshToken = "KONTO_REFRESH_TOKEN"

// TokenStoreOptions choose a profile's TokenStore.
type TokenStoreOptions struct {
	Getenv  func(string) string // os.Getenv if nil
	Profile string
	// InsecureStorage is --insecure-storage: token files without a keyring.
	InsecureStorage bool
	// ConfiguredURL is Settings.ConfiguredURL: the bank of a session an
	// earlier konto stored without recording one.
	ConfiguredURL string
}

// TokenStore is where one profile's session lives. A StoredSession is
// the refresh token with the API URL it was made at. It is only
// ever sent there (BankOf): started with another --api-url, konto asks for
// a login instead and says why. A session stored by an earlier konto as a
// bare token has no recorded bank; it is taken to be from the profile's
// configured api_url (where `konto login` made it unless --api-url said
// otherwise), used only there, and recorded as such on its first use.
// KONTO_REFRESH_TOKEN is the user's explicit choice for the run and goes to
// whatever bank konto is pointed at. Safe for concurrent use.
type TokenStore struct {
	profile       string
	dir           string // where token files go ("" when there is no place)
	shownDir      string // dir as notices write it (~/…)
	envToken      string
	configuredURL string

	mu        sync.Mutex
	secrets   Secrets
	notice    string // OpenSecrets' sentence ("" for the keyring)
	offerFile bool   // no keyring and no consent yet: offer the checkbox
}

// OpenTokenStore picks the profile's token store. A token file left by an
// earlier consent (the checkbox) counts as consent again.
func OpenTokenStore(ctx context.Context, opt TokenStoreOptions) *TokenStore {
	getenv := opt.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	t := &TokenStore{profile: opt.Profile, configuredURL: opt.ConfiguredURL, envToken: strings.TrimSpace(getenv(EnvRefreshToken))}
	t.dir, _ = SecretsDir(getenv)
	t.shownDir = TildePath(t.dir, getenv)
	t.secrets, t.notice = OpenSecrets(ctx, SecretsOptions{
		Getenv:          getenv,
		InsecureStorage: opt.InsecureStorage,
		Profile:         opt.Profile,
		Dir:             t.dir,
	})
	if t.dir != "" {
		t.notice = strings.ReplaceAll(t.notice, t.dir, t.shownDir)
	}
	if t.secrets.Place() == PlaceMemory && t.dir != "" {
		files := NewFileSecrets(t.dir)
		if _, err := files.Get(ctx, opt.Profile); err == nil {
			t.secrets = files
			t.notice = "no OS keyring here: the session is kept in " + t.shownDir + " (you agreed at an earlier login)"
		} else {
			t.offerFile = true
		}
	}
	return t
}

// EnvToken is KONTO_REFRESH_TOKEN, "" when it is not set.
func (t *TokenStore) EnvToken() string { return t.envToken }

// Place is where the session is kept now; PlaceEnv when the override is set.
func (t *TokenStore) Place() Place {
	if t.envToken != "" {
		return PlaceEnv
	}
	return t.current().Place()
}

// Notice says where the session is kept when that is not the keyring ("" then).
func (t *TokenStore) Notice() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.notice
}

// OffersFile reports that no keyring works and the user has not agreed to
// a token file yet: the login screen offers its checkbox.
func (t *TokenStore) OffersFile() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offerFile
}

// ShownDir is the token files' directory as a notice writes it (~/…).
func (t *TokenStore) ShownDir() string { return t.shownDir }

func (t *TokenStore) current() Secrets {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.secrets
}

// Stores are where a session of the profile may be kept: the store in use,
// and a token file left from an earlier --insecure-storage.
func (t *TokenStore) Stores() []Secrets {
	cur := t.current()
	stores := []Secrets{cur}
	if t.dir != "" && cur.Where() != t.dir {
		stores = append(stores, NewFileSecrets(t.dir))
	}
	return stores
}

// BankOf is the one bank the stored session s may be sent to: the API URL
// recorded with it, or for a session of an earlier konto that recorded
// none, the profile's configured api_url.
func (t *TokenStore) BankOf(s StoredSession) string {
	if s.APIURL != "" {
		return s.APIURL
	}
	return t.configuredURL
}

// Stored reads the profile's session from the store in use.
func (t *TokenStore) Stored(ctx context.Context) (StoredSession, error) {
	return LoadSession(ctx, t.current(), t.profile)
}

// StartToken is the refresh token to start at baseURL with:
// KONTO_REFRESH_TOKEN, else the stored session when it was made at
// baseURL. Else it is "", and reason says why a stored session was passed
// over ("" when there is none), for the login screen. A stored session of
// an earlier konto that is used gets its bank recorded with it.
func (t *TokenStore) StartToken(ctx context.Context, baseURL string) (refresh, reason string) {
	if t.envToken != "" {
		return t.envToken, ""
	}
	sess, err := t.Stored(ctx)
	switch {
	case errors.Is(err, ErrDamagedSession):
		return "", "The stored session could not be read (it is damaged): log in to replace it."
	case err != nil:
		return "", "" // none stored, or no store that answers (its notice says so)
	}
	bank := t.BankOf(sess)
	if !api.SameBank(bank, baseURL) {
		if sess.APIURL == "" {
			return "", "The stored session was kept by an earlier konto that did not record its bank, so it is used only with the profile's api_url " +
				bank + "; log in to " + baseURL + " to replace it."
		}
		return "", "The stored session is for " + bank + "; log in to " + baseURL + " to replace it, or start konto with --api-url " + bank + "."
	}
	if sess.APIURL == "" {
		// Best effort: unrecorded, it is taken to be the configured bank's again next time.
		_ = SaveSession(ctx, t.current(), t.profile, StoredSession{APIURL: bank, RefreshToken: sess.RefreshToken})
	}
	return sess.RefreshToken, ""
}

// Keep stores a new session where the user agreed and says where ("" for
// the keyring). keepInFile is the login screen's checkbox. replaced is the
// session it took the place of (RefreshToken "" if none, or the same
// token): end it at its bank, nobody holds it any more.
func (t *TokenStore) Keep(ctx context.Context, sess StoredSession, keepInFile bool) (notice string, replaced StoredSession, err error) {
	if t.envToken != "" {
		return EnvRefreshToken + " is set: the new session is not saved", StoredSession{}, nil
	}
	t.mu.Lock()
	before := t.secrets
	if keepInFile && t.offerFile {
		t.secrets, t.offerFile = NewFileSecrets(t.dir), false
		t.notice = "the session is kept in " + t.shownDir + " (readable only by you)"
	}
	secrets := t.secrets
	t.mu.Unlock()
	if old, err := LoadSession(ctx, before, t.profile); err == nil && old.RefreshToken != sess.RefreshToken {
		replaced = old
	}
	if err := SaveSession(ctx, secrets, t.profile, sess); err != nil {
		return "", StoredSession{}, err
	}
	if before != secrets {
		_ = before.Delete(ctx, t.profile) // it lives on in the new place only
	}
	switch secrets.Place() {
	case PlaceKeyring:
		return "", replaced, nil
	case PlaceMemory:
		return "the session is kept in memory only: you will log in again at the next start", replaced, nil
	default:
		return "the session is kept in " + t.shownDir, replaced, nil
	}
}

// TildePath writes a path under the home directory as ~/…, for notices.
func TildePath(path string, getenv func(string) string) string {
	home := getenv("HOME")
	if home == "" || !strings.HasPrefix(path, home+string(os.PathSeparator)) {
		return path
	}
	return "~" + path[len(home):]
}
