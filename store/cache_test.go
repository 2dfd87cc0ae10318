package store

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"konto/api"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func openTestCache(t testing.TB, path string) *Cache {
	t.Helper()
	c, err := OpenCache(path, CacheOptions{Timeout: 200 * time.Millisecond, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// makeTxs builds n transactions, newest first, ids descending from start,
// one booking per hour; every third has all nullable fields set.
func makeTxs(n int, start int64) []api.Transaction {
	txs := make([]api.Transaction, n)
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i := range txs {
		id := start - int64(i)
		t := api.Transaction{
			ID:          id,
			Amount:      int64(i*37%20000) - 10000,
			Name:        api.Ptr(fmt.Sprintf("Counterparty %d", i%500)),
			IBAN:        api.Ptr("DE89370400440532013000"),
			Purpose:     api.Ptr(fmt.Sprintf("Invoice %d for services rendered", id)),
			Type:        api.Ptr("SEPA_CREDIT_TRANSFER"),
			BookingDate: api.TxTime{Time: base.Add(-time.Duration(start-id) * time.Hour)},
		}
		if i%3 == 0 {
			v := api.TxTime{Time: t.BookingDate.Add(24 * time.Hour)}
			t.ValutaDate = &v
			t.OriginalAmount = api.Ptr("760")
			t.ForeignCurrency = api.Ptr("CHF")
			t.InvoiceNumber = api.Ptr(int64(i))
			t.MandateNumber = api.Ptr("M-1")
		}
		txs[i] = t
	}
	return txs
}

// fillAll sets every field of a transaction to a non-zero value by
// reflection, so a field added to api.Transaction but not to the codec
// makes the round trip fail.
func fillAll(t *api.Transaction, seed int) {
	v := reflect.ValueOf(t).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == reflect.TypeOf(api.TxTime{}):
			f.Set(reflect.ValueOf(api.TxTime{Time: time.Unix(int64(1e9+seed*1000+i), int64(i)).UTC()}))
		case f.Type() == reflect.TypeOf(&api.TxTime{}):
			f.Set(reflect.ValueOf(&api.TxTime{Time: time.Unix(int64(1e9+seed*1000+i), 0).UTC()}))
		case f.Kind() == reflect.Int64:
			f.SetInt(int64(seed*100 + i))
		case f.Type() == reflect.TypeOf((*int64)(nil)):
			n := int64(-seed - i)
			f.Set(reflect.ValueOf(&n))
		case f.Type() == reflect.TypeOf((*string)(nil)):
			s := fmt.Sprintf("%s-%d-ä€\x00", v.Type().Field(i).Name, seed)
			f.Set(reflect.ValueOf(&s))
		default:
			panic("fillAll: no rule for field " + v.Type().Field(i).Name + "; teach the codec and this test about it")
		}
	}
}

func TestChunkCodecRoundTripsEveryField(t *testing.T) {
	txs := make([]api.Transaction, 5)
	for i := range txs {
		fillAll(&txs[i], i)
	}
	txs[2] = api.Transaction{ID: 7} // every pointer null, zero booking date
	txs[3].BookingDate = api.TxTime{Time: time.Date(1969, 7, 20, 20, 17, 40, 5, time.UTC)}
	zero := api.TxTime{}
	txs[4].ValutaDate = &zero // a present zero time stays present
	got, err := decodeChunk(encodeChunk(nil, txs), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, txs) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, txs)
	}
	ids, err := chunkIDs(encodeChunk(nil, txs), nil)
	if err != nil || !reflect.DeepEqual(ids, []int64{txs[0].ID, txs[1].ID, 7, txs[3].ID, txs[4].ID}) {
		t.Fatalf("chunkIDs = %v, %v", ids, err)
	}
}

func TestChunkCodecRejectsDamage(t *testing.T) {
	data := encodeChunk(nil, makeTxs(50, 1000))
	for _, bad := range [][]byte{nil, {9}, data[:len(data)/2], append(bytes.Clone(data), 0), data[:1]} {
		if _, err := decodeChunk(bad, nil); !errors.Is(err, errCorruptChunk) {
			t.Errorf("decode of %d damaged bytes: err = %v, want errCorruptChunk", len(bad), err)
		}
	}
	// Flipping bytes must give an error or a result, never a panic.
	for i := range data {
		d := bytes.Clone(data)
		d[i] ^= 0xff
		_, _ = decodeChunk(d, nil)
		_, _ = chunkIDs(d, nil)
	}
}

