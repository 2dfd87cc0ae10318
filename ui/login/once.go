package login

import tea "charm.land/bubbletea/v2"

// Once runs the login screen as a program of its own: it quits as soon as a
// login goes through (Result then holds it) or the user gives up (nil).
type Once struct {
	Screen *Screen
	Result *Result
}

// Init starts the screen.
func (o *Once) Init() tea.Cmd { return o.Screen.Init() }

// Update hands msg to the screen and quits after a login.
func (o *Once) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ok, isOK := msg.(SucceededMsg); isOK {
		res := ok.Result
		o.Result = &res
		return o, tea.Quit
	}
	_, cmd := o.Screen.Update(msg)
	return o, cmd
}

// View draws the screen.
func (o *Once) View() tea.View { return o.Screen.View() }
