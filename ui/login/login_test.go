package login

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

// fakeLogin records the attempts and answers with err (nil: success).
type fakeLogin struct {
	mu    sync.Mutex
	err   error
	got   []api.Credentials
	keeps []bool
}

func (f *fakeLogin) fn(_ context.Context, cred api.Credentials, keep bool) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, cred)
	f.keeps = append(f.keeps, keep)
	if f.err != nil {
		return Result{}, f.err
	}
	return Result{RefreshToken: "r", AuthToken: "a"}, nil
}

func newScreen(t *testing.T, f *fakeLogin, opt Options) (*Screen, func(...tea.Msg) []tea.Msg) {
	t.Helper()
	c := uitest.Common(nil, 100, 30)
	opt.Login = f.fn
	if opt.BaseURL == "" {
		opt.BaseURL = "https://bank.example"
	}
	s := NewScreen(c, opt)
	s.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	send := func(msgs ...tea.Msg) []tea.Msg {
		return uitest.Pump(func(m tea.Msg) tea.Cmd { _, cmd := s.Update(m); return cmd }, msgs...)
	}
	return s, send
}

func plain(s *Screen) string { return ansi.Strip(s.Render()) }

func TestScreenTypingMaskingAndTab(t *testing.T) {
	f := &fakeLogin{}
	s, send := newScreen(t, f, Options{})
	if s.f.focus != fieldEmail {
		t.Fatalf("focus %v at start, want the email field", s.f.focus)
	}
	send(uitest.Type("karl@example.com")...)
	send(uitest.Key("tab"))
	if s.f.focus != fieldPassword {
		t.Fatalf("tab: focus %v, want the password field", s.f.focus)
	}
	send(uitest.Type("s3cret!")...)
	screen := plain(s)
	if !strings.Contains(screen, "karl@example.com") {
		t.Errorf("email not shown:\n%s", screen)
	}
	if strings.Contains(screen, "s3cret") {
		t.Fatalf("password shown in clear:\n%s", screen)
	}
	if !strings.Contains(screen, "•••••••") {
		t.Errorf("password not masked with 7 dots:\n%s", screen)
	}
	send(uitest.Key("tab"))
	if s.f.focus != fieldEmail {
		t.Errorf("tab from the password (no checkbox): focus %v, want email", s.f.focus)
	}
	send(uitest.Key("shift+tab"))
	if s.f.focus != fieldPassword {
		t.Errorf("shift+tab: focus %v, want password", s.f.focus)
	}
}

func TestScreenEnterLogsIn(t *testing.T) {
	f := &fakeLogin{}
	s, send := newScreen(t, f, Options{})
	send(uitest.Type("karl@example.com")...)
	send(uitest.Key("tab"))
	send(uitest.Type("pw")...)
	seen := send(uitest.Key("enter"))
	if len(f.got) != 1 || f.got[0] != (api.Credentials{Email: "karl@example.com", Password: "pw"}) {
		t.Fatalf("login called with %+v, want karl@example.com/pw once", f.got)
	}
	var ok *SucceededMsg
	for _, m := range seen {
		if m, is := m.(SucceededMsg); is {
			ok = &m
		}
	}
	if ok == nil || ok.Result.RefreshToken != "r" {
		t.Fatalf("no SucceededMsg after a good login; saw %v", seen)
	}
	if s.f.password.Value() != "" {
		t.Error("the password stays in the field after the login")
	}
}

func TestScreenEmptyFieldsAreNotSent(t *testing.T) {
	f := &fakeLogin{}
	s, send := newScreen(t, f, Options{})
	send(uitest.Key("enter"))
	if len(f.got) != 0 || s.Err() != "enter your email" {
		t.Fatalf("empty email: calls %d, err %q", len(f.got), s.Err())
	}
	send(uitest.Type("karl")...)
	send(uitest.Key("enter"))
	if len(f.got) != 0 || s.Err() != "enter your password" || s.f.focus != fieldPassword {
		t.Fatalf("empty password: calls %d, err %q, focus %v", len(f.got), s.Err(), s.f.focus)
	}
}