func TestCacheRoundTrips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "konto", "default.db")
	c := openTestCache(t, path)

	if accts, synced, err := c.LoadAccounts(); err != nil || accts != nil || !synced.IsZero() {
		t.Fatalf("empty cache: LoadAccounts = %v, %v, %v", accts, synced, err)
	}
	if txs, err := c.LoadTransactions(4711); err != nil || txs != nil {
		t.Fatalf("empty cache: LoadTransactions = %v, %v", txs, err)
	}

	accounts := []api.Account{{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500, AccountType: api.Ptr("checking")}, {ID: 4712, IBAN: "DE35120300001012765235"}}
	if err := c.SaveAccounts(accounts); err != nil {
		t.Fatal(err)
	}
	standing := []api.StandingOrder{{ID: 1, Status: api.StatusActive, Name: "Rent", IBAN: "DE89370400440532013000", Amount: 120000, Description: api.Ptr("rent"), Reoccurrence: api.Monthly, NextOccurrence: &api.OrderTime{Time: testNow}}}
	if err := c.SaveStandingOrders(4711, standing); err != nil {
		t.Fatal(err)
	}
	timed := []api.TimedOrderListItem{{ID: "abc", RecipientName: "Tax office", RecipientIBAN: "DE89370400440532013000", Date: api.ZTime{Time: testNow}, Amount: -5000, Status: "scheduled", Type: "TIMED_ORDER"}}
	if err := c.SaveTimedOrders(4711, timed); err != nil {
		t.Fatal(err)
	}
	txs := makeTxs(2500, 100000)
	if err := c.SaveTransactions(4711, txs); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = openTestCache(t, path)
	gotAccts, synced, err := c.LoadAccounts()
	if err != nil || !reflect.DeepEqual(gotAccts, accounts) || !synced.Equal(testNow) {
		t.Errorf("LoadAccounts = %+v, %v, %v", gotAccts, synced, err)
	}
	gotStanding, _, err := c.LoadStandingOrders(4711)
	if err != nil || len(gotStanding) != 1 || gotStanding[0].Name != "Rent" || !gotStanding[0].NextOccurrence.Equal(testNow) {
		t.Errorf("LoadStandingOrders = %+v, %v", gotStanding, err)
	}
	if other, _, _ := c.LoadStandingOrders(4712); other != nil {
		t.Errorf("standing orders of another account: %+v", other)
	}
	gotTimed, _, err := c.LoadTimedOrders(4711)
	if err != nil || len(gotTimed) != 1 || gotTimed[0].ID != "abc" || gotTimed[0].Amount != -5000 {
		t.Errorf("LoadTimedOrders = %+v, %v", gotTimed, err)
	}
	gotTxs, err := c.LoadTransactions(4711)
	if err != nil || !reflect.DeepEqual(gotTxs, txs) {
		t.Fatalf("LoadTransactions: %d txs, err %v; differs from the saved %d", len(gotTxs), err, len(txs))
	}
	newest, err := c.LoadNewest(4711, 1200)
	if err != nil || !reflect.DeepEqual(newest, txs[:1200]) {
		t.Errorf("LoadNewest(1200): %d txs, %v", len(newest), err)
	}
	ids, err := c.NewestTransactionIDs(4711, 3)
	if err != nil || !reflect.DeepEqual(ids, []int64{100000, 99999, 99998}) {
		t.Errorf("NewestTransactionIDs = %v, %v", ids, err)
	}
	n, syncedTx, err := c.TransactionsInfo(4711)
	if err != nil || n != 2500 || !syncedTx.Equal(testNow) {
		t.Errorf("TransactionsInfo = %d, %v, %v", n, syncedTx, err)
	}
	// A full save replaces, never appends.
	if err := c.SaveTransactions(4711, txs[:10]); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.LoadTransactions(4711); len(got) != 10 {
		t.Errorf("after a smaller full save: %d txs, want 10", len(got))
	}
}

