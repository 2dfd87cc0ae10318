package history

import (
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"konto/api"
)

var base = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// bookings makes n bookings, newest first, ids from first+n-1 down to
// first, with every kind of field: nulls, repeated and unique texts,
// dates and invoice numbers.
func bookings(n int, first int64) []api.Transaction {
	txs := make([]api.Transaction, n)
	for i := range txs {
		id := first + int64(n-1-i)
		tx := api.Transaction{
			ID:          id,
			Amount:      int64(i%7-3) * 1234,
			BookingDate: api.TxTime{Time: base.Add(-time.Duration(i) * 90 * time.Minute)},
			Name:        api.Ptr(fmt.Sprintf("Counterparty %d", i%13)),
			Purpose:     api.Ptr(fmt.Sprintf("Invoice %d", id)),
			Type:        api.Ptr("SEPA_CREDIT_TRANSFER"),
		}
		if i%3 == 0 {
			tx.IBAN = api.Ptr("DE89370400440532013000")
			tx.ValutaDate = &api.TxTime{Time: base.Truncate(24 * time.Hour).Add(-time.Duration(i/16) * 24 * time.Hour)}
		}
		if i%3 == 1 {
			tx.ValutaDate = &api.TxTime{Time: tx.BookingDate.Time} // at the booking's instant
		}
		if i%5 == 0 {
			tx.InvoiceNumber = api.Ptr(int64(i))
			tx.E2EID = api.Ptr(fmt.Sprintf("E2E-%d", id))
			tx.UserSelectedBookingDate = &api.TxTime{Time: base.Add(time.Duration(i) * time.Second)}
		}
		if i%11 == 0 {
			tx.OriginalAmount, tx.ForeignCurrency = api.Ptr("760"), api.Ptr("SEK")
			tx.BookingType, tx.PaymentMethod = api.Ptr("CARD_TRANSACTION"), api.Ptr("card")
			tx.InvoicePreviewURL, tx.InvoiceDownloadURL = api.Ptr("https://x/p"), api.Ptr("https://x/d")
			tx.DocumentType, tx.MandateNumber, tx.Category = api.Ptr("VOUCHER"), api.Ptr("M-1"), api.Ptr("PRIVATE")
		}
		txs[i] = tx
	}
	return txs
}

func sameAs(t *testing.T, h *History, want []api.Transaction) {
	t.Helper()
	if h.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", h.Len(), len(want))
	}
	for i := range want {
		if got := h.At(i); !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("At(%d) = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestOfReadsBackEveryField(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			txs := bookings(n, 1)
			h := Of(txs)
			sameAs(t, h, txs)
			if !reflect.DeepEqual(h.Slice(), txs) {
				t.Fatal("Slice differs")
			}
			for i := range txs {
				tx := &txs[i]
				if h.ID(i) != tx.ID || h.Amount(i) != tx.Amount || !h.Booked(i).Equal(tx.BookingDate.Time) ||
					h.Text(i, Name) != api.Str(tx.Name) || h.Text(i, IBAN) != api.Str(tx.IBAN) || h.Text(i, MandateNumber) != api.Str(tx.MandateNumber) {
					t.Fatalf("columns of %d differ", i)
				}
			}
		})
	}
}

func TestNilAndZeroAreEmpty(t *testing.T) {
	var h *History
	if h.Len() != 0 || (&History{}).Len() != 0 {
		t.Fatal("not empty")
	}
	txs := bookings(3, 1)
	sameAs(t, h.Prepend(txs), txs)
	sameAs(t, (&History{}).Prepend(txs), txs)
	if h.Prepend(nil) != nil {
		t.Fatal("Prepend(nil) made something of nothing")
	}
}

func TestTextsAreStoredOnce(t *testing.T) {
	txs := bookings(1000, 1)
	h := Of(txs)
	// 13 names, 1000 purposes, 200 e2e ids, one IBAN, card texts: the
	// purposes, ids and links (seldom repeated) each time, the rest once.
	if got := h.texts.n; got > 1000+200+3*91+25 {
		t.Fatalf("%d texts for 1000 bookings: repeated texts are stored again", got)
	}
	a, b := h.At(0), h.At(13)
	if a.Name != b.Name {
		t.Fatal("the same name is two strings")
	}
}

