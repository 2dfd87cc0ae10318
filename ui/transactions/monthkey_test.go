package transactions

import (
	"testing"
	"time"

	"konto/api"
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
		keys := monthKeys(txs, loc)
		for i := range txs {
			l := txs[i].BookingDate.In(loc)
			if want := int32(l.Year()*12 + int(l.Month()) - 1); keys[i] != want {
				t.Fatalf("%s: booking %d at %s: key %d, want %d", loc, i, l, keys[i], want)
			}
		}
	}
}
