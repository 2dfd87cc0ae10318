package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// FuzzPageDecoder holds the hand-written page decoder to encoding/json:
// whatever it accepts, encoding/json accepts too and decodes to the same.
func FuzzPageDecoder(f *testing.F) {
	f.Add(docExample(f, "transactions"))
	f.Add([]byte(`{"next":null,"total":0,"results":[]}`))
	f.Add([]byte(`{"total":2,"results":[{"id":1,"amount":-5,"name":"B\u00e4cker \"X\"","bookingDate":"2018-08-08T16:26:52+00:00","valutaDate":"2018-08-08T16:26:52.5+01:00","invoiceNumber":7},{"id":2,"bookingDate":null,"valutaDate":null}]}`))
	f.Add([]byte(`{"total":1,"results":[{"id":1,"bookingDate":"2018-02-31T00:00:00Z"}]}`))
	f.Add([]byte(`{"total":1,"results":[{"ID":1,"amount":1e3}]}`))
	f.Add([]byte(" {\"results\" : [ ] , \"total\" : -0 }\n"))
	// Buffers a page was decoded into before: decoding into them again
	// must leave nothing of that page.
	used := &pageBuffers{}
	if !decodePage(docExample(f, "transactions"), &TransactionPage{}, used) {
		f.Fatal("the documented example was not decoded")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast TransactionPage
		if !decodePage(data, &fast, nil) {
			return
		}
		var want TransactionPage
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("the page decoder accepted what encoding/json refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(fast, want) {
			t.Fatalf("decoded differently from encoding/json:\n%+v\n%+v\ninput %q", fast, want, data)
		}
		used.reuse()
		var reused TransactionPage
		if !decodePage(data, &reused, used) || !reflect.DeepEqual(reused, want) {
			t.Fatalf("decoded differently into buffers used before:\n%+v\n%+v\ninput %q", reused, want, data)
		}
	})
}

func TestPageDecoderTakesTheDocExample(t *testing.T) {
	data := docExample(t, "transactions")
	var p TransactionPage
	if !decodePage(data, &p, nil) {
		t.Fatalf("the page decoder gave up on the documented example")
	}
	if len(p.Results) == 0 {
		t.Fatalf("no results")
	}
}

func TestDecodeAnswerFallsBackCleanly(t *testing.T) {
	// A key the decoder does not know: encoding/json decides, and what the
	// decoder had started must not leak into its result.
	data := []byte(`{"total":3,"next":"/x","results":[{"id":1}],"extra":true}`)
	p := TransactionPage{Results: make([]Transaction, 0, 4)}
	if err := decodeAnswer(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.Total != 3 || p.Next == nil || *p.Next != "/x" || len(p.Results) != 1 || p.Results[0].ID != 1 {
		t.Fatalf("fallback decoded %+v", p)
	}
}

// benchPage is a page of 50 bookings as the sandbox writes them.
func benchPage(b *testing.B) []byte {
	txs := make([]Transaction, 50)
	for i := range txs {
		ts := TxTime{time.Date(2026, 11, 1+i%28, 10, 0, 0, 0, time.UTC)}
		txs[i] = Transaction{
			ID: int64(100000 + i), Amount: int64(-1234 * i),
			Type: Ptr("SEPA_CREDIT_TRANSFER"), Category: Ptr("SHOPPING"),
			Name: Ptr(fmt.Sprintf("REWE Markt GmbH %d", i%7)), IBAN: Ptr("DE89370400440532013000"),
			Purpose: Ptr(fmt.Sprintf("Kartenzahlung %d Filiale Bäckerstraße", i)), E2EID: Ptr(fmt.Sprintf("E2E-%08d", i)),
			BookingDate: ts, ValutaDate: &ts, BookingType: Ptr("SEPA_CREDIT_TRANSFER"), PaymentMethod: Ptr("bank_account"),
		}
	}
	data, err := json.Marshal(TransactionPage{Total: 100000, Next: Ptr("/api/accounts/4711/transactions?page=2"), Results: txs})
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDecodePage(b *testing.B) {
	data := benchPage(b)
	b.Run("hand-written", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		dst := make([]Transaction, 0, 50)
		for b.Loop() {
			p := TransactionPage{Results: dst}
			if !decodePage(data, &p, nil) {
				b.Fatal("gave up")
			}
		}
	})
	b.Run("hand-written-reused", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		dst := make([]Transaction, 0, 50)
		bufs := &pageBuffers{}
		for b.Loop() {
			bufs.reuse()
			p := TransactionPage{Results: dst}
			if !decodePage(data, &p, bufs) {
				b.Fatal("gave up")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var p TransactionPage
			if err := json.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
