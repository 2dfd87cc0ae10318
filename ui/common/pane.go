package common

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/history"
)

// Pane is one box of the dashboard (the accounts, a tab's list, the
// details): the root gives it its inner size and the focus, hands it the
// messages meant for it and draws View inside a box titled Title.
type Pane interface {
	SetSize(width, height int)
	SetFocused(focused bool)
	Update(msg tea.Msg) tea.Cmd
	View() string
	Title() string
	// KeyMap is the pane's own keys that work now, beyond moving and
	// opening the selection (which every list has): the filter keys of the
	// bookings. The root lists them in the help bar first and in ? under
	// Filter, and hands them to Update.
	KeyMap() help.KeyMap
}

// Tab is a list in the main pane that a tab key (1, 2, 3…) shows: the
// bookings, the standing orders, the timed orders. To add one, implement
// this in its package and add it to the root's list of tabs (ui/tabs.go).
type Tab interface {
	Pane
	// Visit is called when the tab is shown for account id (and when the
	// account changes while it is shown): it loads its list on the first
	// visit and returns nil after that.
	Visit(accountID int64) tea.Cmd
	// Reload fetches the list again after a refresh or a payment, if it
	// was loaded or the tab is shown; nil otherwise (its first visit
	// loads it).
	Reload(accountID int64, shown bool) tea.Cmd
	// Len is the number of rows a cursor moves over.
	Len() int
	// Click selects the row drawn at line y of the pane; false when none
	// is there.
	Click(y int) bool
	// Selected is the item under the cursor; false with none.
	Selected() (Selection, bool)
	// ShowDetail puts the selection into the details pane the tab was
	// built with (or says what to select).
	ShowDetail()
	// DetailModal is the selection's details as a dialog (below the width
	// of a details pane); nil with nothing selected.
	DetailModal() Modal
	// SetPending gives the tab every payment pending check (it shows its own).
	SetPending(all []api.PendingPayment)
	// PaymentActions are the payment keys for the tab and its selection.
	PaymentActions() []TabAction
	// Capturing reports an input line of the tab open (the filter): it
	// takes every key but the ones of KeyMap, and no mouse.
	Capturing() bool
}

// Selection is the item a tab's cursor is on, as the root's keys need it.
type Selection struct {
	What string // how a notice names it: "this booking", "this order"
	IBAN string // its counterparty's IBAN, as the bank sent it
}

// TabAction is a payment key a tab offers (pay again, a new order, edit,
// cancel). Open runs when the key is pressed and payments can be made, with
// the shown account and its bookings (the form's suggestions).
type TabAction struct {
	Key key.Binding
	// Order files the key under Orders, listed before the transfer key
	// (where the help bar is short of room they matter more on an order
	// tab); otherwise under Payments, after it.
	Order bool
	Open  func(env PaymentEnv, acc api.Account, bookings *history.History) tea.Cmd
}

// OpenWithInit opens md and runs its Init (a payment form's first request).
func OpenWithInit(md interface {
	Modal
	Init() tea.Cmd
}) tea.Cmd {
	return tea.Batch(OpenModal(md), md.Init())
}

// Keys is a help.KeyMap of a fixed list.
type Keys []key.Binding

func (k Keys) ShortHelp() []key.Binding  { return k }
func (k Keys) FullHelp() [][]key.Binding { return [][]key.Binding{k} }
