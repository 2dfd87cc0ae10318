package app

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// konto forecast --demo --json agrees with a projection made here, by other
// code, from what konto balance and konto orders print: the balance of all
// accounts, every active standing order stepped through its months (the day
// clamped at a month's end), every timed order once, plus the recurring
// items the forecast reports (they come from the history, which konto
// orders does not show).
func TestForecastAgreesWithOrdersAndBalance(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	demo := []string{"--demo", "--now", scriptNow}
	run := func(args ...string) string {
		t.Helper()
		code, out, errOut := runBinary(t, home, nil, append(args, demo...)...)
		if code != 0 {
			t.Fatalf("konto %v: status %d, stderr %q", args, code, errOut)
		}
		return out
	}
	const days = 120
	var fc struct {
		From string `json:"from"`
		Days []struct {
			Date    string `json:"date"`
			Balance int64  `json:"balance"`
		} `json:"days"`
		Lowest struct {
			Date    string `json:"date"`
			Balance int64  `json:"balance"`
		} `json:"lowest"`
		Items []struct {
			Date   string `json:"date"`
			Amount int64  `json:"amount"`
			Source string `json:"source"`
			ID     string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(run("forecast", "--json", "--days", strconv.Itoa(days))), &fc); err != nil {
		t.Fatal(err)
	}
	var accounts []struct {
		ID      int64  `json:"id"`
		IBAN    string `json:"iban"`
		Balance int64  `json:"balance"`
	}
	if err := json.Unmarshal([]byte(run("balance", "--json")), &accounts); err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	var balance int64
	for _, a := range accounts {
		balance += a.Balance
		own[a.IBAN] = true
	}

	today, err := time.ParseInLocation(time.DateOnly, fc.From, berlin())
	if err != nil || fc.From != scriptStart(t).In(berlin()).Format(time.DateOnly) {
		t.Fatalf("from %q, want the demo's today", fc.From)
	}
	end := today.AddDate(0, 0, days)
	delta := map[string]int64{}
	add := func(d time.Time, amount int64) {
		if !d.Before(today) && !d.After(end) {
			delta[d.Format(time.DateOnly)] += amount
		}
	}
	orders := 0
	for _, a := range accounts {
		var list []struct {
			Status            string `json:"status"`
			IBAN              string `json:"iban"`
			RecipientIBAN     string `json:"recipientIban"`
			Amount            int64  `json:"amount"`
			Reoccurrence      string `json:"reoccurrence"`
			NextOccurrence    string `json:"nextOccurrence"`
			LastExecutionDate string `json:"lastExecutionDate"`
			Date              string `json:"date"`
		}
		if err := json.Unmarshal([]byte(run("orders", "--json", "--account", strconv.FormatInt(a.ID, 10))), &list); err != nil {
			t.Fatal(err)
		}
		for _, o := range list {
			switch {
			case o.Reoccurrence != "": // a standing order: the bank writes its amount positive
				if o.Status != "ACTIVE" || own[o.IBAN] {
					continue // a transfer between own accounts leaves the total as it is
				}
				next := mustParse(t, o.NextOccurrence)
				var last *time.Time
				if o.LastExecutionDate != "" {
					l := mustParse(t, o.LastExecutionDate)
					last = &l
				}
				step := map[string]int{"MONTHLY": 1, "QUARTERLY": 3, "EVERY_SIX_MONTHS": 6, "ANNUALLY": 12}[o.Reoccurrence]
				y, m, dom := next.UTC().Date()
				for k := 0; ; k++ {
					first := time.Date(y, m+time.Month(k*step), 1, 0, 0, 0, 0, time.UTC)
					lastDay := first.AddDate(0, 1, -1).Day()
					at := time.Date(first.Year(), first.Month(), min(dom, lastDay), 0, 0, 0, 0, time.UTC)
					if (last != nil && at.After(*last)) || at.After(end) {
						break
					}
					add(time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, berlin()), -o.Amount)
					orders++
					if step == 0 {
						break
					}
				}
			default: // a timed order, listed with its amount negative
				if own[o.RecipientIBAN] {
					continue
				}
				d := mustParse(t, o.Date).In(berlin())
				add(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, berlin()), o.Amount)
				orders++
			}
		}
	}
	if orders == 0 {
		t.Fatal("the demo bank lists no orders in the window: nothing is checked")
	}
	recurring := 0
	for _, it := range fc.Items {
		if it.Source == "recurring" {
			d, err := time.ParseInLocation(time.DateOnly, it.Date, berlin())
			if err != nil {
				t.Fatal(err)
			}
			add(d, it.Amount)
			recurring++
		}
	}

	running := balance + delta[fc.From]
	lowDate, low := "", int64(0)
	if len(fc.Days) != days {
		t.Fatalf("%d days, want %d", len(fc.Days), days)
	}
	for i := 1; i <= days; i++ {
		d := today.AddDate(0, 0, i).Format(time.DateOnly)
		running += delta[d]
		if fc.Days[i-1].Date != d || fc.Days[i-1].Balance != running {
			t.Errorf("day %d: forecast %+v, computed %s %d", i, fc.Days[i-1], d, running)
		}
		if lowDate == "" || running < low {
			lowDate, low = d, running
		}
	}
	if fc.Lowest.Date != lowDate || fc.Lowest.Balance != low {
		t.Errorf("lowest: forecast %+v, computed %d on %s", fc.Lowest, low, lowDate)
	}
	t.Logf("%d order bookings and %d recurring items: lowest %d on %s", orders, recurring, low, lowDate)
}

func mustParse(t *testing.T, s string) time.Time {
	t.Helper()
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000-07:00"} {
		if at, err := time.Parse(layout, s); err == nil {
			return at
		}
	}
	t.Fatalf("not a time: %q", s)
	return time.Time{}
}
