// Package alerts tells the user what happened on the account: it finds the
// bookings that are new since the last look (also those that arrived while
// konto was closed, remembered in a State the cache keeps) and checks them,
// the balances and the forecast against the rules of the config's
// [[alerts]] tables. It is pure: a function of the rules, the state, the
// accounts' data and the time, with no clock, I/O or UI of its own, so the
// dashboard, the notice log and `konto watch` say the same.
//
// How the pieces above it use it, on every sync:
//
//	st, _ := cache.LoadAlertState()                 // zero State on the first run
//	ev := alerts.Evaluate(cfg.Alerts, &st, inputs, now, loc)
//	cache.SaveAlertState(st)
//	for _, a := range ev.Alerts { log.Add(a.Notice()); if a.Bell { w.Write(alerts.Bell) } … }
//
// Texts carry bank text as the bank sent it: sanitise before drawing, and
// send desktop notifications only through OSC9 and OSC777, which clean it.
package alerts

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"konto/api"
	"konto/api/sepa"
	"konto/store/forecast"
	"konto/store/history"
	"konto/store/textfold"
)

// Kind is what a rule watches; the words are those of the config.
type Kind string

const (
	MoneyIn       Kind = "money_in"       // a booking of money in above Amount
	MoneyOut      Kind = "money_out"      // a booking of money out above Amount
	Counterparty  Kind = "counterparty"   // a booking from or to Match
	BalanceBelow  Kind = "balance_below"  // the balance goes below Amount
	ForecastBelow Kind = "forecast_below" // the forecast goes below Amount within Days
	OrderExecuted Kind = "order_executed" // a standing or timed order was booked
)

// Kinds lists the kinds, as the config accepts them.
var Kinds = []Kind{MoneyIn, MoneyOut, Counterparty, BalanceBelow, ForecastBelow, OrderExecuted}

// Desktop notification protocols.
const (
	DesktopNone   = ""
	DesktopOSC9   = "osc9"
	DesktopOSC777 = "osc777"
	DesktopBoth   = "both"
)

// DefaultForecastDays is the window of a forecast_below rule without days.
const DefaultForecastDays = 14

// Rule is one [[alerts]] table.
type Rule struct {
	Name    string // the user's label, "" for none: the alert text starts with it
	Kind    Kind
	Amount  int64  // cents, not negative: money_in/out above it, balance/forecast below it
	Match   string // counterparty: part of the name (any case) or an IBAN; also narrows money_in/out
	Days    int    // forecast_below: the window from tomorrow
	Account string // an account id or IBAN; "" for every account
	Bell    bool
	Desktop string // DesktopNone, DesktopOSC9, DesktopOSC777 or DesktopBoth
	Line    int    // in the config file, for messages
}

// Input is one account as a sync leaves it.
type Input struct {
	Account api.Account      // with today's balance
	History *history.History // every booking known, any order
	// The orders as known before this sync and now: an executed timed
	// order leaves the bank's list with its booking.
	StandingOrders []api.StandingOrder
	TimedOrders    []api.TimedOrderListItem
	// Forecast is the account's projection (forecast.Result.Account), nil
	// when none was made: forecast_below rules then wait.
	Forecast *forecast.Projection
}

// Booking is a booking new since the last look.
type Booking struct {
	Account     int64
	Transaction api.Transaction
}

// Alert is a rule that fired.
type Alert struct {
	Rule    int // index into the rules
	Kind    Kind
	Account int64
	At      time.Time
	// Text is one sentence for the status line and the log: "money in:
	// +1.250,00 € from ACME GmbH on 03.12.". Bank text as sent.
	Text string
	// Transaction is the booking that fired it; nil for a balance or forecast.
	Transaction *api.Transaction
	Bell        bool
	Desktop     string
}

// Notice is the alert as the notice log keeps it.
func (a Alert) Notice() Notice { return Notice{At: a.At, Account: a.Account, Text: a.Text} }

// Events is what one evaluation found: the new bookings, oldest first, and
// the alerts, in the order of the bookings, then of the rules.
type Events struct {
	Bookings []Booking
	Alerts   []Alert
}

// Evaluate finds what is new in the inputs since the state was last
// updated, checks it against the rules and updates the state, so that
// nothing is announced twice. The first evaluation for an account announces
// no booking (all of its history is old then); a balance or forecast
// already below a limit is announced once.
func Evaluate(rules []Rule, st *State, in []Input, now time.Time, loc *time.Location) Events {
	if loc == nil {
		loc = time.UTC
	}
	st.init()
	var ev Events
	for _, a := range in {
		acc := st.account(a.Account.ID)
		fresh := acc.newBookings(a.History, now)
		for _, tx := range fresh {
			ev.Bookings = append(ev.Bookings, Booking{Account: a.Account.ID, Transaction: tx})
		}
		for i, r := range rules {
			if !r.applies(a.Account) {
				continue
			}
			alert := func(text string, tx *api.Transaction) {
				if r.Name != "" {
					text = r.Name + ": " + text
				}
				ev.Alerts = append(ev.Alerts, Alert{Rule: i, Kind: r.Kind, Account: a.Account.ID, At: now,
					Text: text, Transaction: tx, Bell: r.Bell, Desktop: r.Desktop})
			}
			switch r.Kind {
			case BalanceBelow:
				below := a.Account.Balance < r.Amount
				if acc.flip(conditionKey(i, r), below) {
					alert(fmt.Sprintf("balance %s, below %s", sepa.FormatEuro(a.Account.Balance), sepa.FormatEuro(r.Amount)), nil)
				}
			case ForecastBelow:
				if a.Forecast == nil {
					continue
				}
				low, found := lowestWithin(*a.Forecast, r.days())
				if acc.flip(conditionKey(i, r), found && low.Balance < r.Amount) {
					alert(fmt.Sprintf("forecast lowest %s on %s, below %s within %d days", sepa.FormatEuro(low.Balance),
						low.Date.Time(loc).Format("02.01.2006"), sepa.FormatEuro(r.Amount), r.days()), nil)
				}
			default:
				for k := range fresh {
					tx := &fresh[k]
					if text, ok := r.matchBooking(tx, a, loc); ok {
						alert(text, tx)
					}
				}
			}
		}
		acc.forget(a.History, now)
	}
	// Booking alerts in the order of their bookings; the others after them.
	order := map[int64]int{}
	for i, b := range ev.Bookings {
		order[b.Transaction.ID] = i
	}
	slices.SortStableFunc(ev.Alerts, func(x, y Alert) int {
		return cmp.Compare(alertRank(x, order, len(ev.Bookings)), alertRank(y, order, len(ev.Bookings)))
	})
	return ev
}

