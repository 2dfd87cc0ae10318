package sshserve

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// ProfileOption is the authorized-keys option that names the konto profile a
// key opens: `konto-profile="work" ssh-ed25519 AAAA… laptop`.
const ProfileOption = "konto-profile"

// ReadOnlyOption marks a key whose sessions can never move money:
// `konto-readonly,konto-profile="work" ssh-ed25519 AAAA… phone`.
const ReadOnlyOption = "konto-readonly"

// PrivacyOption starts the key's sessions with every amount, balance and
// IBAN masked (the privacy key shows them): a key for the screen others
// see, `konto-privacy,konto-profile="work" ssh-ed25519 AAAA… beamer`.
const PrivacyOption = "konto-privacy"

// AuthorizedKey is one key line of an authorized-keys file.
type AuthorizedKey struct {
	Key         gossh.PublicKey
	Fingerprint string
	Profile     string // "" when the line has no konto-profile option
	ReadOnly    bool   // the line says konto-readonly
	Privacy     bool   // the line says konto-privacy
	Comment     string
	Line        int
}

// AuthorizedKeys is a parsed authorized-keys file; it is not changed after
// parsing, so sessions may read it concurrently.
type AuthorizedKeys struct {
	byFingerprint map[string]AuthorizedKey
}

// ParseAuthorizedKeys parses an OpenSSH authorized-keys file whose lines may
// carry a konto-profile="NAME" option. name is used in errors. checkProfile,
// if not nil, vets each profile name. Options other than konto-profile are
// refused rather than silently ignored: someone who writes from="…" or
// no-pty expects it to be enforced, and konto serve enforces neither.
func ParseAuthorizedKeys(name string, data []byte, checkProfile func(string) error) (*AuthorizedKeys, error) {
	keys := &AuthorizedKeys{byFingerprint: map[string]AuthorizedKey{}}
	for i, line := range bytes.Split(data, []byte("\n")) {
		lineNo := i + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a public key line: %w", name, lineNo, err)
		}
		ak := AuthorizedKey{Key: key, Fingerprint: Fingerprint(key), Comment: comment, Line: lineNo}
		for _, opt := range options {
			optName, value, hasValue := strings.Cut(opt, "=")
			if flag := flagOption(optName); flag != "" {
				if hasValue {
					return nil, fmt.Errorf("%s:%d: %s takes no value", name, lineNo, flag)
				}
				ak.ReadOnly = ak.ReadOnly || flag == ReadOnlyOption
				ak.Privacy = ak.Privacy || flag == PrivacyOption
				continue
			}
			if !strings.EqualFold(optName, ProfileOption) {
				return nil, fmt.Errorf("%s:%d: option %q is not supported by konto serve (only %s=\"PROFILE\", %s and %s)", name, lineNo, optName, ProfileOption, ReadOnlyOption, PrivacyOption)
			}
			profile, err := unquoteOption(value)
			if !hasValue || err != nil || profile == "" {
				return nil, fmt.Errorf("%s:%d: %s needs a profile name in quotes: %s=\"work\"", name, lineNo, ProfileOption, ProfileOption)
			}
			if checkProfile != nil {
				if err := checkProfile(profile); err != nil {
					return nil, fmt.Errorf("%s:%d: %s: %w", name, lineNo, ProfileOption, err)
				}
			}
			ak.Profile = profile
		}
		if prev, ok := keys.byFingerprint[ak.Fingerprint]; ok && (prev.Profile != ak.Profile || prev.ReadOnly != ak.ReadOnly || prev.Privacy != ak.Privacy) {
			return nil, fmt.Errorf("%s:%d: this key is already on line %d with another profile, %s or %s", name, lineNo, prev.Line, ReadOnlyOption, PrivacyOption)
		} else if ok {
			continue
		}
		keys.byFingerprint[ak.Fingerprint] = ak
	}
	return keys, nil
}

// strictModes refuses the file when it or its directory could have been
// written by someone else, logging the problem and its fix once.
func (f *authorizedKeysFile) strictModes(info os.FileInfo) error {
	problem, fix := checkOwnerAndMode(f.path, info)
	if problem == "" {
		dir := filepath.Dir(f.path)
		dirInfo, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("authorized keys: %w", err)
		}
		problem, fix = checkOwnerAndMode(dir, dirInfo)
	}
	if problem == "" {
		f.refused = ""
		return nil
	}
	err := fmt.Errorf("authorized keys %s refused, no key is accepted until fixed: %s (anyone who can write to it can add a key); fix: %s", f.path, problem, fix)
	if problem != f.refused && f.logf != nil {
		f.logf("%v", err)
	}
	f.refused = problem
	return err
}

// flagOption is the konto option without a value that name spells (any
// case), or "".
func flagOption(name string) string {
	for _, o := range []string{ReadOnlyOption, PrivacyOption} {
		if strings.EqualFold(name, o) {
			return o
		}
	}
	return ""
}

func unquoteOption(v string) (string, error) {
	if strings.HasPrefix(v, `"`) {
		return strconv.Unquote(v)
	}
	return v, nil
}

// Lookup finds key in the file.
func (a *AuthorizedKeys) Lookup(key gossh.PublicKey) (AuthorizedKey, bool) {
	if a == nil || key == nil {
		return AuthorizedKey{}, false
	}
	ak, ok := a.byFingerprint[Fingerprint(key)]
	return ak, ok
}

// Len is the number of distinct keys.
func (a *AuthorizedKeys) Len() int { return len(a.byFingerprint) }

// authorizedKeysFile re-reads the file when it changes, so adding or
// revoking a key needs no restart. Like OpenSSH's StrictModes, a file or
// directory others could write to authorizes nobody. A file that no longer parses authorizes
// nobody until it is fixed: keeping the old keys would keep a key the admin
// was just revoking.
type authorizedKeysFile struct {
	path         string
	checkProfile func(string) error
	logf         func(format string, args ...any)

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    *AuthorizedKeys
	err     error
	refused string // the ownership or mode problem last logged
}

// load reads the file now; used at start so a broken file stops the server.
func (f *authorizedKeysFile) load() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reloadLocked(true)
}

// current returns the keys, re-reading the file if it changed.
func (f *authorizedKeysFile) current() (*AuthorizedKeys, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_ = f.reloadLocked(false)
	return f.keys, f.err
}

func (f *authorizedKeysFile) reloadLocked(force bool) error {
	info, err := os.Stat(f.path)
	if err != nil {
		f.keys, f.err = nil, fmt.Errorf("authorized keys: %w", err)
		f.modTime, f.size = time.Time{}, -1
		return f.err
	}
	// Checked at every look-up: a chmod changes neither time nor size.
	if err := f.strictModes(info); err != nil {
		f.keys, f.err = nil, err
		f.modTime, f.size = time.Time{}, -1 // read it again once mended
		return err
	}
	if !force && info.ModTime().Equal(f.modTime) && info.Size() == f.size {
		return f.err
	}
	f.modTime, f.size = info.ModTime(), info.Size()
	data, err := os.ReadFile(f.path)
	if err == nil {
		var keys *AuthorizedKeys
		keys, err = ParseAuthorizedKeys(f.path, data, f.checkProfile)
		if err == nil {
			f.keys, f.err = keys, nil
			return nil
		}
	}
	if !errors.Is(err, os.ErrNotExist) && f.logf != nil {
		f.logf("authorized keys not loaded, refusing every key until fixed: %v", err)
	}
	f.keys, f.err = nil, err
	return err
}
