package sandbox

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"konto/api"
)

// referencePage is how encodeJSON wrote every answer before pages had an
// encoder of their own.
func referencePage(t testing.TB, p api.TransactionPage) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAppendPageMatchesEncodingJSON(t *testing.T) {
	bank, err := New(Options{Transactions: 600, Hostile: true, Now: func() time.Time { return testStart }})
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range bank.accountOrder {
		txs := acc.txs.all()
		for lo := 0; lo < len(txs); lo += pageSize {
			next := "/api/accounts/4711/transactions?page=2"
			p := api.TransactionPage{Next: &next, Total: len(txs), Results: txs[lo:min(lo+pageSize, len(txs))]}
			if got, want := appendPage(nil, p), referencePage(t, p); !bytes.Equal(got, want) {
				t.Fatalf("account %d page at %d:\n%s\nwant\n%s", acc.id, lo, got, want)
			}
		}
	}
	for _, p := range []api.TransactionPage{{}, {Results: []api.Transaction{}}} {
		if got, want := appendPage(nil, p), referencePage(t, p); !bytes.Equal(got, want) {
			t.Fatalf("%+v: %s, want %s", p, got, want)
		}
	}
}

func FuzzAppendPage(f *testing.F) {
	f.Add("REWE <Markt> & Co", "\x1b[31mrot\u2028\"\\", int64(-5), int64(1<<40))
	f.Add("\xff\xfe", "\u00e4\u0000\t", int64(0), int64(-1))
	f.Fuzz(func(t *testing.T, name, purpose string, amount, when int64) {
		ts := api.TxTime{Time: time.Unix(when%(1<<35), 0)}
		p := api.TransactionPage{Total: 1, Results: []api.Transaction{{
			ID: amount ^ 0x5a5a, Amount: amount, Name: &name, Purpose: &purpose,
			BookingDate: ts, ValutaDate: &ts, InvoiceNumber: &amount,
		}}}
		if got, want := appendPage(nil, p), referencePage(t, p); !bytes.Equal(got, want) {
			t.Fatalf("%s\nwant\n%s", got, want)
		}
	})
}
