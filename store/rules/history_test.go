package rules

import (
	"fmt"
	"testing"

	compact "konto/store/history"
)

// A history categorises as its bookings do, across batches.
func TestApplyHistoryAgreesWithApplyAll(t *testing.T) {
	set, err := New(manyRules(50), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, historyBatch + 17} {
		txs := history(n)
		labels := map[int64]Label{}
		if n > 0 {
			labels[txs[n-1].ID] = Label{Category: "gifts", Tags: []string{"xmas"}}
		}
		h := historyOf(txs)
		want, got := set.ApplyAll(txs, labels), set.ApplyHistory(h, labels)
		if len(got) != len(want) {
			t.Fatalf("%d: %d results, want %d", n, len(got), len(want))
		}
		for i := range want {
			if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
				t.Fatalf("%d: booking %d: %+v, want %+v", n, i, got[i], want[i])
			}
		}
		m := set.matchers[0]
		if got, want := m.CountHistory(h), m.Count(txs); got != want {
			t.Errorf("%d: CountHistory %d, Count %d", n, got, want)
		}
	}
}

var historyOf = compact.Of
