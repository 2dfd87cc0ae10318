package app

// The end-to-end harness: build konto once, run it in a pseudo-terminal, keep
// its screen in an x/vt terminal emulator (which also answers the terminal
// queries konto sends), type keys and read the screen as a person would.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/ui/sshserve/sshtest"
)

// binDir holds the binary under test; TestMain makes and removes it.
var binDir string

// kontoBinary builds konto once per test run (on the first e2e test, so a
// run of unit tests alone does not pay for it) and returns its path, or why
// it could not be built.
var kontoBinary = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "konto")
	cmd := exec.Command("go", "build", "-o", bin, "konto")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "konto-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// term is konto running in a pty with its screen in a terminal emulator.
type term struct {
	cmd  *exec.Cmd
	pty  *os.File
	done chan struct{} // closed when the process has exited
	code int           // exit status, valid after done

	// emuMu guards emu. (vt.SafeEmulator is not enough: CellAt hands out a
	// pointer into the screen that the next Write changes.)
	emuMu sync.Mutex
	emu   *vt.Emulator

	mu     sync.Mutex
	raw    bytes.Buffer // everything konto wrote, escape sequences included
	title  string       // the window title konto set, if any
	titles int          // how often konto set a title
}

// startKonto runs konto with args in a w×h terminal. It fails the test if
// konto cannot start and skips it if konto could not be built.
func startKonto(t *testing.T, w, h int, args ...string) *term {
	t.Helper()
	return startKontoEnv(t, nil, w, h, args...)
}

// startKontoEnv is startKonto with extra environment variables (such as
// KONTO_REFRESH_TOKEN for a bank the test serves itself).
func startKontoEnv(t *testing.T, env []string, w, h int, args ...string) *term {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e tests skipped in -short mode")
	}
	bin, err := kontoBinary()
	if err != nil {
		t.Skipf("konto does not build, e2e test skipped: %v", err)
	}
	home := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cleanEnv(),
		"TERM=xterm-256color",
		"COLORTERM=truecolor",
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"DBUS_SESSION_BUS_ADDRESS=disabled:", // never the real keyring
		"TZ=Europe/Berlin",
		sandbox.EnvNow+"="+apitest.NowArg(t), // the demo's clock; a test's own bank sets its own
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.Dir = home
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)})
	if err != nil {
		t.Fatalf("start konto in a pty: %v", err)
	}
	tm := &term{cmd: cmd, pty: ptmx, emu: vt.NewEmulator(w, h), done: make(chan struct{})}
	tm.emu.SetCallbacks(vt.Callbacks{
		Title: func(s string) {
			tm.mu.Lock()
			tm.title, tm.titles = s, tm.titles+1
			tm.mu.Unlock()
		},
	})

	// konto's output → raw log and emulator.
	outputDone := make(chan struct{})
	go func() {
		defer close(outputDone)
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw.Write(buf[:n])
				tm.mu.Unlock()
				tm.emuMu.Lock()
				tm.emu.Write(buf[:n])
				tm.emuMu.Unlock()
			}
			if err != nil {
				return // EIO once konto has exited and the pty is drained
			}
		}
	}()
	// The emulator's answers to konto's queries (device attributes, colours,
	// cursor position) → konto's input. The emulator blocks until they are read.
	go func() { _, _ = io.Copy(ptmx, tm.emu) }()
	go func() {
		err := cmd.Wait()
		tm.code = exitCode(err)
		close(tm.done)
	}()
	t.Cleanup(func() {
		select {
		case <-tm.done:
		default:
			_ = cmd.Process.Kill()
			<-tm.done
		}
		ptmx.Close()
		select {
		case <-outputDone:
		case <-time.After(2 * time.Second):
		}
		closeInput(tm.emu)
		if t.Failed() {
			t.Logf("last screen:\n%s", tm.Screen())
		}
	})
	return tm
}

// closeInput ends the copy of the emulator's answers to the pty. (Not
// Emulator.Close: it sets a flag that Read reads without a lock.)
func closeInput(emu *vt.Emulator) {
	if pw, ok := emu.InputPipe().(*io.PipeWriter); ok {
		pw.Close()
	}
}

