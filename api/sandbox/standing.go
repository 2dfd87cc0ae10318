package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"konto/api"
	"konto/api/sepa"
)

// standingOrder is a standing order as the bank keeps it.
type standingOrder struct {
	id           int64
	account      *account
	status       string
	name, iban   string
	amount       int64
	note, e2eID  *string
	reoccurrence string
	// Occurrences are anchor + executed×interval, clamped to the month's end,
	// so a order on the 31st runs on the 30th in April and the 31st in May.
	anchor   time.Time
	executed int
	next     *time.Time
	last     *time.Time // lastExecutionDate as given
}

// standingDraft is a create awaiting its TAN.
type standingDraft struct {
	reoccurrence string
	first        time.Time
	last         *time.Time
}

// standingUpdate is a PATCH awaiting its TAN; unset fields stay unchanged.
type standingUpdate struct {
	amount       *int64
	note         api.Opt[string]
	e2eID        api.Opt[string]
	reoccurrence *string
	last         api.Opt[time.Time]
}

func (o *standingOrder) wire() api.StandingOrder {
	out := api.StandingOrder{
		ID:           o.id,
		Status:       o.status,
		Name:         o.name,
		IBAN:         o.iban,
		Amount:       o.amount,
		Description:  o.note,
		Reoccurrence: o.reoccurrence,
		E2EID:        o.e2eID,
	}
	if o.last != nil {
		out.LastExecutionDate = &api.OrderTime{Time: *o.last}
	}
	if o.next != nil {
		out.NextOccurrence = &api.OrderTime{Time: *o.next}
	}
	return out
}

func reoccurrenceField(f fields, required bool) (*string, *failure) {
	s, bad := f.str("reoccurrence", required)
	if bad != nil || s == nil {
		if bad == nil && f.has("reoccurrence") {
			bad = invalid("reoccurrence", "reoccurrence cannot be null")
		}
		return nil, bad
	}
	if intervalMonths(*s) == 0 {
		return nil, invalid("reoccurrence", "reoccurrence must be MONTHLY, QUARTERLY, EVERY_SIX_MONTHS or ANNUALLY")
	}
	return s, nil
}

// GET /api/accounts/{id}/standing-orders: newest order first.
func (b *Bank) listStandingOrders(q *call) (any, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	out := make([]api.StandingOrder, 0, len(acc.standing))
	for i := len(acc.standing) - 1; i >= 0; i-- {
		out = append(out, acc.standing[i].wire())
	}
	return out, nil
}

// POST /api/accounts/{id}/standing-orders
func (b *Bank) createStandingOrder(q *call) (any, *failure) {
	acc, f, pay, bad := paymentCall(q)
	if bad != nil {
		return nil, bad
	}
	reoccurrence, bad := reoccurrenceField(f, true)
	if bad != nil {
		return nil, bad
	}
	first, bad := f.time("firstExecutionDate", true)
	if bad != nil {
		return nil, bad
	}
	if day(*first).Before(day(q.now)) {
		return nil, invalid("firstExecutionDate", "firstExecutionDate must be today or later")
	}
	last, bad := f.time("lastExecutionDate", false)
	if bad != nil {
		return nil, bad
	}
	if last != nil && day(*last).Before(day(*first)) {
		return nil, invalid("lastExecutionDate", "lastExecutionDate must not be before firstExecutionDate")
	}
	id := hex32(b.rng)
	p := b.newPending(id, kindStandingCreate, acc, q.now, fmt.Sprintf("standing order of %s %s to %s",
		sepa.FormatEuro(pay.amount), strings.ToLower(strings.ReplaceAll(*reoccurrence, "_", " ")), pay.recipient))
	p.payment = pay
	p.draft = standingDraft{reoccurrence: *reoccurrence, first: day(*first), last: last}
	return api.StandingOrderPending{RequestID: id, Status: api.StatusConfirmationRequired,
		Amount: pay.amount, Recipient: pay.recipient, IBAN: pay.iban, E2EID: pay.e2eID}, nil
}

