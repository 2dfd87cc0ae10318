package sandbox

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"konto/api"
)

// transferBody is the doc's transfer example.
const transferBody = `{
        "recipient": "Karl Brenner",
        "iban": "DE89370400440532013000",
        "amount": 1250,
        "note": "Thank you for paying my lunch",
        "e2eId": null
      }`

// confirmBody is the doc's confirm example with the given TAN (and without
// e2eId, which must equal the create's null).
func confirmBody(tan string) string {
	return `{"authorizationToken": "` + tan + `", "note": "Thank you for paying my lunch",
		"amount": 1250, "iban": "DE89370400440532013000", "recipient": "Karl Brenner", "standingOrderToggle": false}`
}

func (tb *testBank) createTransfer(body string) (api.Transfer, api.SMS) {
	tb.t.Helper()
	var tr api.Transfer
	tb.ok(tb.do("POST", "/api/accounts/4711/transfer", body), &tr)
	return tr, tb.lastTAN()
}

func TestTransferAsInTheDoc(t *testing.T) {
	tb := newTestBank(t, Options{})
	before, total := tb.balance(4711), tb.page(4711, 1).Total
	tr, sms := tb.createTransfer(transferBody)
	if tr.Status != "confirmation_required" || tr.Amount != 1250 || tr.Recipient != "Karl Brenner" ||
		tr.IBAN != "DE89370400440532013000" || api.Str(tr.Note) != "Thank you for paying my lunch" || tr.Meta.AuthorizationTokenLength != 6 {
		t.Fatalf("create answered %+v", tr)
	}
	if !regexp.MustCompile(`^/api/accounts/4711/transfer/[0-9a-f]{32}ctrx$`).MatchString(tr.Links.Self) {
		t.Fatalf("links.self %q", tr.Links.Self)
	}
	if !regexp.MustCompile(`^\d{6}$`).MatchString(sms.TAN) || sms.To != "Aladdin" || !strings.HasSuffix(tr.Links.Self, sms.RequestID) ||
		sms.Text != "your TAN for transfer of 12,50 € to Karl Brenner is "+sms.TAN {
		t.Fatalf("SMS %+v", sms)
	}
	if tb.balance(4711) != before {
		t.Fatal("create moved money")
	}

	first := tb.do("PUT", tr.Links.Self+"/", confirmBody(sms.TAN))
	var done api.Transfer
	tb.ok(first, &done)
	if done.Status != "accepted" || done.Amount != 1250 || done.Links.Self != tr.Links.Self {
		t.Fatalf("confirm answered %+v", done)
	}
	if got := tb.balance(4711); got != before-1250 {
		t.Fatalf("balance %d, want %d", got, before-1250)
	}
	p := tb.page(4711, 1)
	tx := p.Results[0]
	if p.Total != total+1 || tx.Amount != -1250 || api.Str(tx.Name) != "Karl Brenner" || api.Str(tx.IBAN) != "DE89370400440532013000" ||
		api.Str(tx.Purpose) != "Thank you for paying my lunch" || api.Str(tx.BookingType) != "SEPA_CREDIT_TRANSFER" ||
		api.Str(tx.PaymentMethod) != "bank_account" || tx.E2EID != nil || !sameDay(tx.BookingDate.Time, testStart) {
		t.Fatalf("booked %+v (total %d → %d)", tx, total, p.Total)
	}

	// A repeated confirm answers the same and books nothing.
	again := tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN))
	if again.status != 200 || string(again.body) != string(first.body) {
		t.Fatalf("replay answered %d %s", again.status, again.body)
	}
	if tb.balance(4711) != before-1250 || tb.page(4711, 1).Total != total+1 {
		t.Fatal("replay booked twice")
	}
	tb.failed(tb.do("PUT", tr.Links.Self, confirmBody(wrongTAN(sms.TAN))), 409, api.CodeConflict, "")
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Truncate(24 * time.Hour).Equal(b.UTC().Truncate(24 * time.Hour))
}