func TestScreenErrorSentencesKeepTheEmail(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"wrong credentials", &api.Error{Status: http.StatusUnauthorized}, "wrong email or password"},
		{"rate limited", &api.Error{Status: http.StatusTooManyRequests, RetryAfter: 30}, "too many attempts: the bank asks to wait 30 s"},
		{"rate limited without a wait", &api.Error{Status: http.StatusTooManyRequests}, "too many attempts: wait a minute"},
		{"unreachable", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), "the bank at https://bank.example cannot be reached"},
		{"timeout", context.DeadlineExceeded, "did not answer in time"},
		{"server error", &api.Error{Status: 503}, "the bank refused the login: the bank's server failed (503)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLogin{err: tt.err}
			s, send := newScreen(t, f, Options{})
			send(uitest.Type("karl@example.com")...)
			send(uitest.Key("tab"))
			send(uitest.Type("pw")...)
			send(uitest.Key("enter"))
			if !strings.Contains(s.Err(), tt.want) {
				t.Fatalf("error %q, want it to contain %q", s.Err(), tt.want)
			}
			screen := plain(s)
			if !strings.Contains(screen, tt.want) {
				t.Errorf("sentence not on screen:\n%s", screen)
			}
			if s.Email() != "karl@example.com" || !strings.Contains(screen, "karl@example.com") {
				t.Errorf("email not kept: %q", s.Email())
			}
			if s.f.password.Value() != "" || s.f.focus != fieldPassword {
				t.Errorf("after a failure the password should be empty and focused: %q, focus %v", s.f.password.Value(), s.f.focus)
			}
			if s.Busy() {
				t.Error("still busy after the answer")
			}
		})
	}
}

func TestScreenCheckbox(t *testing.T) {
	f := &fakeLogin{}
	s, send := newScreen(t, f, Options{FileDir: "/home/k/.config/konto/credentials", Notice: "no OS keyring here"})
	screen := plain(s)
	if !strings.Contains(screen, "[ ] keep me logged in") || !strings.Contains(screen, "no OS keyring here") {
		t.Fatalf("checkbox or notice missing:\n%s", screen)
	}
	send(uitest.Key("ctrl+s"))
	if !strings.Contains(plain(s), "[x] keep me logged in") {
		t.Fatal("ctrl+s did not tick the box")
	}
	send(uitest.Key("tab"), uitest.Key("tab"), uitest.Key("space")) // email → password → box
	if s.f.focus != fieldKeep || s.f.keep {
		t.Fatalf("space on the box: focus %v keep %v, want the box unticked", s.f.focus, s.f.keep)
	}
	send(uitest.Key("space"))
	send(uitest.Key("tab"))
	send(uitest.Type("karl")...)
	send(uitest.Key("tab"))
	send(uitest.Type("pw")...)
	send(uitest.Key("enter"))
	if len(f.keeps) != 1 || !f.keeps[0] {
		t.Fatalf("login got keep=%v, want true", f.keeps)
	}
}

func TestScreenWithoutCheckboxIgnoresCtrlS(t *testing.T) {
	s, send := newScreen(t, &fakeLogin{}, Options{})
	send(uitest.Key("ctrl+s"))
	if s.f.keep || strings.Contains(plain(s), "keep me logged in") {
		t.Fatal("a checkbox without a file store")
	}
}

func TestScreenQuits(t *testing.T) {
	_, send := newScreen(t, &fakeLogin{}, Options{})
	seen := send(uitest.Key("ctrl+c"))
	if !hasQuit(seen) {
		t.Fatal("ctrl+c does not quit the login screen")
	}
}

