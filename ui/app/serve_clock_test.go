package app

import (
	"context"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"konto/ui/sshserve"
)

// A demo served over SSH runs on $KONTO_SANDBOX_NOW like konto --demo
// --now: each session's bank and calendar start there.
func TestServeDemoSessionsStartAtSandboxNow(t *testing.T) {
	const at = "2027-03-31T12:00:00+02:00"
	want, _ := time.Parse(time.RFC3339, at)
	f := testFactory(io.Discard, io.Discard)
	f.Getenv = func(k string) string {
		if k == EnvNow {
			return at
		}
		return os.Getenv(k)
	}
	banks := make(chan *DemoBank, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := ServeOptions{Demo: true, HostKey: filepath.Join(t.TempDir(), "key"), demoStarted: func(b *DemoBank) { banks <- b }}
	srv, _, release, err := newServeServer(ctx, f, opts, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_ = srv
	start, err := sandboxStart("", f.Getenv)
	if err != nil || !start.Equal(want) {
		t.Fatalf("sandboxStart = %v, %v", start, err)
	}
	d := &demoSessions{f: f, start: start, started: func(b *DemoBank) { banks <- b }}
	sess, err := d.newSession(sshserve.SessionInfo{Ctx: ctx, Width: 80, Height: 24})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	bank := <-banks
	if got := bank.Now(); got.Before(want) || got.After(want.Add(time.Hour)) {
		t.Fatalf("the session's bank is at %v, want %v", got, want)
	}

	f.Getenv = func(k string) string {
		if k == EnvNow {
			return "tomorrow"
		}
		return ""
	}
	opts.HostKey = filepath.Join(t.TempDir(), "key")
	if _, _, _, err := newServeServer(ctx, f, opts, log.New(io.Discard, "", 0)); err == nil || !strings.Contains(err.Error(), EnvNow) {
		t.Fatalf("a malformed %s: %v", EnvNow, err)
	}
}
