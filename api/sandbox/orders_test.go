package sandbox

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"konto/api"
)

// The doc's standing-order example with the dates moved into the future
// (testStart is 2026-11-25).
const standingBody = `{
    "recipient": "John Smith",
    "iban": "DE33100110012626008537",
    "amount": 12012,
    "note": "Regular payment",
    "e2eId": null,
    "reoccurrence": "MONTHLY",
    "firstExecutionDate": "2026-11-27T14:32:08.604Z",
    "lastExecutionDate": null
  }`

func (tb *testBank) confirmStanding(requestID string) api.StandingOrder {
	tb.t.Helper()
	sms := tb.lastTAN()
	if sms.RequestID != requestID {
		tb.t.Fatalf("newest SMS is for %s, want %s", sms.RequestID, requestID)
	}
	var o api.StandingOrder
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders/confirm",
		`{"requestId": "`+requestID+`", "authorizationToken": "`+sms.TAN+`"}`), &o)
	return o
}

func TestStandingOrderLifecycle(t *testing.T) {
	tb := newTestBank(t, Options{})
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", standingBody), &pending)
	if pending.Status != "CONFIRMATION_REQUIRED" || pending.Amount != 12012 || pending.Recipient != "John Smith" ||
		pending.IBAN != "DE33100110012626008537" || pending.E2EID != nil || pending.RequestID == "" {
		t.Fatalf("create answered %+v", pending)
	}
	o := tb.confirmStanding(pending.RequestID)
	if o.ID == 0 || o.Status != "ACTIVE" || o.Name != "John Smith" || api.Str(o.Description) != "Regular payment" ||
		o.Reoccurrence != "MONTHLY" || o.LastExecutionDate != nil || !regexp.MustCompile(`^E-[0-9a-f]{32}$`).MatchString(api.Str(o.E2EID)) {
		t.Fatalf("confirm answered %+v", o)
	}
	raw := tb.do("GET", "/api/accounts/4711/standing-orders/", "")
	if !strings.Contains(string(raw.body), `"nextOccurrence":"2026-11-27T00:00:00.000+00:00"`) {
		t.Errorf("list lacks the new order's nextOccurrence in the doc's layout: %s", raw.body)
	}
	var list []api.StandingOrder
	tb.ok(raw, &list)
	if len(list) < 2 || list[0].ID != o.ID {
		t.Fatalf("list %+v: new order not first", list)
	}
	orderPath := "/api/accounts/4711/standing-orders/" + itoa(o.ID)

	// Update as in the doc.
	tb.ok(tb.do("PATCH", orderPath, `{
    "amount": 500, "note": "Updated standing order", "reoccurrence": "QUARTERLY",
    "e2eId": "123456789", "lastExecutionDate": "2027-12-31T20:11:02.109Z", "recipient": "John Smith",
    "iban": "de33 1001 1001 2626 0085 37", "standingOrderToggle": true}`), &pending)
	if pending.Amount != 500 || api.Str(pending.E2EID) != "123456789" || pending.Recipient != "John Smith" {
		t.Fatalf("update answered %+v", pending)
	}
	o = tb.confirmStanding(pending.RequestID)
	if o.Amount != 500 || api.Str(o.Description) != "Updated standing order" || o.Reoccurrence != "QUARTERLY" ||
		o.LastExecutionDate == nil || o.Name != "John Smith" {
		t.Fatalf("updated order %+v", o)
	}

	// Cancel (empty body fine).
	var cancel api.StandingOrderCancelPending
	cr := tb.do("PATCH", orderPath+"/cancel/", "")
	tb.ok(cr, &cancel)
	var keys map[string]any
	json.Unmarshal(cr.body, &keys)
	if cancel.Status != "CONFIRMATION_REQUIRED" || len(keys) != 2 {
		t.Fatalf("cancel answered %s", cr.body)
	}
	o = tb.confirmStanding(cancel.RequestID)
	if o.Status != "CANCELED" {
		t.Fatalf("canceled order %+v", o)
	}
	tb.failed(tb.do("PATCH", orderPath, `{"amount": 1}`), 409, api.CodeConflict, "")
	tb.failed(tb.do("PATCH", orderPath+"/cancel", ""), 409, api.CodeConflict, "")
	tb.failed(tb.do("PATCH", "/api/accounts/4711/standing-orders/99999", `{"amount": 1}`), 404, api.CodeNotFound, "")
	tb.failed(tb.do("POST", "/api/accounts/4711/standing-orders/confirm", `{"requestId":"nope","authorizationToken":"123456"}`), 404, api.CodeNotFound, "")
}