func TestCacheAddTransactionsMergesWithoutDuplicates(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "p.db"))
	all := makeTxs(3000, 10000) // ids 10000 … 7001, newest first
	if err := c.SaveTransactions(1, all[1500:]); err != nil {
		t.Fatal(err)
	}

	check := func(step string, want []api.Transaction) {
		t.Helper()
		got, err := c.LoadTransactions(1)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %d txs (first id %d), want %d (first id %d)", step, len(got), firstID(got), len(want), firstID(want))
		}
		if n, _, _ := c.TransactionsInfo(1); n != len(want) {
			t.Fatalf("%s: count %d, want %d", step, n, len(want))
		}
		ids, _ := c.NewestTransactionIDs(1, 1)
		if len(ids) != 1 || ids[0] != want[0].ID {
			t.Fatalf("%s: newest id %v, want %d", step, ids, want[0].ID)
		}
	}

	// A small incremental sync that overlaps what is known (the page that
	// held the first known transaction): merged into the first chunk.
	if err := c.AddTransactions(1, all[1490:1510]); err != nil {
		t.Fatal(err)
	}
	check("small prepend", all[1490:])
	// A large one: new chunks below the first.
	if err := c.AddTransactions(1, all[10:1490]); err != nil {
		t.Fatal(err)
	}
	check("large prepend", all[10:])
	// Nothing new: nothing changes.
	if err := c.AddTransactions(1, all[10:20]); err != nil {
		t.Fatal(err)
	}
	check("nothing new", all[10:])

	// A changed booking (e.g. a name filled in later) replaces the old one in
	// place, together with new ones at the top.
	changed := all[500]
	changed.Purpose = api.Ptr("corrected purpose")
	want := append([]api.Transaction{}, all...)
	want[500] = changed
	if err := c.AddTransactions(1, []api.Transaction{all[0], changed, all[1], all[2], all[3], all[4], all[5], all[6], all[7], all[8], all[9], all[0]}); err != nil {
		t.Fatal(err)
	}
	check("update in place", want)

	// A late booking dated between known ones lands in date order.
	late := api.Transaction{ID: 1, Amount: 5, BookingDate: api.TxTime{Time: all[2000].BookingDate.Add(30 * time.Minute)}}
	if err := c.AddTransactions(1, []api.Transaction{late}); err != nil {
		t.Fatal(err)
	}
	want = append(append(append([]api.Transaction{}, want[:2000]...), late), want[2000:]...)
	check("late booking", want)

	// Adding to an account with nothing cached is a full save.
	if err := c.AddTransactions(2, all[:5]); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.LoadTransactions(2); !reflect.DeepEqual(got, all[:5]) {
		t.Errorf("add to empty account: %d txs", len(got))
	}
	if got, _ := c.LoadTransactions(3); got != nil {
		t.Errorf("unknown account: %d txs", len(got))
	}
}

func firstID(txs []api.Transaction) int64 {
	if len(txs) == 0 {
		return 0
	}
	return txs[0].ID
}

func TestCacheFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "konto")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "default.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // an empty file is a new cache
		t.Fatal(err)
	}
	c := openTestCache(t, path)
	if err := c.SaveAccounts([]api.Account{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
	assertMode(t, dir, 0o700|os.ModeDir)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode() & (os.ModePerm | os.ModeDir); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}

func TestCacheCorruptFileIsMovedAsideAndRebuilt(t *testing.T) {
	for name, garbage := range map[string][]byte{
		"garbage":    bytes.Repeat([]byte("this is not a bbolt file\n"), 1000),
		"tiny":       []byte("x"),
		"zero pages": make([]byte, 16384),
	} {
		t.Run(name, func(t *testing.T) { testCorruptCache(t, garbage) })
	}
}

func testCorruptCache(t *testing.T, garbage []byte) {
	path := filepath.Join(t.TempDir(), "default.db")
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	c := openTestCache(t, path)
	aside := fmt.Sprintf("%s.corrupt-%d", path, testNow.Unix())
	if c.Notice() != "the offline cache was damaged and has been rebuilt" {
		t.Errorf("Notice = %q, want it to say the cache was rebuilt", c.Notice())
	}
	if got, err := os.ReadFile(aside); err != nil || !bytes.Equal(got, garbage) {
		t.Errorf("damaged file not kept aside: %v", err)
	}
	if err := c.SaveAccounts([]api.Account{{ID: 1}}); err != nil {
		t.Fatalf("rebuilt cache does not work: %v", err)
	}
	// Logout removes the damaged copy too.
	if err := c.Delete(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, aside} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still exists after Delete (%v)", p, err)
		}
	}
}

