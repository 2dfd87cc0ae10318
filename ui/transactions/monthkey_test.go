package transactions

import (
	"testing"
	"time"

	"konto/api"
	"konto/store/history"
)

// TestMonthKeysMatchTheTimeZone: the per-month shortcut gives each booking
// the month a conversion of its own would, across DST changes and in both
// orders.
func TestMonthKeysMatchTheTimeZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	for _, loc := range []*time.Location{time.UTC, berlin, time.FixedZone("x", -11*3600)} {
		var txs []api.Transaction
		at := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
		for i := 0; i < 3000; i++ {
			txs = append(txs, api.Transaction{ID: int64(i), BookingDate: api.TxTime{Time: at}})
			at = at.Add(-time.Duration(i%17+1) * 37 * time.Minute)
		}
		txs = append(txs, api.Transaction{BookingDate: api.TxTime{Time: time.Date(2027, 3, 1, 0, 0, 0, 0, loc).Add(-time.Second)}})
		txs = append(txs, api.Transaction{BookingDate: api.TxTime{Time: time.Date(2027, 3, 1, 0, 0, 0, 0, loc)}})
		keys := monthKeys(history.Of(txs), loc)
		for i := range txs {
			l := txs[i].BookingDate.In(loc)
			if want := int32(l.Year()*12 + int(l.Month()) - 1); keys[i] != want {
				t.Fatalf("%s: booking %d at %s: key %d, want %d", loc, i, l, keys[i], want)
			}
		}
	}
}

func TestSameBookingsFollowsTheIDs(t *testing.T) {
	mk := func(ids ...int64) []api.Transaction {
		txs := make([]api.Transaction, len(ids))
		for i, id := range ids {
			txs[i].ID = id
		}
		return txs
	}
	old := mk(5, 4, 3, 2, 1)
	cases := []struct {
		name string
		txs  []api.Transaction
		want []int
	}{
		{"new ones in front", mk(7, 6, 5, 4, 3, 2, 1), []int{3, 5}},
		{"the same", mk(5, 4, 3, 2, 1), []int{1, 3}},
		{"one vanished", mk(5, 3, 2, 1), []int{2}},
		{"reordered", mk(2, 5, 4, 3, 1), []int{0, 2}},
	}
	for _, tc := range cases {
		got := sameBookings(history.Of(old), []int{1, 3}, history.Of(tc.txs)) // ids 4 and 2
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %v, want %v", tc.name, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}
