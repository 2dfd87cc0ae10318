package login

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/ui/common"
)

// Dialog is the login over the dashboard, opened when the bank refuses the
// session: what was on screen stays behind it, and work carries on after.
type Dialog struct {
	c             *common.Common
	f             *form
	width, height int
}

// NewDialog returns the login dialog.
func NewDialog(c *common.Common, opt Options) *Dialog {
	f := newForm(c, opt)
	// Over the dashboard the way out is putting the login off, not quitting.
	f.hint = f.hintWith(c.Keys.Login.Later.Help().Key + " later")
	return &Dialog{c: c, f: f}
}

// Email is what the email field holds.
func (d *Dialog) Email() string { return d.f.Email() }

// Err is the sentence shown for the last failed attempt.
func (d *Dialog) Err() string { return d.f.Err() }

// ClosedMsg says the dialog was put off (esc) without logging in.
type ClosedMsg struct{}

// Update handles keys and the answer of a login attempt; it closes itself
// once logged in and sends SucceededMsg.
func (d *Dialog) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, d.c.Keys.Login.Later) && !d.f.Busy() {
		return d, tea.Batch(common.CloseModal, func() tea.Msg { return ClosedMsg{} })
	}
	done, cmd := d.f.update(msg)
	if done != nil {
		res := *done
		return d, tea.Batch(common.CloseModal, func() tea.Msg { return SucceededMsg{Result: res} })
	}
	return d, cmd
}

// SetSize gives the largest box the dialog may draw.
func (d *Dialog) SetSize(w, h int) {
	d.width, d.height = w, h
	d.f.setWidth(min(formWidth, w) - 6)
}

// View draws the dialog.
func (d *Dialog) View() string {
	st := d.c.Styles
	bw := min(formWidth, d.width)
	lines := []string{
		"",
		" " + st.Text.Render("The bank ended the session. Log in to carry on;"),
		" " + st.Text.Render("what you see stays as it is."),
		"",
	}
	for _, l := range d.f.view(bw - 4) {
		lines = append(lines, " "+l)
	}
	lines = append(lines, "")
	return common.Box(st, "Log in again", lines, bw, min(len(lines)+2, max(d.height, 3)), true)
}

// KeyMap is shown in the help bar while the dialog is open.
func (d *Dialog) KeyMap() help.KeyMap {
	return dialogKeys{keyMap{d.f}}
}

type dialogKeys struct{ keyMap }

func (k dialogKeys) ShortHelp() []key.Binding {
	return append(k.keyMap.ShortHelp(), k.f.c.Keys.Login.Later)
}
func (k dialogKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp()}
}