func TestStandingOrderBadInput(t *testing.T) {
	tb := newTestBank(t, Options{})
	for field, body := range map[string]string{
		"reoccurrence":       strings.Replace(standingBody, "MONTHLY", "WEEKLY", 1),
		"firstExecutionDate": strings.Replace(standingBody, "2026-11-27", "2026-11-24", 1),
		"lastExecutionDate":  strings.Replace(standingBody, `"lastExecutionDate": null`, `"lastExecutionDate": "2026-11-26T00:00:00Z"`, 1),
		"iban":               strings.Replace(standingBody, "DE33100110012626008537", "DE33100110012626008538", 1),
		"amount":             strings.Replace(standingBody, "12012", "120.12", 1),
	} {
		tb.failed(tb.do("POST", "/api/accounts/4711/standing-orders", body), 400, api.CodeValidation, field)
	}
	tb.failed(tb.do("POST", "/api/accounts/4711/standing-orders", strings.Replace(standingBody, `"reoccurrence": "MONTHLY",`, "", 1)),
		400, api.CodeValidation, "reoccurrence")
	tb.failed(tb.do("PATCH", "/api/accounts/4711/standing-orders/1", `{"reoccurrence": "DAILY"}`), 400, api.CodeValidation, "reoccurrence")
	tb.failed(tb.do("PATCH", "/api/accounts/4711/standing-orders/1", `{"amount": null}`), 400, api.CodeValidation, "amount")
	tb.failed(tb.do("PATCH", "/api/accounts/4711/standing-orders/1", `{"note`), 400, api.CodeMalformed, "")
}

func TestStandingOrderTANRules(t *testing.T) {
	tb := newTestBank(t, Options{})
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", standingBody), &pending)
	sms := tb.lastTAN()
	confirm := func(tan string) resp {
		return tb.do("POST", "/api/accounts/4711/standing-orders/confirm", `{"requestId":"`+pending.RequestID+`","authorizationToken":"`+tan+`"}`)
	}
	tb.failed(confirm(wrongTAN(sms.TAN)), 400, api.CodeInvalidTAN, "authorizationToken")
	first := confirm(sms.TAN)
	tb.ok(first, nil)
	if again := confirm(sms.TAN); string(again.body) != string(first.body) {
		t.Errorf("replay answered %s, want %s", again.body, first.body)
	}
	if n := len(tb.standingOrders()); n != 5 {
		t.Errorf("%d orders after a replayed confirm, want 5", n)
	}
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", standingBody), &pending)
	tb.Advance(6 * time.Minute)
	tb.failed(confirm(tb.lastTAN().TAN), 410, api.CodeExpired, "")
}

func (tb *testBank) standingOrders() []api.StandingOrder {
	var list []api.StandingOrder
	tb.ok(tb.do("GET", "/api/accounts/4711/standing-orders", ""), &list)
	return list
}

