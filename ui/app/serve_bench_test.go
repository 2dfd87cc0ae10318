package app

// What konto serve costs: bytes written to the SSH channel per key (through
// a real SSH client over loopback) and memory per demo session.
//
//	go test -run '^$' -bench BenchmarkServe -benchtime 100x .

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"konto/ui/sshserve/sshtest"
)

// frameQuiet is how long the channel must stay silent for a key's frame to
// count as complete (the renderer draws at most 60 frames a second).
const frameQuiet = 50 * time.Millisecond

// benchTerminal is a client terminal the bandwidth benchmarks run in.
type benchTerminal struct {
	name   string
	w, h   int
	opt    sshtest.Options
	layout string // konto serve --layout ("": auto, stacked over SSH)
}

// benchTerminals: the 120×40 in truecolor and in 256 colours (what
// ssh sends by default: TERM=xterm-256color, no COLORTERM) in the stacked
// layout konto serve uses, and for comparison the side-by-side layout
// (--layout side: the details pane follows the selection, and the list's
// rows share terminal lines with the other panes, so a scroll repaints the
// list), 100×30 and 80×24 (one pane).
var benchTerminals = []benchTerminal{
	{"120x40-truecolor", 120, 40, sshtest.Options{Env: map[string]string{"COLORTERM": "truecolor"}}, ""},
	{"120x40-256", 120, 40, sshtest.Options{}, ""},
	{"120x40-256-side", 120, 40, sshtest.Options{}, "side"},
	{"100x30-256", 100, 30, sshtest.Options{}, ""},
	{"80x24-256", 80, 24, sshtest.Options{}, ""},
}

// openBenchDashboard opens a demo session in tt and waits until the
// dashboard has drawn and gone quiet.
func openBenchDashboard(b *testing.B, tt benchTerminal) *sshtest.Term {
	b.Helper()
	h := startServe(b, ServeOptions{Demo: true, Layout: tt.layout})
	term := h.open(b, sshtest.NewKey(b), tt.w, tt.h, tt.opt)
	dashboardShown(b, term, demoConnection)
	term.WaitFor(b, "bookings", serveWait)
	term.Settle(term.Received(), 200*time.Millisecond, 5*time.Second)
	return term
}

// bytesForKey sends key and returns what the server wrote for it.
func bytesForKey(b *testing.B, term *sshtest.Term, key string) int64 {
	before := term.Received()
	term.Send(key)
	return term.Settle(before, frameQuiet, 5*time.Second)
}

// listSelectionRow is the screen row of the transaction list's selection marker.
func listSelectionRow(term *sshtest.Term) int {
	for i, l := range term.Lines() {
		if strings.Contains(l, "│▸") && i > 2 {
			return i
		}
	}
	return -1
}

// BenchmarkServeScrollBytes: one row down in the transaction list.
// "scroll" starts with the selection on the last visible row, so every key
// scrolls the list by one row; "move" moves the selection within the
// visible rows (down and up in turn).
func BenchmarkServeScrollBytes(b *testing.B) {
	for _, tt := range benchTerminals {
		b.Run(tt.name, func(b *testing.B) { benchScroll(b, tt) })
	}
}

func benchScroll(b *testing.B, tt benchTerminal) {
	b.Run("scroll", func(b *testing.B) {
		term := openBenchDashboard(b, tt)
		// Walk to the bottom of the visible rows.
		for last := -1; ; {
			bytesForKey(b, term, "j")
			row := listSelectionRow(term)
			if row == last {
				break
			}
			last = row
		}
		var total int64
		b.ResetTimer()
		for range b.N {
			total += bytesForKey(b, term, "j")
		}
		b.ReportMetric(float64(total)/float64(b.N), "B/scroll")
	})
	b.Run("move", func(b *testing.B) {
		term := openBenchDashboard(b, tt)
		keys := []string{"j", "k"}
		var total int64
		b.ResetTimer()
		for i := range b.N {
			total += bytesForKey(b, term, keys[i%2])
		}
		b.ReportMetric(float64(total)/float64(b.N), "B/move")
	})
}

// BenchmarkServeFilterKeyBytes: bytes per key typed in the filter line,
// typing and erasing a name ("bäck") over and over.
func BenchmarkServeFilterKeyBytes(b *testing.B) {
	for _, tt := range benchTerminals {
		b.Run(tt.name, func(b *testing.B) { benchFilter(b, tt) })
	}
}

func benchFilter(b *testing.B, tt benchTerminal) {
	term := openBenchDashboard(b, tt)
	bytesForKey(b, term, "/")
	keys := []string{"b", "ä", "c", "k", "backspace", "backspace", "backspace", "backspace"}
	var total int64
	b.ResetTimer()
	for i := range b.N {
		total += bytesForKey(b, term, keys[i%len(keys)])
	}
	b.ReportMetric(float64(total)/float64(b.N), "B/key")
}

// BenchmarkServeDemoSessionMemory: heap held per open demo session (its own
// sandbox bank, token source, client, dashboard and SSH channel), with
// headless clients so no terminal emulator is counted. b.N sessions are
// opened and kept open; run with -benchtime 10x or so.
func BenchmarkServeDemoSessionMemory(b *testing.B) {
	h := startServe(b, ServeOptions{Demo: true})
	key := sshtest.NewKey(b)
	before := heapInUse()
	b.ResetTimer()
	for range b.N {
		term := h.open(b, key, 120, 40, sshtest.Options{Headless: true})
		term.WaitOutput(b, "bookings", serveWait)
	}
	time.Sleep(500 * time.Millisecond) // let the background syncs finish
	b.StopTimer()
	after := heapInUse()
	b.ReportMetric(float64(after-before)/float64(b.N), "heap-B/session")
	b.ReportMetric(float64(h.srv.Sessions()), "sessions")
}

func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
