package forecast_test

import (
	compact "konto/store/history"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"konto/api"
	"konto/store/forecast"
)

// Each standing order's days in the window, as the bank will book them.
func TestStandingOrderDays(t *testing.T) {
	quarterly := func(next *api.OrderTime) api.StandingOrder {
		o := monthly(7, "Bausparkasse", otherIBAN, 30000, next)
		o.Reoccurrence = api.Quarterly
		return o
	}
	every := func(reoccurrence string, next *api.OrderTime) api.StandingOrder {
		o := monthly(8, "Versicherung", otherIBAN, 12000, next)
		o.Reoccurrence = reoccurrence
		return o
	}
	withLast := func(o api.StandingOrder, last time.Time) api.StandingOrder {
		o.LastExecutionDate = &api.OrderTime{Time: last}
		return o
	}
	cancelled := monthly(9, "Coworking", otherIBAN, 18000, wireDay(2027, 4, 25))
	cancelled.Status = api.StatusCanceled
	tests := []struct {
		name    string
		today   forecast.Date
		days    int
		order   api.StandingOrder
		history []api.Transaction
		want    []string
	}{
		{"31st in 30-day months", day(2027, 3, 20), 120, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 3, 31)),
			nil, []string{"2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"}},
		{"31st in February", day(2027, 1, 10), 80, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 1, 31)),
			nil, []string{"2027-01-31", "2027-02-28", "2027-03-31"}},
		{"31st on 29.02.2028", day(2028, 1, 15), 110, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2028, 1, 31)),
			nil, []string{"2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"}},
		{"30th in February and back", day(2028, 1, 15), 80, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2028, 1, 30)),
			nil, []string{"2028-01-30", "2028-02-29", "2028-03-30"}},
		{"next on the 30th of an order on the 31st, told by its bookings", day(2027, 4, 20), 75,
			monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 4, 30)),
			[]api.Transaction{withE2E(booking(1, time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), -95000, "Miete", landlordIBAN), "E-order-1")},
			[]string{"2027-04-30", "2027-05-31", "2027-06-30"}},
		{"next on the 30th, no bookings: the 30th", day(2027, 4, 20), 75,
			monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 4, 30)),
			nil, []string{"2027-04-30", "2027-05-30", "2027-06-30"}},
		{"quarterly across a year", day(2027, 11, 20), 220, quarterly(wireDay(2027, 12, 15)),
			nil, []string{"2027-12-15", "2028-03-15", "2028-06-15"}},
		{"every six months onto 29.02.", day(2027, 8, 1), 365, every(api.EverySixMonths, wireDay(2027, 8, 31)),
			nil, []string{"2027-08-31", "2028-02-29"}},
		{"yearly from 29.02.", day(2028, 2, 1), 400, every(api.Annually, wireDay(2028, 2, 29)),
			nil, []string{"2028-02-29", "2029-02-28"}},
		{"last execution inside the window", day(2027, 1, 5), 90,
			withLast(monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 1, 10)), noonBerlin(2027, 2, 10)),
			nil, []string{"2027-01-10", "2027-02-10"}},
		{"last execution as the bank writes it", day(2027, 1, 5), 90,
			withLast(monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 1, 10)), time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC)),
			nil, []string{"2027-01-10", "2027-02-10"}},
		// The bank compares instants: midnight in Berlin is still the 9th in UTC.
		{"last execution at Berlin midnight", day(2027, 1, 5), 90,
			withLast(monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 1, 10)), time.Date(2027, 2, 10, 0, 0, 0, 0, berlin)),
			nil, []string{"2027-01-10"}},
		{"cancelled is ignored", day(2027, 4, 1), 90, cancelled, nil, []string{}},
		{"first execution in the future", day(2027, 1, 5), 90, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 3, 1)),
			nil, []string{"2027-03-01", "2027-04-01"}},
		{"due today, not yet booked", day(2027, 1, 5), 40, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 1, 5)),
			nil, []string{"2027-01-05", "2027-02-05"}},
		{"next beyond the window", day(2027, 1, 5), 30, monthly(1, "Miete", landlordIBAN, 95000, wireDay(2027, 2, 5)),
			nil, []string{}},
		{"unknown reoccurrence: only the next one", day(2027, 1, 5), 90, every("WEEKLY", wireDay(2027, 1, 20)),
			nil, []string{"2027-01-20"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := forecast.New([]forecast.Account{mainAccount(500000, []api.StandingOrder{tt.order}, nil, tt.history)}, tt.today, berlin)
			p := f.Project(forecast.Options{Days: tt.days}).Accounts[0]
			if got := dates(p.Items); !slices.Equal(got, tt.want) {
				t.Errorf("days %v, want %v", got, tt.want)
			}
			for _, it := range p.Items {
				if it.Amount != -tt.order.Amount || it.Source != forecast.SourceStandingOrder || it.ID != "standing:"+itoa(tt.order.ID) {
					t.Errorf("item %+v", it)
				}
			}
		})
	}
}

