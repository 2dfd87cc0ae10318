package app

// Figures of konto serve against hostile clients, measured on a konto serve
// process of its own (its RSS and file descriptors from /proc) and, for
// the sessions that end, in this process (heap and goroutines):
//
//	KONTO_SERVE_FIGURES=1 go test -run TestServeHostileFigures -v .
//
// KONTO_SERVE_BIN names another konto binary to measure (an older one).

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"konto/ui/sshserve/sshtest"
)

func TestServeHostileFigures(t *testing.T) {
	if os.Getenv("KONTO_SERVE_FIGURES") == "" {
		t.Skip("set KONTO_SERVE_FIGURES=1 to measure")
	}
	bin := os.Getenv("KONTO_SERVE_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "konto")
		if out, err := exec.Command("go", "build", "-o", bin, "konto").CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	key := sshtest.NewKey(t)

	t.Run("20 sessions at 120x40", func(t *testing.T) {
		srv := startServeProcess(t, bin)
		idle := srv.rss(t)
		for i := range 20 {
			term := srv.open(t, key, i, 120, 40, false)
			dashboardShown(t, term, demoConnection)
		}
		time.Sleep(time.Second)
		t.Logf("FIGURE rss idle %d MB, with 20 sessions at 120x40 %d MB (peak %d MB)", idle>>20, srv.rss(t)>>20, srv.peak(t)>>20)
	})

	t.Run("one client at 20000x20000", func(t *testing.T) {
		srv := startServeProcess(t, bin)
		term := srv.open(t, key, 0, 20000, 20000, true)
		term.Settle(0, 2*time.Second, 60*time.Second)
		if err := term.Resize(20000, 19999); err == nil {
			term.Settle(term.Received(), 2*time.Second, 60*time.Second)
		}
		if !srv.alive() {
			t.Logf("FIGURE 20000x20000: the server died: %s", srv.tail())
			return
		}
		t.Logf("FIGURE rss with one session at 20000x20000: %d MB (peak %d MB), %d bytes sent", srv.rss(t)>>20, srv.peak(t)>>20, term.Received())
	})

	t.Run("1000 pending connections from one address", func(t *testing.T) {
		srv := startServeProcess(t, bin)
		before := srv.fds(t)
		var conns []net.Conn
		refused := 0
		for range 1000 {
			c, err := net.DialTimeout("tcp", srv.addr, 5*time.Second)
			if err != nil {
				refused++
				continue
			}
			conns = append(conns, c)
		}
		time.Sleep(time.Second)
		t.Logf("FIGURE fds %d before, %d with 1000 pending connections from one address (%d refused at dial)", before, srv.fds(t), refused)
		for _, c := range conns {
			c.Close()
		}
	})

	t.Run("200 sessions opened and closed", func(t *testing.T) {
		srv := startServeProcess(t, bin)
		for i := range 5 {
			term := srv.open(t, key, i, 120, 40, false)
			dashboardShown(t, term, demoConnection)
			term.Close()
		}
		time.Sleep(time.Second)
		base := srv.rss(t)
		for i := range 200 {
			term := srv.open(t, key, i, 120, 40, false)
			dashboardShown(t, term, demoConnection)
			term.Send("q")
			select {
			case <-term.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("session did not end")
			}
		}
		time.Sleep(2 * time.Second)
		t.Logf("FIGURE rss after 5 sessions %d MB, after 200 more %d MB", base>>20, srv.rss(t)>>20)
	})

	t.Run("200 sessions in this process", func(t *testing.T) {
		h := startServe(t, ServeOptions{Demo: true, IdleTimeout: 15 * time.Minute, MaxSessions: 50})
		run := func() {
			client, err := sshtest.Dial(h.addr, key, h.hostKey)
			if err != nil {
				t.Fatal(err)
			}
			term, err := sshtest.Open(client, 120, 40, sshtest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			dashboardShown(t, term, demoConnection)
			term.Close()
			<-term.Done()
			client.Close()
		}
		for range 5 {
			run()
		}
		waitUntil(t, func() bool { return h.srv.Sessions() == 0 })
		time.Sleep(time.Second)
		g0, heap0 := runtime.NumGoroutine(), liveHeap()
		for range 200 {
			run()
		}
		waitUntil(t, func() bool { return h.srv.Sessions() == 0 })
		deadline := time.Now().Add(20 * time.Second)
		for runtime.NumGoroutine() > g0+g0/10 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("FIGURE in process, 200 demo sessions: goroutines %d → %d, heap %d KiB → %d KiB", g0, runtime.NumGoroutine(), heap0>>10, liveHeap()>>10)
	})
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

type serveProcess struct {
	cmd  *exec.Cmd
	addr string
	log  *serveLog
	done chan struct{}
}

func startServeProcess(t *testing.T, bin string) *serveProcess {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "--demo", "--listen", "127.0.0.1:0", "--max-sessions", "50",
		"--host-key", filepath.Join(dir, "host_key"))
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CACHE_HOME="+dir)
	p := &serveProcess{cmd: cmd, log: &serveLog{}, done: make(chan struct{})}
	cmd.Stderr = p.log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "konto serve: listening on "); ok {
			p.addr = a
			break
		}
	}
	go func() {
		for lines.Scan() {
		}
	}()
	if p.addr == "" {
		t.Fatalf("no listening line; stderr: %s", p.log.String())
	}
	return p
}

// open opens a session from 127.0.0.(2+i), so the per-address rate limit
// does not apply.
func (p *serveProcess) open(t *testing.T, key gossh.Signer, i, w, h int, headless bool) *sshtest.Term {
	t.Helper()
	d := net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(i/250), byte(2+i%250))}}
	nc, err := d.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	c, chans, reqs, err := gossh.NewClientConn(nc, p.addr, &gossh.ClientConfig{User: "konto",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(key)}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatalf("ssh: %v; server: %s", err, p.tail())
	}
	client := gossh.NewClient(c, chans, reqs)
	term, err := sshtest.Open(client, w, h, sshtest.Options{Headless: headless})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close(); client.Close() })
	return term
}

func (p *serveProcess) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *serveProcess) tail() string {
	s := p.log.String()
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "fatal error") || strings.HasPrefix(line, "panic") {
			return line
		}
	}
	if len(s) > 400 {
		s = s[len(s)-400:]
	}
	return s
}

// status reads a field of /proc/PID/status in bytes.
func (p *serveProcess) status(t *testing.T, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return kb << 10
		}
	}
	return -1
}

func (p *serveProcess) rss(t *testing.T) int64  { return p.status(t, "VmRSS") }
func (p *serveProcess) peak(t *testing.T) int64 { return p.status(t, "VmHWM") }

func (p *serveProcess) fds(t *testing.T) int {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
