package export

import (
	"bytes"
	"encoding/json"
	"testing"

	"konto/store/report"
	"konto/store/rules"
)

// konto tx --json: the bank's fields, konto's category (in place of the
// bank's null), tags, note, mark and the balance after each booking.
func TestJSONWithLabelsAndBalances(t *testing.T) {
	txs := fixtureTxs(t)
	acc := fixtureAccount()
	results := make([]rules.Result, len(txs))
	results[0] = rules.Result{Category: "rent", Tags: []string{"home"}, Note: "paid \x1b[31mlate\u202e", Marked: true}
	var buf bytes.Buffer
	if _, err := Write(&buf, acc, txs, Options{Format: JSON, Results: results, BalanceAfter: true}); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(buf.Bytes(), "\x1b\u202e") {
		t.Errorf("raw control characters in:\n%s", buf.Bytes())
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v in\n%s", err, buf.Bytes())
	}
	if len(got) != len(txs) {
		t.Fatalf("%d bookings written, want %d", len(got), len(txs))
	}
	after := report.BalancesAfter(txs, acc.Balance) // newest first
	byID := map[int64]int{}
	for i, tx := range txs {
		byID[tx.ID] = i
	}
	for _, obj := range got {
		i := byID[int64(obj["id"].(float64))]
		if int64(obj["balanceAfter"].(float64)) != after[i] {
			t.Errorf("booking %d: balanceAfter %v, want %d", txs[i].ID, obj["balanceAfter"], after[i])
		}
		if _, ok := obj["tags"].([]any); !ok {
			t.Errorf("booking %d: tags %v", txs[i].ID, obj["tags"])
		}
		if i == 0 {
			if obj["category"] != "rent" || obj["note"] != "paid \x1b[31mlate\u202e" || obj["marked"] != true || obj["tags"].([]any)[0] != "home" {
				t.Errorf("labelled booking: %v", obj)
			}
		} else if obj["category"] != nil || obj["note"] != nil || obj["marked"] != false {
			t.Errorf("booking %d: %v", txs[i].ID, obj)
		}
	}
	// --new still knows the bookings of such a file.
	known, err := KnownIDs(bytes.NewReader(buf.Bytes()), JSON)
	if err != nil || len(known) != len(txs) {
		t.Errorf("KnownIDs: %d, %v", len(known), err)
	}
	// Without labels the export is the bank's JSON alone.
	buf.Reset()
	if _, err := Write(&buf, acc, txs, Options{Format: JSON}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("balanceAfter")) || bytes.Contains(buf.Bytes(), []byte(`"tags"`)) {
		t.Error("labels without Results")
	}
	if _, err := Write(&buf, acc, txs, Options{Format: JSON, Results: results[:1]}); err == nil {
		t.Error("results of another length accepted")
	}
}
