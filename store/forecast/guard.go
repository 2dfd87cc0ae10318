package forecast

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"konto/api"
	"konto/api/sepa"
	"konto/store/history"
)

// The guard against paying twice. A payment under review resembles
//
//   - a booking of the last GuardDays days (today included) that paid the
//     same IBAN, or a counterparty of the same (folded) name, an amount
//     within ±GuardPercent % of the payment's;
//   - an active standing order or a timed order to the same IBAN or name,
//     with such an amount, that books within GuardDays days of a day the
//     payment books (for a transfer: today to today+35; for a new standing
//     order: any of its occurrences in its first year), from today on;
//   - for a refund (paying back money received), an incoming booking of the
//     last GuardDays days from them with such an amount: the money the
//     refund pays back. A refund needs the extra key too, as the one payment
//     a stranger can talk someone into ("I sent you too much").
//
// Most relevant first: money paid or going out before money received, the
// same IBAN before the same name only, the nearer amount, the nearer day.

// Guard thresholds.
const (
	GuardDays    = 35
	GuardPercent = 5
)

// ResemblanceKind is what a payment resembles.
type ResemblanceKind uint8

const (
	YouPaid           ResemblanceKind = iota // a booking of the last 35 days
	StandingOrderPaid                        // a booking that a standing order made
	StandingOrderPays                        // an active standing order's coming occurrence
	TimedOrderPays                           // a scheduled timed order
	YouReceived                              // a refund: the money that came in from them
)

// Resemblance is one thing a payment under review resembles. Name is the
// bank's text: sanitise Sentence before drawing it.
type Resemblance struct {
	Kind     ResemblanceKind
	Date     Date
	Amount   int64 // cents, positive
	Name     string
	SameIBAN bool   // matched by IBAN, not only by name
	Ref      string // "tx:<id>", "standing:<id>" or "timed:<id>"
	// Sentence says it: "a standing order paid 950,00 € to Hausverwaltung
	// Sonnenhof GmbH on 01.12.", "you received 131,94 € from them on 22.11.".
	Sentence string

	distance int // days from the nearest day the payment books
}