func TestTransferBadInput(t *testing.T) {
	tb := newTestBank(t, Options{})
	body := func(mutate func(m map[string]any)) string {
		var m map[string]any
		json.Unmarshal([]byte(transferBody), &m)
		mutate(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	cases := []struct {
		name, body, code, field string
	}{
		{"malformed JSON", `{"recipient": "Karl`, api.CodeMalformed, ""},
		{"not an object", `[1,2]`, api.CodeMalformed, ""},
		{"empty body", ``, api.CodeMalformed, ""},
		{"no recipient", body(func(m map[string]any) { delete(m, "recipient") }), api.CodeValidation, "recipient"},
		{"blank recipient", body(func(m map[string]any) { m["recipient"] = "  " }), api.CodeValidation, "recipient"},
		{"no iban", body(func(m map[string]any) { delete(m, "iban") }), api.CodeValidation, "iban"},
		{"bad checksum", body(func(m map[string]any) { m["iban"] = "DE89370400440532013001" }), api.CodeValidation, "iban"},
		{"no amount", body(func(m map[string]any) { delete(m, "amount") }), api.CodeValidation, "amount"},
		{"zero amount", body(func(m map[string]any) { m["amount"] = 0 }), api.CodeValidation, "amount"},
		{"negative amount", body(func(m map[string]any) { m["amount"] = -5 }), api.CodeValidation, "amount"},
		{"fractional amount", strings.Replace(transferBody, "1250", "12.5", 1), api.CodeValidation, "amount"},
		{"exponent amount", strings.Replace(transferBody, "1250", "1e3", 1), api.CodeValidation, "amount"},
		{"string amount", body(func(m map[string]any) { m["amount"] = "12" }), api.CodeValidation, "amount"},
		{"note too long", body(func(m map[string]any) { m["note"] = strings.Repeat("x", 141) }), api.CodeValidation, "note"},
		{"escape in recipient", body(func(m map[string]any) { m["recipient"] = "Karl \x1b[31mBrenner" }), api.CodeValidation, "recipient"},
		{"newline in note", body(func(m map[string]any) { m["note"] = "line\nbreak" }), api.CodeValidation, "note"},
		{"bidi in note", body(func(m map[string]any) { m["note"] = "abc\u202edef" }), api.CodeValidation, "note"},
		{"C1 in e2eId", body(func(m map[string]any) { m["e2eId"] = "E-\u009b1" }), api.CodeValidation, "e2eId"},
		{"e2eId too long", body(func(m map[string]any) { m["e2eId"] = strings.Repeat("9", 36) }), api.CodeValidation, "e2eId"},
		{"note not a string", body(func(m map[string]any) { m["note"] = 7 }), api.CodeValidation, "note"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb.t = t
			tb.failed(tb.do("POST", "/api/accounts/4711/transfer", c.body), 400, c.code, c.field)
		})
	}
	tb.t = t
	if n := len(tb.Outbox()); n != 0 {
		t.Errorf("%d SMS sent for refused requests", n)
	}
	// Unknown fields are ignored, the note may be left out, and a 140-character
	// note with umlauts is fine.
	tb.ok(tb.do("POST", "/api/accounts/4711/transfer/", body(func(m map[string]any) {
		m["standingOrderToggle"] = true
		delete(m, "note")
		delete(m, "e2eId")
	})), nil)
	tb.ok(tb.do("POST", "/api/accounts/4711/transfer", body(func(m map[string]any) { m["note"] = strings.Repeat("ü", 140) })), nil)
	tb.ok(tb.do("POST", "/api/accounts/4711/transfer", body(func(m map[string]any) { m["iban"] = "de89 3704 0044 0532 0130 00" })), nil)
}

func TestWrongTANThreeTimesVoids(t *testing.T) {
	tb := newTestBank(t, Options{})
	before := tb.balance(4711)
	tr, sms := tb.createTransfer(transferBody)
	wrong := wrongTAN(sms.TAN)
	for _, left := range []int{2, 1} {
		item := tb.failed(tb.do("PUT", tr.Links.Self, confirmBody(wrong)), 400, api.CodeInvalidTAN, "authorizationToken")
		if got, _ := item.Meta["triesLeft"].(float64); int(got) != left {
			t.Errorf("triesLeft %v, want %d", item.Meta["triesLeft"], left)
		}
	}
	tb.failed(tb.do("PUT", tr.Links.Self, confirmBody(wrong)), 403, api.CodeVoided, "")
	tb.failed(tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN)), 403, api.CodeVoided, "")
	if tb.balance(4711) != before {
		t.Error("a voided request booked")
	}
	// A missing TAN uses no try.
	tr, sms = tb.createTransfer(transferBody)
	tb.failed(tb.do("PUT", tr.Links.Self, strings.Replace(confirmBody(""), `"authorizationToken": "",`, "", 1)), 400, api.CodeValidation, "authorizationToken")
	tb.ok(tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN)), nil)
}