func withE2E(tx api.Transaction, e2e string) api.Transaction {
	tx.E2EID = api.Ptr(e2e)
	return tx
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestTimedOrderDays(t *testing.T) {
	today := day(2027, 3, 1)
	timed := []api.TimedOrderListItem{
		timedOrder("in", "Steuerberatung", otherIBAN, 89250, time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)),
		timedOrder("late-utc", "Druckerei", otherIBAN, 5000, time.Date(2027, 3, 20, 23, 30, 0, 0, time.UTC)), // 00:30 on the 21st in Berlin
		timedOrder("outside", "Später", otherIBAN, 7000, time.Date(2027, 8, 1, 12, 0, 0, 0, time.UTC)),
		timedOrder("today", "Heute", otherIBAN, 100, time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)),
		timedOrder("past", "Gestern", otherIBAN, 100, time.Date(2027, 2, 28, 12, 0, 0, 0, time.UTC)),
	}
	p := forecast.New([]forecast.Account{mainAccount(100000, nil, timed, nil)}, today, berlin).Project(forecast.Options{Days: 90}).Accounts[0]
	want := "2027-03-01 -100 timed:today\n2027-03-10 -89250 timed:in\n2027-03-21 -5000 timed:late-utc\n"
	if got := itemLines(p.Items); got != want {
		t.Errorf("items\n%s\nwant\n%s", got, want)
	}
	// The one due today counts from tomorrow on.
	if got := p.Days[0].Balance; got != 100000-100 {
		t.Errorf("tomorrow's balance %d, want %d", got, 100000-100)
	}
}

func TestDaysAndLowest(t *testing.T) {
	today := day(2026, 12, 3)
	standing := []api.StandingOrder{monthly(1, "Hausverwaltung", landlordIBAN, 95000, wireDay(2027, 1, 1))}
	timed := []api.TimedOrderListItem{timedOrder("t", "Steuer", otherIBAN, 50000, time.Date(2026, 12, 15, 12, 0, 0, 0, time.UTC))}
	f := forecast.New([]forecast.Account{mainAccount(100000, standing, timed, nil)}, today, berlin)
	p := f.Project(forecast.Options{})
	a := p.Accounts[0]
	if len(a.Days) != forecast.DefaultDays || a.Days[0].Date != today+1 || a.Days[89].Date != today+90 {
		t.Fatalf("days %d from %s to %s", len(a.Days), a.Days[0].Date, a.Days[len(a.Days)-1].Date)
	}
	if a.From != today || a.Balance != 100000 {
		t.Errorf("from %s, balance %d", a.From, a.Balance)
	}
	// 1000,00 − 500,00 on 15.12. − 950,00 on 01.01., 01.02. and 01.03.: overdrawn.
	for _, c := range []struct {
		d    forecast.Date
		want int64
	}{{day(2026, 12, 14), 100000}, {day(2026, 12, 15), 50000}, {day(2026, 12, 31), 50000}, {day(2027, 1, 1), -45000}, {day(2027, 2, 1), -140000}, {day(2027, 3, 1), -235000}, {today + 90, -235000}} {
		if got := balanceOn(t, a, c.d); got != c.want {
			t.Errorf("%s: %d, want %d", c.d, got, c.want)
		}
	}
	if a.Lowest != (forecast.DayBalance{Date: day(2027, 3, 1), Balance: -235000}) {
		t.Errorf("lowest %+v, want the earliest of the equal lows, 01.03.2027 at −2.350,00", a.Lowest)
	}
	if p.Total.Lowest != a.Lowest || len(p.Total.Days) != 90 {
		t.Errorf("total lowest %+v", p.Total.Lowest)
	}

	// Switched off: the timed order no longer counts, and is listed as off.
	off := f.Project(forecast.Options{Off: map[string]bool{"timed:t": true}}).Accounts[0]
	if got := balanceOn(t, off, day(2027, 2, 1)); got != -90000 {
		t.Errorf("with the timed order off: %d, want −90000", got)
	}
	if len(off.Off) != 1 || off.Off[0].ID != "timed:t" || len(off.Items) != 3 {
		t.Errorf("off %+v items %+v", off.Off, off.Items)
	}

	// Windows: 0 is the default, too long is capped.
	if n := len(f.Project(forecast.Options{Days: 7}).Accounts[0].Days); n != 7 {
		t.Errorf("7 days: %d entries", n)
	}
	if n := len(f.Project(forecast.Options{Days: 1 << 30}).Total.Days); n != forecast.MaxDays {
		t.Errorf("a huge window: %d entries, want %d", n, forecast.MaxDays)
	}
}

