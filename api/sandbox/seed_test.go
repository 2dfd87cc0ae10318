package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/sepa"
)

func allTransactions(tb *testBank, id int64) []api.Transaction {
	var all []api.Transaction
	for n := 1; ; n++ {
		p := tb.page(id, n)
		all = append(all, p.Results...)
		if p.Next == nil {
			return all
		}
	}
}

func TestSeededHistoryIsRealistic(t *testing.T) {
	tb := newTestBank(t, Options{})
	main := allTransactions(tb, 4711)
	if len(main) != DefaultTransactions {
		t.Fatalf("%d bookings, want %d", len(main), DefaultTransactions)
	}
	oldest := main[len(main)-1].BookingDate.Time
	if span := testStart.Sub(oldest); span < 720*24*time.Hour || span > 740*24*time.Hour {
		t.Errorf("history spans %s, want about two years", span)
	}
	found := map[string]bool{}
	for _, tx := range main {
		if tx.Name == nil || *tx.Name == "" {
			t.Fatalf("booking %d without a name", tx.ID)
		}
		if !tx.BookingDate.Before(testStart) {
			t.Errorf("booking %d in the future: %s", tx.ID, tx.BookingDate)
		}
		if tx.IBAN != nil {
			if err := sepa.ValidateIBAN(*tx.IBAN); err != nil {
				t.Errorf("booking %d IBAN %s: %v", tx.ID, *tx.IBAN, err)
			}
		}
		for _, s := range []*string{tx.Name, tx.Purpose} {
			if s != nil && sepa.ValidateText(*s, 0) != nil {
				t.Errorf("booking %d carries control characters without --hostile: %q", tx.ID, *s)
			}
		}
		bt, pm := api.Str(tx.BookingType), api.Str(tx.PaymentMethod)
		switch {
		case pm == "credit_card" && tx.IBAN == nil && tx.BookingType == nil && tx.ForeignCurrency != nil && tx.OriginalAmount != nil:
			found["card abroad ("+*tx.ForeignCurrency+")"] = true
		case bt == "SEPA_DIRECT_DEBIT" && tx.MandateNumber != nil:
			found["direct debit"] = true
		case bt == "SEPA_DIRECT_DEBIT_RETURN" && tx.Amount > 0:
			found["returned debit"] = true
		case bt == "SEPA_CREDIT_TRANSFER" && tx.InvoiceNumber != nil && tx.InvoiceDownloadURL != nil && tx.InvoicePreviewURL != nil:
			found["invoice with links"] = true
		}
		name, purpose := *tx.Name, api.Str(tx.Purpose)
		switch {
		case strings.HasPrefix(purpose, "Invoice 20") && tx.Amount > 0:
			found["invoice paid in"] = true
		}
		switch {
		case strings.HasPrefix(name, "Finanzamt") && tx.Amount < 0:
			found["tax office"] = true
		case strings.HasPrefix(name, "Hausverwaltung") && tx.Amount < 0:
			found["rent"] = true
		case strings.HasPrefix(name, "Gesundheitskasse"):
			found["health insurance"] = true
		case strings.HasPrefix(name, "Pixelbox") || strings.HasPrefix(name, "Codeforge"):
			found["software subscription"] = true
		case strings.HasPrefix(name, "Café Zürich"):
			found["Café Zürich"] = true
		case name == "Müller GmbH":
			found["Müller GmbH"] = true
		}
		if tx.ValutaDate != nil {
			found["valuta date"] = true
		}
	}
	for _, want := range []string{"card abroad (CHF)", "card abroad (USD)", "card abroad (GBP)", "direct debit", "returned debit",
		"invoice with links", "invoice paid in", "tax office", "rent", "health insurance", "software subscription",
		"Café Zürich", "Müller GmbH", "valuta date"} {
		if !found[want] {
			t.Errorf("no %s in the seeded history", want)
		}
	}
	reserve := allTransactions(tb, 4712)
	if len(reserve) == 0 || len(reserve) >= len(main)/4 {
		t.Errorf("tax reserve has %d bookings, want a few", len(reserve))
	}
	var active, canceled int
	for _, o := range tb.standingOrders() {
		switch o.Status {
		case "ACTIVE":
			active++
			if o.NextOccurrence == nil || o.NextOccurrence.Before(testStart.Truncate(24*time.Hour)) {
				t.Errorf("active order %d next %v", o.ID, o.NextOccurrence)
			}
		case "CANCELED":
			canceled++
		}
	}
	if active < 2 || canceled != 1 {
		t.Errorf("%d active and %d canceled standing orders", active, canceled)
	}
}

