package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestSecretServiceReal runs the keyring path against a real Secret Service
// (gnome-keyring under dbus-run-session, as .ci/run sets it up). It runs only
// with KONTO_TEST_SECRET_SERVICE=1, and must run on its own (-run
// TestSecretServiceReal): keyring.MockInit in the other tests replaces
// go-keyring's backend for the rest of the process, with no way back.
func TestSecretServiceReal(t *testing.T) {
	if os.Getenv("KONTO_TEST_SECRET_SERVICE") != "1" {
		t.Skip("secret service test skipped: set KONTO_TEST_SECRET_SERVICE=1 and run it under dbus-run-session with gnome-keyring unlocked (see .ci/run)")
	}
	if !KeyringAvailable(nil, "linux") {
		t.Fatal("KONTO_TEST_SECRET_SERVICE=1 but DBUS_SESSION_BUS_ADDRESS is unset: run under dbus-run-session")
	}
	ctx := context.Background()
	profile := fmt.Sprintf("konto-test-%d", os.Getpid())
	// A real daemon answers in milliseconds; the generous bound only keeps
	// a slow CI machine from failing, a hang still ends the test.
	s := NewKeyring(10 * time.Second)
	t.Cleanup(func() { _ = s.Delete(context.Background(), profile) })

	if _, err := s.Get(ctx, profile); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := s.Set(ctx, profile, "refresh-1"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := s.Set(ctx, profile, "refresh-2"); err != nil {
		t.Fatalf("Set again: %v", err)
	}
	if got, err := s.Get(ctx, profile); err != nil || got != "refresh-2" {
		t.Fatalf("Get = %q, %v; want refresh-2", got, err)
	}
	// Ask the daemon with another client, so a mock in go-keyring's place
	// could not pass: the entry must really be in the Secret Service.
	if path, err := exec.LookPath("secret-tool"); err == nil {
		out, err := exec.Command(path, "lookup", "service", keyringService, "username", profile).Output()
		if err != nil || strings.TrimSpace(string(out)) != "refresh-2" {
			t.Fatalf("secret-tool lookup = %q, %v; want refresh-2", out, err)
		}
	} else {
		t.Log("secret-tool not installed: the entry was read back through go-keyring only")
	}

	// OpenSecrets probes the real keyring and picks it, with no notice.
	sec, notice := OpenSecrets(ctx, SecretsOptions{Profile: profile, Dir: t.TempDir()})
	if sec.Where() != "OS keyring" || notice != "" {
		t.Fatalf("OpenSecrets = %q, notice %q; want the OS keyring", sec.Where(), notice)
	}

	if err := s.Delete(ctx, profile); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, profile); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, profile); err != nil {
		t.Fatalf("Delete of a missing entry: %v", err)
	}
}