// cleanEnv is the test's environment without what would change konto's
// behaviour or reach the user's real accounts.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "KONTO_"), strings.HasPrefix(name, "XDG_"),
			name == "HOME", name == "TERM", name == "COLORTERM", name == "NO_COLOR",
			name == "TMUX", name == "STY", name == "TERM_PROGRAM", name == "DBUS_SESSION_BUS_ADDRESS", name == "TZ",
			name == "SSH_CONNECTION", name == "SSH_TTY": // the layout follows them
			continue
		}
		env = append(env, kv)
	}
	return env
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// keyBytes maps key names to what a terminal sends for them; anything else
// is typed as text.
var keyBytes = map[string]string{
	"enter": "\r", "esc": "\x1b", "tab": "\t", "shift+tab": "\x1b[Z",
	"backspace": "\x7f", "space": " ",
	"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
	"home": "\x1b[H", "end": "\x1b[F", "pgup": "\x1b[5~", "pgdown": "\x1b[6~",
	"delete": "\x1b[3~",
}

func keyToBytes(k string) string {
	if b, ok := keyBytes[k]; ok {
		return b
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok && len(c) == 1 && c[0] >= 'a' && c[0] <= 'z' {
		return string(rune(c[0] - 'a' + 1))
	}
	return k
}

// Send types keys: names such as "enter", "esc", "down", "ctrl+c", or text.
// A lone ESC is followed by a short pause, so the next key is not read as
// alt+key.
func (tm *term) Send(keys ...string) {
	for _, k := range keys {
		_, _ = io.WriteString(tm.pty, keyToBytes(k))
		if k == "esc" {
			time.Sleep(60 * time.Millisecond)
		}
	}
}

// Screen returns the emulator's screen as text: one line per row, trailing
// spaces trimmed, wide characters once.
func (tm *term) Screen() string {
	lines := tm.Lines()
	return strings.Join(lines, "\n")
}

// Lines returns the screen's rows, trailing spaces trimmed.
func (tm *term) Lines() []string {
	tm.emuMu.Lock()
	defer tm.emuMu.Unlock()
	return sshtest.ScreenLines(tm.emu)
}

// WaitFor polls the screen until it shows text; on timeout it fails the test
// with the whole screen.
func (tm *term) WaitFor(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	tm.waitUntil(t, timeout, fmt.Sprintf("%q on screen", text), func(s string) bool {
		return strings.Contains(s, text)
	})
}

// WaitGone polls the screen until text has disappeared from it.
func (tm *term) WaitGone(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	tm.waitUntil(t, timeout, fmt.Sprintf("%q gone", text), func(s string) bool {
		return !strings.Contains(s, text)
	})
}

func (tm *term) waitUntil(t *testing.T, timeout time.Duration, what string, ok func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.Screen()
		if ok(s) {
			return
		}
		select {
		case <-tm.done:
			// Give the last output a moment to reach the emulator.
			time.Sleep(50 * time.Millisecond)
			if s = tm.Screen(); ok(s) {
				return
			}
			t.Fatalf("konto exited (status %d) before %s; screen:\n%s\nraw output tail: %q",
				tm.code, what, s, tm.rawTail(2000))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; screen:\n%s", timeout, what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Resize changes the terminal's size, as a user dragging the window does.
func (tm *term) Resize(w, h int) {
	tm.emuMu.Lock()
	tm.emu.Resize(w, h)
	tm.emuMu.Unlock()
	_ = pty.Setsize(tm.pty, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)})
}

// Wait waits for konto to exit and returns its status; after 10 s it kills
// konto and returns -1.
func (tm *term) Wait() (exitCode int) {
	select {
	case <-tm.done:
		return tm.code
	case <-time.After(10 * time.Second):
		_ = tm.cmd.Process.Kill()
		<-tm.done
		return -1
	}
}

// Raw returns everything konto has written so far, escape sequences included.
func (tm *term) Raw() []byte {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Clone(tm.raw.Bytes())
}

func (tm *term) rawTail(n int) string {
	raw := tm.Raw()
	if len(raw) > n {
		raw = raw[len(raw)-n:]
	}
	return string(raw)
}

// Title returns the last window title konto set and how many times it set one.
func (tm *term) Title() (string, int) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.title, tm.titles
}
