package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// hangingKeyring never answers, like a Secret Service waiting for an
// unlock prompt nobody can see.
type hangingKeyring struct{ release chan struct{} }

func (h hangingKeyring) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hangingKeyring) Set(string, string, string) error   { <-h.release; return nil }
func (h hangingKeyring) Delete(string, string) error        { <-h.release; return nil }

func TestKeyringWithMock(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	s := NewKeyring(time.Second)
	if s.Where() != "OS keyring" {
		t.Errorf("Where = %q", s.Where())
	}
	if _, err := s.Get(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := s.Set(ctx, "default", "refresh-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "work", "refresh-2"); err != nil {
		t.Fatal(err)
	}
	if got, err := keyring.Get("konto", "default"); err != nil || got != "refresh-1" {
		t.Errorf("entry in the keyring = %q, %v; want service konto, user = profile", got, err)
	}
	if got, err := s.Get(ctx, "work"); err != nil || got != "refresh-2" {
		t.Errorf("Get(work) = %q, %v", got, err)
	}
	if err := s.Delete(ctx, "default"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "default"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	if _, err := s.Get(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
	if err := s.Set(ctx, "../x", "t"); err == nil {
		t.Error("Set accepted an invalid profile name")
	}
}

func TestKeyringFailure(t *testing.T) {
	boom := errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
	keyring.MockInitWithError(boom)
	s := NewKeyring(time.Second)
	ctx := context.Background()
	for name, err := range map[string]error{
		"Get":    func() error { _, err := s.Get(ctx, "default"); return err }(),
		"Set":    s.Set(ctx, "default", "t"),
		"Delete": s.Delete(ctx, "default"),
	} {
		if !errors.Is(err, ErrNoKeyring) || !errors.Is(err, boom) {
			t.Errorf("%s: %v, want ErrNoKeyring wrapping the cause", name, err)
		}
	}
}

func TestKeyringTimeout(t *testing.T) {
	h := hangingKeyring{release: make(chan struct{})}
	defer close(h.release)
	s := newKeyring(h, 20*time.Millisecond)
	_, err := s.Get(context.Background(), "default")
	if !errors.Is(err, ErrNoKeyring) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get on a hanging keyring: %v, want a timeout matching ErrNoKeyring", err)
	}
	if !strings.Contains(err.Error(), "the OS keyring did not answer within 20ms") {
		t.Errorf("message = %q", err)
	}
	if err := s.Set(context.Background(), "default", "t"); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Set on a hanging keyring: %v", err)
	}
	// A cancelled context ends the wait too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := newKeyring(h, time.Hour).Delete(ctx, "default"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete with a cancelled context: %v", err)
	}
	if got := DefaultKeyringTimeout; got != 3*time.Second {
		t.Errorf("DefaultKeyringTimeout = %v", got)
	}
	if msg := (keyringTimeoutError{after: DefaultKeyringTimeout}).Error(); msg != "the OS keyring did not answer within 3s" {
		t.Errorf("message = %q", msg)
	}
}

func TestKeyringAvailable(t *testing.T) {
	cases := []struct {
		goos, bus string
		want      bool
	}{
		{"linux", "", false},
		{"linux", "disabled:", false},
		{"linux", "disabled:foo", false},
		{"linux", "unix:path=/run/user/1000/bus", true},
		{"freebsd", "", false},
		{"darwin", "", true},
		{"windows", "", true},
		{"plan9", "unix:path=/x", false},
	}
	for _, tc := range cases {
		getenv := func(k string) string {
			if k == "DBUS_SESSION_BUS_ADDRESS" {
				return tc.bus
			}
			return ""
		}
		if got := KeyringAvailable(getenv, tc.goos); got != tc.want {
			t.Errorf("KeyringAvailable(%s, bus %q) = %v, want %v", tc.goos, tc.bus, got, tc.want)
		}
	}
}

