package ui

// Read-only at run time: the payments key switches payments on for the
// session (after the yes/keep question) and off again; after the idle time
// without a key they switch off by themselves. A session whose SSH key is
// marked konto-readonly (common.Common.PaymentsLocked) can never switch
// them on and is never shown a way to move money.

import (
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/ui/common"
)

// idleCheck is how often the idle time is looked at.
const idleCheck = 15 * time.Second

// idleTickMsg looks at the idle time.
type idleTickMsg struct{}

func (m *Model) idleTick() tea.Cmd {
	return common.Tick(m.c.Ctx, idleCheck, func(time.Time) tea.Msg { return idleTickMsg{} })
}

// paymentsIdle is how long payments stay on without a key.
func (m *Model) paymentsIdle() time.Duration {
	if m.c.PaymentsIdle > 0 {
		return m.c.PaymentsIdle
	}
	return common.DefaultPaymentsIdle
}

// noteActivity records a key or click: the idle time starts again.
func (m *Model) noteActivity() { m.lastActive = m.c.RealNow() }

// checkIdle switches payments off after the idle time, unless a payment is
// on its way (its dialog must finish what it started).
func (m *Model) checkIdle() tea.Cmd {
	next := m.idleTick()
	if m.c.ReadOnly || m.paymentInFlight() || m.c.RealNow().Sub(m.lastActive) < m.paymentsIdle() {
		return next
	}
	m.c.ReadOnly = true
	return tea.Batch(next, common.Notice(common.NoticeInfo, "payments switched off after "+idleText(m.paymentsIdle())+" idle"))
}

func idleText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.Itoa(int(d/time.Minute)) + " min"
	}
	return d.Round(time.Second).String()
}

// canSwitchPayments: the payments key works in this session.
func (m *Model) canSwitchPayments() bool {
	return !m.c.PaymentsLocked && m.c.Payments != nil
}

// switchPayments is the payments key: off at once, on after the question.
func (m *Model) switchPayments() tea.Cmd {
	if !m.c.ReadOnly {
		m.c.ReadOnly = true
		return common.Notice(common.NoticeInfo, "payments off")
	}
	return common.OpenModal(newConfirmModal(m.c, "Switch payments on for this session?", "switch on", "keep off", func() tea.Cmd {
		m.c.ReadOnly = false
		m.noteActivity()
		return common.Notice(common.NoticeWarning, "payments on: off again after "+idleText(m.paymentsIdle())+" idle")
	}))
}
