package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeLists answers a check's reads from fixed lists.
type fakeLists struct {
	txs      []Transaction // newest first
	standing []StandingOrder
	timed    []TimedOrderListItem
	err      error
	pages    int // pages read
}

func (f *fakeLists) TransactionsPage(ctx context.Context, accountID int64, page int) (*TransactionPage, error) {
	f.pages++
	if f.err != nil {
		return nil, f.err
	}
	const size = 50
	from := min((page-1)*size, len(f.txs))
	to := min(from+size, len(f.txs))
	p := &TransactionPage{Total: len(f.txs), Results: f.txs[from:to]}
	if to < len(f.txs) {
		p.Next = Ptr(fmt.Sprintf("/api/accounts/%d/transactions?page=%d", accountID, page+1))
	}
	return p, nil
}

func (f *fakeLists) StandingOrders(ctx context.Context, accountID int64) ([]StandingOrder, error) {
	return f.standing, f.err
}

func (f *fakeLists) TimedOrders(ctx context.Context, accountID int64) ([]TimedOrderListItem, error) {
	return f.timed, f.err
}

var sent = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func booking(e2e string, amount int64, at time.Time) Transaction {
	return Transaction{Amount: amount, Name: Ptr("Karl Brenner"), IBAN: Ptr("DE89370400440532013000"), Purpose: Ptr("Lunch"),
		E2EID: Ptr(e2e), BookingDate: TxTime{Time: at}}
}

// The check matches the end-to-end id alone: an identical transfer booked
// minutes earlier (the same recipient, IBAN, amount and note: "pay again")
// is another payment and never passes for this one.
func TestCheckMatchesTheEndToEndIDAlone(t *testing.T) {
	p := PendingPayment{Kind: KindTransfer, AccountID: 4711, E2EID: "KONTO-THIS", Recipient: "Karl Brenner",
		IBAN: "DE89370400440532013000", Amount: 1250, SentAt: sent}
	twin := booking("KONTO-EARLIER", -1250, sent.Add(-2*time.Minute))
	lists := &fakeLists{txs: []Transaction{twin}}
	ctx := context.Background()
	if v, err := CheckPayment(ctx, lists, p, sent.Add(time.Second), CheckWindow); v != StillUnknown || err != nil {
		t.Fatalf("with only a twin booked: %v, %v; want still unknown", v, err)
	}
	if v, _ := CheckPayment(ctx, lists, p, sent.Add(CheckWindow), CheckWindow); v != NotBooked {
		t.Fatalf("after the window with only a twin booked: %v, want not booked", v)
	}
	// Money in with the id (someone sent it back) is no booking of this transfer.
	lists.txs = []Transaction{booking("KONTO-THIS", 1250, sent), twin}
	if v, _ := CheckPayment(ctx, lists, p, sent.Add(time.Second), CheckWindow); v != StillUnknown {
		t.Fatalf("a credit with the id counted: %v", v)
	}
	// Booked with another name and note (the bank may shorten them) still counts.
	late := booking("KONTO-THIS", -1250, sent.Add(3*time.Second))
	late.Name, late.Purpose = Ptr("KARL BRENNER"), nil
	lists.txs = []Transaction{late, twin}
	for _, now := range []time.Time{sent.Add(3 * time.Second), sent.Add(2 * CheckWindow)} {
		if v, err := CheckPayment(ctx, lists, p, now, CheckWindow); v != Booked || err != nil {
			t.Errorf("at %v: %v, %v; want booked", now.Sub(sent), v, err)
		}
	}
}

// A failed read settles nothing, not even after the window: "not booked"
// needs the bank's list to say so.
func TestCheckReadFailureSettlesNothing(t *testing.T) {
	p := PendingPayment{Kind: KindTransfer, AccountID: 4711, E2EID: "KONTO-X", Amount: 1, SentAt: sent}
	lists := &fakeLists{err: errors.New("connection refused")}
	v, err := CheckPayment(context.Background(), lists, p, sent.Add(time.Hour), CheckWindow)
	if v != StillUnknown || err == nil {
		t.Errorf("%v, %v", v, err)
	}
}

// The booking is looked for back to two days before sending (a bank may date
// a booking by the day), over as many pages as that takes, and no further.
func TestCheckReadsBackToWhenItWasSent(t *testing.T) {
	p := PendingPayment{Kind: KindTransfer, AccountID: 4711, E2EID: "KONTO-DEEP", Amount: 500, SentAt: sent}
	var txs []Transaction
	for i := range 120 { // money in after the transfer pushed it to page 3
		txs = append(txs, booking(fmt.Sprint("IN-", i), 100, sent.Add(time.Duration(120-i)*time.Second)))
	}
	txs = append(txs, booking("KONTO-DEEP", -500, sent))
	for i := range 200 {
		txs = append(txs, booking(fmt.Sprint("OLD-", i), -100, sent.Add(-time.Duration(i+1)*time.Hour)))
	}
	lists := &fakeLists{txs: txs}
	if v, err := CheckPayment(context.Background(), lists, p, sent.Add(time.Minute), CheckWindow); v != Booked || err != nil {
		t.Fatalf("%v, %v; want booked from page 3", v, err)
	}
	p.E2EID = "KONTO-NEVER"
	lists.pages = 0
	if v, err := CheckPayment(context.Background(), lists, p, sent.Add(time.Hour), CheckWindow); v != NotBooked || err != nil {
		t.Fatalf("%v, %v", v, err)
	}
	// Page 3 reaches back 29 hours before sending, page 4 to 79 hours: past
	// the two days, so the scan ends there, not at page 7.
	if lists.pages != 4 {
		t.Errorf("read %d pages, want 4", lists.pages)
	}
}

