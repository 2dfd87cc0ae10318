package export

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
)

// benchBookings is the size of the history the benchmarks export.
const benchBookings = 100_000

var benchData = sync.OnceValues(func() (Account, []api.Transaction) {
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, berlin)
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return now }, Transactions: benchBookings, BasicPerMinute: -1})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(bank)
	defer srv.Close()
	client, err := api.New(srv.URL, apitest.BasicAuth("Aladdin", "OpenSesame"))
	if err != nil {
		panic(err)
	}
	accounts, err := client.Accounts(context.Background())
	if err != nil {
		panic(err)
	}
	txs, err := client.SyncTransactions(context.Background(), accounts[0].ID, api.SyncOptions{})
	if err != nil {
		panic(err)
	}
	a := accounts[0]
	return Account{ID: a.ID, IBAN: a.IBAN, Label: "Main", Balance: a.Balance, AsOf: now}, txs
})

// BenchmarkWrite exports the sandbox's seeded history of 100,000 bookings
// (newest first, as the bank and the cache hold it) in each format.
func BenchmarkWrite(b *testing.B) {
	acc, txs := benchData()
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			var size int64
			b.ReportAllocs()
			for b.Loop() {
				cw := &countingWriter{}
				if _, err := Write(cw, acc, txs, Options{Format: f, Loc: berlin}); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(txs)), "ns/booking")
			b.ReportMetric(float64(size)/float64(len(txs)), "B/booking-written")
		})
	}
}

// BenchmarkKnownIDs reads the ids back from a 100,000-booking export, what
// --new does before it appends.
func BenchmarkKnownIDs(b *testing.B) {
	acc, txs := benchData()
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			var data bytes.Buffer
			if _, err := Write(&data, acc, txs, Options{Format: f, Loc: berlin}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				ids, err := KnownIDs(bytes.NewReader(data.Bytes()), f)
				if err != nil || len(ids) != len(txs) {
					b.Fatalf("%d ids, %v", len(ids), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(txs)), "ns/booking")
		})
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