func TestTANExpires(t *testing.T) {
	tb := newTestBank(t, Options{})
	tr, sms := tb.createTransfer(transferBody)
	tb.Advance(5*time.Minute + time.Second)
	tb.failed(tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN)), 410, api.CodeExpired, "")

	tr, sms = tb.createTransfer(transferBody)
	tb.Advance(4 * time.Minute)
	tb.ok(tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN)), nil)
}

func TestConfirmWithOtherPayloadIsRefused(t *testing.T) {
	tb := newTestBank(t, Options{})
	before := tb.balance(4711)
	tr, sms := tb.createTransfer(transferBody)
	for field, body := range map[string]string{
		"amount":    strings.Replace(confirmBody(sms.TAN), "1250", "1251", 1),
		"recipient": strings.Replace(confirmBody(sms.TAN), "Karl Brenner", "Karl Brenne", 1),
		"note":      strings.Replace(confirmBody(sms.TAN), "lunch", "dinner", 1),
		"e2eId":     strings.Replace(confirmBody(sms.TAN), "{", `{"e2eId":"X-1",`, 1),
	} {
		tb.failed(tb.do("PUT", tr.Links.Self, body), 400, api.CodeValidation, field)
	}
	// Not voided, and nothing used up: the exact payload still confirms.
	tb.ok(tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN)), nil)
	if tb.balance(4711) != before-1250 {
		t.Error("not booked")
	}
	tb.failed(tb.do("PUT", "/api/accounts/4711/transfer/00000000000000000000000000000000ctrx", confirmBody(sms.TAN)), 404, api.CodeNotFound, "")
	tb.failed(tb.do("PUT", "/api/accounts/4712/transfer/"+sms.RequestID, confirmBody(sms.TAN)), 404, api.CodeNotFound, "")
}

func TestInsufficientFunds(t *testing.T) {
	tb := newTestBank(t, Options{})
	balance := tb.balance(4711)
	over := strings.Replace(transferBody, "1250", itoa(balance+1), 1)
	tb.failed(tb.do("POST", "/api/accounts/4711/transfer", over), 422, api.CodeInsufficientFunds, "amount")

	// Two transfers of most of the money: the second fails at confirm.
	most := strings.Replace(transferBody, "1250", itoa(balance-100), 1)
	confirmMost := func(tan string) string {
		return strings.Replace(confirmBody(tan), "1250", itoa(balance-100), 1)
	}
	a, smsA := tb.createTransfer(most)
	b, smsB := tb.createTransfer(most)
	tb.ok(tb.do("PUT", a.Links.Self, confirmMost(smsA.TAN)), nil)
	tb.failed(tb.do("PUT", b.Links.Self, confirmMost(smsB.TAN)), 422, api.CodeInsufficientFunds, "amount")
	if got := tb.balance(4711); got != 100 {
		t.Errorf("balance %d, want 100", got)
	}
}