// standingParam resolves {account} and {order}.
func standingParam(q *call) (*standingOrder, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	id, err := strconv.ParseInt(q.params[1], 10, 64)
	if err == nil {
		for _, o := range acc.standing {
			if o.id == id {
				return o, nil
			}
		}
	}
	return nil, notFound("standing order")
}

func notActive(o *standingOrder) *failure {
	return fail(http.StatusConflict, api.CodeConflict, fmt.Sprintf("standing order %d is %s, not ACTIVE", o.id, o.status))
}

// updatableKeys are the keys a standing-order PATCH may change (the doc's list).
var updatableKeys = []string{"amount", "note", "e2eId", "reoccurrence", "lastExecutionDate"}

// PATCH /api/accounts/{id}/standing-orders/{order}: amount, note, e2eId,
// reoccurrence and lastExecutionDate only. Unknown keys are ignored; a
// recipient or iban is accepted only if it repeats the order's own (a
// client may send the whole order back), since silently keeping the old
// payee after a TAN would be worse than saying no. A body that changes
// nothing is refused rather than costing the user a TAN.
func (b *Bank) updateStandingOrder(q *call) (any, *failure) {
	o, bad := standingParam(q)
	if bad != nil {
		return nil, bad
	}
	f, bad := parseObject(q.body, true)
	if bad != nil {
		return nil, bad
	}
	if f.present("recipient") {
		s, bad := f.str("recipient", false)
		if bad != nil {
			return nil, bad
		}
		if *s != o.name {
			return nil, invalid("recipient", "the recipient of a standing order cannot be changed: cancel it and create a new one")
		}
	}
	if f.present("iban") {
		s, bad := f.str("iban", false)
		if bad != nil {
			return nil, bad
		}
		if sepa.NormalizeIBAN(*s) != o.iban {
			return nil, invalid("iban", "the IBAN of a standing order cannot be changed: cancel it and create a new one")
		}
	}
	if !slices.ContainsFunc(updatableKeys, f.has) {
		return nil, fail(http.StatusBadRequest, api.CodeValidation,
			"nothing to change: send amount, note, e2eId, reoccurrence or lastExecutionDate")
	}
	var upd standingUpdate
	if f.has("amount") {
		n, bad := f.amount("amount")
		if bad != nil {
			return nil, bad
		}
		upd.amount = &n
	}
	for _, t := range []struct {
		key string
		max int
		dst *api.Opt[string]
	}{{"note", sepa.MaxNoteLen, &upd.note}, {"e2eId", sepa.MaxE2EIDLen, &upd.e2eID}} {
		if !f.has(t.key) {
			continue
		}
		s, bad := f.text(t.key, false, t.max)
		if bad != nil {
			return nil, bad
		}
		if s == nil {
			*t.dst = api.Null[string]()
		} else {
			*t.dst = api.Some(*s)
		}
	}
	if upd.reoccurrence, bad = reoccurrenceField(f, false); bad != nil {
		return nil, bad
	}
	if f.has("lastExecutionDate") {
		last, bad := f.time("lastExecutionDate", false)
		switch {
		case bad != nil:
			return nil, bad
		case last == nil:
			upd.last = api.Null[time.Time]()
		case day(*last).Before(day(q.now)):
			return nil, invalid("lastExecutionDate", "lastExecutionDate must not be in the past")
		default:
			upd.last = api.Some(*last)
		}
	}
	if o.status != api.StatusActive {
		return nil, notActive(o)
	}
	amount, e2e := o.amount, o.e2eID
	if upd.amount != nil {
		amount = *upd.amount
	}
	if upd.e2eID.Set {
		e2e = optPtr(upd.e2eID)
	}
	id := hex32(b.rng)
	p := b.newPending(id, kindStandingUpdate, o.account, q.now,
		fmt.Sprintf("changing the standing order to %s (%s)", o.name, sepa.FormatEuro(amount)))
	p.order, p.update = o, upd
	return api.StandingOrderPending{RequestID: id, Status: api.StatusConfirmationRequired,
		Amount: amount, Recipient: o.name, IBAN: o.iban, E2EID: e2e}, nil
}

