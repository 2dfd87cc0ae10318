// Package report sums a history the way the reports tab and `konto report`
// show it: money in and out over a period, by category, by month (or any
// unit, for a chart), by counterparty; and the balance after each booking
// for the running-balance column. It is pure: a function of the bookings,
// their categories (store/rules), the period (store/period) and the bank's
// time zone, so the tab and the command cannot disagree.
//
// Amounts are int64 cents: In is the sum of the incoming amounts (>= 0),
// Out the sum of the outgoing ones (<= 0), In+Out the net.
package report

import (
	"cmp"
	"slices"
	"time"

	"konto/api"
	"konto/api/sepa"
	"konto/store/period"
	"konto/store/rules"
	"konto/store/textfold"
)

// Report is the figures of one period; its JSON is `konto report --json`:
//
//	{"from": "2026-11-01", "to": "2026-11-30", "in": 1047332, "out": -496865, "count": 85,
//	 "categories": [{"category": "rent", "in": 0, "out": -95000, "count": 1}, …],
//	 "months": [{"month": "2026-11", "in": …, "out": …, "count": …}, …],
//	 "counterparties": [{"name": "Hausverwaltung", "in": 0, "out": -95000, "count": 1}, …]}
//
// Uncategorised bookings are under "category": null, bookings without a
// name or IBAN under "name": null. Every list is there, empty rather than
// null.
type Report struct {
	From  period.Date `json:"from"`
	To    period.Date `json:"to"`
	In    int64       `json:"in"`
	Out   int64       `json:"out"`
	Count int         `json:"count"`
	// Categories, by volume (In-Out) then name, uncategorised last among equals.
	Categories []CategorySum `json:"categories"`
	// Months, every month From..To in order, empty ones included.
	Months []MonthSum `json:"months"`
	// Counterparties, by volume then name.
	Counterparties []PartySum `json:"counterparties"`
}

// CategorySum is the money of one category; Category is nil for the
// uncategorised bookings.
type CategorySum struct {
	Category *string `json:"category"`
	In       int64   `json:"in"`
	Out      int64   `json:"out"`
	Count    int     `json:"count"`
}

// MonthSum is the money of one calendar month, "2026-11".
type MonthSum struct {
	Month string `json:"month"`
	In    int64  `json:"in"`
	Out   int64  `json:"out"`
	Count int    `json:"count"`
}

// PartySum is the money to and from one counterparty: the bookings of one
// payee (a rule's clean name), else of one name (folded: case and accents
// do not part them), else of one IBAN. Name is the payee or the newest
// spelling of the name, nil when a booking has neither name nor IBAN.
type PartySum struct {
	Name  *string `json:"name"`
	IBAN  string  `json:"iban,omitempty"`
	In    int64   `json:"in"`
	Out   int64   `json:"out"`
	Count int     `json:"count"`
}

// Build sums the bookings of txs that fall into p (their booking day in
// loc; nil: UTC). results[i] is txs[i]'s categorisation (rules.Set.ApplyAll;
// nil: all uncategorised). An open end of p is narrowed to the bookings, so
// From and To are the first and last day with a booking (p's own ends when
// there is none). txs may be in any order; the newest spelling of a name is
// the one of the latest booking.
func Build(txs []api.Transaction, results []rules.Result, p period.Period, loc *time.Location) Report {
	if loc == nil {
		loc = time.UTC
	}
	r := Report{From: p.From, To: p.To, Categories: []CategorySum{}, Months: []MonthSum{}, Counterparties: []PartySum{}}
	type partyAcc struct {
		PartySum
		newest time.Time
	}
	cats := map[string]*CategorySum{}
	var uncategorised *CategorySum
	months := map[int32]*MonthSum{} // by yyyymm
	parties := map[string]*partyAcc{}
	keys := &partyKeys{payee: map[string]string{}, name: map[string]string{}}
	first, last := period.MaxDate, period.MinDate
	for i := range txs {
		tx := &txs[i]
		day := period.DateOf(tx.BookingDate.Time, loc)
		if !p.Contains(day) {
			continue
		}
		first, last = min(first, day), max(last, day)
		a := tx.Amount
		in, out := max(a, 0), min(a, 0)
		r.In += in
		r.Out += out
		r.Count++

		var res rules.Result
		if results != nil {
			res = results[i]
		}
		var c *CategorySum
		if res.Category == "" {
			if uncategorised == nil {
				uncategorised = &CategorySum{}
			}
			c = uncategorised
		} else if c = cats[res.Category]; c == nil {
			name := res.Category
			c = &CategorySum{Category: &name}
			cats[name] = c
		}
		c.In += in
		c.Out += out
		c.Count++

		month := day.Key() / 100
		m := months[month]
		if m == nil {
			m = &MonthSum{Month: day.String()[:7]}
			months[month] = m
		}
		m.In += in
		m.Out += out
		m.Count++

		key, name, iban := partyOf(keys, tx, res)
		pa := parties[key]
		if pa == nil {
			pa = &partyAcc{}
			parties[key] = pa
		}
		if pa.Count == 0 || tx.BookingDate.After(pa.newest) {
			pa.newest = tx.BookingDate.Time
			pa.IBAN = iban
			if name == "" {
				pa.Name = nil
			} else if pa.Name == nil || *pa.Name != name {
				shown := name // only this copy escapes
				pa.Name = &shown
			}
		}
		pa.In += in
		pa.Out += out
		pa.Count++
	}
	if r.Count == 0 {
		return r
	}
	if p.OpenStart() {
		r.From = first
	}
	if p.OpenEnd() {
		r.To = last
	}
	for _, c := range cats {
		r.Categories = append(r.Categories, *c)
	}
	if uncategorised != nil {
		r.Categories = append(r.Categories, *uncategorised)
	}
	slices.SortFunc(r.Categories, func(a, b CategorySum) int {
		return byVolume(a.In, a.Out, a.Category, b.In, b.Out, b.Category)
	})
	for m := period.Of(period.Month, r.From); m.From <= r.To; m = m.Step(1) {
		if s := months[m.From.Key()/100]; s != nil {
			r.Months = append(r.Months, *s)
		} else {
			r.Months = append(r.Months, MonthSum{Month: m.From.String()[:7]})
		}
	}
	for _, pa := range parties {
		r.Counterparties = append(r.Counterparties, pa.PartySum)
	}
	slices.SortFunc(r.Counterparties, func(a, b PartySum) int {
		if c := byVolume(a.In, a.Out, a.Name, b.In, b.Out, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.IBAN, b.IBAN)
	})
	return r
}

