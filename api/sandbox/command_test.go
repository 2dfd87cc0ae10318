package sandbox

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSandboxHelp(t *testing.T) {
	out := CommandUsage()
	for _, want := range []string{"--listen", "--user", "--seed", "--transactions", "--token-ttl", "--faults", "--hostile",
		"KIND[=ARG]@RATE[:[METHOD ]PATHGLOB]", "drop-after", "malformed", "latency", "/sandbox/sms", "/sandbox/clock"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

// parseSandboxFlags parses args as konto sandbox would and checks them.
func parseSandboxFlags(args []string) (CommandConfig, error) {
	fs := flag.NewFlagSet("konto sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	_, checked := defineCommandFlags(fs, func(string) string { return "" })
	if err := fs.Parse(args); err != nil {
		return CommandConfig{}, err
	}
	return checked()
}

func TestParseSandboxFlags(t *testing.T) {
	cfg, err := parseSandboxFlags([]string{"--listen", ":9999", "--user", "a@b.de:pa:ss", "--user", "Aladdin:OpenSesame",
		"--seed", "7", "--transactions", "300", "--token-ttl", "2m", "--faults", "503@0.5", "--hostile"})
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.Options
	if cfg.Listen != ":9999" || len(o.Users) != 2 || o.Users[0].Login != "a@b.de" || o.Users[0].Password != "pa:ss" ||
		o.Seed != 7 || o.Transactions != 300 || o.TokenTTL != 2*time.Minute || o.Faults != "503@0.5" || !o.Hostile {
		t.Errorf("parsed %+v", cfg)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestSandboxServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	urls := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		cfg, err := parseSandboxFlags([]string{"--listen", "127.0.0.1:0", "--transactions", "100"})
		if err != nil {
			fmt.Fprintln(&errOut, err)
			done <- 2
			return
		}
		cfg.Options.Log = &out
		bank, err := New(cfg.Options)
		if err != nil {
			fmt.Fprintln(&errOut, err)
			done <- 2
			return
		}
		if err := serveCommand(ctx, cfg, bank, &out, func(u string) { urls <- u }); err != nil {
			fmt.Fprintln(&errOut, err)
			done <- 1
			return
		}
		done <- 0
	}()
	var base string
	select {
	case base = <-urls:
	case code := <-done:
		t.Fatalf("exited %d: %s", code, errOut.String())
	}
	req, _ := http.NewRequest("GET", base+"/api/accounts", nil)
	req.SetBasicAuth("Aladdin", "OpenSesame")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"id":4711`) {
		t.Fatalf("GET /api/accounts: %d %s", res.StatusCode, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	log := out.String()
	for _, want := range []string{"konto sandbox listening on " + base + "\n", "user Aladdin password OpenSesame accounts 4711, 4712\n",
		"curl -u 'Aladdin:OpenSesame' " + base + "/api/accounts", " GET /api/accounts 200 ", "konto sandbox stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("output lacks %q:\n%s", want, log)
		}
	}
}