func TestCheckOrders(t *testing.T) {
	ctx := context.Background()
	so := PendingPayment{Kind: KindStandingOrder, AccountID: 4711, E2EID: "KONTO-SO", IBAN: "DE33100110012626008537", Amount: 12012, SentAt: sent}
	lists := &fakeLists{standing: []StandingOrder{{ID: 6, Status: StatusActive, Name: "John Smith", IBAN: so.IBAN, Amount: 12012, E2EID: Ptr("E-other")}}}
	if v, _ := CheckPayment(ctx, lists, so, sent.Add(time.Second), CheckWindow); v != StillUnknown {
		t.Errorf("an identical standing order with another id counted: %v", v)
	}
	lists.standing = append(lists.standing, StandingOrder{ID: 7, Status: StatusActive, Name: "John Smith", IBAN: so.IBAN, Amount: 12012, E2EID: Ptr("KONTO-SO")})
	if v, _ := CheckPayment(ctx, lists, so, sent.Add(time.Second), CheckWindow); v != Booked {
		t.Errorf("the standing order was not found: %v", v)
	}

	to := PendingPayment{Kind: KindTimedOrder, AccountID: 4711, E2EID: "KONTO-TO", Amount: 12012, SentAt: sent, ExecuteOn: sent.Add(72 * time.Hour)}
	lists = &fakeLists{timed: []TimedOrderListItem{{ID: "a", Amount: -12012, E2EID: Ptr("E-other")}}}
	if v, _ := CheckPayment(ctx, lists, to, sent.Add(time.Second), CheckWindow); v != StillUnknown || lists.pages != 0 {
		t.Errorf("timed order: %v after %d booking pages; want still unknown without reading bookings before its day", v, lists.pages)
	}
	lists.timed = append(lists.timed, TimedOrderListItem{ID: "b", Amount: -12012, E2EID: Ptr("KONTO-TO")})
	if v, _ := CheckPayment(ctx, lists, to, sent.Add(time.Second), CheckWindow); v != Booked {
		t.Errorf("the timed order was not found: %v", v)
	}
	// Once its day has come it leaves the list for the bookings.
	to.ExecuteOn = sent
	lists = &fakeLists{txs: []Transaction{booking("KONTO-TO", -12012, sent.Add(time.Minute))}}
	if v, _ := CheckPayment(ctx, lists, to, sent.Add(2*time.Minute), CheckWindow); v != Booked {
		t.Errorf("the executed timed order was not found among the bookings: %v", v)
	}
}

func TestNextCheckDelay(t *testing.T) {
	var at time.Duration
	var got []string
	for range 8 {
		d := NextCheckDelay(at)
		got = append(got, d.String())
		at += d
	}
	if s := strings.Join(got, " "); s != "2s 2s 4s 8s 16s 32s 1m0s 1m0s" {
		t.Errorf("delays %s", s)
	}
}

// The backoff runs from when the outcome became unknown, not from sending:
// a client that waited a minute before giving up still checks again within
// seconds, when a slow bank has most likely booked.
func TestCheckAgeRunsFromTheUnknown(t *testing.T) {
	p := PendingPayment{SentAt: sent, UnknownSince: sent.Add(time.Minute)}
	if d := NextCheckDelay(p.CheckAge(sent.Add(time.Minute))); d != FirstCheckDelay {
		t.Errorf("first delay %v after a client that waited a minute, want %v", d, FirstCheckDelay)
	}
	p.UnknownSince = time.Time{} // kept by an older run: from sending
	if age := p.CheckAge(sent.Add(time.Minute)); age != time.Minute {
		t.Errorf("age %v", age)
	}
}

func TestNewE2EID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewE2EID()
		if !strings.HasPrefix(id, "KONTO-") || len(id) != 26 || seen[id] {
			t.Fatalf("id %q (seen %v)", id, seen[id])
		}
		for _, r := range id[6:] {
			if !('A' <= r && r <= 'Z' || '2' <= r && r <= '7') {
				t.Fatalf("id %q holds %q", id, r)
			}
		}
		seen[id] = true
	}
}

func TestTwin(t *testing.T) {
	pending := []PendingPayment{{Kind: KindTransfer, IBAN: "DE89370400440532013000", Amount: 1250, E2EID: "KONTO-A"}}
	if p, ok := Twin(pending, KindTransfer, "DE89370400440532013000", 1250); !ok || p.E2EID != "KONTO-A" {
		t.Error("the twin was not found")
	}
	for _, c := range []struct {
		kind   PaymentKind
		iban   string
		amount int64
	}{{KindTransfer, "DE89370400440532013000", 1251}, {KindTransfer, "GB82WEST12345698765432", 1250}, {KindTimedOrder, "DE89370400440532013000", 1250}} {
		if _, ok := Twin(pending, c.kind, c.iban, c.amount); ok {
			t.Errorf("%+v counted as a twin", c)
		}
	}
}
