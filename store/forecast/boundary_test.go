package forecast_test

import (
	"testing"
	"time"

	"konto/api"
	"konto/store/forecast"
)

// The limits of a detected series, at and just past each: monthly within
// ±3 days, amounts within ±10 % of the median, at least three bookings.
func TestRecurringLimits(t *testing.T) {
	today := day(2027, 6, 1)
	tests := []struct {
		name    string
		days    []int
		amounts []int64
		want    bool
	}{
		{"3 days late is still monthly", []int{10, 13, 10, 13}, []int64{-5000}, true},
		{"4 days late is not", []int{10, 14, 10, 14}, []int64{-5000}, false},
		{"10 % more is the same amount", nil, []int64{-5000, -5500, -5000}, true},
		{"11 % more is another", nil, []int64{-5000, -5550, -5000}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, amounts := tt.days, tt.amounts
			if days == nil { // the amount cases: the 10th of three months
				days = []int{10, 10, 10}
			}
			history := series(100, 2027, 6-time.Month(len(days)), days, amounts, "Stromwerk", otherIBAN)
			got := recurringItems(t, today, 40, history, nil)
			if (len(got) > 0) != tt.want {
				t.Errorf("series found: %v, want %v (%+v)", len(got) > 0, tt.want, got)
			}
		})
	}
}

// An order whose last execution falls inside the window stops there, and
// the balance stays put after it; across a year end the months go on.
func TestLastExecutionInsideTheWindowAcrossAYear(t *testing.T) {
	o := monthly(3, "Leasing", otherIBAN, 20000, wireDay(2026, 12, 15))
	o.LastExecutionDate = &api.OrderTime{Time: time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC)}
	p := forecast.New([]forecast.Account{mainAccount(50000, []api.StandingOrder{o}, nil, nil)}, day(2026, 12, 1), berlin).
		Project(forecast.Options{Days: 120}).Accounts[0]
	if got := itemLines(p.Items); got != "2026-12-15 -20000 standing:3\n2027-01-15 -20000 standing:3\n2027-02-15 -20000 standing:3\n" {
		t.Errorf("items\n%s", got)
	}
	if p.Lowest != (forecast.DayBalance{Date: day(2027, 2, 15), Balance: -10000}) || balanceOn(t, p, day(2027, 3, 31)) != -10000 {
		t.Errorf("lowest %+v: the overdraft after the last one", p.Lowest)
	}
}
