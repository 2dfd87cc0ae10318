package alerts_test

import (
	"encoding/json"
	"fmt"
	compact "konto/store/history"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"konto/api"
	"konto/store/alerts"
	"konto/store/forecast"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// now is the tests' clock: never the wall clock.
var now = time.Date(2026, 12, 3, 17, 42, 0, 0, berlin)

func tx(id int64, at time.Time, amount int64, name, iban string) api.Transaction {
	t := api.Transaction{ID: id, Amount: amount, BookingDate: api.TxTime{Time: at.UTC()}, Name: api.Ptr(name)}
	if iban != "" {
		t.IBAN = api.Ptr(iban)
	}
	return t
}

func account(balance int64, history ...api.Transaction) alerts.Input {
	return alerts.Input{Account: api.Account{ID: 4711, IBAN: "DE89370400440532013000", Balance: balance}, History: compact.Of(history)}
}

func texts(ev alerts.Events) string {
	var b strings.Builder
	for _, a := range ev.Alerts {
		fmt.Fprintln(&b, a.Text)
	}
	return b.String()
}

// roundTrip stores and loads the state as the cache does.
func roundTrip(t *testing.T, st alerts.State) alerts.State {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var out alerts.State
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBookingRules(t *testing.T) {
	rules := []alerts.Rule{
		{Kind: alerts.MoneyIn, Amount: 100000},
		{Kind: alerts.MoneyOut, Amount: 50000, Name: "big"},
		{Kind: alerts.Counterparty, Match: "finanzamt"},
		{Kind: alerts.Counterparty, Match: "DE12 1203 0000 1020 3040 50"},
		{Kind: alerts.MoneyIn, Amount: 0, Match: "ACME", Account: "4712"}, // another account: never
	}
	old := tx(1, now.Add(-48*time.Hour), 500000, "ACME GmbH", "")
	var st alerts.State
	// The first run: the history is old, nothing is announced.
	if ev := alerts.Evaluate(rules, &st, []alerts.Input{account(100, old)}, now, berlin); len(ev.Bookings)+len(ev.Alerts) != 0 {
		t.Fatalf("first run announced %+v", ev)
	}
	st = roundTrip(t, st)
	history := []api.Transaction{old,
		tx(4, now.Add(3*time.Minute), -95000, "Hausverwaltung", "DE12120300001020304050"),
		tx(2, now.Add(time.Minute), 100001, "ACME GmbH", ""),
		tx(3, now.Add(2*time.Minute), -280000, "FINANZAMT Lindenberg", ""),
		tx(5, now.Add(4*time.Minute), 100000, "Exactly the limit", ""),
	}
	later := now.Add(time.Hour)
	ev := alerts.Evaluate(rules, &st, []alerts.Input{account(100, history...)}, later, berlin)
	want := "money in: +1.000,01 € from ACME GmbH on 03.12.\n" +
		"big: money out: −2.800,00 € to FINANZAMT Lindenberg on 03.12.\n" +
		"−2.800,00 € to FINANZAMT Lindenberg on 03.12.\n" +
		"big: money out: −950,00 € to Hausverwaltung on 03.12.\n" +
		"−950,00 € to Hausverwaltung on 03.12.\n"
	if got := texts(ev); got != want {
		t.Errorf("alerts\n%s\nwant\n%s", got, want)
	}
	if len(ev.Bookings) != 4 || ev.Bookings[0].Transaction.ID != 2 || ev.Bookings[3].Transaction.ID != 5 {
		t.Errorf("bookings %+v", ev.Bookings)
	}
	for _, a := range ev.Alerts {
		if a.Transaction == nil || a.At != later || a.Account != 4711 {
			t.Errorf("alert %+v", a)
		}
	}
	// Once: the next sync announces nothing again, also after a restart.
	st = roundTrip(t, st)
	if ev := alerts.Evaluate(rules, &st, []alerts.Input{account(100, history...)}, later.Add(time.Hour), berlin); len(ev.Bookings)+len(ev.Alerts) != 0 {
		t.Errorf("announced twice: %+v", ev)
	}
}

// Bookings that arrived while konto was closed are announced at the next
// start, once, even weeks later; one the bank dates back before the
// memory is old history.
func TestWhileClosed(t *testing.T) {
	rules := []alerts.Rule{{Kind: alerts.MoneyIn}}
	var st alerts.State
	alerts.Evaluate(rules, &st, []alerts.Input{account(0, tx(1, now.Add(-time.Hour), 100, "A", ""))}, now, berlin)
	st = roundTrip(t, st)
	restart := now.Add(20 * 24 * time.Hour)
	history := []api.Transaction{tx(1, now.Add(-time.Hour), 100, "A", ""),
		tx(2, now.Add(5*24*time.Hour), 200, "B", ""),
		tx(3, now.Add(-40*24*time.Hour), 300, "dated back", "")}
	ev := alerts.Evaluate(rules, &st, []alerts.Input{account(0, history...)}, restart, berlin)
	if got := texts(ev); got != "money in: +2,00 € from B on 08.12.\n" {
		t.Errorf("%q", got)
	}
	if ev := alerts.Evaluate(rules, &st, []alerts.Input{account(0, history...)}, restart.Add(time.Minute), berlin); len(ev.Alerts) != 0 {
		t.Errorf("again: %q", texts(ev))
	}
	if len(st.Accounts[4711].Seen) != 2 {
		t.Errorf("seen %v: only what is within the memory", st.Accounts[4711].Seen)
	}
}

func TestBalanceAndForecastBelow(t *testing.T) {
	rules := []alerts.Rule{{Kind: alerts.BalanceBelow, Amount: 50000}, {Kind: alerts.ForecastBelow, Amount: 0, Days: 10}}
	today := forecast.DateOf(now, berlin)
	proj := func(lowDay int, low int64) *forecast.Projection {
		p := &forecast.Projection{From: today}
		for d := 1; d <= 30; d++ {
			b := int64(100000)
			if d == lowDay {
				b = low
			}
			p.Days = append(p.Days, forecast.DayBalance{Date: today + forecast.Date(d), Balance: b})
		}
		return p
	}
	var st alerts.State
	step := func(balance int64, p *forecast.Projection) string {
		in := account(balance)
		in.Forecast = p
		st = roundTrip(t, st)
		return texts(alerts.Evaluate(rules, &st, []alerts.Input{in}, now, berlin))
	}
	// Already below at the first run: said once.
	if got := step(40000, proj(5, 1000)); got != "balance 400,00 €, below 500,00 €\n" {
		t.Errorf("first: %q", got)
	}
	if got := step(30000, proj(5, 1000)); got != "" {
		t.Errorf("still below: %q", got)
	}
	if got := step(60000, proj(20, -5000)); got != "" { // the low is outside the 10 days
		t.Errorf("recovered: %q", got)
	}
	if got := step(49999, proj(10, -1)); got != "balance 499,99 €, below 500,00 €\nforecast lowest −0,01 € on 13.12.2026, below 0,00 € within 10 days\n" {
		t.Errorf("below again: %q", got)
	}
	if got := step(49999, nil); got != "" {
		t.Errorf("no forecast: %q", got)
	}
}

func TestOrderExecuted(t *testing.T) {
	rules := []alerts.Rule{{Kind: alerts.OrderExecuted, Bell: true, Desktop: alerts.DesktopOSC777}}
	e2e := "E-cfd44d99"
	standing := []api.StandingOrder{{ID: 1, Status: api.StatusActive, Name: "Hausverwaltung", IBAN: "DE12120300001020304050", Amount: 95000, E2EID: &e2e}}
	timed := []api.TimedOrderListItem{{ID: "t1", RecipientName: "Steuer", RecipientIBAN: "DE97200400600123456789", Amount: -89250, Status: "scheduled"}}
	var st alerts.State
	in := account(0)
	in.StandingOrders, in.TimedOrders = standing, timed
	alerts.Evaluate(rules, &st, []alerts.Input{in}, now, berlin)

	rent := tx(10, now.Add(time.Hour), -95000, "Hausverwaltung", "DE12120300001020304050")
	rent.E2EID = &e2e
	otherRent := tx(11, now.Add(time.Hour), -95000, "Hausverwaltung", "DE12120300001020304050") // a transfer by hand: another e2eId
	otherRent.E2EID = api.Ptr("E-by-hand")
	tax := tx(12, now.Add(2*time.Hour), -89250, "Steuer", "DE97200400600123456789")
	in.History = compact.Of([]api.Transaction{rent, otherRent, tax})
	ev := alerts.Evaluate(rules, &st, []alerts.Input{in}, now.Add(3*time.Hour), berlin)
	want := "standing order executed: −950,00 € to Hausverwaltung on 03.12.\ntimed order executed: −892,50 € to Steuer on 03.12.\n"
	if got := texts(ev); got != want {
		t.Errorf("%q", got)
	}
	if len(ev.Alerts) > 0 && (!ev.Alerts[0].Bell || ev.Alerts[0].Desktop != alerts.DesktopOSC777) {
		t.Errorf("%+v", ev.Alerts[0])
	}
}

func TestNoticeLogKeepsTheLast100(t *testing.T) {
	var l alerts.Log
	for i := range 130 {
		l.Add(alerts.Notice{At: now.Add(time.Duration(i) * time.Minute), Account: 4711, Text: fmt.Sprint(i)})
	}
	if len(l.Notices) != alerts.KeepNotices || l.Notices[0].Text != "30" || l.Notices[99].Text != "129" {
		t.Errorf("%d notices, first %q", len(l.Notices), l.Notices[0].Text)
	}
}

func TestNotifications(t *testing.T) {
	hostile := "ACME\x1b]777;notify;pwned;x\a GmbH\x1b[31m;\u202e\x07\x9b2J\u009b3K\nok"
	if got, want := alerts.OSC9("money in: "+hostile), "\x1b]9;money in: ACME GmbH; ok\a"; got != want {
		t.Errorf("OSC9 %q, want %q", got, want)
	}
	if got, want := alerts.OSC777("konto; "+hostile, hostile), "\x1b]777;notify;konto, ACME GmbH, ok;ACME GmbH; ok\a"; got != want {
		t.Errorf("OSC777 %q, want %q", got, want)
	}
	if got := alerts.OSC9("9;4;1 progress"); got != "\x1b]9;konto: 9;4;1 progress\a" {
		t.Errorf("%q", got)
	}
	if got := alerts.Desktop(alerts.DesktopBoth, "konto", "x"); got != "\x1b]9;konto: x\a\x1b]777;notify;konto;x\a" {
		t.Errorf("%q", got)
	}
	if alerts.Desktop("", "a", "b") != "" || alerts.Bell != "\a" {
		t.Error("none")
	}
	if n := len([]rune(alerts.NotifyText(strings.Repeat("é", 1000)))); n != 200 {
		t.Errorf("%d runes", n)
	}
}
