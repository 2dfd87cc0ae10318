package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"konto/api"
)

// FuzzDecodeChunk feeds the transaction decoder whatever a damaged (or
// hostile) cache file could hold. It must fail cleanly or decode; what it
// decodes is bounded by the bytes given, agrees with chunkIDs and
// chunkCount, and encodes back to itself. The committed seeds
// (testdata/fuzz/FuzzDecodeChunk) run with every go test.
func FuzzDecodeChunk(f *testing.F) {
	full := make([]api.Transaction, 3)
	for i := range full {
		fillAll(&full[i], i)
	}
	f.Add(encodeChunk(nil, full))
	f.Add(encodeChunk(nil, makeTxs(20, 500)))
	var visit chunkVisit
	f.Fuzz(func(t *testing.T, data []byte) {
		txs, err := decodeChunk(data, nil)
		ids, idsErr := chunkIDs(data, nil)
		count, countErr := chunkCount(data)
		// eachInChunk reads what decodeChunk reads, and fails with it.
		var visited []api.Transaction
		visitErr := eachInChunk(data, &visit, func(tx *api.Transaction) { visited = append(visited, deepCopy(*tx)) })
		if (visitErr == nil) != (err == nil) || err == nil && !reflect.DeepEqual(visited, txs) && len(txs)+len(visited) > 0 {
			t.Fatalf("eachInChunk: %d transactions, %v; decodeChunk: %d, %v", len(visited), visitErr, len(txs), err)
		}
		if err != nil {
			if !errors.Is(err, errCorruptChunk) {
				t.Fatalf("decode error %v is not errCorruptChunk", err)
			}
			return
		}
		if len(txs) > len(data)/minRecordBytes {
			t.Fatalf("%d transactions out of %d bytes", len(txs), len(data))
		}
		if idsErr != nil || countErr != nil || count != len(txs) {
			t.Fatalf("decoded %d transactions; chunkIDs %v, chunkCount %d, %v", len(txs), idsErr, count, countErr)
		}
		for i := range txs {
			if ids[i] != txs[i].ID {
				t.Fatalf("chunkIDs %v disagree with the decoded ids", ids)
			}
		}
		again, err := decodeChunk(encodeChunk(nil, txs), nil)
		if err != nil || !reflect.DeepEqual(again, txs) {
			t.Fatalf("re-encoded chunk decodes to %d transactions (%v), want the %d decoded", len(again), err, len(txs))
		}
	})
}

// FuzzOpenCache opens whatever bytes a cache file could hold the way konto
// does and uses the cache: no input may crash, hang or fail OpenCache (a
// damaged file is moved aside). Its seeds are small real caches, built here.
func FuzzOpenCache(f *testing.F) {
	seed := func(fill func(c *Cache)) []byte {
		path := filepath.Join(f.TempDir(), "seed.db")
		c, err := OpenCache(path, CacheOptions{Now: func() time.Time { return testNow }, noSync: true})
		if err != nil {
			f.Fatal(err)
		}
		fill(c)
		c.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	f.Add(seed(func(*Cache) {}))
	f.Add(seed(func(c *Cache) {
		_, _, _ = c.Claim(aliceID)
		_ = c.SaveAccounts([]api.Account{{ID: campaignAccount, Balance: 100}})
		_ = c.SaveTransactions(campaignAccount, makeTxs(40, 100))
		_ = c.SaveStandingOrders(campaignAccount, []api.StandingOrder{{ID: 1, Name: "Rent"}})
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "default.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r := useDamagedCache(path)
		if r.outcome != outcomeOpened && r.outcome != outcomeRebuilt {
			t.Fatalf("%s: %s", r.outcome, r.detail)
		}
	})
}

// deepCopy is tx with copies of everything it points to.
func deepCopy(tx api.Transaction) api.Transaction {
	for _, p := range stringFields(&tx) {
		if *p != nil {
			*p = api.Ptr(strings.Clone(**p))
		}
	}
	for _, p := range []**api.TxTime{&tx.ValutaDate, &tx.UserSelectedBookingDate} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	if tx.InvoiceNumber != nil {
		tx.InvoiceNumber = api.Ptr(*tx.InvoiceNumber)
	}
	return tx
}
