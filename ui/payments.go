package ui

// The root's part in payments: the transfer key, the keys the current tab
// offers (common.TabAction: pay again, the order keys), read-only mode, and
// what a payment key needs (the shown account, its bookings).

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/transfer"
)

// readOnlyNotice is the answer to a payment key in read-only mode; the top
// line already says read-only, and the notice must fit beside it at 80
// columns.
const readOnlyNotice = "read-only: payments off"

// paymentsOff says why payments cannot be made in this session ("" when
// they can): the answer to a payment key, and the ? help's note.
func (m *Model) paymentsOff() string {
	switch {
	case m.c.ReadOnly:
		return readOnlyNotice
	case m.c.Payments == nil:
		return "payments are not available in this session"
	}
	return ""
}

// paymentActions adds the payment keys that work here: a transfer from
// anywhere, and in the main pane the current tab's (pay again on a booking;
// new, edit and cancel on the order tabs) for its selection, from its list
// or its details. With payments off the same keys say why instead, and stay
// out of the help bar.
func (m *Model) paymentActions(as *actionList) {
	k := m.c.Keys.Payments
	bar := barPayment
	if m.paymentsOff() != "" {
		bar = barNone
	}
	add := func(g keyGroup, b key.Binding, open func(env common.PaymentEnv, acc api.Account) tea.Cmd) {
		as.add(g, b, bar, func(tea.KeyPressMsg) tea.Cmd { return m.pay(open) })
	}
	transferKey := func() {
		add(groupPayments, k.Transfer, func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			return common.OpenWithInit(transfer.New(m.c, env, acc, form.Counterparties(m.history[acc.ID])))
		})
	}
	if m.focus == paneAccounts {
		transferKey()
		return
	}
	tabActions := m.current().PaymentActions()
	ordersFirst := false
	for _, a := range tabActions {
		ordersFirst = ordersFirst || a.Order
	}
	if ordersFirst {
		// The order keys first: where the help bar is short of room, they
		// matter more on an order tab.
		defer transferKey()
	} else {
		transferKey()
	}
	for _, a := range tabActions {
		g := groupPayments
		if a.Order {
			g = groupOrders
		}
		add(g, a.Key, func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			return a.Open(env, acc, m.history[acc.ID])
		})
	}
}

// pay opens a payment dialog from the shown account, or says why it cannot.
func (m *Model) pay(open func(env common.PaymentEnv, acc api.Account) tea.Cmd) tea.Cmd {
	if off := m.paymentsOff(); off != "" {
		return common.Notice(common.NoticeWarning, off)
	}
	acc, found := m.shownAccount()
	if !found {
		return common.Notice(common.NoticeWarning, "the accounts are still loading")
	}
	return open(common.PaymentEnv{Payments: m.c.Payments, Demo: m.c.Demo}, acc)
}

// shownAccount is the account whose bookings are shown (the one payments
// leave from).
func (m *Model) shownAccount() (api.Account, bool) {
	id := m.txs.AccountID()
	for _, a := range m.accounts.Accounts() {
		if a.ID == id {
			return a, true
		}
	}
	return api.Account{}, false
}

// paymentInFlight reports a payment request on its way in an open modal
// (also one under a login dialog).
func (m *Model) paymentInFlight() bool {
	for _, md := range m.modals {
		if f, ok := md.(interface{ InFlight() bool }); ok && f.InFlight() {
			return true
		}
	}
	return false
}

// barWidth is the width the help bar needs for bs: "key desc" items joined
// by " • ", as bubbles/help draws them.
func barWidth(bs []key.Binding) int {
	w, n := 0, 0
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		w += ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
		n++
	}
	return w + 3*max(n-1, 0)
}
