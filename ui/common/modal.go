package common

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Modal is a dialog drawn on top of the panes: the details, the help, the
// payment forms and their review, the TAN dialog, the login dialog, the
// yes/keep questions. The topmost receives every key (its keys are the
// modal groups of ui/keys); it closes itself by returning CloseModal. To add
// one, implement this and send OpenModalMsg.
type Modal interface {
	// Update handles a message; keys arrive here first while the modal is open.
	Update(msg tea.Msg) (Modal, tea.Cmd)
	// View draws the modal, borders included, at most the size given to SetSize.
	View() string
	// SetSize gives the largest box the modal may draw.
	SetSize(width, height int)
	// KeyMap is shown in the help bar while the modal is open.
	KeyMap() help.KeyMap
}
