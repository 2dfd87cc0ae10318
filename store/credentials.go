package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Secrets keeps one refresh token per profile. Implementations are safe for
// concurrent use.
type Secrets interface {
	// Get returns the profile's token, or an error matching ErrNotFound.
	Get(ctx context.Context, profile string) (string, error)
	// Set stores the profile's token, replacing any earlier one.
	Set(ctx context.Context, profile, token string) error
	// Delete removes the profile's token; deleting a missing token is not an error.
	Delete(ctx context.Context, profile string) error
	// Where says where tokens live, for the status line: "OS keyring",
	// "memory only", or the directory of the token files.
	Where() string
	// Place is the kind of place Where names.
	Place() Place
}

var (
	// ErrNotFound means no token is stored for the profile.
	ErrNotFound = errors.New("no stored session")
	// ErrNoKeyring means the OS keyring is missing, failing or not answering.
	ErrNoKeyring = errors.New("no working OS keyring")
)

// keyringService is the service name of konto's keyring entries; the
// profile is the user name.
const keyringService = "konto"

// DefaultKeyringTimeout bounds each keyring call: a Secret Service unlock
// prompt nobody can see (over SSH) would otherwise hang konto forever.
const DefaultKeyringTimeout = 3 * time.Second

// keyringBackend is the part of go-keyring konto uses; tests put a hanging
// one in its place.
type keyringBackend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// osKeyring calls go-keyring's package functions, so keyring.MockInit works.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, pw string) error       { return keyring.Set(service, user, pw) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// keyringTimeoutError is what a keyring call that did not return in time
// reports. It matches ErrNoKeyring and context.DeadlineExceeded.
type keyringTimeoutError struct{ after time.Duration }

func (e keyringTimeoutError) Error() string {
	return fmt.Sprintf("the OS keyring did not answer within %s", e.after)
}

func (e keyringTimeoutError) Is(target error) bool {
	return target == ErrNoKeyring || target == context.DeadlineExceeded
}

type keyringSecrets struct {
	backend keyringBackend
	timeout time.Duration
}

// NewKeyring returns Secrets in the OS keyring (service "konto", user = the
// profile). Every call gives up after timeout (DefaultKeyringTimeout if <= 0)
// with an error matching ErrNoKeyring.
func NewKeyring(timeout time.Duration) Secrets {
	return newKeyring(osKeyring{}, timeout)
}

func newKeyring(backend keyringBackend, timeout time.Duration) *keyringSecrets {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return &keyringSecrets{backend: backend, timeout: timeout}
}

func (k *keyringSecrets) Where() string { return "OS keyring" }

func (k *keyringSecrets) Place() Place { return PlaceKeyring }

func (k *keyringSecrets) Get(ctx context.Context, profile string) (string, error) {
	if err := checkProfile(profile); err != nil {
		return "", err
	}
	var token string
	err := k.call(ctx, func() error {
		var err error
		token, err = k.backend.Get(keyringService, profile)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("read session of profile %q: %w", profile, err)
	}
	return token, nil
}

func (k *keyringSecrets) Set(ctx context.Context, profile, token string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	err := k.call(ctx, func() error { return k.backend.Set(keyringService, profile, token) })
	if err != nil {
		return fmt.Errorf("save session of profile %q: %w", profile, err)
	}
	return nil
}

func (k *keyringSecrets) Delete(ctx context.Context, profile string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	err := k.call(ctx, func() error { return k.backend.Delete(keyringService, profile) })
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("delete session of profile %q: %w", profile, err)
	}
	return nil
}

// call runs fn in its own goroutine and waits at most k.timeout (or until ctx
// ends). A call that times out keeps running in the background until the
// backend returns; its result is dropped.
func (k *keyringSecrets) call(ctx context.Context, fn func() error) error {
	// The write to the closure's variables in fn happens before the send,
	// and is read only after the receive, so there is no race.
	done := make(chan error, 1)
	go func() { done <- fn() }()
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNotFound
		default:
			return fmt.Errorf("%w: %w", ErrNoKeyring, err)
		}
	case <-timer.C:
		return keyringTimeoutError{after: k.timeout}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// KeyringAvailable reports whether an OS keyring can exist here, without
// touching it. On Linux and the BSDs go-keyring speaks Secret Service over
// the D-Bus session bus: no bus address (or a "disabled:" one) means no
// keyring, and trying would only wait for a timeout.
func KeyringAvailable(getenv func(string) string, goos string) bool {
	if getenv == nil {
		getenv = os.Getenv
	}
	switch goos {
	case "darwin", "windows":
		return true
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly", "solaris", "illumos":
		bus := strings.TrimSpace(getenv("DBUS_SESSION_BUS_ADDRESS"))
		return bus != "" && !strings.HasPrefix(bus, "disabled:")
	}
	return false
}

// memorySecrets forgets everything when konto exits.
type memorySecrets struct {
	mu     sync.Mutex
	tokens map[string]string
}

// NewMemorySecrets returns Secrets that live only as long as the process:
// the user logs in at each start.
func NewMemorySecrets() Secrets { return &memorySecrets{tokens: map[string]string{}} }

func (m *memorySecrets) Where() string { return "memory only" }

func (m *memorySecrets) Place() Place { return PlaceMemory }

func (m *memorySecrets) Get(_ context.Context, profile string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	token, ok := m.tokens[profile]
	if !ok {
		return "", fmt.Errorf("read session of profile %q: %w", profile, ErrNotFound)
	}
	return token, nil
}

func (m *memorySecrets) Set(_ context.Context, profile, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[profile] = token
	return nil
}

