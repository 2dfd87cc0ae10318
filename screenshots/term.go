package main

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// Default colours of the imaginary terminal: a dark theme, so konto's
// background query is answered with "dark".
var (
	defaultFg = color.RGBA{0xd8, 0xde, 0xe9, 0xff}
	defaultBg = color.RGBA{0x1b, 0x1f, 0x27, 0xff}
)

// term is konto running in a pty, its screen kept by an x/vt emulator.
type term struct {
	cmd  *exec.Cmd
	pty  *os.File
	done chan struct{}

	// emuMu guards emu. (vt.SafeEmulator is not enough: CellAt hands out a
	// pointer into the screen that the next Write changes.)
	emuMu sync.Mutex
	emu   *vt.Emulator

	mu      sync.Mutex
	written int // bytes konto has written, to tell when the screen settles
}

func start(bin string, w, h int, args []string) (*term, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=truecolor")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)})
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	tm := &term{cmd: cmd, pty: ptmx, emu: vt.NewEmulator(w, h), done: make(chan struct{})}
	tm.emu.SetDefaultForegroundColor(defaultFg)
	tm.emu.SetDefaultBackgroundColor(defaultBg)
	go func() {
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				tm.emuMu.Lock()
				tm.emu.Write(buf[:n])
				tm.emuMu.Unlock()
				tm.mu.Lock()
				tm.written += n
				tm.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	// The emulator's answers to konto's terminal queries go back as input.
	go func() { _, _ = io.Copy(ptmx, tm.emu) }()
	go func() { _ = cmd.Wait(); close(tm.done) }()
	return tm, nil
}

func (tm *term) close() {
	select {
	case <-tm.done:
	default:
		_ = tm.cmd.Process.Kill()
		<-tm.done
	}
	tm.pty.Close()
	// Not Emulator.Close: it sets a flag that Read reads without a lock.
	if pw, ok := tm.emu.InputPipe().(*io.PipeWriter); ok {
		pw.Close()
	}
}

// keyBytes maps key names to what a terminal sends for them.
var keyBytes = map[string]string{
	"enter": "\r", "esc": "\x1b", "tab": "\t", "shift+tab": "\x1b[Z",
	"backspace": "\x7f", "space": " ",
	"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
	"home": "\x1b[H", "end": "\x1b[F", "pgup": "\x1b[5~", "pgdown": "\x1b[6~",
}

func (tm *term) send(k string) {
	b, ok := keyBytes[k]
	if c, isCtrl := strings.CutPrefix(k, "ctrl+"); !ok && isCtrl && len(c) == 1 && c[0] >= 'a' && c[0] <= 'z' {
		b, ok = string(rune(c[0]-'a'+1)), true
	}
	if !ok {
		b = k
	}
	_, _ = io.WriteString(tm.pty, b)
	// A pause between keys, as a person types: a lone ESC is not taken for
	// the start of alt+key, and each key gets its own frame.
	time.Sleep(80 * time.Millisecond)
}

func (tm *term) sendText(s string) {
	for _, r := range s {
		_, _ = io.WriteString(tm.pty, string(r))
		time.Sleep(30 * time.Millisecond)
	}
}

func (tm *term) resize(w, h int) {
	tm.emuMu.Lock()
	tm.emu.Resize(w, h)
	tm.emuMu.Unlock()
	_ = pty.Setsize(tm.pty, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)})
}

// text is the screen as plain text.
func (tm *term) text() string {
	tm.emuMu.Lock()
	defer tm.emuMu.Unlock()
	var b strings.Builder
	for y := 0; y < tm.emu.Height(); y++ {
		for x := 0; x < tm.emu.Width(); x++ {
			c := tm.emu.CellAt(x, y)
			switch {
			case c == nil || c.Content == "":
				if c != nil && c.Width == 0 {
					continue
				}
				b.WriteByte(' ')
			default:
				b.WriteString(c.Content)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var errExited = errors.New("konto exited")

func (tm *term) waitFor(timeout time.Duration, ok func(string) bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if ok(tm.text()) {
			return nil
		}
		select {
		case <-tm.done:
			time.Sleep(50 * time.Millisecond)
			if ok(tm.text()) {
				return nil
			}
			return errExited
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v", timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settle waits until konto has written nothing for quiet (at most timeout).
func (tm *term) settle(quiet, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	last, since := -1, time.Now()
	for time.Now().Before(deadline) {
		tm.mu.Lock()
		n := tm.written
		tm.mu.Unlock()
		if n != last {
			last, since = n, time.Now()
		} else if time.Since(since) >= quiet {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// snapshot copies the screen's cells with their colours resolved.
func (tm *term) snapshot() screen {
	tm.emuMu.Lock()
	defer tm.emuMu.Unlock()
	w, h := tm.emu.Width(), tm.emu.Height()
	s := screen{w: w, h: h, bg: defaultBg, cells: make([]cell, w*h)}
	for y := range h {
		for x := range w {
			c := tm.emu.CellAt(x, y)
			out := cell{fg: defaultFg, bg: defaultBg, width: 1}
			if c != nil {
				out.text = c.Content
				out.width = c.Width
				if c.Content == "" && c.Width == 0 {
					out.width = 0
				}
				if c.Style.Fg != nil {
					out.fg = tm.resolve(c.Style.Fg)
				}
				if c.Style.Bg != nil {
					out.bg = tm.resolve(c.Style.Bg)
				}
				a := c.Style.Attrs
				out.bold = a&attrBold != 0
				out.italic = a&attrItalic != 0
				out.underline = c.Style.Underline != 0
				out.strike = a&attrStrikethrough != 0
				if a&attrFaint != 0 {
					out.fg = mix(out.fg, out.bg, 0.5)
				}
				if a&attrReverse != 0 {
					out.fg, out.bg = out.bg, out.fg
				}
				if a&attrConceal != 0 {
					out.fg = out.bg
				}
			}
			s.cells[y*w+x] = out
		}
	}
	return s
}
