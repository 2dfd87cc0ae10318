package forecast_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"konto/api"
	"konto/store/forecast"
)

// bigHistory is n bookings over two years, newest first, as a sync returns
// them: shops and clients at random (2,000 counterparties), and 40 monthly
// and 10 weekly series among them.
func bigHistory(n int) []api.Transaction {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]api.Transaction, 0, n)
	id := int64(1)
	add := func(at time.Time, amount int64, name, iban string) {
		tx := api.Transaction{ID: id, Amount: amount, BookingDate: api.TxTime{Time: at}, Name: api.Ptr(name)}
		if iban != "" {
			tx.IBAN = api.Ptr(iban)
		}
		out = append(out, tx)
		id++
	}
	for s := range 40 {
		for m := range 24 {
			add(time.Date(2025, time.Month(1+m), 1+s%28, 9, 0, 0, 0, time.UTC), -int64(1000+s*137), fmt.Sprintf("Abo Nummer %d GmbH", s), "")
		}
	}
	for s := range 10 {
		for w := range 104 {
			add(start.AddDate(0, 0, 7*w+s%7), -int64(1500+s*10), fmt.Sprintf("Wochenmarkt %d", s), "")
		}
	}
	names := make([]string, 2000)
	for i := range names {
		names[i] = fmt.Sprintf("Händler Ö%d; Berlin; DE", i)
	}
	for len(out) < n {
		at := start.Add(time.Duration(rng.Int64N(int64(730 * 24 * time.Hour))))
		amount := -(100 + rng.Int64N(20000))
		if rng.IntN(10) == 0 {
			amount = -amount
		}
		add(at, amount, names[rng.IntN(len(names))], "")
	}
	slices.SortFunc(out, func(a, b api.Transaction) int { return b.BookingDate.Compare(a.BookingDate.Time) })
	return out
}

func bigForecastInputs(b *testing.B) ([]forecast.Account, forecast.Date) {
	b.Helper()
	standing := []api.StandingOrder{monthly(1, "Hausverwaltung", landlordIBAN, 95000, wireDay(2027, 1, 1))}
	timed := []api.TimedOrderListItem{timedOrder("t", "Steuer", otherIBAN, 50000, time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC))}
	return []forecast.Account{mainAccount(10_000_000, standing, timed, bigHistory(100_000))}, day(2026, 12, 20)
}

// Detection over 100k bookings: everything New does.
func BenchmarkNew100k(b *testing.B) {
	accounts, today := bigForecastInputs(b)
	b.ResetTimer()
	var series int
	for b.Loop() {
		f := forecast.New(accounts, today, berlin)
		series = len(f.Project(forecast.Options{Days: 1}).Total.Items)
	}
	_ = series
}

func BenchmarkProject90(b *testing.B) {
	accounts, today := bigForecastInputs(b)
	f := forecast.New(accounts, today, berlin)
	b.ResetTimer()
	for b.Loop() {
		f.Project(forecast.Options{Days: 90})
	}
}

func BenchmarkLowestWith(b *testing.B) {
	accounts, today := bigForecastInputs(b)
	f := forecast.New(accounts, today, berlin)
	pay := forecast.TransferPayment(4711, api.TransferRequest{Recipient: "X", IBAN: otherIBAN, Amount: 15000})
	b.ResetTimer()
	for b.Loop() {
		f.LowestWith(pay, forecast.Options{Days: 90})
	}
}

func BenchmarkResemblances100k(b *testing.B) {
	accounts, today := bigForecastInputs(b)
	a := accounts[0]
	pay := forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Abo Nummer 3 GmbH", IBAN: otherIBAN, Amount: 1411})
	b.ResetTimer()
	for b.Loop() {
		forecast.Resemblances(pay, a.History, a.StandingOrders, a.TimedOrders, today, berlin)
	}
}

// The synthetic history holds its series: the benchmark measures real work.
func TestBigHistorySeries(t *testing.T) {
	p := forecast.New([]forecast.Account{mainAccount(0, nil, nil, bigHistory(100_000))}, day(2026, 12, 20), berlin).Project(forecast.Options{Days: 31})
	keys := map[string]bool{}
	for _, it := range p.Total.Items {
		keys[it.ID] = true
	}
	if len(keys) < 45 {
		t.Errorf("%d series found, want the 50 planted (a few random ones may add)", len(keys))
	}
}
