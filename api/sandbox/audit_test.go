package sandbox

import (
	"strings"
	"testing"

	"konto/api"
)

// Findings of the review of issue 2, one test each.

// encoding/json turns invalid UTF-8 into U+FFFD: the bank must refuse it
// rather than book a name the client never sent.
func TestInvalidUTF8IsRefusedNamingTheField(t *testing.T) {
	tb := newTestBank(t, Options{})
	before := len(tb.Outbox())
	body := strings.Replace(transferBody, "Karl Brenner", "Karl \xffBrenner", 1)
	tb.failed(tb.do("POST", "/api/accounts/4711/transfer", body), 400, api.CodeValidation, "recipient")
	body = strings.Replace(transferBody, `"note"`, "\"n\xffte\"", 1)
	tb.failed(tb.do("POST", "/api/accounts/4711/transfer", body), 400, api.CodeMalformed, "")
	if len(tb.Outbox()) != before {
		t.Fatal("a TAN was sent for a refused request")
	}
	// Valid non-ASCII text still passes (api/sepa's set for names: the
	// German letters, not "Ærø" or "李").
	tb.ok(tb.do("POST", "/api/accounts/4711/transfer", strings.Replace(transferBody, "Karl Brenner", "Jürgen Weiß & Söhne", 1)), nil)
}

func TestWrongTANSaysTryInTheSingular(t *testing.T) {
	tb := newTestBank(t, Options{})
	tr, sms := tb.createTransfer(transferBody)
	wrong := wrongTAN(sms.TAN)
	for _, want := range []string{"wrong TAN, 2 tries left", "wrong TAN, 1 try left"} {
		item := tb.failed(tb.do("PUT", tr.Links.Self, confirmBody(wrong)), 400, api.CodeInvalidTAN, "authorizationToken")
		if item.Detail != want {
			t.Errorf("detail %q, want %q", item.Detail, want)
		}
	}
}

func TestBookedTransferValueDateIsADay(t *testing.T) {
	tb := newTestBank(t, Options{})
	tr, sms := tb.createTransfer(transferBody)
	tb.ok(tb.do("PUT", tr.Links.Self, confirmBody(sms.TAN)), nil)
	tx := tb.page(4711, 1).Results[0]
	if tx.ValutaDate == nil || !tx.ValutaDate.Equal(day(tx.BookingDate.Time)) {
		t.Fatalf("valutaDate %v for booking at %v, want midnight of that day", tx.ValutaDate, tx.BookingDate)
	}
}

// A PATCH that would change the payee must not be accepted and then quietly
// keep the old one; a PATCH that changes nothing must not cost a TAN.
func TestStandingOrderUpdateRefusesPayeeChangesAndEmptyBodies(t *testing.T) {
	tb := newTestBank(t, Options{})
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", standingBody), &pending)
	o := tb.confirmStanding(pending.RequestID)
	path := "/api/accounts/4711/standing-orders/" + itoa(o.ID)
	sent := len(tb.Outbox())

	tb.failed(tb.do("PATCH", path, `{"amount": 500, "recipient": "Someone Else"}`), 400, api.CodeValidation, "recipient")
	tb.failed(tb.do("PATCH", path, `{"amount": 500, "iban": "DE89370400440532013000"}`), 400, api.CodeValidation, "iban")
	tb.failed(tb.do("PATCH", path, `{}`), 400, api.CodeValidation, "")
	tb.failed(tb.do("PATCH", path, ``), 400, api.CodeValidation, "")
	tb.failed(tb.do("PATCH", path, `{"standingOrderToggle": true}`), 400, api.CodeValidation, "")
	if len(tb.Outbox()) != sent {
		t.Fatal("a refused update sent a TAN")
	}
	// Repeating the order's own payee (normalised) is fine, and so is null.
	tb.ok(tb.do("PATCH", path, `{"amount": 500, "recipient": "John Smith", "iban": "de33 1001 1001 2626 0085 37"}`), &pending)
	tb.ok(tb.do("PATCH", path, `{"note": null, "recipient": null}`), &pending)
}

func TestTokenEndpointsNameAMissingCredential(t *testing.T) {
	tb := newTestBank(t, Options{})
	for _, path := range []string{"/api/user/refresh-token", "/api/user/auth-token"} {
		tb.failed(tb.do("POST", path, `{"email":"Aladdin"}`, "Authorization", ""), 400, api.CodeValidation, "password")
		tb.failed(tb.do("POST", path, `{"password":"OpenSesame"}`, "Authorization", ""), 400, api.CodeValidation, "email")
		tb.failed(tb.do("POST", path, `{"email":"Aladdin","password":"nope"}`, "Authorization", ""), 401, api.CodeUnauthorized, "")
	}
	// A refresh token needs credentials; the auth token can come from a Bearer refresh token instead.
	tb.failed(tb.do("POST", "/api/user/refresh-token", `{}`, "Authorization", ""), 400, api.CodeValidation, "email")
	tb.failed(tb.do("POST", "/api/user/auth-token", ``, "Authorization", ""), 401, api.CodeUnauthorized, "")
}