func TestReadDoesNotAllocate(t *testing.T) {
	h := Of(bookings(100, 1))
	var sink api.Transaction
	var valuta api.TxTime
	for _, i := range []int{33, 34, 35} { // a day, the booking's instant, none
		if n := testing.AllocsPerRun(100, func() { sink = h.Read(i, &valuta) }); n != 0 {
			t.Fatalf("Read(%d) allocates %v times", i, n)
		}
	}
	if h.Read(34, &valuta).ValutaDate != &valuta {
		t.Fatal("a valuta at the booking's instant is not read into the caller's")
	}
	for _, i := range []int{33, 35} {
		if n := testing.AllocsPerRun(100, func() { sink = h.At(i) }); n != 0 {
			t.Fatalf("At(%d) allocates %v times", i, n)
		}
	}
	_ = sink
}

// A valuta at the instant of a booking date the rows cannot hold (before
// 2000, with a fraction, in a zone, the zero time) reads back too, and
// shares the booking date's entry.
func TestValutaAtAnOddBookingDate(t *testing.T) {
	dates := []time.Time{
		time.Date(1999, 12, 31, 21, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC),
		time.Date(2026, 3, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600)),
		{},
	}
	txs := bookings(len(dates)*3, 1)
	for i := range txs {
		txs[i].BookingDate = api.TxTime{Time: dates[i%len(dates)]}
		v := txs[i].BookingDate
		txs[i].ValutaDate = &v
		txs[i].UserSelectedBookingDate = nil
	}
	h := Of(txs)
	sameAs(t, h, txs)
	// One entry per odd booking date (the zero time's valuta has its own), and the null.
	if got, want := h.dates.n, 1+3*(len(dates)-1)+3; got != want {
		t.Fatalf("%d dates kept, want %d", got, want)
	}
}

// Two bookings read with At do not share a valuta date, and a history
// keeps none for a valuta at the booking's instant.
func TestValutaAtTheBookingIsNotKept(t *testing.T) {
	txs := bookings(300, 1)
	h := Of(txs)
	a, b := h.At(1), h.At(4)
	if a.ValutaDate == b.ValutaDate || !a.ValutaDate.Equal(txs[1].BookingDate.Time) {
		t.Fatal("valuta dates shared or wrong")
	}
	// Distinct days (300/16/3 of them) and user dates (one in five), no more.
	if got := h.dates.n; got > 1+300/16+1+300/5+1 {
		t.Fatalf("%d dates kept for 300 bookings", got)
	}
}

func TestPrependLeavesTheOldSnapshot(t *testing.T) {
	all := bookings(3*chunkSize+20, 1) // newest first
	for _, split := range []int{1, 7, chunkSize, chunkSize + 3} {
		t.Run(fmt.Sprint(split), func(t *testing.T) {
			old := all[split:]
			h := Of(old)
			// In steps, some crossing a chunk's end.
			grown, at := h, split
			for at > 0 {
				k := min(at, 1+at/3)
				grown = grown.Prepend(all[at-k : at])
				at -= k
			}
			sameAs(t, grown, all)
			sameAs(t, h, old)
		})
	}
}

func TestTwoPrependsFromOneSnapshot(t *testing.T) {
	old := bookings(chunkSize+10, 100)
	h := Of(old)
	a := []api.Transaction{{ID: 9001, Amount: 1, BookingDate: api.TxTime{Time: base.Add(time.Hour)}, Name: api.Ptr("A")}}
	b := []api.Transaction{{ID: 9002, Amount: 2, BookingDate: api.TxTime{Time: base.Add(2 * time.Hour)}, Name: api.Ptr("B")},
		{ID: 9001, Amount: 1, BookingDate: api.TxTime{Time: base.Add(time.Hour)}, Name: api.Ptr("A")}}
	ha := h.Prepend(a)
	// The same bookings again (the model and the list each add what a
	// poll brought): the storage is shared, nothing copied.
	again := h.Prepend(a)
	if again.rows.chunks[0] == nil || &again.rows.chunks[len(again.rows.chunks)-1][0] != &ha.rows.chunks[len(ha.rows.chunks)-1][0] {
		t.Fatal("the same prepend twice copied the storage")
	}
	// Others: a branch of its own.
	hb := h.Prepend(b)
	ha2 := ha.Prepend(b[:1])
	hb2 := hb.Prepend([]api.Transaction{{ID: 9003, BookingDate: api.TxTime{Time: base.Add(3 * time.Hour)}}})
	sameAs(t, h, old)
	sameAs(t, ha, append(a[:1:1], old...))
	sameAs(t, again, append(a[:1:1], old...))
	sameAs(t, hb, append(b[:2:2], old...))
	sameAs(t, ha2, append(b[:2:2], old...))
	sameAs(t, hb2, append([]api.Transaction{{ID: 9003, BookingDate: api.TxTime{Time: base.Add(3 * time.Hour)}}}, append(b[:2:2], old...)...))
}

