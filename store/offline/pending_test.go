package offline_test

import (
	"testing"

	"konto/api"
	"konto/store/offline"
)

// The mirror keeps the payments pending check in its cache while
// the cache is the identity's; once someone else's login claims it, they
// are gone with the rest of the data, and a bank without a cache keeps none.
func TestMirrorKeepsPendingPaymentsInItsCache(t *testing.T) {
	remote := newRemote(5)
	cache := openCache(t, remote, nil)
	bank := offline.New(remote, cache, offline.Options{})
	if _, err := bank.SetOwner("alice"); err != nil {
		t.Fatal(err)
	}
	p := api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-A", Amount: 1250, SentAt: testNow}
	if _, err := bank.UpdatePendingPayments(func(cur []api.PendingPayment) []api.PendingPayment { return append(cur, p) }); err != nil {
		t.Fatal(err)
	}
	if got, err := cache.LoadPendingPayments(); err != nil || len(got) != 1 || got[0] != p {
		t.Fatalf("in the cache: %+v, %v", got, err)
	}
	if got, err := bank.LoadPendingPayments(); err != nil || len(got) != 1 {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	if _, err := bank.SetOwner("bob"); err != nil {
		t.Fatal(err)
	}
	if got, _ := bank.LoadPendingPayments(); len(got) != 0 {
		t.Errorf("Bob sees Alice's pending payments: %+v", got)
	}
	none := offline.New(remote, nil, offline.Options{})
	if _, err := none.UpdatePendingPayments(func(cur []api.PendingPayment) []api.PendingPayment { return append(cur, p) }); err == nil {
		t.Error("a bank without a cache claims to keep them")
	}
}
