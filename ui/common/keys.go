package common

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding, grouped by where it applies.
type KeyMap struct {
	Global GlobalKeys
	List   ListKeys
	Filter FilterKeys
	Detail DetailKeys
	// Payments start the payment forms (hidden and refused when read-only).
	Payments PaymentKeys
}

// GlobalKeys work everywhere except inside a text field or a modal.
type GlobalKeys struct {
	Quit, Help, Refresh, Resync, NextPane, PrevPane key.Binding
	TabTransactions, TabStanding, TabTimed          key.Binding
	Layout                                          key.Binding
}

// ListKeys move through a list.
type ListKeys struct {
	Up, Down, Top, Bottom, HalfPageDown, HalfPageUp, PageDown, PageUp key.Binding
	Open, Filter                                                      key.Binding
}

// FilterKeys apply while the filter line is open.
type FilterKeys struct{ Keep, Clear key.Binding }

// PaymentKeys open the payment forms: a transfer from anywhere, "pay
// again" on a booking, and new/edit/cancel on the order tabs. SendAnyway
// works on a payment's review: it sends a payment although one to the same
// IBAN of the same amount is still being checked (a deliberate second one).
type PaymentKeys struct{ Transfer, PayAgain, NewOrder, EditOrder, CancelOrder, SendAnyway key.Binding }

// DetailKeys apply in the details view.
type DetailKeys struct{ Close, CopyIBAN key.Binding }

// DefaultKeyMap returns konto's key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Global: GlobalKeys{
			Quit:            key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
			Help:            key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
			Refresh:         key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
			Resync:          key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "full resync")),
			NextPane:        key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
			PrevPane:        key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
			TabTransactions: key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "transactions")),
			TabStanding:     key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "standing orders")),
			TabTimed:        key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "timed orders")),
			Layout:          key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "side by side / stacked")),
		},
		List: ListKeys{
			Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
			Down:         key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
			Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first")),
			Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last")),
			HalfPageDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
			HalfPageUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
			PageDown:     key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
			PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
			Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
			Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		},
		Filter: FilterKeys{
			Keep:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		},
		Payments: PaymentKeys{
			Transfer:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "transfer")),
			PayAgain:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "pay again")),
			NewOrder:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")),
			EditOrder:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
			CancelOrder: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel")),
			SendAnyway:  key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "send another anyway")),
		},
		Detail: DetailKeys{
			Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
			CopyIBAN: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy IBAN")),
		},
	}
}