func TestReadersRaceNoPrepend(t *testing.T) {
	old := bookings(chunkSize-5, 1)
	h := Of(old)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for i := range h.Len() {
				_ = h.At(i)
			}
		}
	}()
	grown := h
	for k := range 40 {
		grown = grown.Prepend([]api.Transaction{{ID: int64(100000 + k), BookingDate: api.TxTime{Time: base.Add(time.Duration(k+1) * time.Hour)}, Name: api.Ptr("new")}})
	}
	close(stop)
	wg.Wait()
	sameAs(t, h, old)
	if grown.Len() != len(old)+40 || grown.ID(0) != 100039 {
		t.Fatal("grown wrong")
	}
}

// heapPerBooking builds a history of n from bookings as a page decoder
// makes them and reports the live heap the history keeps once they are
// gone, and the time to build it.
func heapPerBooking(b *testing.B, n int) {
	var before, after runtime.MemStats
	var h *History
	var took time.Duration
	for range b.N {
		h = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		txs := bookings(n, 1)
		b.StartTimer()
		start := time.Now()
		h = Of(txs)
		took += time.Since(start)
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/booking")
	b.ReportMetric(float64(took.Nanoseconds())/float64(b.N), "build-ns/op")
	runtime.KeepAlive(h)
}

func BenchmarkOf100k(b *testing.B) { heapPerBooking(b, 100_000) }
func BenchmarkOf1M(b *testing.B)   { heapPerBooking(b, 1_000_000) }

func BenchmarkPrependOneAt1M(b *testing.B) {
	h := Of(bookings(1_000_000, 1))
	fresh := []api.Transaction{{ID: 5_000_000, Name: api.Ptr("x"), BookingDate: api.TxTime{Time: base.Add(time.Hour)}}}
	b.ResetTimer()
	for i := range b.N {
		fresh[0].ID = int64(5_000_000 + i)
		h = h.Prepend(fresh)
	}
}

func BenchmarkAtAll1M(b *testing.B) {
	h := Of(bookings(1_000_000, 1))
	b.ResetTimer()
	var sum int64
	for range b.N {
		for i := range h.Len() {
			sum += h.At(i).Amount
		}
	}
	_ = sum
}

func TestOddBookingDatesReadBackExactly(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	dates := []time.Time{
		{}, // a null bookingDate
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2068, 1, 19, 3, 14, 8, 0, time.UTC),
		time.Date(2150, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 20, 9, 0, 0, 123456789, time.UTC),
		time.Date(2026, 11, 20, 9, 0, 0, 0, zone),
	}
	txs := make([]api.Transaction, len(dates))
	for i, d := range dates {
		txs[i] = api.Transaction{ID: int64(len(dates) - i), BookingDate: api.TxTime{Time: d}}
	}
	h := Of(txs)
	sameAs(t, h, txs)
	for i, d := range dates {
		if got := h.Booked(i); !got.Equal(d) || got.Location().String() != d.Location().String() && !d.IsZero() && d.Location() != time.UTC {
			t.Errorf("Booked(%d) = %v, want %v", i, got, d)
		}
	}
}