// Lowest with no item at all is tomorrow's balance, today's.
func TestLowestOfNothing(t *testing.T) {
	p := forecast.New([]forecast.Account{mainAccount(4200, nil, nil, nil)}, day(2026, 12, 3), berlin).Project(forecast.Options{Days: 3})
	if p.Total.Lowest != (forecast.DayBalance{Date: day(2026, 12, 4), Balance: 4200}) || len(p.Total.Items) != 0 {
		t.Errorf("%+v", p.Total)
	}
}

// A transfer between the user's own accounts moves money: each account
// shows it, the total does not change.
func TestOwnAccounts(t *testing.T) {
	today := day(2027, 1, 10)
	mainAcc := mainAccount(300000, []api.StandingOrder{
		monthly(3, "Aladdin Sommer", reserveIBAN, 120000, wireDay(2027, 2, 5)),
		monthly(4, "Hausverwaltung", landlordIBAN, 95000, wireDay(2027, 2, 1)),
	}, []api.TimedOrderListItem{timedOrder("t", "Aladdin Sommer", "de02 1203 0000 0000 2020 51", 5000, time.Date(2027, 1, 20, 12, 0, 0, 0, time.UTC))}, nil)
	reserve := forecast.Account{Account: api.Account{ID: 4712, IBAN: reserveIBAN, Balance: 1000000}}
	f := forecast.New([]forecast.Account{mainAcc, reserve}, today, berlin)
	p := f.Project(forecast.Options{Days: 45})
	m, r := p.Accounts[0], p.Accounts[1]
	if got, want := itemLines(m.Items), "2027-01-20 -5000 timed:t\n2027-02-01 -95000 standing:4\n2027-02-05 -120000 standing:3\n"; got != want {
		t.Errorf("main\n%s\nwant\n%s", got, want)
	}
	if got, want := itemLines(r.Items), "2027-01-20 5000 timed:t\n2027-02-05 120000 standing:3\n"; got != want {
		t.Errorf("reserve\n%s\nwant\n%s", got, want)
	}
	if len(r.Items) != 2 || len(m.Items) != 3 {
		t.Fatalf("main %d items, reserve %d", len(m.Items), len(r.Items))
	}
	if r.Items[1].Transfer != 4711 || m.Items[2].Transfer != 4712 || r.Items[1].Account != 4712 {
		t.Errorf("transfer sides %+v / %+v", r.Items[1], m.Items[2])
	}
	last := today + 45
	if got := balanceOn(t, r, last); got != 1000000+125000 {
		t.Errorf("reserve at the end %d", got)
	}
	if got := balanceOn(t, p.Total, last); got != 1300000-95000 {
		t.Errorf("total at the end %d, want only the rent gone", got)
	}
	if r, ok := p.Account(4712); !ok || r.Account != 4712 {
		t.Errorf("Result.Account(4712) = %v", ok)
	}
	// Switching the order off takes both sides.
	off := f.Project(forecast.Options{Days: 45, Off: map[string]bool{"standing:3": true}})
	if got := balanceOn(t, off.Accounts[1], last); got != 1005000 {
		t.Errorf("reserve with the order off %d", got)
	}
}

