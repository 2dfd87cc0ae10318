package ui

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// lockedBuffer collects what the program writes to its terminal.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
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

// The mouse end to end: SGR mouse reports typed into a running program (as
// a terminal sends them) scroll and select, and the program asks for cell
// motion on its terminal (once: "\x1b[?1002h", with SGR reports "\x1b[?1006h").
func TestProgramTakesSGRMouse(t *testing.T) {
	b := contextBank(80)
	manyOrders(b)
	c := (keyContext{w: 120, h: 24}).common(b)
	m := New(c)
	in, typed := io.Pipe()
	out := &lockedBuffer{}
	// The filter runs on the program's goroutine, before each message: there
	// it may look at the model, and says when the whole history is in.
	var ready sync.Once
	loaded := make(chan struct{})
	filter := func(_ tea.Model, msg tea.Msg) tea.Msg {
		if !m.txs.Loading() && m.txs.Len() == 80 {
			ready.Do(func() { close(loaded) })
		}
		return msg
	}
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out), tea.WithWindowSize(120, 24), tea.WithFilter(filter),
		tea.WithoutSignals(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	waitFor := func(what string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(out.String(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q on the terminal:\n%q", what, out.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("bookings")
	select {
	case <-loaded:
	case <-time.After(20 * time.Second):
		t.Fatal("the history did not load")
	}
	waitFor("80 bookings")
	// The list's pane starts at column 24 (1-based 25); its rows under the
	// header line from line 3 (1-based 4).
	send := func(s string) {
		if _, err := io.WriteString(typed, s); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		send("\x1b[<65;60;10M") // wheel down
	}
	send("\x1b[<0;60;12M\x1b[<0;60;12m") // click and release on screen line 12
	// A click on the name of the timed orders' tab, in the pane's top border.
	title := strings.Split(keyContext{w: 120, h: 24}.build(t).Render(), "\n")[1]
	plain := ansi.Strip(title)
	col := ansi.StringWidth(plain[:strings.Index(plain, "3 Timed")]) + 2
	send(fmt.Sprintf("\x1b[<0;%d;2M\x1b[<0;%d;2m", col+1, col+1))
	send("q")
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the program did not quit")
	}
	if !strings.Contains(out.String(), "\x1b[?1002h") || !strings.Contains(out.String(), "\x1b[?1006h") {
		t.Errorf("the program did not ask for cell motion with SGR reports")
	}
	if n := strings.Count(out.String(), "\x1b[?1002h"); n != 1 {
		t.Errorf("cell motion asked for %d times, want once", n)
	}
	cursor, offset := m.txs.Position()
	if offset != 5 {
		t.Errorf("five wheel notches: offset %d, want 5", offset)
	}
	// Screen line 12 is list row 12-3-1 = 8 from the offset.
	if got := cursor; got != 5+8 {
		t.Errorf("click on line 12: row %d, want %d", got, 5+8)
	}
	if m.tab != tabTimed {
		t.Errorf("the click on \"3 Timed\" left tab %v", m.tab)
	}
}