func TestStandingOrderBooksAsTheClockPasses(t *testing.T) {
	tb := newTestBank(t, Options{})
	// Cancel the seeded orders so that only the new one books.
	for _, o := range tb.standingOrders() {
		if o.Status == "ACTIVE" {
			var c api.StandingOrderCancelPending
			tb.ok(tb.do("PATCH", "/api/accounts/4711/standing-orders/"+itoa(o.ID)+"/cancel", ""), &c)
			tb.confirmStanding(c.RequestID)
		}
	}
	tb.ok(tb.do("PATCH", "/api/accounts/4711/timed-orders/"+tb.timedOrders()[0].ID+"/cancel", ""), nil)
	body := strings.Replace(standingBody, `"lastExecutionDate": null`, `"lastExecutionDate": "2027-01-27T00:00:00.000Z"`, 1)
	body = strings.Replace(body, "2026-11-27T14", "2026-11-30T14", 1) // day 30: February clamps
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", body), &pending)
	o := tb.confirmStanding(pending.RequestID)
	before, total := tb.balance(4711), tb.page(4711, 1).Total

	tb.Advance(24 * time.Hour) // 26 Nov: nothing due yet
	if tb.balance(4711) != before {
		t.Fatal("booked before the first execution date")
	}
	tb.ok(tb.do("POST", "/sandbox/clock", `{"advance":"2400h"}`, "Authorization", ""), nil) // 100 days
	p := tb.page(4711, 1)
	if p.Total != total+2 || tb.balance(4711) != before-2*12012 {
		t.Fatalf("after 100 days: %d new bookings, balance %d; want 2 (30 Nov, 30 Dec) and %d", p.Total-total, tb.balance(4711), before-2*12012)
	}
	for i, want := range []string{"2026-12-30", "2026-11-30"} {
		tx := p.Results[i]
		if tx.BookingDate.Format(time.DateOnly) != want || tx.Amount != -12012 || api.Str(tx.Name) != "John Smith" ||
			api.Str(tx.E2EID) != api.Str(o.E2EID) || api.Str(tx.BookingType) != "SEPA_CREDIT_TRANSFER" {
			t.Errorf("booking %d: %+v on %s, want %s", i, tx, tx.BookingDate.Format(time.DateOnly), want)
		}
	}
	for _, got := range tb.standingOrders() {
		if got.ID == o.ID && got.NextOccurrence != nil {
			t.Errorf("finished order still has nextOccurrence %s", got.NextOccurrence)
		}
	}
}

func TestAddMonthsClamps(t *testing.T) {
	d := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	for months, want := range map[int]string{1: "2027-02-28", 3: "2027-04-30", 13: "2028-02-29", 12: "2028-01-31"} {
		if got := addMonths(d, months).Format(time.DateOnly); got != want {
			t.Errorf("31 Jan 2027 + %d months = %s, want %s", months, got, want)
		}
	}
}

const timedBody = `{
    "recipient": "John Smith",
    "iban": "DE33100110012626008537",
    "amount": 12012,
    "note": "Bill payment",
    "e2eId": null,
    "date": "2026-12-02T14:32:08.604Z"
  }`

func (tb *testBank) timedOrders() []api.TimedOrderListItem {
	var list []api.TimedOrderListItem
	tb.ok(tb.do("GET", "/api/accounts/4711/timed-orders", ""), &list)
	return list
}