// Items say where they come from.
func TestOrigin(t *testing.T) {
	for _, c := range []struct {
		it   forecast.Item
		want string
	}{
		{forecast.Item{Source: forecast.SourceStandingOrder, Interval: "monthly"}, "standing order"},
		{forecast.Item{Source: forecast.SourceTimedOrder}, "timed order"},
		{forecast.Item{Source: forecast.SourceRecurring, Interval: "monthly", Since: day(2026, 3, 7)}, "detected monthly since 03/2026"},
	} {
		if got := c.it.Origin(); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}

// The review's lowest point with the payment under review added.
func TestLowestWith(t *testing.T) {
	today := day(2026, 12, 3)
	standing := []api.StandingOrder{monthly(1, "Hausverwaltung", landlordIBAN, 95000, wireDay(2027, 1, 1))}
	f := forecast.New([]forecast.Account{mainAccount(200000, standing, nil, nil)}, today, berlin)
	tests := []struct {
		name string
		pay  forecast.Payment
		want forecast.DayBalance
	}{
		{"transfer today", forecast.TransferPayment(4711, api.TransferRequest{Recipient: "X", IBAN: otherIBAN, Amount: 15000}),
			forecast.DayBalance{Date: day(2027, 3, 1), Balance: 200000 - 15000 - 3*95000}},
		{"timed order", forecast.TimedPayment(4711, api.TimedOrderRequest{Recipient: "X", IBAN: otherIBAN, Amount: 10000, Date: api.ZTime{Time: noonBerlin(2027, 2, 15)}}),
			forecast.DayBalance{Date: day(2027, 3, 1), Balance: 200000 - 10000 - 3*95000}},
		{"new standing order", forecast.StandingPayment(4711, api.StandingOrderRequest{Recipient: "X", IBAN: otherIBAN, Amount: 2000,
			Reoccurrence: api.Monthly, FirstExecutionDate: api.ZTime{Time: noonBerlin(2026, 12, 31)}}),
			forecast.DayBalance{Date: day(2027, 3, 1), Balance: 200000 - 3*2000 - 3*95000}},
		{"new standing order ending", forecast.StandingPayment(4711, api.StandingOrderRequest{Recipient: "X", IBAN: otherIBAN, Amount: 2000,
			Reoccurrence: api.Monthly, FirstExecutionDate: api.ZTime{Time: noonBerlin(2026, 12, 31)}, LastExecutionDate: &api.ZTime{Time: noonBerlin(2027, 1, 31)}}),
			forecast.DayBalance{Date: day(2027, 3, 1), Balance: 200000 - 2*2000 - 3*95000}},
		// A timed order beyond the window stretches it to the payment's day.
		{"timed order beyond the window", forecast.TimedPayment(4711, api.TimedOrderRequest{Recipient: "X", IBAN: otherIBAN, Amount: 10000, Date: api.ZTime{Time: noonBerlin(2027, 4, 10)}}),
			forecast.DayBalance{Date: day(2027, 4, 10), Balance: 200000 - 10000 - 4*95000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := f.LowestWith(tt.pay, forecast.Options{})
			if !ok || got != tt.want {
				t.Errorf("%+v %v, want %+v", got, ok, tt.want)
			}
		})
	}
	if _, ok := f.LowestWith(forecast.Payment{Account: 1, Amount: 1}, forecast.Options{}); ok {
		t.Error("an account not in the forecast")
	}
	low, _ := f.LowestWith(forecast.TransferPayment(4711, api.TransferRequest{Amount: 1000000}), forecast.Options{})
	if got, want := forecast.ReviewLine(low), "after this and your scheduled payments: lowest −10.850,00 € on 01.03.2027"; got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
}

func TestDate(t *testing.T) {
	d := day(2028, 2, 29)
	if d.String() != "2028-02-29" || d+1 != day(2028, 3, 1) || day(2027, 12, 31)+1 != day(2028, 1, 1) {
		t.Errorf("%s", d)
	}
	// 22:00 UTC on 6 August is 7 August in Berlin (the doc's example).
	if got := forecast.DateOf(time.Date(2018, 8, 6, 22, 0, 0, 0, time.UTC), berlin); got != day(2018, 8, 7) {
		t.Errorf("DateOf %s", got)
	}
	var back forecast.Date
	if err := back.UnmarshalJSON([]byte(`"2028-02-29"`)); err != nil || back != d {
		t.Errorf("%s %v", back, err)
	}
	if err := back.UnmarshalJSON([]byte(`20280229`)); err == nil {
		t.Error("a number is no date")
	}
	if got := d.Time(berlin); !got.Equal(time.Date(2028, 2, 29, 0, 0, 0, 0, berlin)) {
		t.Errorf("Time %s", got)
	}
	if got := day(1969, 12, 31); got != -1 {
		t.Errorf("before 1970: %d", got)
	}
}

// What a broken or lying bank may list costs no time and no panic: a next
// occurrence in year 1, amounts at the ends of int64, empty dates.
func TestHostileInputs(t *testing.T) {
	today := day(2026, 12, 3)
	ancient := monthly(1, "Alt", otherIBAN, 100, &api.OrderTime{Time: time.Date(1, 1, 31, 0, 0, 0, 0, time.UTC)})
	huge := monthly(2, "Groß", otherIBAN, math.MaxInt64, wireDay(2026, 12, 10))
	none := monthly(3, "Nichts", otherIBAN, 100, &api.OrderTime{})
	history := []api.Transaction{
		booking(1, at(2026, 11, 1, 9), math.MinInt64, "Min", otherIBAN),
		booking(2, at(2026, 11, 2, 9), math.MaxInt64, "Max", otherIBAN),
		{ID: 3, Amount: -100}, // no date, no name
	}
	timed := []api.TimedOrderListItem{{ID: "zero"}}
	f := forecast.New([]forecast.Account{mainAccount(0, []api.StandingOrder{ancient, huge, none}, timed, history)}, today, berlin)
	p := f.Project(forecast.Options{Days: 30}).Accounts[0]
	if got := dates(p.Items); !slices.Equal(got, []string{"2026-12-10", "2026-12-31"}) {
		t.Errorf("items %v", got)
	}
	for _, pay := range []forecast.Payment{
		forecast.TransferPayment(4711, api.TransferRequest{Recipient: "Max", IBAN: otherIBAN, Amount: math.MaxInt64}),
		forecast.StandingPayment(4711, api.StandingOrderRequest{Recipient: "Alt", IBAN: otherIBAN, Amount: 100, Reoccurrence: api.Monthly}),
	} {
		forecast.Resemblances(pay, compact.Of(history), []api.StandingOrder{ancient, huge, none}, timed, today, berlin)
		f.LowestWith(pay, forecast.Options{})
	}
}

// One Forecast serves several goroutines (an SSH session's list and review).
func TestConcurrentUse(t *testing.T) {
	standing := []api.StandingOrder{monthly(1, "Hausverwaltung", landlordIBAN, 95000, wireDay(2027, 1, 1))}
	history := series(100, 2026, 6, []int{7, 7, 7, 7, 7}, []int64{-1299}, "Abo", "")
	f := forecast.New([]forecast.Account{mainAccount(100000, standing, nil, history)}, day(2026, 12, 3), berlin)
	want := f.Project(forecast.Options{})
	done := make(chan forecast.Result)
	for range 4 {
		go func() {
			f.LowestWith(forecast.TransferPayment(4711, api.TransferRequest{Amount: 100}), forecast.Options{})
			done <- f.Project(forecast.Options{})
		}()
	}
	for range 4 {
		if got := <-done; itemLines(got.Total.Items) != itemLines(want.Total.Items) || got.Total.Lowest != want.Total.Lowest {
			t.Error("a concurrent projection differs")
		}
	}
}