func hasQuit(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestOnceQuitsWithTheResult(t *testing.T) {
	f := &fakeLogin{}
	s, _ := newScreen(t, f, Options{Email: "karl"})
	o := &Once{Screen: s}
	if s.f.focus != fieldPassword {
		t.Fatal("with the email given, the cursor should start in the password")
	}
	seen := uitest.Pump(func(m tea.Msg) tea.Cmd { _, cmd := o.Update(m); return cmd }, append(uitest.Type("pw"), uitest.Key("enter"))...)
	if o.Result == nil || o.Result.AuthToken != "a" || !hasQuit(seen) {
		t.Fatalf("Once: result %+v, quit %v", o.Result, hasQuit(seen))
	}
}

func TestDialogClosesAfterLogin(t *testing.T) {
	f := &fakeLogin{}
	c := uitest.Common(nil, 100, 30)
	d := NewDialog(c, Options{Login: f.fn, Email: "karl"})
	d.SetSize(90, 26)
	var modal common.Modal = d
	seen := uitest.Pump(func(m tea.Msg) tea.Cmd { var cmd tea.Cmd; modal, cmd = modal.Update(m); return cmd },
		append(uitest.Type("pw"), uitest.Key("enter"))...)
	closed, ok := false, false
	for _, m := range seen {
		switch m.(type) {
		case common.CloseModalMsg:
			closed = true
		case SucceededMsg:
			ok = true
		}
	}
	if !closed || !ok {
		t.Fatalf("dialog after a login: closed %v, succeeded %v", closed, ok)
	}
	view := ansi.Strip(d.View())
	if !strings.Contains(view, "Log in again") {
		t.Errorf("dialog title missing:\n%s", view)
	}
	for i, l := range strings.Split(d.View(), "\n") {
		if w := ansi.StringWidth(l); w > 90 {
			t.Errorf("line %d is %d wide, more than the 90 given", i, w)
		}
	}
}

func TestScreenWrapsALongErrorSentence(t *testing.T) {
	url := "https://a-rather-long-host-name.bank.example/with/a/path"
	f := &fakeLogin{err: errors.New("dial tcp: connection refused")}
	s, send := newScreen(t, f, Options{BaseURL: url})
	s.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	send(uitest.Type("karl@example.com")...)
	send(uitest.Key("tab"))
	send(uitest.Type("pw")...)
	send(uitest.Key("enter"))
	var text []string
	for _, l := range strings.Split(plain(s), "\n") {
		l = strings.Trim(l, " │")
		if l != "" {
			text = append(text, l)
		}
	}
	joined := strings.Join(text, " ")
	if !strings.Contains(joined, "cannot be reached: check the connection (or --api-url)") || strings.Contains(joined, "…") {
		t.Errorf("the sentence is cut:\n%s", plain(s))
	}
}

func TestDialogSaysEscPutsItOff(t *testing.T) {
	d := NewDialog(uitest.Common(nil, 100, 30), Options{Login: (&fakeLogin{}).fn, Email: "karl"})
	d.SetSize(90, 26)
	view := ansi.Strip(d.View())
	if !strings.Contains(view, "esc later") || strings.Contains(view, "ctrl+c to quit") {
		t.Errorf("the dialog's hint should offer esc:\n%s", view)
	}
}

func TestScreenFitsSmallTerminals(t *testing.T) {
	s, _ := newScreen(t, &fakeLogin{}, Options{FileDir: "/a/very/long/path/to/the/credentials/directory/of/konto", Notice: strings.Repeat("word ", 40)})
	for _, size := range [][2]int{{80, 24}, {40, 12}, {20, 6}} {
		s.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(s.Render(), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Errorf("%dx%d: line %d is %d wide", size[0], size[1], i, w)
			}
		}
	}
}

// The result names the login it was made with (trimmed as sent), so the
// session can make the cache that login's.
func TestResultNamesTheLogin(t *testing.T) {
	f := &fakeLogin{}
	s, _ := newScreen(t, f, Options{})
	o := &Once{Screen: s}
	msgs := append(uitest.Type("  Karl@Example.com "), uitest.Key("tab"))
	msgs = append(msgs, uitest.Type("pw")...)
	uitest.Pump(func(m tea.Msg) tea.Cmd { _, cmd := o.Update(m); return cmd }, append(msgs, uitest.Key("enter"))...)
	if o.Result == nil || o.Result.Login != "Karl@Example.com" {
		t.Fatalf("result %+v, want Login Karl@Example.com", o.Result)
	}
}
