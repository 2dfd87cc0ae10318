package orders

import (
	"cmp"
	"slices"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/form"
	"konto/ui/orderform"
)

// StandingTab is the standing orders tab: the account's standing orders,
// the selected one's details, and new, edit and cancel.
type StandingTab struct{ tab }

// NewStanding returns the standing orders tab, its selection shown in d.
func NewStanding(c *common.Common, d *detail.Model) *StandingTab {
	return &StandingTab{tab{Model: New(c, Standing), detail: d}}
}

// Title is the tab's name.
func (t *StandingTab) Title() string { return "Standing" }

// Selected is the standing order under the cursor.
func (t *StandingTab) Selected() (common.Selection, bool) {
	o, ok := t.SelectedStanding()
	return common.Selection{What: "this order", IBAN: o.IBAN}, ok
}

// ShowDetail shows the selected order in the details pane.
func (t *StandingTab) ShowDetail() {
	o, ok := t.SelectedStanding()
	var fields []detail.Field
	if ok {
		fields = detail.StandingOrderFields(t.c, o)
	}
	t.showFields(fields, o.IBAN, ok)
}

// DetailModal is the selected order's details as a dialog.
func (t *StandingTab) DetailModal() common.Modal {
	o, ok := t.SelectedStanding()
	if !ok {
		return nil
	}
	return detail.NewFieldsModal(t.c, t.noun(), detail.StandingOrderFields(t.c, o), o.IBAN)
}

// PaymentActions: a new order, and edit and cancel for the selected one
// while it is active (only an active order can be changed).
func (t *StandingTab) PaymentActions() []common.TabAction {
	k := t.c.Keys.Payments
	as := []common.TabAction{{Key: k.NewOrder, Order: true, Open: func(env common.PaymentEnv, acc api.Account, bookings *history.History) tea.Cmd {
		return common.OpenWithInit(orderform.NewStanding(t.c, env, acc, form.Counterparties(bookings)))
	}}}
	o, ok := t.SelectedStanding()
	if !ok || o.Status != api.StatusActive {
		return as
	}
	flow := func(open func(common.PaymentEnv, api.Account, api.StandingOrder) (*form.Flow, error)) func(common.PaymentEnv, api.Account, *history.History) tea.Cmd {
		return func(env common.PaymentEnv, acc api.Account, _ *history.History) tea.Cmd {
			f, err := open(env, acc, o)
			if err != nil {
				return common.Notice(common.NoticeWarning, err.Error())
			}
			return common.OpenWithInit(f)
		}
	}
	return append(as,
		common.TabAction{Key: k.EditOrder, Order: true, Open: flow(func(env common.PaymentEnv, acc api.Account, o api.StandingOrder) (*form.Flow, error) {
			return orderform.EditStanding(t.c, env, acc, o)
		})},
		common.TabAction{Key: k.CancelOrder, Order: true, Open: flow(func(env common.PaymentEnv, acc api.Account, o api.StandingOrder) (*form.Flow, error) {
			return orderform.CancelStanding(t.c, env, acc, o)
		})},
	)
}

// sortStanding puts the active orders first, the next to run at the top,
// and the rest (cancelled, or past their last date) after them, each part
// otherwise in the bank's order (newest first).
func sortStanding(os []api.StandingOrder) []api.StandingOrder {
	rank := func(o api.StandingOrder) int {
		switch {
		case nextDate(o) != nil:
			return 0
		case o.Status == api.StatusActive:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(os, func(a, b api.StandingOrder) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return cmp.Compare(ra, rb)
		}
		if na, nb := nextDate(a), nextDate(b); na != nil && nb != nil {
			return na.Compare(nb.Time)
		}
		return 0
	})
	return os
}

// nextDate is when an active order runs next; nil for an order that will
// not run again, whatever date the bank still sends for it.
func nextDate(o api.StandingOrder) *api.OrderTime {
	if o.Status != api.StatusActive || o.NextOccurrence == nil || o.NextOccurrence.IsZero() {
		return nil
	}
	return o.NextOccurrence
}

// everyWidth fits the list's names of the reoccurrences.
const everyWidth = 11

// everyShort names a reoccurrence in at most everyWidth cells for the list.
func everyShort(r string) string {
	if r == api.EverySixMonths {
		return "half-yearly"
	}
	return words(r)
}
