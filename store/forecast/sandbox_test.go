package forecast_test

import (
	"context"
	"fmt"
	compact "konto/store/history"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store/forecast"
)

// The forecast must predict what the bank will do. These tests build orders
// in a sandbox bank, forecast from what the bank lists, run the bank's clock
// over the window and compare day by day.

type testBank struct {
	bank   *sandbox.Bank
	client *api.Client
}

func newSandbox(t *testing.T, start time.Time) *testBank {
	t.Helper()
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return start }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	c, err := api.New(srv.URL, apitest.BasicAuth(sandbox.DefaultLogin, sandbox.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	return &testBank{bank: bank, client: c}
}

func (b *testBank) tan(t *testing.T) string {
	t.Helper()
	out := b.bank.Outbox()
	if len(out) == 0 {
		t.Fatal("no SMS")
	}
	return out[len(out)-1].TAN
}

func (b *testBank) standing(t *testing.T, account int64, req api.StandingOrderRequest) api.StandingOrder {
	t.Helper()
	ctx := context.Background()
	p, err := b.client.CreateStandingOrder(ctx, account, req)
	if err != nil {
		t.Fatalf("create standing order %+v: %v", req, err)
	}
	o, err := b.client.ConfirmStandingOrder(ctx, account, p.RequestID, b.tan(t))
	if err != nil {
		t.Fatal(err)
	}
	return *o
}

func (b *testBank) cancelStanding(t *testing.T, account, id int64) {
	t.Helper()
	ctx := context.Background()
	p, err := b.client.CancelStandingOrder(ctx, account, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.client.ConfirmStandingOrder(ctx, account, p.RequestID, b.tan(t)); err != nil {
		t.Fatal(err)
	}
}

func (b *testBank) timed(t *testing.T, account int64, req api.TimedOrderRequest) api.TimedOrder {
	t.Helper()
	ctx := context.Background()
	o, err := b.client.CreateTimedOrder(ctx, account, req)
	if err != nil {
		t.Fatalf("create timed order %+v: %v", req, err)
	}
	done, err := b.client.ConfirmTimedOrder(ctx, account, o.ID, b.tan(t))
	if err != nil {
		t.Fatal(err)
	}
	return *done
}

// forecastInputs reads every account as a client would: the account, its
// whole history and its orders.
func (b *testBank) forecastInputs(t *testing.T) []forecast.Account {
	t.Helper()
	ctx := context.Background()
	accounts, err := b.client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []forecast.Account
	for _, a := range accounts {
		in := forecast.Account{Account: a}
		txs, err := b.client.SyncTransactions(ctx, a.ID, api.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		in.History = compact.Of(txs)
		if in.StandingOrders, err = b.client.StandingOrders(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if in.TimedOrders, err = b.client.TimedOrders(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

// newestID is the highest booking id of the accounts.
func newestID(accounts []forecast.Account) int64 {
	var id int64
	for _, a := range accounts {
		for i := range a.History.Len() {
			id = max(id, a.History.ID(i))
		}
	}
	return id
}

// buildOrders gives the demo user's accounts orders for every rule: month
// ends, a leap day, a quarter across a year, a last execution date in the
// window, cancelled ones, timed orders in and out of the window, and money
// to the user's own second account. It tops the main account up so that the
// bank refuses nothing for want of money.
func buildOrders(t *testing.T, b *testBank, mainID, reserveID int64, reserveIBAN string) {
	t.Helper()
	b.bank.Book(mainID, api.Transaction{Amount: 5_000_000, Name: api.Ptr("Aladdin Sommer"), IBAN: api.Ptr("DE02500105170137075030"),
		Purpose: api.Ptr("Einlage"), BookingType: api.Ptr("SEPA_CREDIT_TRANSFER")})
	const payee = "DE75512108001245126199"
	req := func(name string, amount int64, reoccurrence string, first time.Time, last *time.Time) api.StandingOrderRequest {
		r := api.StandingOrderRequest{Recipient: name, IBAN: payee, Amount: amount, Reoccurrence: reoccurrence,
			FirstExecutionDate: api.ZTime{Time: first}, Note: api.Ptr(name)}
		if last != nil {
			r.LastExecutionDate = &api.ZTime{Time: *last}
		}
		return r
	}
	b.standing(t, mainID, req("Ultimo", 4100, api.Monthly, noonBerlin(2027, 12, 31), nil))
	b.standing(t, mainID, req("Dreißigster", 3000, api.Monthly, noonBerlin(2027, 12, 30), nil))
	b.standing(t, mainID, req("Quartal", 7000, api.Quarterly, noonBerlin(2027, 12, 5), nil))
	b.standing(t, mainID, req("Jahr", 5000, api.Annually, noonBerlin(2027, 12, 20), nil))
	b.standing(t, mainID, req("Halbjahr", 6000, api.EverySixMonths, noonBerlin(2027, 12, 31), nil))
	last := noonBerlin(2028, 2, 10)
	b.standing(t, mainID, req("Bis Februar", 2200, api.Monthly, noonBerlin(2027, 12, 10), &last))
	gone := b.standing(t, mainID, req("Gekündigt", 9900, api.Monthly, noonBerlin(2027, 12, 12), nil))
	b.cancelStanding(t, mainID, gone.ID)
	own := req("Aladdin Sommer", 10000, api.Monthly, noonBerlin(2027, 12, 5), nil)
	own.IBAN = reserveIBAN
	b.standing(t, mainID, own)

	timed := func(name, iban string, amount int64, on time.Time) api.TimedOrderRequest {
		return api.TimedOrderRequest{Recipient: name, IBAN: iban, Amount: amount, Date: api.ZTime{Time: on}, Note: api.Ptr(name)}
	}
	b.timed(t, mainID, timed("Weihnachten", payee, 15000, noonBerlin(2027, 12, 24)))
	b.timed(t, mainID, timed("Sommer", payee, 20000, noonBerlin(2028, 6, 1)))
	b.timed(t, mainID, timed("Aladdin Sommer", reserveIBAN, 2500, noonBerlin(2028, 1, 15)))
	dropped := b.timed(t, mainID, timed("Storniert", payee, 3300, noonBerlin(2028, 1, 3)))
	if _, err := b.client.CancelTimedOrder(context.Background(), mainID, dropped.ID); err != nil {
		t.Fatal(err)
	}
}

// The forecast's days and amounts are what the bank then books, and its
// balances what the bank then shows, every day of the window, for both
// accounts and for their total.
func TestForecastMatchesTheSandbox(t *testing.T) {
	start := time.Date(2027, 12, 1, 9, 0, 0, 0, time.UTC)
	b := newSandbox(t, start)
	accounts, err := b.client.Accounts(context.Background())
	if err != nil || len(accounts) < 2 {
		t.Fatalf("%v %v", accounts, err)
	}
	mainAcc, reserve := accounts[0], accounts[1]
	buildOrders(t, b, mainAcc.ID, reserve.ID, reserve.IBAN)

	p := runAgainstBank(t, b, 120)
	for _, want := range []string{"2027-12-31 -4100", "2028-01-31 -4100", "2028-02-29 -4100", "2028-03-05 -7000",
		"2028-02-29 -3000", "2028-02-10 -2200", "2027-12-24 -15000", "2028-01-15 -2500"} {
		if !slices.Contains(itemStrings(p.Accounts[0].Items), want) {
			t.Errorf("not predicted: %s", want)
		}
	}
}

// An order on the 31st that the bank has run into a 30-day month lists its
// next occurrence on the 30th; its own past bookings tell the forecast that
// it runs on the 31st again in May, as the bank then does.
func TestForecastAfterAMonthEnd(t *testing.T) {
	start := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
	b := newSandbox(t, start)
	accounts, err := b.client.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b.bank.Book(accounts[0].ID, api.Transaction{Amount: 1_000_000, Name: api.Ptr("Einlage")})
	b.standing(t, accounts[0].ID, api.StandingOrderRequest{Recipient: "Ultimo", IBAN: "DE75512108001245126199", Amount: 4100,
		Reoccurrence: api.Monthly, FirstExecutionDate: api.ZTime{Time: noonBerlin(2027, 1, 31)}})
	b.bank.Advance(time.Date(2027, 4, 10, 9, 0, 0, 0, time.UTC).Sub(b.bank.Now()))
	p := runAgainstBank(t, b, 90)
	got := []string{}
	for _, it := range p.Accounts[0].Items {
		if it.Counterparty == "Ultimo" {
			got = append(got, it.Date.String())
		}
	}
	if want := []string{"2027-04-30", "2027-05-31", "2027-06-30"}; !slices.Equal(got, want) {
		t.Errorf("Ultimo on %v, want %v", got, want)
	}
}

// runAgainstBank forecasts days from what the bank lists now, then runs the
// bank's clock to the end of each day of the window and checks every
// account's balance and the total against the forecast, and at the end the
// bookings the bank made against the items predicted. Recurring items are
// switched off: the bank books only orders.
func runAgainstBank(t *testing.T, b *testBank, days int) forecast.Result {
	t.Helper()
	inputs := b.forecastInputs(t)
	today := forecast.DateOf(b.bank.Now(), berlin)
	f := forecast.New(inputs, today, berlin)
	off := map[string]bool{}
	for _, it := range f.Project(forecast.Options{Days: days}).Total.Items {
		if it.Source == forecast.SourceRecurring {
			off[it.ID] = true
		}
	}
	p := f.Project(forecast.Options{Days: days, Off: off})
	before := newestID(inputs)

	for i, day := range p.Total.Days {
		endOfDay := (day.Date + 1).Time(berlin).Add(-time.Second)
		b.bank.Advance(endOfDay.Sub(b.bank.Now()))
		var total int64
		for j, a := range b.bank.Accounts(sandbox.DefaultLogin) {
			total += a.Balance
			if want := p.Accounts[j].Days[i].Balance; a.Balance != want {
				t.Fatalf("%s, account %d: the bank shows %d, the forecast said %d", day.Date, a.ID, a.Balance, want)
			}
		}
		if total != day.Balance {
			t.Fatalf("%s: total %d, forecast %d", day.Date, total, day.Balance)
		}
	}

	// And booking by booking.
	for j, a := range inputs {
		var booked []string
		for page := 1; ; page++ {
			pg, err := b.client.TransactionsPage(context.Background(), a.Account.ID, page)
			if err != nil {
				t.Fatal(err)
			}
			done := len(pg.Results) == 0
			for _, tx := range pg.Results {
				if tx.ID <= before {
					done = true
					break
				}
				booked = append(booked, fmt.Sprintf("%s %d", forecast.DateOf(tx.BookingDate.Time, berlin), tx.Amount))
			}
			if done {
				break
			}
		}
		predicted := itemStrings(p.Accounts[j].Items)
		slices.Sort(booked)
		slices.Sort(predicted)
		if !slices.Equal(booked, predicted) {
			t.Errorf("account %d\nbooked    %v\npredicted %v", a.Account.ID, booked, predicted)
		}
	}
	return p
}

func itemStrings(items []forecast.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, fmt.Sprintf("%s %d", it.Date, it.Amount))
	}
	return out
}

// oracle projects balances from the orders as documented, day by day, with
// its own calendar arithmetic (it shares nothing with the package's
// scheduling): a standing order books on its next occurrence and every
// whole interval after it, on that day of the month or the month's last day
// if shorter, until its last execution date; a timed order books on its
// date; a payment to another of the user's accounts arrives there.
func oracle(accounts []forecast.Account, today time.Time, days int, loc *time.Location) map[int64][]int64 {
	owner := map[string]int64{}
	for _, a := range accounts {
		owner[strings.ToUpper(strings.ReplaceAll(a.Account.IBAN, " ", ""))] = a.Account.ID
	}
	balance := map[int64]int64{}
	for _, a := range accounts {
		balance[a.Account.ID] = a.Account.Balance
	}
	y0, m0, d0 := today.In(loc).Date()
	out := map[int64][]int64{}
	for n := 0; n <= days; n++ {
		y, m, d := time.Date(y0, m0, d0+n, 0, 0, 0, 0, time.UTC).Date()
		move := func(from int64, iban string, amount int64) {
			balance[from] -= amount
			if to, ok := owner[strings.ToUpper(strings.ReplaceAll(iban, " ", ""))]; ok && to != from {
				balance[to] += amount
			}
		}
		for _, a := range accounts {
			for _, o := range a.StandingOrders {
				if o.Status != api.StatusActive || o.NextOccurrence == nil {
					continue
				}
				every := map[string]int{api.Monthly: 1, api.Quarterly: 3, api.EverySixMonths: 6, api.Annually: 12}[o.Reoccurrence]
				next := o.NextOccurrence.UTC()
				months := (y-next.Year())*12 + int(m) - int(next.Month())
				if months < 0 || months%every != 0 {
					continue
				}
				lastOfMonth := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
				if d != min(next.Day(), lastOfMonth) {
					continue
				}
				on := time.Date(y, m, d, next.Hour(), next.Minute(), next.Second(), 0, time.UTC)
				if on.Before(next) || o.LastExecutionDate != nil && on.After(o.LastExecutionDate.Time) {
					continue
				}
				move(a.Account.ID, o.IBAN, o.Amount)
			}
			for _, o := range a.TimedOrders {
				ty, tm, td := o.Date.In(loc).Date()
				if ty == y && tm == m && td == d {
					move(a.Account.ID, o.RecipientIBAN, -o.Amount)
				}
			}
		}
		if n == 0 {
			continue // due today: counted from tomorrow on
		}
		var total int64
		for _, a := range accounts {
			out[a.Account.ID] = append(out[a.Account.ID], balance[a.Account.ID])
			total += balance[a.Account.ID]
		}
		out[0] = append(out[0], total)
	}
	return out
}

// The projection from the bank's order lists and balances (what `konto
// orders --json` and `konto accounts --json` print) equals the oracle's,
// for the demo bank and for one with orders of every kind.
func TestForecastMatchesOracle(t *testing.T) {
	for _, build := range []bool{false, true} {
		t.Run(fmt.Sprintf("orders built %v", build), func(t *testing.T) {
			start := time.Date(2027, 12, 1, 9, 0, 0, 0, time.UTC)
			b := newSandbox(t, start)
			if build {
				accounts, _ := b.client.Accounts(context.Background())
				buildOrders(t, b, accounts[0].ID, accounts[1].ID, accounts[1].IBAN)
			}
			inputs := b.forecastInputs(t)
			for i := range inputs {
				inputs[i].History = nil // orders and balances only
			}
			now := b.bank.Now()
			const days = 120
			want := oracle(inputs, now, days, berlin)
			p := forecast.New(inputs, forecast.DateOf(now, berlin), berlin).Project(forecast.Options{Days: days})
			check := func(id int64, pr forecast.Projection) {
				var got []int64
				for _, d := range pr.Days {
					got = append(got, d.Balance)
				}
				if !slices.Equal(got, want[id]) {
					t.Errorf("account %d\ngot    %v\noracle %v", id, got, want[id])
				}
			}
			for _, a := range p.Accounts {
				check(a.Account, a)
			}
			check(0, p.Total)
			if len(p.Total.Items) < 5 {
				t.Errorf("only %d items: the test tests little", len(p.Total.Items))
			}
		})
	}
}
