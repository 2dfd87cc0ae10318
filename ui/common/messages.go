package common

import (
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/history"
)

// Messages that cross packages. Each data message carries the account it
// belongs to (and a sequence number where a newer request may overtake an
// older one) so a late answer is never shown for the wrong account.

// AccountsLoadedMsg answers a request for the account list.
type AccountsLoadedMsg struct {
	Accounts []api.Account // sanitised
	Err      error
}

// AccountSelectedMsg says the user picked another account.
type AccountSelectedMsg struct{ Account api.Account }

// TransactionsPageMsg carries page 1 of an account's history.
type TransactionsPageMsg struct {
	AccountID int64
	Seq       int
	Page      int
	Results   []api.Transaction // sanitised, newest first
	Total     int
	Err       error
}

// TransactionsSyncedMsg carries the full history after a background sync.
type TransactionsSyncedMsg struct {
	AccountID int64
	Seq       int
	History   *history.History // sanitised, newest first
	Err       error
}

// BookingsArrivedMsg carries the bookings a poll found on an account that
// its shown history lacks (money in, a payment made elsewhere): only what
// is new, so adding it costs what arrived, not the whole history.
type BookingsArrivedMsg struct {
	AccountID    int64
	Transactions []api.Transaction // sanitised, newest first
}

// StandingOrdersMsg answers a standing-orders request.
type StandingOrdersMsg struct {
	AccountID int64
	Seq       int                 // the load it answers; older loads' answers are dropped
	Orders    []api.StandingOrder // sanitised
	Err       error
}

// TabAnswer is a tab's answer from the bank (its list loaded, or why
// not): the root notes from Err whether the bank was reached, and hands it
// to every tab (each takes its own).
type TabAnswer interface{ AnswerErr() error }

// AnswerErr makes StandingOrdersMsg a TabAnswer.
func (m StandingOrdersMsg) AnswerErr() error { return m.Err }

// AnswerErr makes TimedOrdersMsg a TabAnswer.
func (m TimedOrdersMsg) AnswerErr() error { return m.Err }

// TimedOrdersMsg answers a timed-orders request.
type TimedOrdersMsg struct {
	AccountID int64
	Seq       int                      // the load it answers; older loads' answers are dropped
	Orders    []api.TimedOrderListItem // sanitised
	Err       error
}

// OpenDetailMsg asks the root to show the details of the selection (a
// booking, or an order on the order tabs).
type OpenDetailMsg struct{}

// TokenEventMsg is one event of the background token refresher.
type TokenEventMsg struct{ Event api.TokenEvent }

// NoticeLevel says how a notice is drawn.
type NoticeLevel int

const (
	NoticeInfo NoticeLevel = iota
	NoticeWarning
	NoticeError
)

// NoticeMsg puts a short sentence on the status line.
type NoticeMsg struct {
	Level NoticeLevel
	Text  string
}

// Notice returns a Cmd that puts text on the status line.
func Notice(level NoticeLevel, text string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Level: level, Text: text} }
}

// OpenModalMsg asks the root to open m on top of everything; keys go to it
// until it closes.
type OpenModalMsg struct{ Modal Modal }

// CloseModalMsg closes a modal: Modal names which (the root fills it in for
// the modal whose Update returned CloseModal); nil means the topmost.
type CloseModalMsg struct{ Modal Modal }

// OpenModal returns a Cmd that opens m.
func OpenModal(m Modal) tea.Cmd { return func() tea.Msg { return OpenModalMsg{Modal: m} } }

// CloseModal is a Cmd that closes the open modal.
func CloseModal() tea.Msg { return CloseModalMsg{} }

// SessionChangedMsg says the session is someone else's now (a login as
// another user in the login dialog): the root puts the dashboard back as it
// starts, with nothing of the previous user's on screen (modals closed,
// unless a payment is on its way), and loads the accounts again.
type SessionChangedMsg struct{}

// SessionChanged is the Cmd sending SessionChangedMsg.
func SessionChanged() tea.Msg { return SessionChangedMsg{} }

// SessionRenewedMsg says the same user logged in again after the bank had
// refused the session: every open dialog hears it, and one that told the
// user to log in again says they may carry on.
type SessionRenewedMsg struct{}

// SessionRenewed is the Cmd sending SessionRenewedMsg.
func SessionRenewed() tea.Msg { return SessionRenewedMsg{} }