func TestSameSeedSameBank(t *testing.T) {
	snapshot := func(opts Options) (data, sms []byte) {
		tb := newTestBank(t, opts)
		var out bytes.Buffer
		for _, path := range []string{"/api/accounts", "/api/accounts/4711/transactions?page=1", "/api/accounts/4711/transactions?page=7",
			"/api/accounts/4712/transactions", "/api/accounts/4711/standing-orders", "/api/accounts/4711/timed-orders"} {
			out.Write(tb.do("GET", path, "").body)
		}
		out.Write(tb.do("POST", "/api/accounts/4711/transfer", transferBody).body)
		// The SMS's createdAt carries the real time elapsed: compare the rest.
		outbox := tb.Outbox()
		for i := range outbox {
			outbox[i].CreatedAt = time.Time{}
		}
		return out.Bytes(), encodeJSON(outbox)
	}
	a, smsA := snapshot(Options{Hostile: true})
	b, smsB := snapshot(Options{Hostile: true})
	if !bytes.Equal(a, b) || !bytes.Equal(smsA, smsB) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Logf("first difference: %s\n%s", a[max(0, i-200):min(len(a), i+100)], b[max(0, i-200):min(len(b), i+100)])
				break
			}
		}
		t.Logf("%s\n%s", smsA, smsB)
		t.Fatal("two banks with the same seed and start differ")
	}
	// Later the same day: the same bank.
	if later, _ := snapshot(Options{Hostile: true, Now: func() time.Time { return testStart.Add(-17 * time.Hour) }}); !bytes.Equal(a, later) {
		t.Error("another time of the same day gives another bank")
	}
	if c, _ := snapshot(Options{Seed: 7, Hostile: true}); bytes.Equal(a, c) {
		t.Error("another seed gives the same bank")
	}
}

func TestHostileBookingsAmongTheNewest(t *testing.T) {
	tb := newTestBank(t, Options{Hostile: true})
	var texts strings.Builder
	var incoming int
	for _, tx := range tb.page(4711, 1).Results {
		if sepa.ValidateText(api.Str(tx.Name), 0) != nil || sepa.ValidateText(api.Str(tx.Purpose), 0) != nil || len([]rune(api.Str(tx.Purpose))) >= 300 {
			if tx.Amount <= 0 {
				t.Errorf("hostile booking %d is not incoming", tx.ID)
			}
			incoming++
		}
		texts.WriteString(api.Str(tx.Name) + "\n" + api.Str(tx.Purpose) + "\n")
	}
	if incoming < 7 {
		t.Errorf("%d hostile bookings on the first page, want about 8", incoming)
	}
	all := texts.String()
	for name, want := range map[string]string{
		"CSI": "\x1b[", "OSC title": "\x1b]0;", "OSC 52": "\x1b]52;", "DCS": "\x1bP", "8-bit CSI": "\u009b", "C1 NEL": "\u0085",
		"carriage return": "\r", "backspace": "\b", "BEL": "\a", "NUL": "\x00", "bidi override": "\u202e",
		"zero-width space": "\u200b", "combining": "\u0301", "emoji": "💸", "CJK": "東京",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s among the hostile bookings", name)
		}
	}
	long := false
	for _, h := range hostileTexts() {
		long = long || len([]rune(h.purpose)) == 300
	}
	if !long {
		t.Error("no 300-character text")
	}
}

func TestHundredThousandTransactions(t *testing.T) {
	tb := newTestBank(t, Options{Transactions: 100_000})
	p := tb.page(4711, 1)
	if p.Total != 100_000 || len(p.Results) != 50 {
		t.Fatalf("total %d, %d results", p.Total, len(p.Results))
	}
	last := tb.page(4711, 2000)
	if len(last.Results) != 50 || last.Next != nil {
		t.Fatalf("page 2000: %d results, next %v", len(last.Results), last.Next)
	}
	want := tb.page(4711, 1234).Results[17]
	var got api.Transaction
	tb.ok(tb.do("GET", "/api/accounts/4711/transactions/"+itoa(want.ID), ""), &got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("by id: %+v, want %+v", got, want)
	}
	oldest := last.Results[49]
	if api.Str(oldest.Purpose) != "Übertrag vom bisherigen Geschäftskonto" || oldest.Amount <= 0 {
		t.Errorf("oldest booking is not the opening deposit: %+v", oldest)
	}
}

func TestFewTransactions(t *testing.T) {
	for _, n := range []int{1, 5, 60} {
		tb := newTestBank(t, Options{Transactions: n})
		if got := tb.page(4711, 1).Total; got != n {
			t.Errorf("Transactions %d: total %d", n, got)
		}
	}
}

func BenchmarkNew100k(b *testing.B) {
	now := func() time.Time { return testStart }
	for b.Loop() {
		if _, err := New(Options{Transactions: 100_000, Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewDefault(b *testing.B) {
	now := func() time.Time { return testStart }
	for b.Loop() {
		if _, err := New(Options{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPage100k serves one page from the middle of 100k bookings,
// in-process (no network), as the handler's own cost.
func BenchmarkPage100k(b *testing.B) {
	bank, err := New(Options{Transactions: 100_000, Now: func() time.Time { return testStart }, BasicPerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/accounts/4711/transactions?page=1000", nil)
	req.Header.Set("Authorization", docBasic)
	req.Header.Set("Accept", transactionListV21)
	for b.Loop() {
		w := httptest.NewRecorder()
		bank.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		io.Copy(io.Discard, w.Body)
	}
}
