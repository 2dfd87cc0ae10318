package common

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
)

// PendingPayments are the payments whose outcome is unknown, kept and checked
// again in the background until the bank's lists settle them (ui/pending).
// The payment forms read them to refuse a twin; the lists and the status
// line show them.
type PendingPayments interface {
	// Unresolved is every payment not settled yet, oldest first.
	Unresolved() []api.PendingPayment
}

// PendingStore keeps the pending payments across restarts: the profile's
// offline cache (store.Cache, through the session's bank). Nil keeps them
// in memory for the session.
type PendingStore interface {
	LoadPendingPayments() ([]api.PendingPayment, error)
	UpdatePendingPayments(fn func([]api.PendingPayment) []api.PendingPayment) ([]api.PendingPayment, error)
}

// TrackPaymentMsg hands a payment whose confirmation had an unknown outcome
// to the background check (the root routes it to ui/pending).
type TrackPaymentMsg struct{ Payment api.PendingPayment }

// TrackPayment returns a Cmd sending TrackPaymentMsg.
func TrackPayment(p api.PendingPayment) tea.Cmd {
	return func() tea.Msg { return TrackPaymentMsg{Payment: p} }
}

// PaymentSettledMsg says the bank's lists settled a pending payment: Booked
// or NotBooked. Every open dialog hears it (the TAN dialog that sent it
// may still be open).
type PaymentSettledMsg struct {
	Payment api.PendingPayment
	Verdict api.Verdict
}

// CheckWindow is how long a payment of unknown outcome is checked before it
// counts as not booked: c.PendingWindow when set (the demo may shorten it),
// api.CheckWindow otherwise.
func (c *Common) CheckWindow() time.Duration {
	if c.PendingWindow > 0 {
		return c.PendingWindow
	}
	return api.CheckWindow
}
