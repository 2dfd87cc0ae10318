package sshserve

import (
	"io"
	"log"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"konto/ui/sshserve/sshtest"
)

func TestWindowClampedAndToldOnce(t *testing.T) {
	var notices atomic.Int32
	ts := startServer(t, Config{Demo: true, Notice: func(s string) tea.Msg {
		if strings.Contains(s, "at most 500×300") {
			notices.Add(1)
		}
		return noticeMsg(s)
	}})
	term, err := sshtest.Open(ts.dial(t, sshtest.NewKey(t)), 20000, 20000, sshtest.Options{Headless: true})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	term.WaitOutput(t, "size=500x300", 10*time.Second)
	term.WaitOutput(t, "draws at most 500×300", 10*time.Second)
	for _, size := range [][2]int{{30000, 100}, {100, 40000}, {20000, 20000}} {
		if err := term.Resize(size[0], size[1]); err != nil {
			t.Fatal(err)
		}
	}
	term.WaitOutput(t, "size=500x300", 10*time.Second)
	if err := term.Resize(100, 50); err != nil {
		t.Fatal(err)
	}
	term.WaitOutput(t, "size=100x50", 10*time.Second)
	if n := notices.Load(); n != 1 {
		t.Errorf("told %d times, want once", n)
	}
	if n := strings.Count(ts.logs.String(), "drawn at most 500×300"); n != 1 {
		t.Errorf("%d log lines about the window, want 1:\n%s", n, ts.logs.String())
	}
}

func TestClosedChannelOnKeptConnectionEndsItsSession(t *testing.T) {
	closed := make(chan struct{}, 1)
	ts := startServer(t, Config{Demo: true, MaxSessions: 1, IdleTimeout: time.Hour,
		NewSession: func(info SessionInfo) (*Session, error) {
			return &Session{Model: &echoModel{}, Close: func() {
				if info.Ctx.Err() == nil {
					t.Error("Close ran before the session's context ended")
				}
				closed <- struct{}{}
			}}, nil
		}})
	client := ts.dial(t, sshtest.NewKey(t)) // kept open, as ControlMaster does
	first, err := sshtest.Open(client, 80, 24, sshtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first.WaitFor(t, "size=80x24", 5*time.Second)
	first.Close() // the channel only
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the session's program kept running after its channel closed")
	}
	waitFor(t, func() bool { return ts.srv.Sessions() == 0 })
	second, err := sshtest.Open(client, 80, 24, sshtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	second.WaitFor(t, "size=80x24", 5*time.Second) // the slot was freed
}

// heapAlloc is the live heap after a collection.
func heapAlloc() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func TestEndedSessionsLeaveNothingBehind(t *testing.T) {
	// The log is not kept: 400 lines would be most of what grows.
	ts := startServer(t, Config{Demo: true, IdleTimeout: 15 * time.Minute, Log: log.New(io.Discard, "", 0), NewSession: func(info SessionInfo) (*Session, error) {
		// A model whose own timer outlives the session (the dashboard's
		// polls do) must not keep it either.
		return &Session{Model: &tickingModel{echoModel: &echoModel{}, ctx: info}, Greeting: "hello"}, nil
	}})
	key := sshtest.NewKey(t)
	session := func(kept *gossh.Client) {
		client := kept
		if client == nil {
			var err error
			if client, err = sshtest.Dial(ts.addr, key, ts.hostKey); err != nil {
				t.Fatal(err)
			}
		}
		term, err := sshtest.Open(client, 120, 40, sshtest.Options{Headless: true})
		if err != nil {
			t.Fatal(err)
		}
		term.WaitOutput(t, "size=120x40", 10*time.Second)
		term.Close()
		<-term.Done()
		if kept == nil {
			client.Close()
		}
	}
	settled := func(goroutines int) bool {
		return ts.srv.open() == 0 && runtime.NumGoroutine() <= goroutines
	}
	kept := ts.dial(t, key)
	for range 5 { // warm up pools and caches
		session(nil)
		session(kept)
	}
	waitFor(t, func() bool { return ts.srv.open() == 0 })
	time.Sleep(100 * time.Millisecond)
	baseG, baseHeap := runtime.NumGoroutine(), heapAlloc()

	for i := range 200 {
		if i%2 == 0 {
			session(nil)
		} else {
			session(kept) // many sessions on one connection
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for !settled(baseG + baseG/10) {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after 200 sessions, %d before:\n%s", runtime.NumGoroutine(), baseG, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
	// 10 %, and a floor for pools and maps sized at the peak: a session
	// leaking even 1 KiB would be 200 KiB.
	limit := baseHeap + baseHeap/10 + 64<<10
	var heap uint64
	for range 50 { // a collection or two may be needed for finalizers
		if heap = heapAlloc(); heap <= limit {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("goroutines %d → %d, heap %d KiB → %d KiB", baseG, runtime.NumGoroutine(), baseHeap>>10, heap>>10)
	if heap > limit {
		t.Fatalf("heap %d KiB after 200 sessions, %d KiB before", heap>>10, baseHeap>>10)
	}
}

// tickingModel waits a long time for a tick, as the dashboard's polls do,
// with the session's context.
type tickingModel struct {
	*echoModel
	ctx SessionInfo
}

func (m *tickingModel) Init() tea.Cmd {
	return after(m.ctx.Ctx, time.Hour, nil)
}
