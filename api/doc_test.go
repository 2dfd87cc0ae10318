package api_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"konto/api"
	"konto/api/apitest"
)

// docTypes names the api type each doc example decodes into.
var docTypes = map[string]func() any{
	"token":                         func() any { return new(api.TokenResponse) },
	"accounts":                      func() any { return new([]api.Account) },
	"transactions":                  func() any { return new(api.TransactionPage) },
	"transaction":                   func() any { return new(api.Transaction) },
	"transfer_create":               func() any { return new(api.Transfer) },
	"transfer_confirm":              func() any { return new(api.Transfer) },
	"standing_order_create":         func() any { return new(api.StandingOrderPending) },
	"standing_order_confirm":        func() any { return new(api.StandingOrder) },
	"standing_order_update":         func() any { return new(api.StandingOrderPending) },
	"standing_order_update_confirm": func() any { return new(api.StandingOrder) },
	"standing_order_cancel":         func() any { return new(api.StandingOrderCancelPending) },
	"standing_order_cancel_confirm": func() any { return new(api.StandingOrder) },
	"standing_orders":               func() any { return new([]api.StandingOrder) },
	"timed_order_create":            func() any { return new(api.TimedOrder) },
	"timed_order_confirm":           func() any { return new(api.TimedOrder) },
	"timed_order_cancel":            func() any { return new(api.TimedOrder) },
	"timed_orders":                  func() any { return new([]api.TimedOrderListItem) },
}

// TestDocExamplesRoundTrip proves the wire types: every example of the API
// doc decodes strictly (no unknown field) and re-encodes with the same shape
// and, field by field, the same values in the doc's own layouts.
func TestDocExamplesRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "doc", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(docTypes) {
		t.Errorf("%d example files, %d types", len(files), len(docTypes))
	}
	for _, file := range files {
		name := filepath.Base(file[:len(file)-len(".json")])
		t.Run(name, func(t *testing.T) {
			newValue, ok := docTypes[name]
			if !ok {
				t.Fatalf("no type for %s", name)
			}
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v := newValue()
			dec := json.NewDecoder(bytesReader(doc))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				t.Fatalf("decode: %v", err)
			}
			enc, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			apitest.SameShape(t, doc, enc)
			var want, got any
			json.Unmarshal(doc, &want)
			json.Unmarshal(enc, &got)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("re-encoded values differ:\n doc %s\n got %s", compact(doc), enc)
			}
		})
	}
}
