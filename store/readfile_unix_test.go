//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within runs fn and fails the test if it does not return: a read that
// blocks on a FIFO never would. The deadline is a generous bound against a
// hang, not a speed check.
func within[T any](t *testing.T, what string, fn func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("%s hangs", what)
		panic("unreachable")
	}
}

type loaded struct {
	cfg *Config
	err error
}

// notRegularFiles puts at path each thing a config or token path can
// wrongly name, and says how the refusal names it.
var notRegularFiles = []struct {
	name, want string
	make       func(t *testing.T, path string)
}{
	{"a FIFO", "not a regular file (a named pipe)", func(t *testing.T, path string) {
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Skipf("no FIFO here: %v", err)
		}
	}},
	{"a link to /dev/zero", "not a regular file (a device)", func(t *testing.T, path string) {
		if _, err := os.Stat("/dev/zero"); err != nil {
			t.Skip("no /dev/zero here")
		}
		if err := os.Symlink("/dev/zero", path); err != nil {
			t.Fatal(err)
		}
	}},
	{"a directory", "not a regular file (a directory)", func(t *testing.T, path string) {
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	}},
}

func TestLoadConfigRefusesWhatIsNotARegularFile(t *testing.T) {
	for _, tc := range notRegularFiles {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			tc.make(t, path)
			got := within(t, "LoadConfig", func() loaded {
				cfg, err := LoadConfig(path)
				return loaded{cfg, err}
			})
			var cerr *ConfigError
			if !errors.As(got.err, &cerr) || cerr.File != path || !strings.Contains(got.err.Error(), tc.want) {
				t.Fatalf("LoadConfig = %v, %v; want a ConfigError for %s saying %q", got.cfg, got.err, path, tc.want)
			}
		})
	}
}

func TestLoadConfigRefusesAHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 100 MiB without writing them.
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := within(t, "LoadConfig", func() loaded {
		cfg, err := LoadConfig(path)
		return loaded{cfg, err}
	})
	runtime.ReadMemStats(&after)
	want := path + ": 100 MiB; a config file is at most 1 MiB"
	if got.err == nil || got.err.Error() != want {
		t.Errorf("LoadConfig = %v, %v; want %q", got.cfg, got.err, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("refusing a 100 MiB config allocated %d MiB", alloc>>20)
	}

	// Just at the limit is read (and here refused as TOML, with its line).
	if err := os.Truncate(path, MaxConfigSize); err != nil {
		t.Fatal(err)
	}
	var cerr *ConfigError
	if _, err := LoadConfig(path); !errors.As(err, &cerr) || strings.Contains(err.Error(), "at most") {
		t.Errorf("a config of exactly 1 MiB: %v, want it parsed (and refused as TOML)", err)
	}
}

func TestLoadConfigFollowsALinkToAFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "konto.toml")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("read_only = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, path); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil || !cfg.Profile("default").ReadOnly {
		t.Fatalf("LoadConfig through a link: %v, %v", cfg, err)
	}
}

func TestFileSecretsRefuseWhatIsNotARegularFile(t *testing.T) {
	type got struct {
		token string
		err   error
	}
	for _, tc := range notRegularFiles {
		t.Run(tc.name, func(t *testing.T) {
			s := NewFileSecrets(t.TempDir())
			tc.make(t, s.Path("default"))
			r := within(t, "FileSecrets.Get", func() got {
				token, err := s.Get(context.Background(), "default")
				return got{token, err}
			})
			if r.err == nil || !errors.Is(r.err, ErrNotRegularFile) || !strings.Contains(r.err.Error(), s.Path("default")) {
				t.Fatalf("Get = %q, %v; want an error naming the file", r.token, r.err)
			}
		})
	}
	t.Run("a huge file", func(t *testing.T) {
		s := NewFileSecrets(t.TempDir())
		if err := os.WriteFile(s.Path("default"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(s.Path("default"), 1<<30); err != nil {
			t.Fatal(err)
		}
		var tooLarge *FileTooLargeError
		if _, err := s.Get(context.Background(), "default"); !errors.As(err, &tooLarge) {
			t.Fatalf("Get of a 1 GiB token file: %v", err)
		}
	})
}
