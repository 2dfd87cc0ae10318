package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"konto/api"
)

func TestSaveTransactionsInBatches(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	c.saveBatch = 2 * chunkSize
	old := makeTxs(3*chunkSize, 1_000_000)
	if err := c.SaveTransactions(1, old); err != nil {
		t.Fatal(err)
	}
	txs := makeTxs(5*chunkSize+17, 2_000_000)
	if err := c.SaveTransactions(1, txs); err != nil {
		t.Fatal(err)
	}
	got, err := c.LoadTransactions(1)
	if err != nil || !reflect.DeepEqual(got, txs) {
		t.Fatalf("after a batched save: %d txs (%v), want %d", len(got), err, len(txs))
	}
	if n, at, err := c.TransactionsInfo(1); err != nil || n != len(txs) || !at.Equal(testNow) {
		t.Fatalf("TransactionsInfo %d, %v, %v", n, at, err)
	}
	// The count is kept beside the history: without it the next
	// AddTransactions would read and index the whole history again.
	if err := c.view("look", func(tx *bolt.Tx) error {
		if n, k := binary.Uvarint(tx.Bucket(bucketTx).Bucket(idKey(1)).Get(keyCount)); k <= 0 || int(n) != len(txs) {
			t.Errorf("the kept count is %d (%d), want %d", n, k, len(txs))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.view("look", func(tx *bolt.Tx) error {
		if tx.Bucket(bucketStage) != nil {
			t.Errorf("the staging bucket is left behind")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// New bookings still go in front of a history saved in batches.
	fresh := makeTxs(3, 3_000_000)
	for i := range fresh {
		fresh[i].BookingDate = txs[0].BookingDate
	}
	if err := c.AddTransactions(1, fresh); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.LoadTransactions(1); len(got) != len(txs)+3 || got[0].ID != fresh[0].ID {
		t.Fatalf("after adding: %d txs, first %d", len(got), got[0].ID)
	}
}

func TestSaveTransactionsStopsWhenTheCacheIsClaimed(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	c.saveBatch = chunkSize
	if _, _, err := c.Claim("alice"); err != nil {
		t.Fatal(err)
	}
	batches := 0
	c.afterBatch = func() {
		if batches++; batches == 2 {
			if _, _, err := c.Claim("bob"); err != nil {
				t.Error(err)
			}
		}
	}
	err := c.SaveTransactions(1, makeTxs(4*chunkSize, 1))
	if !errors.Is(err, errCacheClaimed) {
		t.Fatalf("save across a claim: %v, want errCacheClaimed", err)
	}
	if got, err := c.LoadTransactions(1); err != nil || len(got) != 0 {
		t.Fatalf("alice's history reached bob's cache: %d txs, %v", len(got), err)
	}
}

// The 1M benchmarks run only with KONTO_BENCH_1M=1 (a million bookings
// take a while to build).
func bench1M(b *testing.B) []api.Transaction {
	if os.Getenv("KONTO_BENCH_1M") == "" {
		b.Skip("set KONTO_BENCH_1M=1 for the 1M benchmarks")
	}
	return makeTxs(1_000_000, 10_000_000)
}

func BenchmarkSaveTransactions1M(b *testing.B) {
	txs := bench1M(b)
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.SaveTransactions(1, txs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadTransactions1M(b *testing.B) {
	txs := bench1M(b)
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := c.SaveTransactions(1, txs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got, err := c.LoadTransactions(1); err != nil || len(got) != len(txs) {
			b.Fatal(len(got), err)
		}
	}
}

// benchmarkAddOne is a poll that finds one booking: it joins a history of
// n in front.
func benchmarkAddOne(b *testing.B, txs []api.Transaction) {
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := c.SaveTransactions(1, txs); err != nil {
		b.Fatal(err)
	}
	next := int64(50_000_000)
	b.ReportAllocs()
	for b.Loop() {
		one := makeTxs(1, next)
		one[0].BookingDate = txs[0].BookingDate
		next++
		if err := c.AddTransactions(1, one); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddOneTo100k(b *testing.B) { benchmarkAddOne(b, makeTxs(100_000, 1_000_000)) }
func BenchmarkAddOneTo1M(b *testing.B)   { benchmarkAddOne(b, bench1M(b)) }

// A history cached without the id index (an older konto) is read in full
// once: the index is written then, and later additions look up only their
// own ids.
func TestAddTransactionsWritesAMissingIDIndex(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "cache.db"))
	txs := makeTxs(2*chunkSize+5, 1_000_000)
	if err := c.SaveTransactions(1, txs); err != nil {
		t.Fatal(err)
	}
	if err := c.update("drop the index", func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTx).Bucket(idKey(1)).DeleteBucket(bucketIDs)
	}); err != nil {
		t.Fatal(err)
	}
	add := func(fresh ...api.Transaction) {
		t.Helper()
		for i := range fresh {
			fresh[i].BookingDate = txs[0].BookingDate
		}
		if err := c.AddTransactions(1, fresh); err != nil {
			t.Fatal(err)
		}
	}
	one := makeTxs(1, 5_000_000)
	add(one[0], txs[0]) // one new, one known
	if n, _, err := c.TransactionsInfo(1); err != nil || n != len(txs)+1 {
		t.Fatalf("after adding one new and one known: %d, %v", n, err)
	}
	indexed := 0
	if err := c.view("count the index", func(tx *bolt.Tx) error {
		indexed = tx.Bucket(bucketTx).Bucket(idKey(1)).Bucket(bucketIDs).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if indexed != len(txs)+1 {
		t.Fatalf("the index holds %d ids, want %d", indexed, len(txs)+1)
	}
	add(one[0]) // known now through the index
	got, err := c.LoadTransactions(1)
	if err != nil || len(got) != len(txs)+1 || got[0].ID != one[0].ID {
		t.Fatalf("history: %d, %v", len(got), err)
	}
}
