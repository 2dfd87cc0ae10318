//go:build unix

package sshserve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"konto/ui/sshserve/sshtest"
)

func TestAuthorizedKeysOthersCanWriteAreRefused(t *testing.T) {
	key := sshtest.NewKey(t)
	path := writeKeys(t, sshtest.AuthorizedLine(key, "work", ""))
	dir := filepath.Dir(path)
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{AuthorizedKeysPath: path})
	works := func() bool {
		c, err := sshtest.Dial(ts.addr, key, ts.hostKey)
		if err == nil {
			c.Close()
		}
		return err == nil
	}
	if !works() {
		t.Fatal("key refused from a 0600 file in a 0700 directory")
	}
	type change struct {
		name   string
		spoil  func() error
		mend   func() error
		logged string
	}
	changes := []change{
		{"file 0666", func() error { return os.Chmod(path, 0o666) }, func() error { return os.Chmod(path, 0o600) },
			"is writable by group or others (mode 0666) (anyone who can write to it can add a key); fix: chmod go-w " + path},
		{"file 0620", func() error { return os.Chmod(path, 0o620) }, func() error { return os.Chmod(path, 0o600) },
			"(mode 0620)"},
		{"directory 0777", func() error { return os.Chmod(dir, 0o777) }, func() error { return os.Chmod(dir, 0o700) },
			dir + " is writable by group or others (mode 0777)"},
	}
	if os.Getuid() == 0 {
		changes = append(changes, change{"owned by another user",
			func() error { return os.Chown(path, 65534, 65534) }, func() error { return os.Chown(path, 0, 0) },
			"is owned by uid 65534, not by the server's user (uid 0) or root"})
	}
	for _, c := range changes {
		if err := c.spoil(); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if works() {
				t.Fatalf("%s: the key was still accepted", c.name)
			}
		}
		if n := strings.Count(ts.logs.String(), c.logged); n != 1 {
			t.Errorf("%s: %d log lines saying %q, want 1:\n%s", c.name, n, c.logged, ts.logs.String())
		}
		if err := c.mend(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, works)
	}
	// Refused at start, with the reason.
	if err := os.Chmod(path, 0o644|0o002); err != nil {
		t.Fatal(err)
	}
	signer, _, _ := LoadOrCreateHostKey(filepath.Join(t.TempDir(), "hk"))
	if _, err := New(Config{HostKey: signer, AuthorizedKeysPath: path, NewSession: func(SessionInfo) (*Session, error) { return nil, nil }}); err == nil ||
		!strings.Contains(err.Error(), "chmod go-w") {
		t.Fatalf("New with a 0646 file: %v", err)
	}
}
