package forecast_test

import (
	"fmt"
	compact "konto/store/history"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/store/forecast"
)

// series books amount on the given days of consecutive months from (y, m),
// at 09:00 Berlin; ids grow with time.
func series(firstID int64, y int, m time.Month, days []int, amounts []int64, name, iban string) []api.Transaction {
	var out []api.Transaction
	for i, d := range days {
		out = append(out, booking(firstID+int64(i), at(y, m+time.Month(i), d, 9), amounts[i%len(amounts)], name, iban))
	}
	return out
}

func recurringItems(t *testing.T, today forecast.Date, days int, history []api.Transaction, standing []api.StandingOrder) []forecast.Item {
	t.Helper()
	p := forecast.New([]forecast.Account{mainAccount(1000000, standing, nil, history)}, today, berlin).Project(forecast.Options{Days: days})
	var out []forecast.Item
	for _, it := range p.Accounts[0].Items {
		if it.Source == forecast.SourceRecurring {
			out = append(out, it)
		}
	}
	return out
}

func TestRecurringDetection(t *testing.T) {
	today := day(2027, 6, 10)
	salary := series(100, 2027, 1, []int{28, 27, 29, 28, 28}, []int64{420000, 428000, 415000, 431000, 425000}, "ACME Software GmbH", otherIBAN)
	tests := []struct {
		name    string
		history []api.Transaction
		days    int
		want    string // "date amount id" lines
	}{
		{"monthly salary", salary, 60,
			"2027-06-28 425000 recurring:4711:acme software gmbh:in:monthly\n2027-07-28 425000 recurring:4711:acme software gmbh:in:monthly\n"},
		{"a card subscription, no IBAN", series(200, 2027, 3, []int{7, 7, 8, 7}, []int64{-1299}, "Notizwerk; Hamburg; DE", ""), 60,
			"2027-07-07 -1299 recurring:4711:notizwerk; hamburg; de:out:monthly\n2027-08-07 -1299 recurring:4711:notizwerk; hamburg; de:out:monthly\n"},
		{"irregular days: none", series(300, 2027, 1, []int{3, 20, 9, 27, 14}, []int64{-2500}, "Bäckerei", ""), 60, ""},
		{"irregular amounts: none", series(300, 2027, 1, []int{5, 5, 5, 5, 5}, []int64{-2500, -4000, -1500}, "Tankstelle", ""), 60, ""},
		{"stopped: none", series(400, 2027, 1, []int{4, 4, 4}, []int64{-3990}, "Fitnesswerk", otherIBAN), 60, ""},
		{"two are not enough", series(500, 2027, 4, []int{15, 15}, []int64{-999}, "Streamly", ""), 60, ""},
		{"a small price change, followed after two bookings", series(600, 2027, 1, []int{12, 12, 12, 12, 12}, []int64{-999, -999, -999, -1099, -1099}, "Streamly", ""), 35,
			"2027-06-12 -1099 recurring:4711:streamly:out:monthly\n2027-07-12 -1099 recurring:4711:streamly:out:monthly\n"},
		// 30 % more is another amount: two at it are not yet a series, and the old one stopped.
		{"a big price change, two at it: none", series(600, 2027, 1, []int{12, 12, 12, 12, 12}, []int64{-999, -999, -999, -1299, -1299}, "Streamly", ""), 35, ""},
		{"a big price change, three at it", series(600, 2026, 12, []int{12, 12, 12, 12, 12, 12}, []int64{-999, -999, -999, -1299, -1299, -1299}, "Streamly", ""), 35,
			"2027-06-12 -1299 recurring:4711:streamly:out:monthly\n2027-07-12 -1299 recurring:4711:streamly:out:monthly\n"},
		// Due on the 8th (today the 10th), not booked yet: expected today.
		{"overdue within the tolerance: today", series(700, 2027, 2, []int{8, 8, 8, 8}, []int64{-4870}, "Gesundheitskasse", otherIBAN), 20,
			"2027-06-10 -4870 recurring:4711:gesundheitskasse:out:monthly\n"},
		{"weekly", weekly(800, at(2027, 5, 6, 18), 5, -1500, "Gemüsekiste"), 15,
			"2027-06-10 -1500 recurring:4711:gemusekiste:out:weekly\n2027-06-17 -1500 recurring:4711:gemusekiste:out:weekly\n2027-06-24 -1500 recurring:4711:gemusekiste:out:weekly\n"},
		{"quarterly across a year", []api.Transaction{
			booking(900, at(2026, 9, 10, 8), -280000, "Finanzamt Lindenberg", otherIBAN),
			booking(901, at(2026, 12, 10, 8), -280000, "Finanzamt Lindenberg", otherIBAN),
			booking(902, at(2027, 3, 10, 8), -280000, "FINANZAMT  LINDENBERG", otherIBAN),
		}, 100, "2027-06-10 -280000 recurring:4711:finanzamt lindenberg:out:quarterly\n2027-09-10 -280000 recurring:4711:finanzamt lindenberg:out:quarterly\n"},
		{"yearly", []api.Transaction{
			booking(950, at(2024, 7, 1, 8), -8900, "Domainhaus", otherIBAN),
			booking(951, at(2025, 7, 2, 8), -8900, "Domainhaus", otherIBAN),
			booking(952, at(2026, 6, 30, 8), -9200, "Domainhaus", otherIBAN),
		}, 30, "2027-07-01 -8900 recurring:4711:domainhaus:out:yearly\n"},
		// The 31st clamped to the 30th and the 28th goes on as the 31st.
		{"month ends", series(990, 2027, 1, []int{31, 28, 31, 30, 31}, []int64{-4200}, "Ultimo", ""), 85,
			"2027-06-30 -4200 recurring:4711:ultimo:out:monthly\n2027-07-31 -4200 recurring:4711:ultimo:out:monthly\n2027-08-31 -4200 recurring:4711:ultimo:out:monthly\n"},
		// 23:30 UTC on the last of the month is the 1st in Berlin.
		{"days in the bank's zone", []api.Transaction{
			booking(960, time.Date(2027, 2, 28, 23, 30, 0, 0, time.UTC), -5000, "Nachtbank", ""),
			booking(961, time.Date(2027, 3, 31, 22, 30, 0, 0, time.UTC), -5000, "Nachtbank", ""),
			booking(962, time.Date(2027, 4, 30, 22, 30, 0, 0, time.UTC), -5000, "Nachtbank", ""),
			booking(963, time.Date(2027, 5, 31, 22, 30, 0, 0, time.UTC), -5000, "Nachtbank", ""),
		}, 25, "2027-07-01 -5000 recurring:4711:nachtbank:out:monthly\n"},
		// A one-off purchase at the same shop does not hide the series.
		{"an odd booking among them", append(series(970, 2027, 2, []int{20, 20, 20, 20}, []int64{-2100}, "Codeforge; Dublin; IE", ""),
			booking(980, at(2027, 6, 2, 15), -8900, "Codeforge; Dublin; IE", "")), 15,
			"2027-06-20 -2100 recurring:4711:codeforge; dublin; ie:out:monthly\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := itemLines(recurringItems(t, today, tt.days, tt.history, nil)); got != tt.want {
				t.Errorf("items\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	items := recurringItems(t, today, 30, salary, nil)
	if len(items) == 0 || items[0].Origin() != "detected monthly since 01/2027" || items[0].Counterparty != "ACME Software GmbH" {
		t.Errorf("%+v", items)
	}
}

func weekly(firstID int64, start time.Time, n int, amount int64, name string) []api.Transaction {
	var out []api.Transaction
	for i := range n {
		out = append(out, booking(firstID+int64(i), start.AddDate(0, 0, 7*i), amount, name, ""))
	}
	return out
}

// The bookings a standing order made are the order's, not a second series.
func TestRecurringExplainedByOrders(t *testing.T) {
	today := day(2027, 6, 10)
	rent := series(100, 2027, 1, []int{1, 1, 1, 1, 1, 1}, []int64{-95000}, "Hausverwaltung Sonnenhof GmbH", landlordIBAN)
	order := monthly(1, "Hausverwaltung Sonnenhof GmbH", landlordIBAN, 95000, wireDay(2027, 7, 1))
	order.E2EID = api.Ptr("E-rent")
	if got := recurringItems(t, today, 60, rent, []api.StandingOrder{order}); len(got) != 0 {
		t.Errorf("by IBAN and amount: doubled as %+v", got)
	}
	// A cancelled order's bookings (found by its e2eId) do not go on either.
	var cancelledRent []api.Transaction
	for _, tx := range series(200, 2027, 3, []int{25, 25, 25}, []int64{-18000}, "Coworking Loft Eins", otherIBAN) {
		cancelledRent = append(cancelledRent, withE2E(tx, "E-cowork"))
	}
	cowork := monthly(2, "Coworking Loft Eins", otherIBAN, 18000, wireDay(2027, 6, 25))
	cowork.Status, cowork.E2EID = api.StatusCanceled, api.Ptr("E-cowork")
	if got := recurringItems(t, today, 60, cancelledRent, []api.StandingOrder{cowork}); len(got) != 0 {
		t.Errorf("a cancelled order's payments: %+v", got)
	}
	// Without the order, the same bookings are a series.
	if got := recurringItems(t, today, 60, rent, nil); len(got) != 2 {
		t.Errorf("no order: %+v", got)
	}
	// The whole projection holds the rent once a month.
	p := forecast.New([]forecast.Account{mainAccount(1000000, []api.StandingOrder{order}, nil, rent)}, today, berlin).Project(forecast.Options{Days: 60})
	if got, want := itemLines(p.Accounts[0].Items), "2027-07-01 -95000 standing:1\n2027-08-01 -95000 standing:1\n"; got != want {
		t.Errorf("items\n%s\nwant\n%s", got, want)
	}
}

// A series between the user's own accounts is predicted by the paying
// account and books on both; the receiving side's own history is not a
// second series.
func TestRecurringBetweenOwnAccounts(t *testing.T) {
	today := day(2027, 6, 10)
	out := series(100, 2027, 3, []int{5, 5, 5, 5}, []int64{-120000}, "Aladdin Sommer", reserveIBAN)
	in := series(200, 2027, 3, []int{5, 5, 5, 5}, []int64{120000}, "Aladdin Sommer", mainIBAN)
	mainAcc := mainAccount(500000, nil, nil, out)
	reserve := forecast.Account{Account: api.Account{ID: 4712, IBAN: reserveIBAN, Balance: 100000}, History: compact.Of(in)}
	p := forecast.New([]forecast.Account{mainAcc, reserve}, today, berlin).Project(forecast.Options{Days: 30})
	key := "recurring:4711:aladdin sommer:out:monthly"
	if got, want := itemLines(p.Accounts[0].Items), "2027-07-05 -120000 "+key+"\n"; got != want {
		t.Errorf("main\n%s\nwant\n%s", got, want)
	}
	if got, want := itemLines(p.Accounts[1].Items), "2027-07-05 120000 "+key+"\n"; got != want {
		t.Errorf("reserve\n%s\nwant\n%s", got, want)
	}
	if got := p.Total.Days[len(p.Total.Days)-1].Balance; got != 600000 {
		t.Errorf("total %d", got)
	}
}

// Keys do not change when the next booking of a series arrives.
func TestRecurringKeyStable(t *testing.T) {
	h := series(100, 2027, 1, []int{7, 7, 7}, []int64{-1299}, "Pixelbox Cloud", "")
	before := recurringItems(t, day(2027, 3, 20), 30, h, nil)
	h = append(h, booking(200, at(2027, 4, 7, 9), -1310, "PIXELBOX CLOUD", ""))
	after := recurringItems(t, day(2027, 4, 20), 30, h, nil)
	if len(before) != 1 || len(after) != 1 || before[0].ID != after[0].ID {
		t.Errorf("before %+v after %+v", before, after)
	}
}

// The seeded demo bank's history: what a person would call recurring is
// found, and nothing an order explains.
func TestRecurringInDemoHistory(t *testing.T) {
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	b := newSandbox(t, start)
	accounts := b.forecastInputs(t)
	f := forecast.New(accounts, forecast.DateOf(start, berlin), berlin)
	p := f.Project(forecast.Options{Days: 90})
	found := map[string]bool{}
	for _, it := range p.Total.Items {
		if it.Source == forecast.SourceRecurring {
			found[it.ID[strings.Index(it.ID[len("recurring:"):], ":")+len("recurring:")+1:]] = true
		}
	}
	for _, want := range []string{
		"gesundheitskasse nordstern:out:monthly",
		"fitnesswerk kreuzberg:out:monthly",
		"pixelbox cloud; san francisco; us:out:monthly",
		"codeforge; dublin; ie:out:monthly",
		"notizwerk; hamburg; de:out:monthly",
		"aladdin sommer:out:monthly",         // the tax reserve, main to reserve
		"finanzamt lindenberg:out:quarterly", // income tax from the reserve
	} {
		if !found[want] {
			t.Errorf("not found: %s", want)
		}
	}
	for key := range found {
		for _, order := range []string{"hausverwaltung", "tierheim", "bausparkasse", "coworking", "aladdin sommer:in"} {
			if strings.HasPrefix(key, order) {
				t.Errorf("found %s, which an order (or the other account) explains", key)
			}
		}
	}
	if t.Failed() {
		t.Logf("found %v", fmt.Sprint(found))
	}
}
