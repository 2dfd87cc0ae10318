package rules

import (
	"fmt"
	"testing"

	"konto/api"
)

// ApplyAllCompact gives every booking what ApplyAll gives it, with and
// without labels, keeping each distinct result once.
func TestApplyAllCompactAgreesWithApplyAll(t *testing.T) {
	set, err := New(manyRules(50), true)
	if err != nil {
		t.Fatal(err)
	}
	txs := history(5000)
	labels := map[int64]Label{
		txs[3].ID:    {Category: "gifts"},
		txs[40].ID:   {Tags: []string{"xmas"}},
		txs[41].ID:   {Tags: []string{"xmas"}},
		txs[500].ID:  {Note: "paid late", Marked: true},
		txs[4999].ID: {Category: "gifts", Tags: []string{"a", "b"}},
		txs[7].ID:    {}, // a label that says nothing is none
	}
	for _, l := range []map[int64]Label{nil, labels} {
		all := set.ApplyAll(txs, l)
		res := set.ApplyAllCompact(txs, l)
		if res.Len() != len(txs) {
			t.Fatalf("%d results for %d bookings", res.Len(), len(txs))
		}
		for i := range txs {
			if got, want := res.At(len(txs)-1-i), all[i]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("booking %d: compact %+v, ApplyAll %+v", i, got, want)
			}
		}
		seen := map[string]bool{}
		for id := range res.Distinct() {
			s := fmt.Sprintf("%#v", res.ByID(id))
			if seen[s] {
				t.Errorf("result %s kept twice", s)
			}
			seen[s] = true
		}
		if res.Distinct() > set.Len()+1+len(l) {
			t.Errorf("%d distinct results of %d rules and %d labels", res.Distinct(), set.Len(), len(l))
		}
	}
}

func TestResultsDeduplicate(t *testing.T) {
	var r Results
	food := Result{Category: "food", Tags: []string{"daily"}, Rule: 0}
	r.Append(food)
	r.Append(Result{Category: "food", Tags: []string{"daily"}, Rule: 0}) // equal, other memory
	r.Append(Result{Rule: -1})
	r.Append(food)
	if r.Len() != 4 || r.Distinct() != 2 {
		t.Fatalf("%d results, %d distinct; want 4, 2", r.Len(), r.Distinct())
	}
	if r.ID(0) != r.ID(1) || r.ID(1) != r.ID(3) || r.ID(0) == r.ID(2) {
		t.Errorf("ids %d %d %d %d", r.ID(0), r.ID(1), r.ID(2), r.ID(3))
	}
	if got := r.At(3); got.Category != "food" || got.Tags[0] != "daily" || r.At(2).Rule != -1 {
		t.Errorf("At: %+v, %+v", got, r.At(2))
	}
	var none *Results
	if none.Len() != 0 || none.Distinct() != 0 {
		t.Error("a nil Results holds something")
	}
}

// Results differing only in their tags are told apart, even when the
// tags' texts joined are the same.
func TestResultsTagsEquality(t *testing.T) {
	var r Results
	for _, tags := range [][]string{nil, {"a", "b"}, {"b", "a"}, {"a\x00b"}, {"a\x01", "b"}, {"a", "\x01b"}, {"a", "b"}, {}} {
		r.Append(Result{Category: "c", Tags: tags})
	}
	want := []int{0, 1, 2, 3, 4, 5, 1, 0}
	for p, id := range want {
		if r.ID(p) != id {
			t.Errorf("position %d (tags %q): id %d, want %d", p, r.At(p).Tags, r.ID(p), id)
		}
	}
}

// A label set by hand on one booking gives it its own result, the others
// keep theirs.
func TestResultsHandLabel(t *testing.T) {
	set, _ := New([]Rule{{Counterparty: "bäckerei", Category: "food"}}, false)
	txs := []api.Transaction{bakery, bakery, bakery}
	for i := range txs {
		txs[i].ID = int64(i + 1)
	}
	res := set.ApplyAllCompact(txs, map[int64]Label{2: {Note: "for Anna"}})
	if res.Distinct() != 2 || res.ID(0) != res.ID(2) || res.ID(1) == res.ID(0) {
		t.Fatalf("ids %d %d %d of %d", res.ID(0), res.ID(1), res.ID(2), res.Distinct())
	}
	if got := res.At(1); got.Note != "for Anna" || got.Category != "food" {
		t.Errorf("labelled booking: %+v", got)
	}
	// Changing one booking's label later touches only its position.
	res.Set(0, set.Apply(&txs[2], Label{Category: "gifts"}))
	if res.At(0).Category != "gifts" || !res.At(0).Manual || res.At(2).Category != "food" || res.At(1).Note != "for Anna" {
		t.Errorf("after Set: %+v %+v %+v", res.At(0), res.At(1), res.At(2))
	}
	// A newer booking appends; without a label it shares the rule's result.
	res.Append(set.Apply(&bakery, Label{}))
	if res.Len() != 4 || res.ID(3) != res.ID(2) {
		t.Errorf("appended: %d results, id %d, want %d", res.Len(), res.ID(3), res.ID(2))
	}
}
