package login

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
)

// Func logs in: it creates a refresh token and an auth token at the bank and
// keeps the refresh token where the user agreed (keepInFile is the
// checkbox). It runs in a tea.Cmd.
type Func func(ctx context.Context, cred api.Credentials, keepInFile bool) (Result, error)

// Result is a successful login.
type Result struct {
	RefreshToken string
	AuthToken    string
	// Notice says where the session is kept (or why it is not), for the status line.
	Notice string
	// Login is the login (email) it was made with, as typed.
	Login string
	// Switched says the session is someone else's than the one whose data
	// was on screen (the refresh token names another subject; the offline
	// cache is emptied): the dashboard starts afresh. Set by the session.
	Switched bool
}

// Options configure the screen and the dialog.
type Options struct {
	Login Func
	// BaseURL is the bank, named when it cannot be reached.
	BaseURL string
	// Email fills the email field.
	Email string
	// Notice is shown under the form: where the session will be kept when
	// that is not the keyring (store.OpenSecrets' notice).
	Notice string
	// Reason, when set, says above the form why a login is asked although
	// a session is stored (it was made for another bank). The screen only.
	Reason string
	// FileDir, when set, offers the "keep me logged in" checkbox: the
	// session then goes to a token file in FileDir.
	FileDir string
}

// SucceededMsg says a login went through; the dialog has closed.
type SucceededMsg struct{ Result Result }

// resultMsg answers a login attempt.
type resultMsg struct {
	seq int
	res Result
	err error
}

type field int

const (
	fieldEmail field = iota
	fieldPassword
	fieldKeep
)

// form is the part the screen and the dialog share.
type form struct {
	c        *common.Common
	opt      Options
	email    textinput.Model
	password textinput.Model
	focus    field
	keep     bool
	busy     bool
	err      string
	seq      int
	hint     string // the keys, under the fields
}

func newForm(c *common.Common, opt Options) *form {
	email := textinput.New()
	email.Prompt = ""
	email.Placeholder = "you@example.com"
	email.SetValue(opt.Email)
	email.CharLimit = 254
	password := textinput.New()
	password.Prompt = ""
	password.EchoMode = textinput.EchoPassword
	password.EchoCharacter = '•'
	password.CharLimit = 256
	// A steady cursor: no blink timer redrawing the screen (and crossing
	// an SSH link) twice a second while the user thinks.
	styles := email.Styles()
	styles.Cursor.Blink = false
	email.SetStyles(styles)
	password.SetStyles(styles)
	f := &form{c: c, opt: opt, email: email, password: password}
	f.hint = f.hintWith("ctrl+c to quit")
	if opt.Email != "" {
		f.focus = fieldPassword
	}
	f.applyFocus()
	return f
}

// hintWith is the line of keys under the fields, ending in the way out:
// "enter to log in · tab to move · ctrl+c to quit", in the keys in force.
func (f *form) hintWith(out string) string {
	k := f.c.Keys.Login
	first := func(b key.Binding) string { return strings.SplitN(b.Help().Key, "/", 2)[0] }
	return first(k.Submit) + " to log in · " + first(k.Next) + " to move · " + out
}

// Email is what the email field holds.
func (f *form) Email() string { return f.email.Value() }

// Err is the sentence shown for the last failed attempt ("" if none).
func (f *form) Err() string { return f.err }

// Busy reports a login in flight.
func (f *form) Busy() bool { return f.busy }

func (f *form) fields() []field {
	if f.opt.FileDir != "" {
		return []field{fieldEmail, fieldPassword, fieldKeep}
	}
	return []field{fieldEmail, fieldPassword}
}

func (f *form) applyFocus() tea.Cmd {
	f.email.Blur()
	f.password.Blur()
	switch f.focus {
	case fieldEmail:
		return f.email.Focus()
	case fieldPassword:
		return f.password.Focus()
	}
	return nil
}

func (f *form) move(dir int) tea.Cmd {
	fs := f.fields()
	i := 0
	for j, x := range fs {
		if x == f.focus {
			i = j
		}
	}
	f.focus = fs[(i+dir+len(fs))%len(fs)]
	return f.applyFocus()
}

func (f *form) setWidth(w int) {
	f.email.SetWidth(max(w, 8))
	f.password.SetWidth(max(w, 8))
}

