package report

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"konto/api"
	"konto/store/period"
	"konto/store/rules"
)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func tx(id, amount int64, when, name, iban, purpose string) api.Transaction {
	at, err := time.Parse(time.RFC3339, when)
	if err != nil {
		panic(err)
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return api.Transaction{ID: id, Amount: amount, BookingDate: api.TxTime{Time: at},
		Name: opt(name), IBAN: opt(iban), Purpose: opt(purpose)}
}

// history is newest first, as the bank lists it.
func history() []api.Transaction {
	return []api.Transaction{
		tx(9, -1999, "2026-12-01T09:00:00Z", "Café Zürich", "", ""),
		tx(8, -95000, "2026-11-30T23:30:00Z", "Hausverwaltung Sonnenhof", "DE89370400440532013000", "Miete Dezember"), // 1 Dec in Berlin
		tx(7, 320000, "2026-11-20T10:00:00Z", "ACME GmbH", "DE02120300000000202051", "Rechnung 117"),
		tx(6, -450, "2026-11-19T07:00:00Z", "Bäckerei Müller", "", "Kartenzahlung"),
		tx(5, -520, "2026-11-12T07:00:00Z", "BACKEREI MULLER", "", "Kartenzahlung"),
		tx(4, -95000, "2026-10-31T23:30:00Z", "Hausverwaltung Sonnenhof", "DE89370400440532013000", "Miete November"), // 1 Nov in Berlin
		tx(3, -12000, "2026-10-25T00:30:00Z", "Finanzamt Berlin", "DE12500105170648489890", "USt"),                    // the 25-hour day
		tx(2, 0, "2026-10-01T10:00:00Z", "", "", "Kontoabschluss"),
		tx(1, 150000, "2026-09-30T21:59:59Z", "ACME GmbH", "DE02120300000000202051", "Rechnung 116"), // 30 Sep, 23:59:59 CEST
	}
}

func categorise(t testing.TB, txs []api.Transaction) []rules.Result {
	set, err := rules.New([]rules.Rule{
		{Counterparty: "backerei", Category: "food", Payee: "Bakery"},
		{Counterparty: "acme", Direction: "in", Category: "income"},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	return set.ApplyAll(txs, map[int64]rules.Label{9: {Category: "travel"}})
}

func TestBuildNovember(t *testing.T) {
	loc := berlin(t)
	txs := history()
	p, _ := period.Parse("2026-11", period.NewDate(2026, 12, 3))
	r := Build(txs, categorise(t, txs), p, loc)
	got, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want := `{
 "from": "2026-11-01",
 "to": "2026-11-30",
 "in": 320000,
 "out": -95970,
 "count": 4,
 "categories": [
  {
   "category": "income",
   "in": 320000,
   "out": 0,
   "count": 1
  },
  {
   "category": "rent",
   "in": 0,
   "out": -95000,
   "count": 1
  },
  {
   "category": "food",
   "in": 0,
   "out": -970,
   "count": 2
  }
 ],
 "months": [
  {
   "month": "2026-11",
   "in": 320000,
   "out": -95970,
   "count": 4
  }
 ],
 "counterparties": [
  {
   "name": "ACME GmbH",
   "iban": "DE02120300000000202051",
   "in": 320000,
   "out": 0,
   "count": 1
  },
  {
   "name": "Hausverwaltung Sonnenhof",
   "iban": "DE89370400440532013000",
   "in": 0,
   "out": -95000,
   "count": 1
  },
  {
   "name": "Bakery",
   "in": 0,
   "out": -970,
   "count": 2
  }
 ]
}`
	if string(got) != want {
		t.Errorf("November report:\n%s\nwant\n%s", got, want)
	}
}

func TestBuildOpenRangeAndUncategorised(t *testing.T) {
	loc := berlin(t)
	txs := history()
	r := Build(txs, nil, period.All, loc)
	if r.From.String() != "2026-09-30" || r.To.String() != "2026-12-01" || r.Count != len(txs) {
		t.Errorf("all: %s..%s, %d bookings", r.From, r.To, r.Count)
	}
	if len(r.Categories) != 1 || r.Categories[0].Category != nil || r.Categories[0].Count != len(txs) {
		t.Errorf("uncategorised: %+v", r.Categories)
	}
	var months []string
	for _, m := range r.Months {
		months = append(months, m.Month)
	}
	if !slices.Equal(months, []string{"2026-09", "2026-10", "2026-11", "2026-12"}) {
		t.Errorf("months %v", months)
	}
	// The booking without name or IBAN is under a nil name, last.
	last := r.Counterparties[len(r.Counterparties)-1]
	if last.Name != nil || last.Count != 1 {
		t.Errorf("nameless counterparty: %+v", last)
	}
	// "Bäckerei Müller" and "BACKEREI MULLER" are one counterparty, named
	// as the newest booking spells it.
	for _, c := range r.Counterparties {
		if c.Name != nil && strings.Contains(strings.ToLower(*c.Name), "ckerei") && (c.Count != 2 || *c.Name != "Bäckerei Müller") {
			t.Errorf("bakery: %+v (%s)", c, *c.Name)
		}
	}
	empty := Build(nil, nil, period.All, loc)
	data, _ := json.Marshal(empty)
	if string(data) != `{"from":"0001-01-01","to":"9999-12-31","in":0,"out":0,"count":0,"categories":[],"months":[],"counterparties":[]}` {
		t.Errorf("empty report: %s", data)
	}
}

// The days at the ends of a period are Berlin days, also when the clocks
// change: 25.10.2026 has 25 hours.
func TestBuildDaysInBerlin(t *testing.T) {
	loc := berlin(t)
	txs := history()
	for in, want := range map[string][]int64{
		"2026-10-25": {3},
		"2026-10":    {3, 2},
		"2026-09":    {1},
		"2026-12-01": {9, 8},
		"2026-11-01": {4},
	} {
		p, err := period.Parse(in, period.NewDate(2026, 12, 3))
		if err != nil {
			t.Fatal(err)
		}
		r := Build(txs, nil, p, loc)
		var sum int64
		for _, id := range want {
			sum += txs[9-id].Amount
		}
		if r.Count != len(want) || r.In+r.Out != sum {
			t.Errorf("%s: %d bookings, net %d; want %d, %d", in, r.Count, r.In+r.Out, len(want), sum)
		}
	}
}

// Build agrees with sums computed independently, booking by booking, for
// random periods over a random history.
func TestBuildAgreesWithOracle(t *testing.T) {
	loc := berlin(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var txs []api.Transaction
	at := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3000; i++ {
		at = at.Add(-time.Duration(rng.IntN(12*3600)) * time.Second)
		txs = append(txs, tx(int64(3000-i), rng.Int64N(200000)-120000, at.Format(time.RFC3339), fmt.Sprintf("party %d", rng.IntN(40)), "", ""))
	}
	results := categorise(t, txs)
	today := period.NewDate(2026, 12, 3)
	for _, s := range []string{"2026", "2025", "lastmonth", "2026-Q1", "2024-02", "2026-03-29", "2026-10-25", "ytd", "2025-12-30..2026-01-02", "..2025-06-30"} {
		p, err := period.Parse(s, today)
		if err != nil {
			t.Fatal(err)
		}
		r := Build(txs, results, p, loc)
		start, end := p.Bounds(loc)
		var in, out int64
		n := 0
		cats := map[string]int64{}
		for i, x := range txs {
			if x.BookingDate.Before(start) || !x.BookingDate.Before(end) {
				continue
			}
			n++
			if x.Amount > 0 {
				in += x.Amount
			} else {
				out += x.Amount
			}
			cats[results[i].Category] += x.Amount
		}
		if r.In != in || r.Out != out || r.Count != n {
			t.Errorf("%s: in %d out %d count %d; oracle %d %d %d", s, r.In, r.Out, r.Count, in, out, n)
		}
		var mIn, mOut, cIn, cOut, pIn, pOut int64
		for _, m := range r.Months {
			mIn, mOut = mIn+m.In, mOut+m.Out
		}
		for _, c := range r.Categories {
			cIn, cOut = cIn+c.In, cOut+c.Out
			name := ""
			if c.Category != nil {
				name = *c.Category
			}
			if c.In+c.Out != cats[name] {
				t.Errorf("%s: category %q net %d, oracle %d", s, name, c.In+c.Out, cats[name])
			}
		}
		for _, c := range r.Counterparties {
			pIn, pOut = pIn+c.In, pOut+c.Out
		}
		if mIn != in || mOut != out || cIn != in || cOut != out || pIn != in || pOut != out {
			t.Errorf("%s: the parts do not add up to the whole", s)
		}
	}
}

func TestSeries(t *testing.T) {
	loc := berlin(t)
	txs := history()
	months := Series(txs, Trailing(period.NewDate(2026, 12, 3), 4, period.Month), period.Month, loc)
	var got []string
	for _, b := range months {
		got = append(got, fmt.Sprintf("%s %d/%d/%d", b.Period, b.In, b.Out, b.Count))
	}
	want := []string{"2026-09 150000/0/1", "2026-10 0/-12000/2", "2026-11 320000/-95970/4", "2026-12 0/-96999/2"}
	if !slices.Equal(got, want) {
		t.Errorf("months %v, want %v", got, want)
	}
	nov, _ := period.Parse("2026-11", 0)
	weeks := Series(txs, nov, period.Week, loc)
	if len(weeks) != 6 || weeks[0].Period.String() != "2026-W44" || weeks[0].Net() != -95000 || weeks[5].Period.String() != "2026-W49" || weeks[5].Count != 0 {
		t.Errorf("weeks of November: %+v", weeks)
	}
	if Series(txs, period.All, period.Month, loc) != nil {
		t.Error("a series over an open period")
	}
	if p := Trailing(period.NewDate(2026, 1, 15), 12, period.Month); p.String() != "2025-02-01..2026-01-31" {
		t.Errorf("last 12 months in January: %s", p)
	}
	if p := Trailing(period.NewDate(2024, 2, 29), 1, period.Month); p.String() != "2024-02" {
		t.Errorf("this month on 29 Feb: %s", p)
	}
}

// The running balance agrees with the balance computed forwards from the
// opening balance, booking by booking, and a filter shows the account's
// balance at each booking it keeps.
func TestBalancesAfter(t *testing.T) {
	txs := history()
	const opening = 100000
	var sum int64
	for _, x := range txs {
		sum += x.Amount
	}
	balance := opening + sum
	after := BalancesAfter(txs, balance)
	running := int64(opening)
	for i := len(txs) - 1; i >= 0; i-- {
		running += txs[i].Amount
		if after[i] != running {
			t.Errorf("after booking %d: %d, forwards %d", txs[i].ID, after[i], running)
		}
	}
	if after[0] != balance || len(BalancesAfter(nil, 5)) != 0 {
		t.Error("ends")
	}
}

func TestSpendingIncomeTopPercent(t *testing.T) {
	txs := history()
	r := Build(txs, categorise(t, txs), period.All, berlin(t))
	spending := r.Spending()
	if len(spending) == 0 || spending[0].Category == nil || *spending[0].Category != "rent" {
		t.Errorf("spending %+v", spending)
	}
	for i := 1; i < len(spending); i++ {
		if spending[i].Out < spending[i-1].Out {
			t.Errorf("spending not sorted: %+v", spending)
		}
	}
	income := r.Income()
	if len(income) != 1 || *income[0].Category != "income" || income[0].In != 470000 {
		t.Errorf("income %+v", income)
	}
	if in := r.TopIn(1); len(in) != 1 || *in[0].Name != "ACME GmbH" {
		t.Errorf("top in %+v", in)
	}
	if out := r.TopOut(2); len(out) != 2 || *out[0].Name != "Hausverwaltung Sonnenhof" {
		t.Errorf("top out %+v", out)
	}
	for _, c := range []struct {
		part, total int64
		want        int
	}{{250, 1000, 25}, {-250, -1000, 25}, {1, 3, 33}, {2, 3, 67}, {5, 1000, 1}, {4, 1000, 0}, {1, 0, 0}} {
		if got := Percent(c.part, c.total); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.part, c.total, got, c.want)
		}
	}
}

func BenchmarkBuild100k(b *testing.B) {
	var txs []api.Transaction
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 100_000; i++ {
		txs = append(txs, tx(int64(i), int64(i%5000)-3000, at.Add(-time.Duration(i)*37*time.Minute).Format(time.RFC3339), fmt.Sprintf("party %d", i%300), "", ""))
	}
	results := categorise(b, txs)
	loc := berlin(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = Build(txs, results, period.All, loc)
	}
}