func TestTimedOrderLifecycle(t *testing.T) {
	tb := newTestBank(t, Options{})
	seeded := tb.timedOrders()
	if len(seeded) != 1 || seeded[0].Status != "scheduled" || seeded[0].Type != "TIMED_ORDER" || seeded[0].Amount >= 0 {
		t.Fatalf("seeded timed orders %+v", seeded)
	}
	r := tb.do("POST", "/api/accounts/4711/timed-orders", timedBody)
	var created api.TimedOrder
	tb.ok(r, &created)
	for _, want := range []string{`"execute_at":"2026-12-02T12:00:00.000Z"`, `"executed_at":null`, `"status":"CONFIRMATION_REQUIRED"`,
		`"status":"scheduled"`, `"recipient_iban":"DE33100110012626008537"`, `"recipient_bic":""`, `"batch_id":null`,
		`"amount":{"value":12012,"currency":"EUR","unit":"cents"}`, `"description":"Bill payment"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("create answer lacks %s: %s", want, r.body)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(created.ID) ||
		!strings.HasPrefix(created.ScheduledTransaction.Reference, "R-") || !strings.HasPrefix(api.Str(created.ScheduledTransaction.EndToEndID), "E-") {
		t.Errorf("ids: %+v", created)
	}
	if len(tb.timedOrders()) != 1 {
		t.Error("an unconfirmed order is listed")
	}
	sms := tb.lastTAN()
	base := "/api/accounts/4711/timed-orders/" + created.ID
	tb.failed(tb.do("POST", base+"/confirm", `{"token":"`+wrongTAN(sms.TAN)+`"}`), 400, api.CodeInvalidTAN, "token")
	var confirmed api.TimedOrder
	tb.ok(tb.do("POST", base+"/confirm/", `{ "token":"`+sms.TAN+`" }`), &confirmed)
	if confirmed.Status != "SCHEDULED" {
		t.Fatalf("confirm answered %+v", confirmed)
	}
	list := tb.timedOrders()
	if len(list) != 2 || list[0].ID != created.ID || list[0].Amount != -12012 || api.Str(list[0].Purpose) != "Bill payment" ||
		list[0].RecipientName != "John Smith" || !list[0].Date.Equal(created.ExecuteAt.Time) {
		t.Fatalf("list %+v", list)
	}

	total := tb.page(4711, 1).Total
	tb.Advance(7*24*time.Hour - 6*time.Hour) // 2 Dec noon has passed; the seeded 4 Dec has not
	p := tb.page(4711, 1)
	// The seeded rent of 1 Dec books too.
	if p.Total != total+2 {
		t.Fatalf("%d new bookings, want 2 (rent, timed order)", p.Total-total)
	}
	tx := p.Results[0]
	if tx.BookingDate.Format(time.RFC3339) != "2026-12-02T12:00:00Z" || api.Str(tx.Purpose) != "Bill payment" || tx.Amount != -12012 {
		t.Errorf("booking %+v at %s", tx, tx.BookingDate)
	}
	if list := tb.timedOrders(); len(list) != 1 || list[0].ID == created.ID {
		t.Errorf("executed order still listed: %+v", list)
	}
}

func TestTimedOrderCancelAndBadInput(t *testing.T) {
	tb := newTestBank(t, Options{})
	seeded := tb.timedOrders()[0]
	var canceled api.TimedOrder
	r := tb.do("PATCH", "/api/accounts/4711/timed-orders/"+seeded.ID+"/cancel", "")
	tb.ok(r, &canceled)
	if canceled.Status != "CANCELED" || canceled.ScheduledTransaction.Status != "canceled" {
		t.Fatalf("cancel answered %s", r.body)
	}
	if len(tb.timedOrders()) != 0 {
		t.Error("canceled order listed")
	}
	tb.Advance(30 * 24 * time.Hour)
	for _, tx := range tb.page(4711, 1).Results {
		if api.Str(tx.Name) == seeded.RecipientName {
			t.Errorf("canceled timed order booked: %+v", tx)
		}
	}
	tb.failed(tb.do("PATCH", "/api/accounts/4711/timed-orders/"+seeded.ID+"/cancel", ""), 409, api.CodeConflict, "")
	tb.failed(tb.do("PATCH", "/api/accounts/4711/timed-orders/nope/cancel", ""), 404, api.CodeNotFound, "")
	tb.failed(tb.do("POST", "/api/accounts/4711/timed-orders", strings.Replace(timedBody, "2026-12-02", "2026-11-20", 1)), 400, api.CodeValidation, "date")
	tb.failed(tb.do("POST", "/api/accounts/4711/timed-orders", strings.Replace(timedBody, `"date"`, `"datum"`, 1)), 400, api.CodeValidation, "date")
	tb.failed(tb.do("POST", "/api/accounts/4711/timed-orders", strings.Replace(timedBody, "2026-12-02T14:32:08.604Z", "tomorrow", 1)), 400, api.CodeValidation, "date")
}
