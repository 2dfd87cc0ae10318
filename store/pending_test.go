package store

import (
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"konto/api"
)

// Payments of unknown outcome survive a restart (the file is closed and
// opened again), are changed in one write each, and are someone else's no
// more once the cache is claimed for another login.
func TestPendingPaymentsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if got, err := c.LoadPendingPayments(); err != nil || got != nil {
		t.Fatalf("new cache: %v, %v", got, err)
	}
	p := api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-ABC", Recipient: "Karl Brenner",
		IBAN: "DE89370400440532013000", Amount: 1250, SentAt: testNow}
	o := api.PendingPayment{Kind: api.KindTimedOrder, AccountID: 4711, E2EID: "KONTO-DEF", Recipient: "John Smith",
		IBAN: "DE33100110012626008537", Amount: 12012, SentAt: testNow.Add(time.Minute),
		ExecuteOn: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), OrderID: "9939482a"}
	add := func(q api.PendingPayment) func([]api.PendingPayment) []api.PendingPayment {
		return func(cur []api.PendingPayment) []api.PendingPayment { return append(cur, q) }
	}
	if _, err := c.UpdatePendingPayments(add(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdatePendingPayments(add(o)); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c = openTestCache(t, path)
	got, err := c.LoadPendingPayments()
	if err != nil || !reflect.DeepEqual(got, []api.PendingPayment{p, o}) {
		t.Fatalf("after a restart: %+v, %v", got, err)
	}

	// Sessions sharing the cache each add theirs without losing another's.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := p
			q.E2EID = "KONTO-" + string(rune('A'+i))
			if _, err := c.UpdatePendingPayments(add(q)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got, _ := c.LoadPendingPayments(); len(got) != 22 {
		t.Fatalf("%d kept after 20 concurrent adds, want 22", len(got))
	}

	left, err := c.UpdatePendingPayments(func([]api.PendingPayment) []api.PendingPayment { return nil })
	if err != nil || left != nil {
		t.Fatalf("clear: %v, %v", left, err)
	}
	if got, _ := c.LoadPendingPayments(); got != nil {
		t.Fatalf("cleared list reads %v", got)
	}

	// Another login's cache holds none of them.
	if _, _, err := c.Claim("user-a"); err != nil {
		t.Fatal(err)
	}
	c.UpdatePendingPayments(add(p))
	if _, wiped, err := c.Claim("user-b"); err != nil || !wiped {
		t.Fatalf("claim by another: wiped %v, %v", wiped, err)
	}
	if got, _ := c.LoadPendingPayments(); got != nil {
		t.Errorf("another login sees %v", got)
	}
}
