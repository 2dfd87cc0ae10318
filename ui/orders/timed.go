package orders

import (
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/form"
	"konto/ui/orderform"
)

// TimedTab is the timed orders tab: the account's timed orders, the
// selected one's details, a new one and cancel.
type TimedTab struct{ tab }

// NewTimed returns the timed orders tab, its selection shown in d.
func NewTimed(c *common.Common, d *detail.Model) *TimedTab {
	return &TimedTab{tab{Model: New(c, Timed), detail: d}}
}

// Title is the tab's name.
func (t *TimedTab) Title() string { return "Timed" }

// Selected is the timed order under the cursor.
func (t *TimedTab) Selected() (common.Selection, bool) {
	o, ok := t.SelectedTimed()
	return common.Selection{What: "this order", IBAN: o.RecipientIBAN}, ok
}

// ShowDetail shows the selected order in the details pane.
func (t *TimedTab) ShowDetail() {
	o, ok := t.SelectedTimed()
	var fields []detail.Field
	if ok {
		fields = detail.TimedOrderFields(t.c, o)
	}
	t.showFields(fields, o.RecipientIBAN, ok)
}

// DetailModal is the selected order's details as a dialog.
func (t *TimedTab) DetailModal() common.Modal {
	o, ok := t.SelectedTimed()
	if !ok {
		return nil
	}
	return detail.NewFieldsModal(t.c, t.noun(), detail.TimedOrderFields(t.c, o), o.RecipientIBAN)
}

// PaymentActions: a new order, and cancel for the selected one.
func (t *TimedTab) PaymentActions() []common.TabAction {
	k := t.c.Keys.Payments
	as := []common.TabAction{{Key: k.NewOrder, Order: true, Open: func(env common.PaymentEnv, acc api.Account, bookings *history.History) tea.Cmd {
		return common.OpenWithInit(orderform.NewTimed(t.c, env, acc, form.Counterparties(bookings)))
	}}}
	if o, ok := t.SelectedTimed(); ok {
		as = append(as, common.TabAction{Key: k.CancelOrder, Order: true, Open: func(env common.PaymentEnv, acc api.Account, _ *history.History) tea.Cmd {
			return common.OpenModal(orderform.NewCancelTimed(t.c, env, acc.ID, o))
		}})
	}
	return as
}