// update handles a message; done is set when a login went through.
func (f *form) update(msg tea.Msg) (done *Result, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case resultMsg:
		if msg.seq != f.seq {
			return nil, nil
		}
		f.busy = false
		if msg.err != nil {
			f.err = Sentence(msg.err, f.opt.BaseURL)
			f.password.SetValue("")
			f.focus = fieldPassword
			if strings.TrimSpace(f.email.Value()) == "" {
				f.focus = fieldEmail
			}
			return nil, f.applyFocus()
		}
		f.err = ""
		f.password.SetValue("") // the password lives no longer than needed
		res := msg.res
		return &res, nil
	case tea.KeyPressMsg:
		if f.busy {
			return nil, nil // one attempt at a time; the answer decides
		}
		k := f.c.Keys.Login
		switch {
		case key.Matches(msg, k.Submit):
			return nil, f.submit()
		case key.Matches(msg, k.Next):
			return nil, f.move(1)
		case key.Matches(msg, k.Prev):
			return nil, f.move(-1)
		case key.Matches(msg, k.KeepLoggedIn) && f.opt.FileDir != "",
			key.Matches(msg, k.Toggle) && f.focus == fieldKeep:
			f.keep = !f.keep
			return nil, nil
		}
	}
	var c tea.Cmd
	switch f.focus {
	case fieldEmail:
		f.email, c = f.email.Update(msg)
	case fieldPassword:
		f.password, c = f.password.Update(msg)
	}
	return nil, c
}

// submit checks the fields and starts the login.
func (f *form) submit() tea.Cmd {
	email := strings.TrimSpace(f.email.Value())
	password := f.password.Value()
	switch {
	case email == "":
		f.err = "enter your email"
		f.focus = fieldEmail
		return f.applyFocus()
	case password == "":
		f.err = "enter your password"
		f.focus = fieldPassword
		return f.applyFocus()
	case f.opt.Login == nil:
		f.err = "logging in is not possible here"
		return nil
	}
	f.busy, f.err = true, ""
	f.seq++
	seq, login, keep, ctx := f.seq, f.opt.Login, f.keep, f.c.Ctx
	cred := api.Credentials{Email: email, Password: password}
	return func() tea.Msg {
		res, err := login(ctx, cred, keep)
		if err == nil && res.Login == "" {
			res.Login = cred.Email
		}
		return resultMsg{seq: seq, res: res, err: err}
	}
}

// Sentence says why a login failed, in words for the user.
func Sentence(err error, baseURL string) string {
	var apiErr *api.Error
	switch {
	case errors.Is(err, api.ErrUnauthorized):
		return "wrong email or password"
	case errors.Is(err, api.ErrRateLimited):
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			return "too many attempts: the bank asks to wait " + strconv.Itoa(apiErr.RetryAfter) + " s before the next one"
		}
		return "too many attempts: wait a minute before the next one"
	case errors.Is(err, context.DeadlineExceeded):
		return "the bank did not answer in time: try again"
	case errors.As(err, &apiErr):
		return "the bank refused the login: " + api.Message(err)
	case errors.Is(err, api.ErrBadAnswer):
		return api.Message(err)
	}
	var storeErr *StoreError
	if errors.As(err, &storeErr) {
		return storeErr.Error()
	}
	where := "the bank"
	if baseURL != "" {
		where = "the bank at " + baseURL
	}
	return where + " cannot be reached: check the connection (or --api-url)"
}

// StoreError is a login that went through at the bank but whose session could
// not be kept; Func returns it so the sentence says so.
type StoreError struct{ Err error }

func (e *StoreError) Error() string {
	return "logged in, but the session could not be saved: " + e.Err.Error()
}
func (e *StoreError) Unwrap() error { return e.Err }

// view draws the form's lines, width cells wide at most.
func (f *form) view(width int) []string {
	st := f.c.Styles
	label := func(s string, on bool) string {
		if on {
			return st.Accent.Render(s)
		}
		return st.Muted.Render(s)
	}
	lines := []string{
		label("Email", f.focus == fieldEmail),
		" " + f.email.View(),
		"",
		label("Password", f.focus == fieldPassword),
		" " + f.password.View(),
		"",
	}
	if f.opt.FileDir != "" {
		box := "[ ]"
		if f.keep {
			box = "[x]"
		}
		text := box + " keep me logged in: save the session in a file (ctrl+s)"
		lines = append(lines, label(text, f.focus == fieldKeep))
		lines = append(lines, st.Muted.Render("    "+f.opt.FileDir+", readable only by you"))
		lines = append(lines, "")
	}
	switch {
	case f.busy:
		lines = append(lines, st.Accent.Render("logging in…"))
	case f.err != "":
		// Wrapped, not cut: the end of the sentence says what to do.
		for _, l := range common.WrapWords(common.Sanitize(f.err), width) {
			lines = append(lines, st.Error.Render(l))
		}
	default:
		lines = append(lines, st.Muted.Render(f.hint))
	}
	if f.opt.Notice != "" {
		lines = append(lines, "")
		for _, l := range common.WrapWords(common.Sanitize(f.opt.Notice), width) {
			lines = append(lines, st.Warning.Render(l))
		}
	}
	return lines
}
