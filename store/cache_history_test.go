package store

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"konto/api"
	"konto/store/history"
)

// upper is a clean that changes what it sees (names in capitals) and
// counts its calls.
type upper struct{ calls int }

func (u *upper) clean(tx api.Transaction) api.Transaction {
	u.calls++
	if tx.Name != nil {
		tx.Name = api.Ptr(strings.ToUpper(*tx.Name))
	}
	return tx
}

// loadBoth reads an account as LoadHistory and as history.Of of
// LoadTransactions, cleaned; calls counts the cleans of LoadHistory.
func loadBoth(t *testing.T, c *Cache, id int64) (got, want *history.History, calls int, gotErr, wantErr error) {
	t.Helper()
	var u, v upper
	got, gotErr = c.LoadHistory(id, u.clean)
	txs, wantErr := c.LoadTransactions(id)
	for i := range txs {
		txs[i] = v.clean(txs[i])
	}
	if txs != nil {
		want = history.Of(txs)
	}
	return got, want, u.calls, gotErr, wantErr
}

func sameHistory(t *testing.T, got, want *history.History) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Fatalf("history %v, want %v", got, want)
	}
	if !reflect.DeepEqual(got.Slice(), want.Slice()) {
		t.Fatalf("histories differ: %d and %d bookings", got.Len(), want.Len())
	}
}

func TestLoadHistoryIsLoadTransactionsPacked(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	large := makeTxs(3*chunkSize+17, 1_000_000)
	if err := c.SaveTransactions(1, large); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTransactions(2, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		id   int64
		n    int
	}{{"large", 1, len(large)}, {"saved empty", 2, 0}, {"never cached", 3, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			got, want, calls, gotErr, wantErr := loadBoth(t, c, tc.id)
			if gotErr != nil || wantErr != nil {
				t.Fatalf("errors %v, %v", gotErr, wantErr)
			}
			sameHistory(t, got, want)
			if got.Len() != tc.n || calls != tc.n {
				t.Fatalf("%d bookings, clean ran %d times; want %d", got.Len(), calls, tc.n)
			}
			if tc.n > 0 && got.Text(0, history.Name) != strings.ToUpper(*large[0].Name) {
				t.Fatalf("not cleaned: %q", got.Text(0, history.Name))
			}
		})
	}
	t.Run("damaged chunk", func(t *testing.T) {
		// Damaged after the open (which checks every chunk): the read
		// finds it.
		d := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
		if err := d.SaveTransactions(1, large); err != nil {
			t.Fatal(err)
		}
		if err := d.update("damage a chunk", func(tx *bolt.Tx) error {
			chunks := tx.Bucket(bucketTx).Bucket(idKey(1)).Bucket(bucketChunks)
			k, v := chunks.Cursor().Last()
			bad := append([]byte(nil), v...)
			bad[len(bad)/2] ^= 0x40
			return chunks.Put(append([]byte(nil), k...), bad)
		}); err != nil {
			t.Fatal(err)
		}
		got, _, _, gotErr, wantErr := loadBoth(t, d, 1)
		if gotErr == nil || wantErr == nil || got != nil {
			t.Fatalf("damaged chunk: %v (history %v), LoadTransactions %v", gotErr, got, wantErr)
		}
	})
}

func TestSaveHistoryWritesWhatSaveTransactionsWrites(t *testing.T) {
	for _, n := range []int{0, 1, chunkSize, 5*chunkSize + 17} {
		c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
		c.saveBatch = 2 * chunkSize
		txs := makeTxs(n, 1_000_000)
		if err := c.SaveHistory(1, history.Of(txs)); err != nil {
			t.Fatal(err)
		}
		if err := c.SaveTransactions(2, txs); err != nil {
			t.Fatal(err)
		}
		a, errA := c.LoadTransactions(1)
		b, errB := c.LoadTransactions(2)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) || len(a) != n {
			t.Fatalf("%d: SaveHistory wrote %d (%v), SaveTransactions %d (%v)", n, len(a), errA, len(b), errB)
		}
		if count, _, err := c.TransactionsInfo(1); err != nil || count != n {
			t.Fatalf("%d: TransactionsInfo %d, %v", n, count, err)
		}
		// New bookings go in front of it as of any history.
		if n > 0 {
			fresh := makeTxs(2, 3_000_000)
			for i := range fresh {
				fresh[i].BookingDate = txs[0].BookingDate
			}
			if err := c.AddTransactions(1, fresh); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.LoadTransactions(1); len(got) != n+2 || got[0].ID != fresh[0].ID {
				t.Fatalf("%d: after adding %d, first %d", n, len(got), got[0].ID)
			}
		}
	}
	// Duplicates keep their first entry, as SaveTransactions keeps them.
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	txs := makeTxs(10, 1_000_000)
	dup := append(append([]api.Transaction(nil), txs...), txs[3])
	if err := c.SaveHistory(1, history.Of(dup)); err != nil {
		t.Fatal(err)
	}
	if got, err := c.LoadTransactions(1); err != nil || !reflect.DeepEqual(got, txs) {
		t.Fatalf("with a duplicate: %d (%v)", len(got), err)
	}
}

func TestTransactionsHead(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	if count, ids, err := c.TransactionsHead(1, 3); err != nil || count != 0 || len(ids) != 0 {
		t.Fatalf("nothing cached: %d, %v, %v", count, ids, err)
	}
	txs := makeTxs(2*chunkSize+3, 1_000_000)
	if err := c.SaveTransactions(1, txs); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3, chunkSize + 2} {
		count, ids, err := c.TransactionsHead(1, n)
		if err != nil || count != len(txs) || len(ids) != n || ids[0] != txs[0].ID || ids[n-1] != txs[n-1].ID {
			t.Fatalf("head of %d: %d, %d ids, %v", n, count, len(ids), err)
		}
	}
}

func benchmarkLoadHistory(b *testing.B, txs []api.Transaction) {
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := c.SaveTransactions(1, txs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if h, err := c.LoadHistory(1, nil); err != nil || h.Len() != len(txs) {
			b.Fatal(h.Len(), err)
		}
	}
}

func BenchmarkLoadHistory100k(b *testing.B) { benchmarkLoadHistory(b, makeTxs(100_000, 1_000_000)) }
func BenchmarkLoadHistory1M(b *testing.B)   { benchmarkLoadHistory(b, bench1M(b)) }

func benchmarkSaveHistory(b *testing.B, txs []api.Transaction) {
	h := history.Of(txs)
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.SaveHistory(1, h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveHistory100k(b *testing.B) { benchmarkSaveHistory(b, makeTxs(100_000, 1_000_000)) }
func BenchmarkSaveHistory1M(b *testing.B)   { benchmarkSaveHistory(b, bench1M(b)) }
