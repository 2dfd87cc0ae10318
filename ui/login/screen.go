package login

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"konto/theme"
	"konto/ui/common"
)

// formWidth is the width of the login box (outer), when the terminal has room.
const formWidth = 64

// Screen is the full-screen login shown when no session is stored.
type Screen struct {
	c             *common.Common
	f             *form
	width, height int
}

// NewScreen returns the login screen.
func NewScreen(c *common.Common, opt Options) *Screen {
	s := &Screen{c: c, f: newForm(c, opt)}
	s.setSize(c.Width, c.Height)
	return s
}

// Email is what the email field holds.
func (s *Screen) Email() string { return s.f.Email() }

// Err is the sentence shown for the last failed attempt.
func (s *Screen) Err() string { return s.f.Err() }

// Busy reports a login in flight.
func (s *Screen) Busy() bool { return s.f.Busy() }

// SetErr shows a sentence (a login that went through but could not be used).
func (s *Screen) SetErr(text string) { s.f.err, s.f.busy = text, false }

// Init focuses the first empty field and asks for the terminal's background.
func (s *Screen) Init() tea.Cmd {
	cmds := []tea.Cmd{s.f.applyFocus()}
	if s.c.ThemeMode == theme.Auto {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

func (s *Screen) setSize(w, h int) {
	s.width, s.height = w, h
	s.f.setWidth(min(formWidth, max(w-2, 20)) - 6)
}

// Update handles keys and the answer of a login attempt.
func (s *Screen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.c.SetSize(msg.Width, msg.Height)
		s.setSize(msg.Width, msg.Height)
		return s, nil
	case tea.BackgroundColorMsg:
		if s.c.ThemeMode == theme.Auto {
			s.c.Styles = theme.New(msg.IsDark(), s.c.NoColor)
		}
		return s, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" || (msg.String() == "esc" && !s.f.Busy()) {
			return s, tea.Quit
		}
	}
	done, cmd := s.f.update(msg)
	if done != nil {
		res := *done
		return s, func() tea.Msg { return SucceededMsg{Result: res} }
	}
	return s, cmd
}

// View draws the login box in the middle of the screen.
func (s *Screen) View() tea.View {
	v := tea.NewView(s.Render())
	v.AltScreen = true
	v.WindowTitle = "konto · log in"
	return v
}

// Render is the screen as a string.
func (s *Screen) Render() string {
	w, h := max(s.width, 20), max(s.height, 6)
	st := s.c.Styles
	bw := min(formWidth, w-2)
	inner := bw - 4
	lines := []string{
		"",
		" " + st.Title.Render("konto") + st.Muted.Render(" · ") + st.Text.Render(common.Sanitize(s.c.Connection)),
		" " + st.Muted.Render("Log in to your bank account."),
		"",
	}
	if r := s.f.opt.Reason; r != "" {
		// Wrapped, not cut: it names the banks, and what to do.
		for _, l := range common.WrapWords(common.Sanitize(r), inner-1) {
			lines = append(lines, " "+st.Warning.Render(l))
		}
		lines = append(lines, "")
	}
	for _, l := range s.f.view(inner) {
		lines = append(lines, " "+l)
	}
	lines = append(lines, "")
	box := common.Box(st, "Log in", lines, bw, min(len(lines)+2, h), true)
	out := lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
	rows := strings.Split(out, "\n")
	for i := range rows {
		rows[i] = common.FitLine(rows[i], w)
	}
	return strings.Join(rows, "\n")
}

// KeyMap is the screen's keys.
func (s *Screen) KeyMap() help.KeyMap { return keyMap{s.f} }

type keyMap struct{ f *form }

func (k keyMap) ShortHelp() []key.Binding {
	lk := k.f.c.Keys.Login
	b := []key.Binding{lk.Submit, lk.Next}
	if k.f.opt.FileDir != "" {
		b = append(b, lk.KeepLoggedIn)
	}
	return b
}

func (k keyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