func optPtr[T any](o api.Opt[T]) *T {
	if !o.Set || o.Null {
		return nil
	}
	v := o.Value
	return &v
}

// PATCH /api/accounts/{id}/standing-orders/{order}/cancel (body ignored)
func (b *Bank) cancelStandingOrder(q *call) (any, *failure) {
	o, bad := standingParam(q)
	if bad != nil {
		return nil, bad
	}
	if o.status != api.StatusActive {
		return nil, notActive(o)
	}
	id := hex32(b.rng)
	p := b.newPending(id, kindStandingCancel, o.account, q.now, "cancelling the standing order to "+o.name)
	p.order = o
	return api.StandingOrderCancelPending{RequestID: id, Status: api.StatusConfirmationRequired}, nil
}

// POST /api/accounts/{id}/standing-orders/confirm {requestId, authorizationToken}
func (b *Bank) confirmStandingOrder(q *call) (any, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	f, bad := parseObject(q.body, false)
	if bad != nil {
		return nil, bad
	}
	requestID, bad := f.str("requestId", true)
	if bad != nil {
		return nil, bad
	}
	given, bad := f.str("authorizationToken", false)
	if bad != nil {
		return nil, bad
	}
	p := b.pending[*requestID]
	if p == nil || p.account != acc || (p.kind != kindStandingCreate && p.kind != kindStandingUpdate && p.kind != kindStandingCancel) {
		return nil, notFound("standing order request")
	}
	if p.done {
		return p.replay(api.Str(given))
	}
	if p.order != nil && p.order.status != api.StatusActive && !p.voided {
		return nil, notActive(p.order)
	}
	if bad := p.checkTAN(api.Str(given), "authorizationToken", q.now); bad != nil {
		return nil, bad
	}
	var o *standingOrder
	switch p.kind {
	case kindStandingCreate:
		o = b.addStandingOrder(acc, p.payment, p.draft)
	case kindStandingUpdate:
		o = p.order
		o.apply(p.update, q.now)
	case kindStandingCancel:
		o = p.order
		o.status = api.StatusCanceled
	}
	p.done = true
	p.result = o.wire()
	return p.result, nil
}

// addStandingOrder creates an ACTIVE order. The caller holds b.mu.
func (b *Bank) addStandingOrder(acc *account, pay paymentInput, d standingDraft) *standingOrder {
	e2e := pay.e2eID
	if e2e == nil || *e2e == "" {
		e2e = api.Ptr("E-" + hex32(b.rng))
	}
	o := &standingOrder{
		id:           b.nextOrderID,
		account:      acc,
		status:       api.StatusActive,
		name:         pay.recipient,
		iban:         pay.iban,
		amount:       pay.amount,
		note:         pay.note,
		e2eID:        e2e,
		reoccurrence: d.reoccurrence,
		anchor:       d.first,
		last:         d.last,
	}
	b.nextOrderID++
	o.schedule()
	acc.standing = append(acc.standing, o)
	return o
}

// apply changes an order; a new interval counts from the next occurrence.
func (o *standingOrder) apply(u standingUpdate, now time.Time) {
	if u.amount != nil {
		o.amount = *u.amount
	}
	if u.note.Set {
		o.note = optPtr(u.note)
	}
	if u.e2eID.Set {
		o.e2eID = optPtr(u.e2eID)
	}
	if u.reoccurrence != nil && *u.reoccurrence != o.reoccurrence {
		if o.next != nil {
			o.anchor = *o.next
		} else {
			o.anchor = day(now).AddDate(0, 0, 1)
		}
		o.executed = 0
		o.reoccurrence = *u.reoccurrence
	}
	if u.last.Set {
		o.last = optPtr(u.last)
		if o.next == nil && o.last == nil {
			o.anchor, o.executed = day(now).AddDate(0, 0, 1), 0
		}
	}
	o.schedule()
}