func (m *memorySecrets) Delete(_ context.Context, profile string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tokens, profile)
	return nil
}

// FileSecrets keeps one token file per profile in a private directory. Only
// used with the user's explicit consent (--insecure-storage): the token is
// protected by file permissions alone.
type FileSecrets struct {
	dir string
}

// maxTokenFileSize bounds what FileSecrets reads from a token file.
const maxTokenFileSize = 64 << 10

// NewFileSecrets returns Secrets stored as 0600 files in dir, a 0700
// directory created (or repaired) on first write.
func NewFileSecrets(dir string) *FileSecrets { return &FileSecrets{dir: dir} }

// Where returns the directory holding the token files.
func (f *FileSecrets) Where() string { return f.dir }

// Place is PlaceFile.
func (f *FileSecrets) Place() Place { return PlaceFile }

// Path is the token file of a profile.
func (f *FileSecrets) Path(profile string) string {
	return filepath.Join(f.dir, profile+".token")
}

func (f *FileSecrets) Get(_ context.Context, profile string) (string, error) {
	if err := checkProfile(profile); err != nil {
		return "", err
	}
	path := f.Path(profile)
	// A token is a JWT of about a KiB; a FIFO or device at the path must
	// not hang konto or fill its memory.
	data, err := ReadSmallFile(path, maxTokenFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read session of profile %q: %w", profile, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("read session of profile %q: %w", profile, err)
	}
	// Repair modes loosened by hand or by a careless copy; the token is
	// still good, it just must not stay readable by others.
	if info, err := os.Stat(path); err == nil && info.Mode().Perm() != 0o600 {
		_ = os.Chmod(path, 0o600)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("read session of profile %q: %w", profile, ErrNotFound)
	}
	return token, nil
}

// Set writes the token atomically: a temporary file in the same directory,
// synced, then renamed over the old one, so a reader (another konto) sees
// either the old token or the new one, never a part.
func (f *FileSecrets) Set(_ context.Context, profile, token string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	if err := f.write(profile, token); err != nil {
		return fmt.Errorf("save session of profile %q: %w", profile, err)
	}
	return nil
}

func (f *FileSecrets) write(profile, token string) error {
	if err := ensurePrivateDir(f.dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.dir, "."+profile+".token.tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	tmpName := tmp.Name()
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()
	// CreateTemp already uses 0600; say so explicitly in case that changes.
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("protect temporary file: %w", err)
	}
	if _, err := tmp.WriteString(token + "\n"); err != nil {
		return fmt.Errorf("write temporary file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync temporary file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close temporary file: %w", err)
	}
	if err := os.Rename(tmpName, f.Path(profile)); err != nil {
		return fmt.Errorf("replace token file: %w", err)
	}
	committed = true
	syncDir(f.dir)
	return nil
}

func (f *FileSecrets) Delete(_ context.Context, profile string) error {
	if err := checkProfile(profile); err != nil {
		return err
	}
	err := os.Remove(f.Path(profile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete session of profile %q: %w", profile, err)
	}
	syncDir(f.dir)
	return nil
}

// syncDir makes a rename or removal in dir durable. Best effort: some
// systems cannot sync a directory, and the rename itself already happened.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// SecretsOptions chooses where OpenSecrets keeps tokens.
type SecretsOptions struct {
	// Getenv reads the environment (os.Getenv if nil): XDG dirs and the D-Bus address.
	Getenv func(string) string
	// GOOS is the operating system (runtime.GOOS if empty).
	GOOS string
	// Timeout bounds each keyring call (DefaultKeyringTimeout if zero).
	Timeout time.Duration
	// InsecureStorage is the user's consent to keep the token in a file
	// when no keyring works (--insecure-storage or the login screen's checkbox).
	InsecureStorage bool
	// Dir is the directory for token files (SecretsDir if empty).
	Dir string
	// Profile is the profile the keyring probe reads (DefaultProfile if empty).
	Profile string

	keyring keyringBackend // tests only; osKeyring if nil
}

// OpenSecrets picks where tokens live: the OS keyring when one exists and
// answers a probe in time; else token files when the user consented; else
// memory only. notice is a sentence for the login screen and status line
// when the choice is not the keyring ("" otherwise).
func OpenSecrets(ctx context.Context, opt SecretsOptions) (secrets Secrets, notice string) {
	getenv := opt.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	goos := opt.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	profile := opt.Profile
	if profile == "" {
		profile = DefaultProfile
	}
	dir := opt.Dir
	if dir == "" {
		var err error
		if dir, err = SecretsDir(getenv); err != nil {
			return NewMemorySecrets(), "no place for a session file (" + err.Error() + "): you will log in each start"
		}
	}

	reason := "no OS keyring here"
	if KeyringAvailable(getenv, goos) {
		backend := opt.keyring
		if backend == nil {
			backend = osKeyring{}
		}
		kr := newKeyring(backend, opt.Timeout)
		_, err := kr.Get(ctx, profile)
		if err == nil || errors.Is(err, ErrNotFound) {
			return kr, ""
		}
		reason = keyringReason(err)
	}
	if opt.InsecureStorage {
		return NewFileSecrets(dir), reason + ": the session is kept in " + dir + " (--insecure-storage)"
	}
	return NewMemorySecrets(), reason + ": you will log in each start; --insecure-storage keeps the session in " + dir
}

// keyringReason turns a failed probe into the start of a sentence.
func keyringReason(err error) string {
	var timeout keyringTimeoutError
	if errors.As(err, &timeout) {
		return timeout.Error()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "the OS keyring was not asked in time"
	}
	return "the OS keyring does not work here"
}
