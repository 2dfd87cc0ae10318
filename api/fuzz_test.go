package api

import (
	"encoding/json"
	"net/http"
	"testing"
)

// fuzzDecode checks that decoding arbitrary bytes into T never panics, and
// that whatever decodes also encodes and decodes again: the client can cache
// what it accepted.
func fuzzDecode[T any](f *testing.F, seeds ...string) {
	for _, name := range seeds {
		f.Add(docExample(f, name))
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`{"bookingDate":"2018-08-08T16:26:52+00:00","amount":1e400}`))
	f.Add([]byte(`[{"id":-1,"execute_at":"9999-12-31T23:59:59.999Z"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v T
		if json.Unmarshal(data, &v) != nil {
			return
		}
		enc, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("decoded value does not encode: %v", err)
		}
		var again T
		if err := json.Unmarshal(enc, &again); err != nil {
			t.Fatalf("re-encoded value does not decode: %v\n%s", err, enc)
		}
	})
}

func FuzzDecodeTokenResponse(f *testing.F) { fuzzDecode[TokenResponse](f, "token") }
func FuzzDecodeAccounts(f *testing.F)      { fuzzDecode[[]Account](f, "accounts") }
func FuzzDecodeTransactionPage(f *testing.F) {
	fuzzDecode[TransactionPage](f, "transactions")
}
func FuzzDecodeTransaction(f *testing.F) { fuzzDecode[Transaction](f, "transaction") }
func FuzzDecodeTransfer(f *testing.F) {
	fuzzDecode[Transfer](f, "transfer_create", "transfer_confirm")
}
func FuzzDecodeStandingOrderPending(f *testing.F) {
	fuzzDecode[StandingOrderPending](f, "standing_order_create", "standing_order_update")
}
func FuzzDecodeStandingOrderCancelPending(f *testing.F) {
	fuzzDecode[StandingOrderCancelPending](f, "standing_order_cancel")
}
func FuzzDecodeStandingOrder(f *testing.F) {
	fuzzDecode[StandingOrder](f, "standing_order_confirm", "standing_order_update_confirm", "standing_order_cancel_confirm")
}
func FuzzDecodeStandingOrders(f *testing.F) { fuzzDecode[[]StandingOrder](f, "standing_orders") }
func FuzzDecodeTimedOrder(f *testing.F) {
	fuzzDecode[TimedOrder](f, "timed_order_create", "timed_order_confirm", "timed_order_cancel")
}
func FuzzDecodeTimedOrderList(f *testing.F) { fuzzDecode[[]TimedOrderListItem](f, "timed_orders") }
func FuzzDecodeSMS(f *testing.F) {
	f.Add([]byte(`[{"to":"+49","text":"TAN","tan":"012345","requestId":"r","createdAt":"2026-11-25T10:00:00Z"}]`))
	fuzzDecode[[]SMS](f)
}

// FuzzErrorBody: any status, Retry-After and body give a usable *Error.
func FuzzErrorBody(f *testing.F) {
	f.Add(400, "", []byte(`{"errors":[{"status":400,"code":"invalid_tan","title":"Invalid TAN","detail":"wrong","source":{"field":"authorizationToken"},"meta":{"triesLeft":2}}]}`))
	f.Add(429, "30", []byte(`{"title":"slow down"}`))
	f.Add(503, "Wed, 21 Oct 2015 07:28:00 GMT", []byte(`{"message":"busy"}`))
	f.Add(404, "-1", []byte(`<html>not found</html>`))
	f.Add(422, "", []byte(`{"errors":[{"meta":{"triesLeft":1e300},"source":null}]}`))
	f.Add(999, "99999999999999999999", []byte(``))
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		e := parseError(status, h, body)
		if e.Status != status {
			t.Fatalf("status %d became %d", status, e.Status)
		}
		if e.RetryAfter < 0 || e.TriesLeft < 0 {
			t.Fatalf("negative RetryAfter %d or TriesLeft %d", e.RetryAfter, e.TriesLeft)
		}
		for _, s := range []string{e.Title, e.Detail, e.Code, e.Field} {
			if len(s) > maxErrorText+len("…") {
				t.Fatalf("text of %d bytes not clipped", len(s))
			}
		}
		if e.Title == "" && http.StatusText(status) != "" {
			t.Fatal("no title")
		}
		_ = e.Error()
		_ = Message(e)
	})
}
