package common

import (
	"time"

	"konto/store/alerts"
	"konto/store/forecast"
)

// Lookahead answers a payment review's two questions from the session's
// forecast (ui/lookahead keeps it up to date; nil: the review asks nothing).
type Lookahead interface {
	// LowestWith is the paying account's lowest balance in the forecast
	// window with pay added; false while the forecast is not known.
	LowestWith(pay forecast.Payment) (forecast.DayBalance, bool)
	// Resembles lists what pay resembles (the guard against paying twice),
	// most relevant first.
	Resembles(pay forecast.Payment) []forecast.Resemblance
}

// LookaheadStore is the part of the offline cache that remembers what was
// announced, the notice log and the forecast items switched off;
// *store.Cache satisfies it. Only ever called inside a tea.Cmd.
type LookaheadStore interface {
	LoadAlertState() (alerts.State, error)
	SaveAlertState(alerts.State) error
	LoadNotices() (alerts.Log, error)
	SaveNotices(alerts.Log) error
	LoadForecastOff() (map[string]bool, error)
}

// DefaultPaymentsIdle is how long payments stay switched on without a key
// pressed when the config does not say.
const DefaultPaymentsIdle = 10 * time.Minute