// Resemblances lists what pay resembles among the paying account's history
// and orders (pass other accounts' orders as well to catch a payee that one
// of them already pays), most relevant first; nil when nothing does. today
// is a day in loc, the bank's time zone.
func Resemblances(pay Payment, h *history.History, standing []api.StandingOrder, timed []api.TimedOrderListItem, today Date, loc *time.Location) []Resemblance {
	if loc == nil {
		loc = time.UTC
	}
	if pay.Amount <= 0 {
		return nil
	}
	f := newFolder()
	name, iban := fold(pay.Name), normIBAN(pay.IBAN)
	party := func(n, i string) (match, sameIBAN bool) {
		sameIBAN = iban != "" && i != "" && f.iban(i) == iban
		return sameIBAN || name != "" && f.name(n) == name, sameIBAN
	}
	similar := func(amount int64) bool { return amount > 0 && within(amount, pay.Amount, GuardPercent) }

	// The days the payment books; for a standing order its first year.
	var payDays []Date
	first := pay.firstDay(today, loc)
	pay.each(today, max(first, today)+366, loc, func(d Date) bool {
		payDays = append(payDays, d)
		return true
	})
	if len(payDays) == 0 {
		payDays = []Date{max(first, today)}
	}
	nearest := func(d Date) int {
		best := -1
		for _, p := range payDays {
			dist := int(d - p)
			if dist < 0 {
				dist = -dist
			}
			if best < 0 || dist < best {
				best = dist
			}
		}
		return best
	}
	horizon := payDays[len(payDays)-1] + GuardDays

	orderE2E := map[string]bool{}
	active := map[ibanAmount]bool{}
	for _, o := range standing {
		if o.E2EID != nil && *o.E2EID != "" {
			orderE2E[*o.E2EID] = true
		}
		if o.Status == api.StatusActive {
			active[ibanAmount{normIBAN(o.IBAN), o.Amount}] = true
		}
	}

	var out []Resemblance
	add := func(r Resemblance) {
		amount := sepa.FormatEuro(r.Amount)
		when := r.Date.short()
		if d := int(r.Date - today); d > GuardDays || d < -GuardDays {
			when = r.Date.full()
		}
		switch r.Kind {
		case YouPaid:
			r.Sentence = fmt.Sprintf("you paid %s to %s on %s", amount, r.Name, when)
		case StandingOrderPaid:
			r.Sentence = fmt.Sprintf("a standing order paid %s to %s on %s", amount, r.Name, when)
		case StandingOrderPays:
			r.Sentence = fmt.Sprintf("a standing order pays %s to %s on %s", amount, r.Name, when)
		case TimedOrderPays:
			r.Sentence = fmt.Sprintf("a timed order pays %s to %s on %s", amount, r.Name, when)
		case YouReceived:
			r.Sentence = fmt.Sprintf("you received %s from them on %s", amount, when)
		}
		if r.Sentence[len(r.Sentence)-1] != '.' {
			r.Sentence += "."
		}
		out = append(out, r)
	}

	z := newDayer(loc)
	var valuta api.TxTime // read into for each booking, kept by none
	for i := range h.Len() {
		booking := h.Read(i, &valuta)
		tx := &booking
		d := z.day(tx.BookingDate.Time)
		if d < today-GuardDays || d > today || tx.Amount == 0 {
			continue
		}
		match, sameIBAN := party(api.Str(tx.Name), api.Str(tx.IBAN))
		if !match {
			continue
		}
		r := Resemblance{Date: d, Name: api.Str(tx.Name), SameIBAN: sameIBAN, Ref: "tx:" + strconv.FormatInt(tx.ID, 10), distance: nearest(d)}
		switch {
		case tx.Amount < 0 && similar(-tx.Amount):
			r.Kind, r.Amount = YouPaid, -tx.Amount
			if tx.E2EID != nil && orderE2E[*tx.E2EID] || active[ibanAmount{f.iban(api.Str(tx.IBAN)), -tx.Amount}] {
				r.Kind = StandingOrderPaid
			}
		case tx.Amount > 0 && pay.Refund && similar(tx.Amount):
			r.Kind, r.Amount = YouReceived, tx.Amount
		default:
			continue
		}
		add(r)
	}
	for _, o := range standing {
		match, sameIBAN := party(o.Name, o.IBAN)
		if !match || !similar(o.Amount) {
			continue
		}
		s, ok := newStandingSchedule(o, nil)
		if !ok {
			continue
		}
		best, bestDist := Date(0), -1
		s.each(loc, today, horizon, func(d Date) bool {
			if dist := nearest(d); d >= today && dist <= GuardDays && (bestDist < 0 || dist < bestDist) {
				best, bestDist = d, dist
			}
			return true
		})
		if bestDist >= 0 {
			add(Resemblance{Kind: StandingOrderPays, Date: best, Amount: o.Amount, Name: o.Name, SameIBAN: sameIBAN,
				Ref: "standing:" + strconv.FormatInt(o.ID, 10), distance: bestDist})
		}
	}
	for _, o := range timed {
		d, ok := timedDay(o, loc)
		if !ok || d < today {
			continue
		}
		match, sameIBAN := party(o.RecipientName, o.RecipientIBAN)
		amount := -timedAmount(o)
		if dist := nearest(d); match && similar(amount) && dist <= GuardDays {
			add(Resemblance{Kind: TimedOrderPays, Date: d, Amount: amount, Name: o.RecipientName, SameIBAN: sameIBAN,
				Ref: "timed:" + o.ID, distance: dist})
		}
	}
	slices.SortStableFunc(out, func(a, b Resemblance) int {
		return cmp.Or(
			cmp.Compare(b2i(a.Kind == YouReceived), b2i(b.Kind == YouReceived)),
			cmp.Compare(b2i(!a.SameIBAN), b2i(!b.SameIBAN)),
			cmp.Compare(abs(a.Amount-pay.Amount), abs(b.Amount-pay.Amount)),
			cmp.Compare(a.distance, b.distance),
			cmp.Compare(a.Date, b.Date),
			cmp.Compare(a.Ref, b.Ref))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
