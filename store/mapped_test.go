package store

import (
	"path/filepath"
	"reflect"
	"testing"

	"konto/api"
)

// The pages a load gives back to the kernel come back from the file: a
// second load, a write and a third load all see the bookings as saved.
func TestLoadAfterPagesReleased(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	txs := makeTxs(5000, 90000)
	if err := c.SaveTransactions(4711, txs); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		got, err := c.LoadTransactions(4711)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, txs) {
			t.Fatalf("load %d differs from what was saved", round+1)
		}
	}
	more := makeTxs(10, 90010)[:10]
	if err := c.AddTransactions(4711, more); err != nil {
		t.Fatal(err)
	}
	got, err := c.LoadTransactions(4711)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]api.Transaction{}
	for _, tx := range got {
		byID[tx.ID] = tx
	}
	for _, want := range append(more, txs...) {
		if !reflect.DeepEqual(byID[want.ID], want) {
			t.Fatalf("after a write: booking %d is %+v, want %+v", want.ID, byID[want.ID], want)
		}
	}
	if len(got) != len(txs)+len(more) {
		t.Fatalf("after a write: %d bookings, want %d", len(got), len(txs)+len(more))
	}
}
