package forecast_test

import (
	"fmt"
	compact "konto/store/history"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests run in Europe/Berlin on any machine

	"konto/api"
	"konto/store/forecast"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

const (
	mainIBAN     = "DE89370400440532013000"
	reserveIBAN  = "DE02120300000000202051"
	landlordIBAN = "DE12120300001020304050"
	otherIBAN    = "DE75512108001245126199"
)

// day is a calendar day.
func day(y int, m time.Month, d int) forecast.Date { return forecast.NewDate(y, m, d) }

// wireDay is a day as the bank writes nextOccurrence: 00:00 UTC of it.
func wireDay(y int, m time.Month, d int) *api.OrderTime {
	return &api.OrderTime{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// noonBerlin is a day as the order forms send it (form.WireDay).
func noonBerlin(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, berlin).UTC()
}

func monthly(id int64, name, iban string, amount int64, next *api.OrderTime) api.StandingOrder {
	return api.StandingOrder{ID: id, Status: api.StatusActive, Name: name, IBAN: iban, Amount: amount,
		Reoccurrence: api.Monthly, NextOccurrence: next, E2EID: api.Ptr(fmt.Sprintf("E-order-%d", id))}
}

func timedOrder(id, name, iban string, amount int64, at time.Time) api.TimedOrderListItem {
	return api.TimedOrderListItem{ID: id, RecipientName: name, RecipientIBAN: iban, Date: api.ZTime{Time: at},
		Amount: -amount, Status: "scheduled", Type: "TIMED_ORDER"}
}

// booking is a history entry at an instant.
func booking(id int64, at time.Time, amount int64, name, iban string) api.Transaction {
	tx := api.Transaction{ID: id, Amount: amount, BookingDate: api.TxTime{Time: at.UTC()}}
	if name != "" {
		tx.Name = api.Ptr(name)
	}
	if iban != "" {
		tx.IBAN = api.Ptr(iban)
	}
	return tx
}

// at is an instant in Berlin.
func at(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, berlin)
}

// mainAccount is one account with a balance and the given orders.
func mainAccount(balance int64, standing []api.StandingOrder, timed []api.TimedOrderListItem, history []api.Transaction) forecast.Account {
	return forecast.Account{Account: api.Account{ID: 4711, IBAN: mainIBAN, Balance: balance},
		StandingOrders: standing, TimedOrders: timed, History: compact.Of(history)}
}

// itemDays lists the items of a projection as "date amount id".
func itemLines(items []forecast.Item) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s %d %s\n", it.Date, it.Amount, it.ID)
	}
	return b.String()
}

func dates(items []forecast.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Date.String())
	}
	return out
}

func balanceOn(t *testing.T, p forecast.Projection, d forecast.Date) int64 {
	t.Helper()
	for _, b := range p.Days {
		if b.Date == d {
			return b.Balance
		}
	}
	t.Fatalf("no day %s in the projection (%s … %s)", d, p.Days[0].Date, p.Days[len(p.Days)-1].Date)
	return 0
}