// Two snapshots grown apart from one keep their own rare fields (an
// original amount lives in an extra).
func TestTwoPrependsKeepTheirExtras(t *testing.T) {
	old := bookings(40, 1)
	h := Of(old)
	a := []api.Transaction{{ID: 9001, BookingDate: api.TxTime{Time: base.Add(time.Hour)}, OriginalAmount: api.Ptr("1.00"), ForeignCurrency: api.Ptr("CHF"), Type: api.Ptr("CARD"), PaymentMethod: api.Ptr("card")}}
	b := []api.Transaction{{ID: 9002, BookingDate: api.TxTime{Time: base.Add(time.Hour)}, Name: api.Ptr("B"), OriginalAmount: api.Ptr("2.00"), ForeignCurrency: api.Ptr("USD"), Type: api.Ptr("SEPA"), BookingType: api.Ptr("DIRECT_DEBIT")}}
	ha := h.Prepend(a)
	hb := h.Prepend(b)
	sameAs(t, ha, append(a[:1:1], old...))
	sameAs(t, hb, append(b[:1:1], old...))
}

func TestExtends(t *testing.T) {
	all := bookings(chunkSize+30, 1)
	h := Of(all[10:])
	grown := h.Prepend(all[7:10]).Prepend(all[:7])
	if k, ok := grown.Extends(h); !ok || k != 10 {
		t.Errorf("grown.Extends(h) = %d, %v; want 10, true", k, ok)
	}
	if k, ok := h.Extends(h); !ok || k != 0 {
		t.Errorf("h.Extends(h) = %d, %v; want 0, true", k, ok)
	}
	// The same bookings prepended twice (the root and the list) share
	// their storage, and so extend each other's base.
	again := h.Prepend(all[7:10])
	if k, ok := again.Extends(h); !ok || k != 3 {
		t.Errorf("again.Extends(h) = %d, %v; want 3, true", k, ok)
	}
	if k, ok := grown.Extends(again); !ok || k != 7 {
		t.Errorf("grown.Extends(again) = %d, %v; want 7, true", k, ok)
	}
	if _, ok := h.Extends(grown); ok {
		t.Error("an older snapshot extends a newer one")
	}
	// Built apart, or a branch of its own: not the same storage.
	if _, ok := Of(all).Extends(h); ok {
		t.Error("a history built apart extends h")
	}
	branch := h.Prepend([]api.Transaction{{ID: 99999, BookingDate: api.TxTime{Time: base.Add(time.Hour)}}})
	if _, ok := branch.Extends(grown); ok {
		t.Error("a branch extends another branch")
	}
	if _, ok := branch.Extends(h); ok {
		t.Error("a branch, in storage of its own, extends h")
	}
	var none *History
	if _, ok := h.Extends(none); ok {
		t.Error("h extends nil")
	}
	if _, ok := none.Extends(h); ok {
		t.Error("nil extends h")
	}
}

// A built history owns its texts: a streamed sync decodes the next pages
// into the buffers the bookings added were read from.
func TestBuilderKeepsNothingOfItsInput(t *testing.T) {
	buf := []byte("Counterparty 1|Invoice 7|SEPA|DE89370400440532013000")
	view := func(from, to int) *string {
		s := unsafe.String(&buf[from], to-from)
		return &s
	}
	txs := []api.Transaction{
		{ID: 2, Name: view(0, 14), Purpose: view(15, 24), Type: view(25, 29), IBAN: view(30, 52)},
		{ID: 1, Name: view(0, 14), MandateNumber: view(15, 24)},
	}
	b := NewBuilder(0)
	for i := range txs {
		b.Add(&txs[i])
	}
	h := b.Done()
	for i := range buf {
		buf[i] = 'X'
	}
	got := []string{h.Text(0, Name), h.Text(0, Purpose), h.Text(0, Type), h.Text(0, IBAN), h.Text(1, Name), h.Text(1, MandateNumber)}
	want := []string{"Counterparty 1", "Invoice 7", "SEPA", "DE89370400440532013000", "Counterparty 1", "Invoice 7"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("texts after the input's bytes changed: %q", got)
	}
}

// A valuta date at the booking's own instant (what the bank mostly sends)
// reads back as it was, in its own location too.
func TestValutaAtTheBookingReadsBack(t *testing.T) {
	txs := bookings(50, 1)
	berlin := time.FixedZone("CET", 3600)
	for i := range txs {
		v := txs[i].BookingDate
		if i%2 == 1 {
			v = api.TxTime{Time: v.In(berlin)} // the same instant elsewhere
		}
		txs[i].ValutaDate = &v
	}
	sameAs(t, Of(txs), txs)
}
