// Package keys holds every key binding of konto in one place: the
// dashboard's groups and the modal ones (payment form, review, TAN, login,
// the yes/keep question), their defaults, and the config's [keys] applied
// to them with the clash check. A component reads its keys from here (via
// common.Common's Keys), so whatever the config rebinds, the component, the
// help bar and ? agree.
package keys

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding, grouped by where it applies. A group's
// field name is its name in the config (Form.Next is "form.next").
type KeyMap struct {
	Global GlobalKeys
	List   ListKeys
	Filter FilterKeys
	Detail DetailKeys
	// Reports work in the reports tab, with the list's keys.
	Reports ReportKeys
	// Labels label the selected booking; Period steps the list's period.
	Labels LabelKeys
	Period PeriodKeys
	// Payments start the payment forms (hidden and refused when read-only).
	Payments PaymentKeys

	// The modal groups: each works only while its dialog is open, which
	// then takes every key.
	Form   FormKeys
	Review ReviewKeys
	TAN    TANKeys
	Login  LoginKeys
	Dialog DialogKeys
}

// FormKeys work in a payment form: tab/↓ and shift+tab/↑ move, enter goes
// on, ctrl+s reviews, esc cancels; ←/→ choose on a choice field and →
// takes a suggestion at the end of a text field.
type FormKeys struct {
	Next, Prev, Enter, Review, Cancel, Left, Right key.Binding
}

// ReviewKeys work on a payment's review: enter sends, esc goes back to the
// form (payments.send_anyway works there too).
type ReviewKeys struct{ Submit, Back key.Binding }

// TANKeys work in the TAN dialog. Confirm, StartOver and Close share enter
// by default: each works in a state of the dialog of its own.
type TANKeys struct {
	Confirm, Abort, Delete, Clear, StartOver, Close, CheckAgain key.Binding
}

// LoginKeys work in the login screen and dialog; Later puts the dialog off.
// Toggle ticks "keep me logged in" on that field (KeepLoggedIn from any).
type LoginKeys struct {
	Next, Prev, Submit, KeepLoggedIn, Toggle, Later key.Binding
}

// DialogKeys answer the one question konto asks before anything it cannot
// take back: y does it, n or esc keeps things as they are (never enter).
type DialogKeys struct{ Yes, Keep key.Binding }

// GlobalKeys work everywhere except inside a text field or a modal.
type GlobalKeys struct {
	Quit, Help, Refresh, Resync, NextPane, PrevPane    key.Binding
	TabTransactions, TabStanding, TabTimed, TabReports key.Binding
	Layout, Privacy                                    key.Binding
}

// LabelKeys work on the selected booking, in the list and the details:
// set its category, edit its note, mark it, open its invoice.
type LabelKeys struct{ Category, Note, Mark, OpenInvoice key.Binding }

// PeriodKeys step the period the transactions list shows (Prev/Next by
// one, Longer/Shorter switch between month, quarter and year; Clear shows
// every booking again).
type PeriodKeys struct{ Prev, Next, Longer, Shorter key.Binding }

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

// ReportKeys work in the reports tab: [ and ] step the period back and
// forward, { and } make it shorter or longer (month, quarter, year), a
// switches between the shown account and all accounts, x switches the
// forecast item under the cursor off or on again.
type ReportKeys struct {
	PrevPeriod, NextPeriod, ShorterPeriod, LongerPeriod, AllAccounts, SwitchOff key.Binding
}

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
			TabReports:      key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "reports")),
			Layout:          key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "side by side / stacked")),
			Privacy:         key.NewBinding(key.WithKeys("*"), key.WithHelp("*", "hide/show amounts")),
		},
		Labels: LabelKeys{
			Category:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "category")),
			Note:        key.NewBinding(key.WithKeys(";"), key.WithHelp(";", "note")),
			Mark:        key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark")),
			OpenInvoice: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open invoice")),
		},
		Period: PeriodKeys{
			Prev:    key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous period")),
			Next:    key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next period")),
			Longer:  key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "month → quarter → year")),
			Shorter: key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "year → quarter → month")),
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
		Reports: ReportKeys{
			PrevPeriod:    key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous period")),
			NextPeriod:    key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next period")),
			ShorterPeriod: key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "shorter period")),
			LongerPeriod:  key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "longer period")),
			AllAccounts:   key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all accounts / this one")),
			SwitchOff:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "switch off / on")),
		},
		Detail: DetailKeys{
			Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
			CopyIBAN: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy IBAN")),
		},
		Form: FormKeys{
			Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
			Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous")),
			Enter:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next / review")),
			Review: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "review")),
			Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
			Left:   key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "choose")),
			Right:  key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "take the suggestion")),
		},
		Review: ReviewKeys{
			Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
			Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the form")),
		},
		TAN: TANKeys{
			Confirm:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
			Abort:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "abort")),
			Delete:     key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "delete")),
			Clear:      key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
			StartOver:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start over")),
			Close:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "close")),
			CheckAgain: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check again")),
		},
		Login: LoginKeys{
			Next:         key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
			Prev:         key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous")),
			Submit:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "log in")),
			KeepLoggedIn: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "keep me logged in")),
			Toggle:       key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "tick")),
			Later:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "later")),
		},
		Dialog: DialogKeys{
			Yes:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
			Keep: key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "keep")),
		},
	}
}

// Named is b with another description: one binding reads "details" in a
// list and "bookings" on the accounts, "send" or "cancel it" on a review.
// A disabled (unbound) b stays disabled.
func Named(b key.Binding, desc string) key.Binding {
	if !b.Enabled() || len(b.Keys()) == 0 {
		return key.NewBinding(key.WithDisabled(), key.WithHelp("", desc))
	}
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}