func alertRank(a Alert, order map[int64]int, n int) int {
	if a.Transaction == nil {
		return n
	}
	return order[a.Transaction.ID]
}

func conditionKey(i int, r Rule) string {
	return fmt.Sprintf("%d:%s:%d:%d", i, r.Kind, r.Amount, r.days())
}

func (r Rule) days() int {
	if r.Days <= 0 {
		return DefaultForecastDays
	}
	return r.Days
}

// applies reports whether the rule watches the account.
func (r Rule) applies(a api.Account) bool {
	want := strings.TrimSpace(r.Account)
	if want == "" {
		return true
	}
	return want == fmt.Sprint(a.ID) || sepa.NormalizeIBAN(want) == sepa.NormalizeIBAN(a.IBAN)
}

// matchBooking checks a new booking against a booking rule.
func (r Rule) matchBooking(tx *api.Transaction, a Input, loc *time.Location) (string, bool) {
	day := tx.BookingDate.In(loc).Format("02.01.")
	who := counterparty(tx)
	switch r.Kind {
	case MoneyIn:
		if tx.Amount > r.Amount && r.matches(tx) {
			return fmt.Sprintf("money in: %s from %s on %s", signedEuro(tx.Amount), who, day), true
		}
	case MoneyOut:
		if tx.Amount < 0 && -tx.Amount > r.Amount && r.matches(tx) {
			return fmt.Sprintf("money out: %s to %s on %s", signedEuro(tx.Amount), who, day), true
		}
	case Counterparty:
		if r.Match != "" && r.matches(tx) {
			dir := "from"
			if tx.Amount < 0 {
				dir = "to"
			}
			return fmt.Sprintf("%s %s %s on %s", signedEuro(tx.Amount), dir, who, day), true
		}
	case OrderExecuted:
		if what, ok := executedOrder(tx, a); ok {
			return fmt.Sprintf("%s executed: %s to %s on %s", what, signedEuro(tx.Amount), who, day), true
		}
	}
	return "", false
}

// matches is the rule's counterparty condition: none, part of the name in
// any case, or the IBAN.
func (r Rule) matches(tx *api.Transaction) bool {
	m := strings.TrimSpace(r.Match)
	if m == "" {
		return true
	}
	if iban := sepa.NormalizeIBAN(m); tx.IBAN != nil && len(iban) >= 15 && iban == sepa.NormalizeIBAN(*tx.IBAN) {
		return true
	}
	// Folded as the filter line folds: "muller" finds "MÜLLER GmbH".
	return tx.Name != nil && strings.Contains(textfold.Fold(*tx.Name), textfold.Fold(m))
}

func signedEuro(cents int64) string { return sepa.FormatSigned(cents) + " €" }

func counterparty(tx *api.Transaction) string {
	switch {
	case tx.Name != nil && strings.TrimSpace(*tx.Name) != "":
		return strings.TrimSpace(*tx.Name)
	case tx.IBAN != nil && *tx.IBAN != "":
		return *tx.IBAN
	}
	return "unknown"
}

// executedOrder tells which order an outgoing booking executed: the bank
// books an order with its e2eId; without one, the IBAN and amount of an
// active standing order or a timed order tell.
func executedOrder(tx *api.Transaction, a Input) (string, bool) {
	if tx.Amount >= 0 {
		return "", false
	}
	e2e := ""
	if tx.E2EID != nil {
		e2e = *tx.E2EID
	}
	iban := ""
	if tx.IBAN != nil {
		iban = sepa.NormalizeIBAN(*tx.IBAN)
	}
	for _, o := range a.StandingOrders {
		if o.E2EID != nil && *o.E2EID != "" && e2e != "" {
			if *o.E2EID == e2e {
				return "standing order", true
			}
			continue
		}
		if strings.EqualFold(o.Status, api.StatusActive) && iban != "" && sepa.NormalizeIBAN(o.IBAN) == iban && o.Amount == -tx.Amount {
			return "standing order", true
		}
	}
	for _, o := range a.TimedOrders {
		if o.E2EID != nil && *o.E2EID != "" && e2e != "" {
			if *o.E2EID == e2e {
				return "timed order", true
			}
			continue
		}
		amount := o.Amount
		if amount > 0 {
			amount = -amount
		}
		if iban != "" && sepa.NormalizeIBAN(o.RecipientIBAN) == iban && amount == tx.Amount {
			return "timed order", true
		}
	}
	return "", false
}

// lowestWithin is the lowest end-of-day balance of the first days of a
// projection.
func lowestWithin(p forecast.Projection, days int) (forecast.DayBalance, bool) {
	if len(p.Days) == 0 {
		return forecast.DayBalance{}, false
	}
	low := p.Days[0]
	for _, d := range p.Days[1:min(days, len(p.Days))] {
		if d.Balance < low.Balance {
			low = d
		}
	}
	return low, true
}
