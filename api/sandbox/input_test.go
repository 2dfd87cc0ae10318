package sandbox

import (
	"encoding/json"
	"strings"
	"testing"

	"konto/api"
	"konto/api/sepa"
	"konto/api/sepa/sepatest"
)

// withField returns body (a JSON object) with key set to value.
func withField(t *testing.T, body, key string, value any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	m[key] = value
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wireKey is the request key of each payment text.
func wireKey(f sepa.TextField) string {
	switch f {
	case sepa.FieldRecipient:
		return "recipient"
	case sepa.FieldNote:
		return "note"
	}
	return "e2eId"
}

// The bank accepts and refuses exactly the payment texts the forms do (the
// shared table of api/sepa/sepatest, which ui/form runs too), on every call
// that takes them: transfers, standing and timed orders, and a standing
// order's change (note and e2eId).
func TestPaymentTextSharedTable(t *testing.T) {
	tb := newTestBank(t, Options{})
	var order api.StandingOrder
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", standingBody), &pending)
	order = tb.confirmStanding(pending.RequestID)
	patch := "/api/accounts/4711/standing-orders/" + itoa(order.ID)

	for _, tc := range sepatest.TextCases() {
		key := wireKey(tc.Field)
		calls := []struct{ method, path, body string }{
			{"POST", "/api/accounts/4711/transfer", withField(t, transferBody, key, tc.In)},
			{"POST", "/api/accounts/4711/standing-orders", withField(t, standingBody, key, tc.In)},
			{"POST", "/api/accounts/4711/timed-orders", withField(t, timedBody, key, tc.In)},
		}
		if tc.Field != sepa.FieldRecipient {
			calls = append(calls, struct{ method, path, body string }{"PATCH", patch, withField(t, `{"amount": 999}`, key, tc.In)})
		}
		for _, c := range calls {
			r := tb.do(c.method, c.path, c.body)
			if tc.Refused == "" {
				if r.status != 200 {
					t.Errorf("%s %s with %s %q: %d %s, want accepted", c.method, c.path, key, tc.In, r.status, r.body)
				}
				continue
			}
			var body api.ErrorBody
			if r.status != 400 || json.Unmarshal(r.body, &body) != nil || len(body.Errors) != 1 {
				t.Errorf("%s %s with %s %q: %d %s, want 400 naming %s", c.method, c.path, key, tc.In, r.status, r.body, tc.Refused)
				continue
			}
			item := body.Errors[0]
			if item.Source == nil || item.Source.Field != key || !strings.Contains(item.Detail, tc.Refused) {
				t.Errorf("%s %s with %s %q: %+v, want field %s and a detail naming %s", c.method, c.path, key, tc.In, item, key, tc.Refused)
			}
			// The detail is api/sepa's sentence as it is, the one the form shows.
			if want := tc.Field.Validate(tc.In).Error(); item.Detail != want {
				t.Errorf("%s %s with %s %q: detail %q, want %q", c.method, c.path, key, tc.In, item.Detail, want)
			}
		}
	}
}

// Money cannot be sent to the account it is sent from (in any spelling of
// its IBAN); to the user's other account it can.
func TestPaymentToItsOwnAccountRefused(t *testing.T) {
	tb := newTestBank(t, Options{})
	var own, other string
	for _, a := range tb.Accounts(DefaultLogin) {
		if a.ID == 4711 {
			own = a.IBAN
		} else if other == "" {
			other = a.IBAN
		}
	}
	if own == "" || other == "" {
		t.Fatalf("accounts: own %q, other %q", own, other)
	}
	spellings := []string{own, strings.ToLower(sepa.FormatIBAN(own)), strings.ReplaceAll(sepa.FormatIBAN(own), " ", "-")}
	for _, body := range []struct{ path, body string }{
		{"/api/accounts/4711/transfer", transferBody},
		{"/api/accounts/4711/standing-orders", standingBody},
		{"/api/accounts/4711/timed-orders", timedBody},
	} {
		for _, iban := range spellings {
			item := tb.failed(tb.do("POST", body.path, withField(t, body.body, "iban", iban)), 400, api.CodeValidation, "iban")
			if !strings.Contains(item.Detail, "the account it is sent from") {
				t.Errorf("POST %s to %q: %q, want it to say why", body.path, iban, item.Detail)
			}
		}
		tb.ok(tb.do("POST", body.path, withField(t, body.body, "iban", other)), nil)
	}
}

// Pasted IBANs with separators other than spaces are the IBAN.
func TestPaymentIBANSeparators(t *testing.T) {
	tb := newTestBank(t, Options{})
	for _, iban := range []string{"DE89-3704-0044-0532-0130-00", "DE89.3704.0044.0532.0130.00", "DE89/3704/0044/0532/0130/00"} {
		var tr api.Transfer
		tb.ok(tb.do("POST", "/api/accounts/4711/transfer", withField(t, transferBody, "iban", iban)), &tr)
		if tr.IBAN != "DE89370400440532013000" {
			t.Errorf("%q booked as %q", iban, tr.IBAN)
		}
	}
}
