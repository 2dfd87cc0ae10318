package session_test

import (
	"testing"

	"konto/store/rules"
	"konto/ui/session"
	"konto/ui/uitest"
)

// The user's labels live in the cache of the identity served: they survive
// a resync, and another user's login does not see them.
func TestBankKeepsLabelsInItsCache(t *testing.T) {
	remote := uitest.NewBank(5)
	cache := openCache(t, remote, nil)
	bank := session.NewMirror(remote, cache, nil)
	if _, err := bank.SetOwner("alice"); err != nil {
		t.Fatal(err)
	}
	id := remote.Txs[4711][0].ID
	if _, err := bank.UpdateLabel(id, func(l rules.Label) rules.Label { l.Category, l.Marked = "rent", true; return l }); err != nil {
		t.Fatal(err)
	}
	bank.Resync()
	if got, err := bank.LoadLabels(); err != nil || got[id].Category != "rent" || !got[id].Marked {
		t.Fatalf("read back after a resync: %+v, %v", got, err)
	}
	if _, err := bank.SetOwner("bob"); err != nil {
		t.Fatal(err)
	}
	if got, _ := bank.LoadLabels(); len(got) != 0 {
		t.Errorf("Bob sees Alice's labels: %+v", got)
	}
	none := session.NewMirror(remote, nil, nil)
	if _, err := none.UpdateLabel(id, func(l rules.Label) rules.Label { return l }); err == nil {
		t.Error("a bank without a cache claims to keep labels")
	}
}
