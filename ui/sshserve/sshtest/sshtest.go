// Package sshtest is a test client for SSH servers of Bubble Tea programs:
// a real golang.org/x/crypto/ssh client over loopback whose session's screen
// is kept by an x/vt terminal emulator (which also answers the program's
// terminal queries), with keys to type, the screen to read, and a count of
// the bytes the server wrote to the channel.
package sshtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// NewKey returns a fresh ed25519 client key.
func NewKey(tb testing.TB) gossh.Signer {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatalf("generate key: %v", err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		tb.Fatalf("signer: %v", err)
	}
	return signer
}

// AuthorizedLine is key's line for an authorized-keys file with the
// konto-profile option (none when profile is "").
func AuthorizedLine(key gossh.Signer, profile, comment string) string {
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key.PublicKey())))
	if comment != "" {
		line += " " + comment
	}
	if profile != "" {
		line = fmt.Sprintf("konto-profile=%q %s", profile, line)
	}
	return line
}

// Dial connects to addr with key, trusting only hostKey (nil: any host key).
func Dial(addr string, key gossh.Signer, hostKey gossh.PublicKey) (*gossh.Client, error) {
	check := gossh.InsecureIgnoreHostKey()
	if hostKey != nil {
		check = gossh.FixedHostKey(hostKey)
	}
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "konto",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: check,
		Timeout:         10 * time.Second,
	})
}

// Term is one interactive session with a terminal emulator as its screen.
type Term struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	emu    *vt.SafeEmulator // read and written under mu
	done   chan struct{}    // closed when the session has ended
	exit   error            // the session's Wait error, valid after done

	mu       sync.Mutex
	received int64 // bytes the server wrote to the channel
	raw      bytes.Buffer
	output   chan struct{} // signalled (non-blocking) on each read
	headless bool
}

// Options for Open.
type Options struct {
	Term string            // TERM sent with the PTY request (default xterm-256color)
	Env  map[string]string // sent with env requests before the shell starts
	// Headless keeps no screen, only a count of the bytes and the last
	// 64 KiB of output (for WaitOutput): for measuring the server's memory
	// without the emulators'. Nothing answers the program's queries.
	Headless bool
}

// headlessTail is how much output a headless Term keeps.
const headlessTail = 64 << 10

// Open starts an interactive shell session of w×h on client.
func Open(client *gossh.Client, w, h int, opt Options) (*Term, error) {
	if opt.Term == "" {
		opt.Term = "xterm-256color"
	}
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	for k, v := range opt.Env {
		if err := sess.Setenv(k, v); err != nil {
			sess.Close()
			return nil, fmt.Errorf("setenv %s: %w", k, err)
		}
	}
	if err := sess.RequestPty(opt.Term, h, w, gossh.TerminalModes{}); err != nil {
		sess.Close()
		return nil, fmt.Errorf("request pty: %w", err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("stdin: %w", err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("stdout: %w", err)
	}
	// With a PTY, a client shows the server's stderr on the same screen.
	stderr, err := sess.StderrPipe()
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("stderr: %w", err)
	}
	t := &Term{
		client: client, sess: sess, stdin: stdin,
		done:     make(chan struct{}),
		output:   make(chan struct{}, 1),
		headless: opt.Headless,
	}
	if !opt.Headless {
		t.emu = vt.NewSafeEmulator(w, h)
	}
	var readers sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		readers.Go(func() { t.copyToScreen(r) })
	}
	if !opt.Headless {
		// The emulator's answers to the program's queries go back as input.
		go func() { _, _ = io.Copy(stdin, t.emu) }()
	}
	if err := sess.Shell(); err != nil {
		t.Close()
		return nil, fmt.Errorf("shell: %w", err)
	}
	go func() {
		err := sess.Wait()
		readers.Wait()
		t.exit = err
		close(t.done)
	}()
	return t, nil
}

