package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"konto/api"
	"konto/api/sepa"
)

// timedOrder is a timed order as the bank keeps it; wire is its answer shape.
type timedOrder struct {
	account *account
	wire    api.TimedOrder
}

// POST /api/accounts/{id}/timed-orders {recipient, iban, amount, note, e2eId, date}
func (b *Bank) createTimedOrder(q *call) (any, *failure) {
	acc, f, pay, bad := paymentCall(q)
	if bad != nil {
		return nil, bad
	}
	date, bad := f.time("date", true)
	if bad != nil {
		return nil, bad
	}
	if !date.After(q.now) {
		return nil, invalid("date", "date must be in the future")
	}
	// The bank executes at noon UTC of the day (the doc's 14:32 becomes
	// 12:00), or at the time given when that noon has already passed.
	executeAt := day(*date).Add(12 * time.Hour)
	if !executeAt.After(q.now) {
		executeAt = *date
	}
	o := b.addTimedOrder(acc, pay, executeAt, q.now, api.StatusConfirmationRequired)
	b.newPending(o.wire.ID, kindTimed, acc, q.now, fmt.Sprintf("timed order of %s on %s to %s",
		sepa.FormatEuro(pay.amount), executeAt.Format("02.01.2006"), pay.recipient)).timed = o
	return o.wire, nil
}

// addTimedOrder creates a timed order. The caller holds b.mu.
func (b *Bank) addTimedOrder(acc *account, pay paymentInput, executeAt, now time.Time, status string) *timedOrder {
	id, txID, ref := uuid(b.rng), uuid(b.rng), hex32(b.rng)
	e2e := pay.e2eID
	if e2e == nil || *e2e == "" {
		e2e = api.Ptr("E-" + ref)
	}
	o := &timedOrder{account: acc, wire: api.TimedOrder{
		ID:        id,
		ExecuteAt: api.ZTime{Time: executeAt},
		Status:    status,
		ScheduledTransaction: api.ScheduledTransaction{
			ID:            txID,
			Status:        "scheduled",
			Reference:     "R-" + ref,
			Description:   pay.note,
			RecipientIBAN: pay.iban,
			RecipientName: pay.recipient,
			RecipientBIC:  "",
			EndToEndID:    e2e,
			CreatedAt:     api.ZTime{Time: now},
			Amount:        api.Money{Value: pay.amount, Currency: "EUR", Unit: "cents"},
		},
	}}
	b.timed[id] = o
	acc.timed = append(acc.timed, o)
	return o
}

func timedParam(q *call) (*timedOrder, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	for _, o := range acc.timed {
		if o.wire.ID == q.params[1] {
			return o, nil
		}
	}
	return nil, notFound("timed order")
}

// POST /api/accounts/{id}/timed-orders/{order}/confirm {"token"}
func (b *Bank) confirmTimedOrder(q *call) (any, *failure) {
	o, bad := timedParam(q)
	if bad != nil {
		return nil, bad
	}
	f, bad := parseObject(q.body, false)
	if bad != nil {
		return nil, bad
	}
	given, bad := f.str("token", false)
	if bad != nil {
		return nil, bad
	}
	p := b.pending[o.wire.ID]
	if p == nil {
		// Seeded orders were never awaiting a TAN.
		return nil, fail(http.StatusConflict, api.CodeConflict, "this timed order is "+o.wire.Status)
	}
	if p.done {
		return p.replay(api.Str(given))
	}
	if o.wire.Status != api.StatusConfirmationRequired {
		return nil, fail(http.StatusConflict, api.CodeConflict, "this timed order is "+o.wire.Status)
	}
	if bad := p.checkTAN(api.Str(given), "token", q.now); bad != nil {
		return nil, bad
	}
	o.wire.Status = api.StatusScheduled
	p.done = true
	p.result = o.wire
	return p.result, nil
}

// PATCH /api/accounts/{id}/timed-orders/{order}/cancel: no TAN needed.
func (b *Bank) cancelTimedOrder(q *call) (any, *failure) {
	o, bad := timedParam(q)
	if bad != nil {
		return nil, bad
	}
	if o.wire.Status != api.StatusScheduled {
		return nil, fail(http.StatusConflict, api.CodeConflict, "only a SCHEDULED timed order can be canceled; this one is "+o.wire.Status)
	}
	o.wire.Status = api.StatusCanceled
	o.wire.ScheduledTransaction.Status = "canceled"
	return o.wire, nil
}

// GET /api/accounts/{id}/timed-orders: scheduled ones only, soonest first.
func (b *Bank) listTimedOrders(q *call) (any, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	out := []api.TimedOrderListItem{}
	for _, o := range acc.timed {
		if o.wire.Status != api.StatusScheduled {
			continue
		}
		st := o.wire.ScheduledTransaction
		out = append(out, api.TimedOrderListItem{
			ID:            o.wire.ID,
			RecipientName: st.RecipientName,
			RecipientIBAN: st.RecipientIBAN,
			Date:          o.wire.ExecuteAt,
			Purpose:       st.Description,
			Amount:        -st.Amount.Value,
			E2EID:         st.EndToEndID,
			Status:        "scheduled",
			Type:          "TIMED_ORDER",
		})
	}
	slices.SortStableFunc(out, func(a, b api.TimedOrderListItem) int { return a.Date.Compare(b.Date.Time) })
	return out, nil
}