// byVolume orders by In-Out descending, then by name, nil last.
func byVolume(aIn, aOut int64, aName *string, bIn, bOut int64, bName *string) int {
	if c := cmp.Compare(bIn-bOut, aIn-aOut); c != 0 {
		return c
	}
	switch {
	case aName == nil && bName == nil:
		return 0
	case aName == nil:
		return 1
	case bName == nil:
		return -1
	}
	return cmp.Compare(*aName, *bName)
}

// partyKeys remembers the group keys of payees and names: a history
// repeats a few hundred.
type partyKeys struct {
	f           textfold.Folder
	payee, name map[string]string
}

func (k *partyKeys) key(m map[string]string, prefix, s string) string {
	key, ok := m[s]
	if !ok {
		if folded := k.f.Fold(s); folded != "" {
			key = prefix + folded
		}
		m[s] = key
	}
	return key
}

// partyOf is the key a booking's counterparty is grouped by, and its name
// ("" for none) and IBAN as shown.
func partyOf(keys *partyKeys, tx *api.Transaction, res rules.Result) (key, name, iban string) {
	if raw := api.Str(tx.IBAN); raw != "" {
		iban = sepa.NormalizeIBAN(raw)
	}
	if res.Payee != "" {
		if k := keys.key(keys.payee, "p\x00", res.Payee); k != "" {
			return k, res.Payee, iban
		}
	}
	if raw := api.Str(tx.Name); raw != "" {
		if k := keys.key(keys.name, "n\x00", raw); k != "" {
			return k, raw, iban
		}
	}
	if iban != "" {
		return "i\x00" + iban, iban, iban
	}
	return "", "", ""
}

// Spending is the categories money went out to, most first.
func (r Report) Spending() []CategorySum {
	var out []CategorySum
	for _, c := range r.Categories {
		if c.Out < 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b CategorySum) int { return cmp.Compare(a.Out, b.Out) })
	return out
}

// Income is the categories money came in from, most first.
func (r Report) Income() []CategorySum {
	var out []CategorySum
	for _, c := range r.Categories {
		if c.In > 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b CategorySum) int { return cmp.Compare(b.In, a.In) })
	return out
}

// TopIn and TopOut are the n counterparties that paid in, or were paid,
// the most (n <= 0: all).
func (r Report) TopIn(n int) []PartySum {
	return top(r.Counterparties, n, func(p PartySum) int64 { return p.In })
}

func (r Report) TopOut(n int) []PartySum {
	return top(r.Counterparties, n, func(p PartySum) int64 { return -p.Out })
}

func top(parties []PartySum, n int, size func(PartySum) int64) []PartySum {
	var out []PartySum
	for _, p := range parties {
		if size(p) > 0 {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b PartySum) int { return cmp.Compare(size(b), size(a)) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// Percent is part's share of total in whole percent, rounded half away
// from zero, for a breakdown's labels (0 when total is 0). Signs are
// ignored: -250 of -1000 is 25.
func Percent(part, total int64) int {
	if total == 0 {
		return 0
	}
	if part < 0 {
		part = -part
	}
	if total < 0 {
		total = -total
	}
	// part*100 fits: no account holds 10^16 cents.
	return int((part*200 + total) / (2 * total))
}