func TestCacheForeignFilesAreMovedAside(t *testing.T) {
	for name, prepare := range map[string]func(*bolt.Tx) error{
		"other format version": func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keyFormat, []byte("konto-cache/999"))
		},
		"another program's bbolt file": func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("widgets"))
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "default.db")
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(prepare); err != nil {
				t.Fatal(err)
			}
			db.Close()
			c := openTestCache(t, path)
			if c.Notice() == "" {
				t.Error("no notice about the rebuilt cache")
			}
			if _, err := os.Stat(fmt.Sprintf("%s.corrupt-%d", path, testNow.Unix())); err != nil {
				t.Errorf("foreign file not moved aside: %v", err)
			}
			if accts, _, err := c.LoadAccounts(); err != nil || accts != nil {
				t.Errorf("rebuilt cache: %v, %v", accts, err)
			}
		})
	}
}

func TestCacheLockedByAnotherHandle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	first := openTestCache(t, path)
	if err := first.SaveAccounts([]api.Account{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		c, err := OpenCache(path, CacheOptions{Timeout: 50 * time.Millisecond})
		if err == nil {
			c.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCacheLocked) || err.Error() != "the cache is in use by another konto" {
			t.Fatalf("second open: %v, want ErrCacheLocked", err)
		}
	case <-time.After(20 * time.Second): // a generous bound against a hang, not a speed check
		t.Fatal("second open hangs on the lock")
	}
	// The locked file was not mistaken for a damaged one.
	if matches, _ := filepath.Glob(path + ".corrupt-*"); len(matches) != 0 {
		t.Errorf("locked cache moved aside: %v", matches)
	}
	if accts, _, err := first.LoadAccounts(); err != nil || len(accts) != 1 {
		t.Errorf("first handle broken: %v, %v", accts, err)
	}
}

func TestCacheDeleteAndClosed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if err := c.SaveTransactions(1, makeTxs(10, 10)); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("cache file still there: %v", err)
	}
	if _, err := c.LoadTransactions(1); !errors.Is(err, ErrCacheClosed) {
		t.Errorf("use after Delete: %v, want ErrCacheClosed", err)
	}
	if err := DeleteCacheFile(path); err != nil {
		t.Errorf("deleting a missing cache: %v", err)
	}
}

func TestCacheConcurrentUse(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "default.db"))
	all := makeTxs(2000, 5000)
	if err := c.SaveTransactions(1, all[1000:]); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				if g == 0 {
					lo := 1000 - (i+1)*50
					if err := c.AddTransactions(1, all[lo:lo+50]); err != nil {
						t.Error(err)
						return
					}
					continue
				}
				txs, err := c.LoadTransactions(1)
				if err != nil {
					t.Error(err)
					return
				}
				// Every snapshot is a consistent suffix of the history.
				if !reflect.DeepEqual(txs, all[len(all)-len(txs):]) {
					t.Errorf("reader saw an inconsistent history of %d", len(txs))
					return
				}
			}
		})
	}
	wg.Wait()
	if got, _ := c.LoadTransactions(1); !reflect.DeepEqual(got, all) {
		t.Errorf("after concurrent adds: %d txs, want %d", len(got), len(all))
	}
}

func BenchmarkSaveTransactions100k(b *testing.B) {
	txs := makeTxs(100_000, 1_000_000)
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.SaveTransactions(1, txs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadTransactions100k(b *testing.B) {
	txs := makeTxs(100_000, 1_000_000)
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := c.SaveTransactions(1, txs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.LoadTransactions(1)
		if err != nil || len(got) != len(txs) {
			b.Fatal(len(got), err)
		}
	}
}

func BenchmarkLoadNewest100of100k(b *testing.B) {
	c := openTestCache(b, filepath.Join(b.TempDir(), "bench.db"))
	if err := c.SaveTransactions(1, makeTxs(100_000, 1_000_000)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got, err := c.LoadNewest(1, 100); err != nil || len(got) != 100 {
			b.Fatal(len(got), err)
		}
	}
}

// BenchmarkChunkCodec compares the chunk encoding with encoding/gob, the
// choice the codec's comment reports on.
func BenchmarkChunkCodec(b *testing.B) {
	txs := makeTxs(chunkSize, 1_000_000)
	b.Run("binary-decode", func(b *testing.B) {
		data := encodeChunk(nil, txs)
		b.ReportMetric(float64(len(data)), "bytes/chunk")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeChunk(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gob-decode", func(b *testing.B) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(txs); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.ReportMetric(float64(len(data)), "bytes/chunk")
		b.ReportAllocs()
		for b.Loop() {
			var out []api.Transaction
			if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
