package session

import (
	tea "charm.land/bubbletea/v2"

	"konto/store/offline"
)

// Polled hands the controller a poll's outcome, as the poll Cmd would.
func (s *Controller) Polled(found []offline.NewBooking, changed []int64, err error) tea.Cmd {
	return s.polled(polledMsg{found: found, changed: changed, err: err})
}