// copyToScreen feeds what the server writes to the emulator.
func (t *Term) copyToScreen(r io.Reader) {
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			t.mu.Lock()
			t.received += int64(n)
			t.raw.Write(buf[:n])
			if t.headless {
				if extra := t.raw.Len() - headlessTail; extra > 0 {
					t.raw.Next(extra)
				}
			} else {
				_, _ = t.emu.Write(buf[:n])
			}
			t.mu.Unlock()
			select {
			case t.output <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// Close ends the session and the emulator (not the client connection).
func (t *Term) Close() {
	_ = t.sess.Close()
	// Ending the emulator's answer pipe stops the goroutine copying answers
	// (vt's Close would race with that goroutine's Read).
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.headless {
		return
	}
	if pw, ok := t.emu.InputPipe().(*io.PipeWriter); ok {
		_ = pw.CloseWithError(io.EOF)
	}
}

// Done is closed when the session has ended.
func (t *Term) Done() <-chan struct{} { return t.done }

// ExitStatus waits up to timeout for the session to end and returns its
// exit status (-1 if the server sent none).
func (t *Term) ExitStatus(timeout time.Duration) (int, error) {
	select {
	case <-t.done:
	case <-time.After(timeout):
		return -1, errors.New("session did not end")
	}
	var ee *gossh.ExitError
	switch {
	case t.exit == nil:
		return 0, nil
	case errors.As(t.exit, &ee):
		return ee.ExitStatus(), nil
	}
	return -1, t.exit
}

// Received is the number of bytes the server has written to the channel.
func (t *Term) Received() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.received
}

// WaitOutput waits until the server's output contains text (escape
// sequences included; for headless sessions, within the last 64 KiB).
func (t *Term) WaitOutput(tb testing.TB, text string, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(t.Raw(), text) {
		select {
		case <-t.done:
			if strings.Contains(t.Raw(), text) {
				return
			}
			tb.Fatalf("session ended before %q was written", text)
		case <-t.output:
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %q in the output", timeout, text)
		}
	}
}

// Raw is everything the server wrote, escape sequences included.
func (t *Term) Raw() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw.String()
}

// keyBytes maps key names to what a terminal sends for them.
var keyBytes = map[string]string{
	"enter": "\r", "esc": "\x1b", "tab": "\t", "shift+tab": "\x1b[Z",
	"backspace": "\x7f", "space": " ",
	"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
	"pgup": "\x1b[5~", "pgdown": "\x1b[6~",
}

// Send types keys: names such as "enter", "down", "ctrl+c", or text. A lone
// ESC is followed by a short pause so the next key is not read as alt+key.
func (t *Term) Send(keys ...string) {
	for _, k := range keys {
		b, ok := keyBytes[k]
		if !ok {
			if c, isCtrl := strings.CutPrefix(k, "ctrl+"); isCtrl && len(c) == 1 && c[0] >= 'a' && c[0] <= 'z' {
				b = string(rune(c[0] - 'a' + 1))
			} else {
				b = k
			}
		}
		_, _ = io.WriteString(t.stdin, b)
		if k == "esc" {
			time.Sleep(60 * time.Millisecond)
		}
	}
}

// Resize changes the terminal's size as a user resizing the window does.
func (t *Term) Resize(w, h int) error {
	if !t.headless {
		t.mu.Lock()
		t.emu.Resize(w, h)
		t.mu.Unlock()
	}
	return t.sess.WindowChange(h, w)
}

// Lines returns the screen's rows, trailing spaces trimmed.
func (t *Term) Lines() []string {
	// Cells are read under the lock that writes take: vt hands out
	// pointers to cells it changes in place.
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.headless {
		return nil
	}
	return ScreenLines(t.emu)
}

// Screen is what ScreenLines reads: a vt.Emulator or vt.SafeEmulator.
type Screen interface {
	Width() int
	Height() int
	CellAt(x, y int) *uv.Cell
}

// ScreenLines returns an emulator's rows as text, trailing spaces trimmed,
// each wide character once.
func ScreenLines(s Screen) []string {
	w, h := s.Width(), s.Height()
	lines := make([]string, h)
	var b strings.Builder
	for y := range h {
		b.Reset()
		for x := 0; x < w; x++ {
			c := s.CellAt(x, y)
			switch {
			case c == nil || c.Content == "":
				if c != nil && c.Width == 0 {
					continue // second half of a wide character
				}
				b.WriteByte(' ')
			default:
				b.WriteString(c.Content)
			}
		}
		lines[y] = strings.TrimRight(b.String(), " ")
	}
	return lines
}

// Screen is the screen as text, one line per row.
func (t *Term) Screen() string { return strings.Join(t.Lines(), "\n") }

// WaitFor polls the screen until it shows text, failing tb on timeout.
func (t *Term) WaitFor(tb testing.TB, text string, timeout time.Duration) {
	tb.Helper()
	t.WaitUntil(tb, timeout, fmt.Sprintf("%q on screen", text), func(s string) bool { return strings.Contains(s, text) })
}

// WaitUntil polls the screen until ok accepts it, failing tb on timeout or
// when the session ends first.
func (t *Term) WaitUntil(tb testing.TB, timeout time.Duration, what string, ok func(screen string) bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := t.Screen()
		if ok(s) {
			return
		}
		select {
		case <-t.done:
			if s = t.Screen(); ok(s) {
				return
			}
			tb.Fatalf("session ended before %s; screen:\n%s", what, s)
		case <-t.output:
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s; screen:\n%s", timeout, what, s)
		}
	}
}

// Settle waits until the server has written something and then nothing
// for quiet, or until timeout; it returns the bytes received meanwhile,
// counted from since (a Received value).
func (t *Term) Settle(since int64, quiet, timeout time.Duration) int64 {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-t.output:
			continue
		case <-time.After(quiet):
		}
		if t.Received() > since {
			break
		}
	}
	return t.Received() - since
}
