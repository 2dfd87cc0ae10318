// Package common holds what every part of konto's UI shares: the per-program
// Common (context, size, styles, keys, bank), the message types that cross
// component packages, the contracts the root keeps with its parts (Pane, Tab,
// Modal), the overlay that draws a modal over the screen, and safe drawing
// helpers. The key bindings themselves live in ui/keys. It exists so
// components and the root model never import in a circle.
package common

import (
	"context"
	"time"

	"konto/api"
	"konto/store/alerts"
	"konto/store/history"
	"konto/store/rules"
	"konto/theme"
)

// BankReader is what the dashboard reads from the bank: offline.Mirror,
// the offline cache (or none) in front of *api.Client, satisfies it, and
// hands out histories sanitised and compact; tests use fakes (uitest.Bank).
type BankReader interface {
	Accounts(ctx context.Context) ([]api.Account, error)
	TransactionsPage(ctx context.Context, accountID int64, page int) (*api.TransactionPage, error)
	// SyncHistory is the account's whole history, sanitised (Sanitize
	// on every text), newest first.
	SyncHistory(ctx context.Context, accountID int64, opt api.SyncOptions) (*history.History, error)
	StandingOrders(ctx context.Context, accountID int64) ([]api.StandingOrder, error)
	TimedOrders(ctx context.Context, accountID int64) ([]api.TimedOrderListItem, error)
}

// Common is created once per program (so once per SSH session) and handed by
// pointer to every component. Nothing in it is package-level.
type Common struct {
	Ctx    context.Context
	Width  int
	Height int
	Styles *theme.Styles
	Keys   KeyMap
	Bank   BankReader
	// Loc is the bank's time zone; dates are shown in it.
	Loc *time.Location
	// Now is the bank's clock: dates, "today", TAN and order deadlines. Tests
	// pin it; in the demo it is the sandbox's virtual clock.
	Now func() time.Time
	// RealNow is the machine's clock, for what the bank measures in real
	// time whatever its calendar says: token lifetimes (tests pin it too).
	RealNow func() time.Time
	// Connection names where konto is connected, for the top line ("Sandbox (demo)").
	Connection string
	// ReadOnly hides actions that change anything at the bank. It is the
	// session's mode: the payments key switches it (ui/readonly.go).
	ReadOnly bool
	// PaymentsLocked keeps the session read-only for good (an SSH key
	// marked konto-readonly): payments can never be switched on.
	PaymentsLocked bool
	// PaymentsIdle switches payments off after so long without a key
	// (0: DefaultPaymentsIdle).
	PaymentsIdle time.Duration
	// Alerts are the config's [[alerts]] rules, checked on every sync.
	Alerts []alerts.Rule
	// LookaheadStore keeps the alerts' memory and the notice log (nil: in
	// memory for this run).
	LookaheadStore LookaheadStore
	// Lookahead is the session's forecast for the payment reviews (the
	// root sets it).
	Lookahead Lookahead
	// ThemeMode is the user's --theme choice; Auto follows the terminal.
	ThemeMode theme.Mode
	// NoColor is set when NO_COLOR is present.
	NoColor bool
	// TokenEvents delivers the JWT source's events (nil when there is none).
	TokenEvents <-chan api.TokenEvent
	// Session is the offline cache, sync and login dialog of a signed-in
	// program (nil when there is none: tests, the demo without a profile).
	Session SessionController
	// Payments sends money and changes orders; nil means payments are not
	// available (New takes it from the bank when the bank can pay).
	Payments Payments
	// Demo says the bank is konto's sandbox: the TAN dialog shows its SMS.
	Demo bool
	// Layout arranges the panes of a wide terminal (the layout key switches it).
	Layout Layout
	// Pending are the payments of unknown outcome being checked (the root
	// sets it); PendingStore keeps them across restarts (nil: in memory);
	// PendingWindow shortens their check window (0: api.CheckWindow; the
	// demo's --check-window).
	Pending       PendingPayments
	PendingStore  PendingStore
	PendingWindow time.Duration

	// Rules are the profile's rules in force (nil: the built-in defaults;
	// RuleSet); WriteRule adds one to the config file (nil: there is none
	// to write to, the demo's rules last for the run). Labels keeps the
	// user's labels (nil: LabelStore chooses).
	Rules     *rules.Set
	WriteRule RuleWriter
	Labels    LabelStore
	// Privacy masks every amount, balance and IBAN on screen (the privacy
	// key switches it).
	Privacy bool
	// Open opens a link in the desktop's browser; nil where konto cannot
	// (over SSH), where the link is copied instead.
	Open func(url string) error
}

// New returns a Common with defaults for everything not given: Europe/Berlin
// (falling back to UTC), time.Now, dark styles and the default keys.
func New(ctx context.Context, bank BankReader) *Common {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC
	}
	c := &Common{
		Ctx:     ctx,
		Styles:  theme.New(true, false),
		Keys:    DefaultKeyMap(),
		Bank:    bank,
		Loc:     loc,
		Now:     time.Now,
		RealNow: time.Now,
	}
	c.Payments, _ = bank.(Payments) // *api.Client is both
	return c
}

// SetSize records the terminal size.
func (c *Common) SetSize(w, h int) { c.Width, c.Height = w, h }
