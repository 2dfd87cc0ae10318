package reports

import (
	"slices"
	"time"

	"konto/api"
	"konto/store/forecast"
	"konto/store/history"
	"konto/store/period"
	"konto/store/report"
	"konto/store/rules"
)

// trendMonths is how many months the trend chart holds at most.
const trendMonths = 12

// figures are the sums the tab shows, computed when their inputs change
// and no sooner: a period step builds the report again, not the
// categories; switching a forecast item projects again, not the series.
type figures struct {
	sig []accountSig // the data the figures were built from
	// categorised is each account's bookings in the window with their
	// categories, as of the history, labels and window in its key.
	categorised map[int64]categorised
	labelsGen   int

	// The bookings in view (the shown account's or everyone's) within
	// the window the report and the trend chart sum, and their
	// categories: never the whole history, unless the period is open.
	txs     []api.Transaction
	results []rules.Result

	built  bool // rep and trend are of the period shown
	rep    report.Report
	trend  []report.Bucket
	anchor period.Date // the last day of the trend chart

	forecastOK bool // fc is of the data in sig
	fc         *forecast.Forecast
	projected  bool // proj is of fc and the switches
	proj       forecast.Projection
	hasProj    bool
	pending    int // accounts whose orders are still on their way
}

// accountSig tells one account's data apart from another version of it.
type accountSig struct {
	id, balance int64
	history     *history.History // a snapshot: another one is other data
	orders      int              // the orders' sequence number, -1 before they came
}

type categorised struct {
	history   *history.History
	labelsGen int
	window    period.Period
	txs       []api.Transaction
	results   []rules.Result
}

// invalidate makes the next refresh build everything from the data.
func (t *Tab) invalidate() { t.figures.sig = nil }

// signature is the data the figures depend on now.
func (t *Tab) signature() []accountSig {
	var sig []accountSig
	for _, a := range t.accounts() {
		s := accountSig{id: a.ID, balance: a.Balance, orders: -1}
		if h := t.history(a.ID); h.Len() > 0 {
			s.history = h
		}
		if o := t.orders[a.ID]; o != nil && o.loaded {
			s.orders = o.seq
		}
		sig = append(sig, s)
	}
	return sig
}

func (t *Tab) history(id int64) *history.History {
	if t.data.History == nil {
		return nil
	}
	return t.data.History(id)
}

func (t *Tab) ruleSet() *rules.Set {
	if t.data.Rules != nil {
		if s := t.data.Rules(); s != nil {
			return s
		}
	}
	if t.defaults == nil {
		t.defaults, _ = rules.New(nil, true) // the built-in rules compile
	}
	return t.defaults
}

// refresh brings the figures and the lines up to date with the data.
func (t *Tab) refresh() {
	f := &t.figures
	sig := t.signature()
	if f.sig == nil || !slices.Equal(sig, f.sig) {
		f.sig = sig
		f.built, f.forecastOK, f.projected = false, false, false
	}
	changed := false
	if !f.built {
		t.buildReport()
		changed = true
	}
	if !f.forecastOK {
		t.buildForecast()
		f.projected = false
	}
	if !f.projected {
		t.project()
		changed = true
	}
	if changed || t.lines == nil || t.linesPrivate != t.c.Privacy {
		t.buildLines()
	}
}

// rebuild draws the lines again (a new size, period or switch).
func (t *Tab) rebuild() {
	t.lines = nil
	t.refresh()
}

// inView reports whether account id is one the report sums.
func (t *Tab) inView(id int64) bool { return t.all || id == t.account }

// gather collects the bookings in view dated within window, with their
// categories, applying the rules only to what changed: the bookings of a
// history, labels or window not categorised before.
func (t *Tab) gather(window period.Period) {
	f := &t.figures
	if f.categorised == nil {
		f.categorised = map[int64]categorised{}
	}
	set := t.ruleSet()
	f.txs, f.results = nil, nil
	var parts [][]api.Transaction
	var partRes [][]rules.Result
	for _, a := range t.accounts() {
		if !t.inView(a.ID) {
			continue
		}
		h := t.history(a.ID)
		if h.Len() == 0 {
			continue
		}
		c, ok := f.categorised[a.ID]
		if !ok || c.history != h || c.labelsGen != f.labelsGen || c.window != window {
			txs := within(h, window, t.c.Loc)
			c = categorised{history: h, labelsGen: f.labelsGen, window: window, txs: txs, results: set.ApplyAll(txs, t.labels)}
			f.categorised[a.ID] = c
		}
		parts = append(parts, c.txs)
		partRes = append(partRes, c.results)
	}
	if len(parts) == 1 {
		f.txs, f.results = parts[0], partRes[0]
		return
	}
	for i := range parts {
		f.txs = append(f.txs, parts[i]...)
		f.results = append(f.results, partRes[i]...)
	}
}

// within is h's bookings dated in p (days in loc), newest first.
func within(h *history.History, p period.Period, loc *time.Location) []api.Transaction {
	var out []api.Transaction
	for i := range h.Len() {
		if p.Contains(period.DateOf(h.Booked(i), loc)) {
			out = append(out, h.At(i))
		}
	}
	return out
}

// buildReport sums the period and the months of the trend chart, from the
// bookings of both.
func (t *Tab) buildReport() {
	f := &t.figures
	f.anchor = t.period.To
	if today := t.today(); t.period.Contains(today) {
		f.anchor = today
	}
	trend := report.Trailing(f.anchor, trendMonths, period.Month)
	t.gather(period.Between(min(t.period.From, trend.From), max(t.period.To, trend.To)))
	f.rep = report.Build(f.txs, f.results, t.period, t.c.Loc)
	f.trend = report.Series(f.txs, trend, period.Month, t.c.Loc)
	f.built = true
}

// buildForecast digests every account's balance, orders and history.
func (t *Tab) buildForecast() {
	f := &t.figures
	f.pending = 0
	var in []forecast.Account
	for _, a := range t.accounts() {
		o := t.orders[a.ID]
		if o == nil || !o.loaded {
			f.pending++
		}
		fa := forecast.Account{Account: a, History: t.history(a.ID)}
		if o != nil {
			fa.StandingOrders, fa.TimedOrders = o.standing, o.timed
		}
		in = append(in, fa)
	}
	f.fc = nil
	if len(in) > 0 {
		f.fc = forecast.New(in, forecast.DateOf(t.c.Now(), t.c.Loc), t.c.Loc)
	}
	f.forecastOK = true
}

// project is the forecast of what is in view with the switches as set.
func (t *Tab) project() {
	f := &t.figures
	f.projected = true
	f.hasProj = false
	if f.fc == nil {
		return
	}
	res := f.fc.Project(forecast.Options{Days: ForecastDays, Off: t.off})
	if t.all {
		f.proj, f.hasProj = res.Total, true
		return
	}
	f.proj, f.hasProj = res.Account(t.account)
}