func TestMemorySecrets(t *testing.T) {
	ctx := context.Background()
	s := NewMemorySecrets()
	if s.Where() != "memory only" {
		t.Errorf("Where = %q", s.Where())
	}
	if _, err := s.Get(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get before Set: %v", err)
	}
	_ = s.Set(ctx, "default", "t1")
	if got, err := s.Get(ctx, "default"); err != nil || got != "t1" {
		t.Errorf("Get = %q, %v", got, err)
	}
	_ = s.Delete(ctx, "default")
	if _, err := s.Get(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

func TestFileSecretsPermissions(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "konto", "credentials")
	s := NewFileSecrets(dir)
	if s.Where() != dir {
		t.Errorf("Where = %q, want %q", s.Where(), dir)
	}
	if _, err := s.Get(ctx, "default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v", err)
	}
	if err := s.Set(ctx, "default", "refresh-1"); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700|os.ModeDir)
	assertMode(t, s.Path("default"), 0o600)
	if got, err := s.Get(ctx, "default"); err != nil || got != "refresh-1" {
		t.Errorf("Get = %q, %v", got, err)
	}

	// A directory loosened to 0755 (and a file to 0644) are repaired.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Path("default"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, "work", "refresh-2"); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700|os.ModeDir)
	if _, err := s.Get(ctx, "default"); err != nil {
		t.Fatal(err)
	}
	assertMode(t, s.Path("default"), 0o600)

	if err := s.Delete(ctx, "default"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path("default")); !os.IsNotExist(err) {
		t.Errorf("token file still there after Delete: %v", err)
	}
	if err := s.Delete(ctx, "default"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	if err := s.Set(ctx, "../../etc/passwd", "x"); err == nil {
		t.Error("Set accepted a profile name with a path in it")
	}
}

func TestFileSecretsAtomic(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := NewFileSecrets(dir)
	// Tokens of different lengths, so a torn write would show.
	tokens := []string{strings.Repeat("a", 4000), strings.Repeat("b", 10), strings.Repeat("c", 20000)}
	if err := s.Set(ctx, "default", tokens[0]); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.Set(ctx, "default", tokens[i%len(tokens)]); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 300 {
		got, err := s.Get(ctx, "default")
		if err != nil {
			t.Fatalf("reader: %v", err)
		}
		if got != tokens[0] && got != tokens[1] && got != tokens[2] {
			t.Fatalf("reader saw a partial token of %d bytes", len(got))
		}
	}
	close(stop)
	wg.Wait()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "default.token" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left in the directory: %v, want only default.token", names)
	}
}

func TestOpenSecrets(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "credentials")
	withBus := func(k string) string {
		if k == "DBUS_SESSION_BUS_ADDRESS" {
			return "unix:path=/run/user/1000/bus"
		}
		return ""
	}
	noBus := func(string) string { return "" }

	keyring.MockInit()
	s, notice := OpenSecrets(ctx, SecretsOptions{Getenv: withBus, GOOS: "linux", Dir: dir})
	if s.Where() != "OS keyring" || notice != "" {
		t.Errorf("working keyring: %q, notice %q", s.Where(), notice)
	}

	s, notice = OpenSecrets(ctx, SecretsOptions{Getenv: noBus, GOOS: "linux", Dir: dir})
	if s.Where() != "memory only" || !strings.Contains(notice, "you will log in each start") || !strings.Contains(notice, "--insecure-storage") {
		t.Errorf("no bus: %q, notice %q", s.Where(), notice)
	}

	s, notice = OpenSecrets(ctx, SecretsOptions{Getenv: noBus, GOOS: "linux", Dir: dir, InsecureStorage: true})
	if s.Where() != dir || !strings.Contains(notice, dir) {
		t.Errorf("no bus, consent: %q, notice %q", s.Where(), notice)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("choosing the file store wrote to disk before any token: %v", err)
	}

	keyring.MockInitWithError(errors.New("dbus: no such service"))
	s, notice = OpenSecrets(ctx, SecretsOptions{Getenv: withBus, GOOS: "linux", Dir: dir})
	if s.Where() != "memory only" || !strings.HasPrefix(notice, "the OS keyring does not work here") {
		t.Errorf("failing keyring: %q, notice %q", s.Where(), notice)
	}

	h := hangingKeyring{release: make(chan struct{})}
	defer close(h.release)
	s, notice = OpenSecrets(ctx, SecretsOptions{Getenv: withBus, GOOS: "linux", Dir: dir, Timeout: 20 * time.Millisecond, keyring: h})
	if s.Where() != "memory only" || !strings.HasPrefix(notice, "the OS keyring did not answer within 20ms") {
		t.Errorf("hanging keyring: %q, notice %q", s.Where(), notice)
	}

	// The default directory follows XDG_CONFIG_HOME.
	cfg := t.TempDir()
	_, notice = OpenSecrets(ctx, SecretsOptions{Getenv: func(k string) string {
		if k == "XDG_CONFIG_HOME" {
			return cfg
		}
		return ""
	}, GOOS: "linux", InsecureStorage: true})
	if !strings.Contains(notice, filepath.Join(cfg, "konto", "credentials")) {
		t.Errorf("default dir: notice %q", notice)
	}
}
