package ui

// The root's part in payments: the keys that open the payment forms
// (ui/transfer, ui/orderform), read-only mode, and the refresh after a
// payment went through.

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/orderform"
	"konto/ui/transfer"
)

// readOnlyNotice is the answer to a payment key in read-only mode; the top
// line already says read-only, and the notice must fit beside it at 80
// columns.
const readOnlyNotice = "read-only: payments off"

// noIBANNotice answers R on a booking with no IBAN to pay (a card payment).
const noIBANNotice = "no IBAN on this booking to pay again"

// paymentKey opens the payment form msg asks for; ok is false when msg is
// not a payment key here.
func (m *Model) paymentKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := m.c.Keys.Payments
	onList := m.focus == paneMain
	var open func(env common.PaymentEnv, acc api.Account) tea.Cmd
	switch {
	case key.Matches(msg, k.Transfer):
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			return openFlow(transfer.New(m.c, env, acc, form.Counterparties(m.history[acc.ID])))
		}
	case key.Matches(msg, k.PayAgain) && m.tab == tabTransactions && m.focus != paneAccounts:
		tx := m.txs.Selected()
		if tx == nil {
			return nil, true
		}
		again := *tx
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			if sepa.ValidateIBAN(api.Str(again.IBAN)) != nil {
				// A card payment or cash: a transfer cannot repeat it.
				return common.Notice(common.NoticeWarning, noIBANNotice)
			}
			return openFlow(transfer.PayAgain(m.c, env, acc, again, form.Counterparties(m.history[acc.ID])))
		}
	case key.Matches(msg, k.NewOrder) && onList && m.tab == tabStanding:
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			return openFlow(orderform.NewStanding(m.c, env, acc, form.Counterparties(m.history[acc.ID])))
		}
	case key.Matches(msg, k.NewOrder) && onList && m.tab == tabTimed:
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			return openFlow(orderform.NewTimed(m.c, env, acc, form.Counterparties(m.history[acc.ID])))
		}
	case key.Matches(msg, k.EditOrder) && onList && m.tab == tabStanding:
		o, sel := m.standing.SelectedStanding()
		if !sel {
			return nil, true
		}
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			f, err := orderform.EditStanding(m.c, env, acc, o)
			if err != nil {
				return common.Notice(common.NoticeWarning, err.Error())
			}
			return openFlow(f)
		}
	case key.Matches(msg, k.CancelOrder) && onList && m.tab == tabStanding:
		o, sel := m.standing.SelectedStanding()
		if !sel {
			return nil, true
		}
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			f, err := orderform.CancelStanding(m.c, env, acc, o)
			if err != nil {
				return common.Notice(common.NoticeWarning, err.Error())
			}
			return openFlow(f)
		}
	case key.Matches(msg, k.CancelOrder) && onList && m.tab == tabTimed:
		o, sel := m.timed.SelectedTimed()
		if !sel {
			return nil, true
		}
		open = func(env common.PaymentEnv, acc api.Account) tea.Cmd {
			return common.OpenModal(orderform.NewCancelTimed(m.c, env, acc.ID, o))
		}
	default:
		return nil, false
	}
	if m.c.ReadOnly {
		return common.Notice(common.NoticeWarning, readOnlyNotice), true
	}
	if m.c.Payments == nil {
		return common.Notice(common.NoticeWarning, "payments are not available in this session"), true
	}
	acc, found := m.shownAccount()
	if !found {
		return common.Notice(common.NoticeWarning, "the accounts are still loading"), true
	}
	return open(common.PaymentEnv{Payments: m.c.Payments, Demo: m.c.Demo}, acc), true
}

func openFlow(f *form.Flow) tea.Cmd {
	return tea.Batch(common.OpenModal(f), f.Init())
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

// paymentBindings are the payment keys of the current tab, for the help;
// none in read-only mode.
func (m *Model) paymentBindings() []key.Binding {
	if m.c.ReadOnly {
		return nil
	}
	k := m.c.Keys.Payments
	switch m.tab {
	case tabStanding:
		return []key.Binding{k.NewOrder, k.EditOrder, k.CancelOrder, k.Transfer}
	case tabTimed:
		return []key.Binding{k.NewOrder, k.CancelOrder, k.Transfer}
	}
	return []key.Binding{k.Transfer, k.PayAgain}
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
