package transactions

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sepa"
	"konto/store/history"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/form"
	"konto/ui/transfer"
)

// NoIBANNotice answers R on a booking with no IBAN to pay (a card payment).
const NoIBANNotice = "no IBAN on this booking to pay again"

// Tab is the bookings as the dashboard's first tab. The root loads the
// list itself (it is the shown account's, whatever the tab), so Visit and
// Reload have nothing to do.
type Tab struct {
	*Model
	detail *detail.Model
}

// NewTab shows m as a tab whose selection goes to the details pane d.
func NewTab(m *Model, d *detail.Model) *Tab { return &Tab{Model: m, detail: d} }

// Title is the tab's name.
func (t *Tab) Title() string { return "Transactions" }

// Visit has nothing to load: the root loads the shown account's bookings.
func (t *Tab) Visit(int64) tea.Cmd { return nil }

// Reload has nothing to load, see Visit.
func (t *Tab) Reload(int64, bool) tea.Cmd { return nil }

// Click selects the booking at line y.
func (t *Tab) Click(y int) bool { return t.Model.Click(y) }

// Selected is the booking under the cursor.
func (t *Tab) Selected() (common.Selection, bool) {
	tx := t.Model.Selected()
	if tx == nil {
		return common.Selection{}, false
	}
	return common.Selection{What: "this booking", IBAN: api.Str(tx.IBAN)}, true
}

// ShowDetail shows the selected booking in the details pane.
func (t *Tab) ShowDetail() { t.detail.SetBooking(t.Model.SelectedBooking()) }

// DetailModal is the selected booking's details as a dialog.
func (t *Tab) DetailModal() common.Modal {
	tx := t.Model.Selected()
	if tx == nil {
		return nil
	}
	return detail.NewBookingModal(t.c, t.Model.SelectedBooking())
}

// KeyMap is the filter keys: those of the open filter line, else / and,
// with a filter kept, esc.
func (t *Tab) KeyMap() help.KeyMap {
	km := t.c.Keys
	if t.Filtering() {
		return common.Keys{km.Filter.Keep, km.Filter.Clear}
	}
	if t.FilterKept() {
		return common.Keys{km.List.Filter, km.Filter.Clear}
	}
	return common.Keys{km.List.Filter}
}

// Capturing: the filter line is open and takes every key.
func (t *Tab) Capturing() bool { return t.Filtering() }

// PaymentActions: pay again on the selected booking.
func (t *Tab) PaymentActions() []common.TabAction {
	tx := t.Model.Selected()
	if tx == nil {
		return nil
	}
	again := *tx
	return []common.TabAction{{
		Key: t.c.Keys.Payments.PayAgain,
		Open: func(env common.PaymentEnv, acc api.Account, bookings *history.History) tea.Cmd {
			if sepa.ValidateIBAN(api.Str(again.IBAN)) != nil {
				// A card payment or cash: a transfer cannot repeat it.
				return common.Notice(common.NoticeWarning, NoIBANNotice)
			}
			return common.OpenWithInit(transfer.PayAgain(t.c, env, acc, again, form.Counterparties(bookings)))
		},
	}}
}
