package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"konto/api"
)

// fillCache puts accounts, a history with a booking named name, and orders
// into c, as a sync of that user would.
func fillCache(t *testing.T, c *Cache, name string) {
	t.Helper()
	txs := makeTxs(120, 5000)
	txs[7].Name = api.Ptr(name)
	if err := c.SaveAccounts([]api.Account{{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500}}); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTransactions(4711, txs); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveStandingOrders(4711, []api.StandingOrder{{ID: 6, Name: name}}); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveTimedOrders(4711, []api.TimedOrderListItem{{ID: "9939482a", RecipientName: name}}); err != nil {
		t.Fatal(err)
	}
}

// assertEmpty fails unless c holds nothing of account 4711.
func assertEmpty(t *testing.T, c *Cache) {
	t.Helper()
	if accs, at, err := c.LoadAccounts(); err != nil || len(accs) != 0 || !at.IsZero() {
		t.Errorf("accounts still cached: %v %v %v", accs, at, err)
	}
	if txs, err := c.LoadTransactions(4711); err != nil || len(txs) != 0 {
		t.Errorf("%d transactions still cached (%v)", len(txs), err)
	}
	if n, at, err := c.TransactionsInfo(4711); err != nil || n != 0 || !at.IsZero() {
		t.Errorf("transactions info %d %v %v", n, at, err)
	}
	if o, _, err := c.LoadStandingOrders(4711); err != nil || len(o) != 0 {
		t.Errorf("standing orders still cached: %v %v", o, err)
	}
	if o, _, err := c.LoadTimedOrders(4711); err != nil || len(o) != 0 {
		t.Errorf("timed orders still cached: %v %v", o, err)
	}
}

// fileHolds reports whether the cache file's bytes contain s (the cache is
// closed first, so everything is on disk).
func fileHolds(t *testing.T, c *Cache, s string) bool {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(s)))
}

// Identities as the tokens' subjects name them: user ids at the bank.
const (
	aliceID = "6661b22d-2f1c-4a55-9d6c-0000000a11ce"
	bobID   = "7772c33e-3a2d-4b66-8e7d-00000000b0b0"
)

func TestCacheClaimRecordsTheOwnerAsAHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if has, err := c.HasOwner(); err != nil || has {
		t.Fatalf("a new cache has an owner (%v)", err)
	}
	epoch := c.Epoch()
	changed, wiped, err := c.Claim("  " + aliceID + "\n")
	if err != nil || !changed || wiped {
		t.Fatalf("first claim: changed %v wiped %v err %v; want changed, nothing wiped", changed, wiped, err)
	}
	if c.Epoch() == epoch {
		t.Error("a change of owner did not move the epoch")
	}
	for identity, want := range map[string]bool{
		aliceID:                  true,
		" " + aliceID + " ":      true,
		strings.ToUpper(aliceID): false, // an id is compared as the bank wrote it
		bobID:                    false,
		aliceID + "0":            false,
		"":                       false,
	} {
		if got, err := c.OwnedBy(identity); err != nil || got != want {
			t.Errorf("OwnedBy(%q) = %v, %v; want %v", identity, got, err, want)
		}
	}
	if has, err := c.HasOwner(); err != nil || !has {
		t.Errorf("HasOwner after a claim = %v, %v", has, err)
	}
	if fileHolds(t, c, aliceID) {
		t.Error("the cache file holds the identity in clear")
	}
	// The owner survives a restart.
	c = openTestCache(t, path)
	if owned, err := c.OwnedBy(aliceID); err != nil || !owned {
		t.Errorf("owner lost on reopening: %v, %v", owned, err)
	}
}

func TestCacheClaimBySomeoneElseEmptiesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if _, _, err := c.Claim(aliceID); err != nil {
		t.Fatal(err)
	}
	fillCache(t, c, "Alice Secret Booking")
	// A damaged copy moved aside earlier holds Alice's data too.
	aside := path + ".corrupt-1700000000"
	if err := os.WriteFile(aside, []byte("Alice Secret Booking"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !fileHolds(t, c, "Alice Secret Booking") {
		t.Fatal("the booking is not in the file to begin with: the check below proves nothing")
	}
	c = openTestCache(t, path)

	changed, wiped, err := c.Claim(bobID)
	if err != nil || !changed || !wiped {
		t.Fatalf("claim by another login: changed %v wiped %v err %v; want both", changed, wiped, err)
	}
	assertEmpty(t, c)
	if owned, _ := c.OwnedBy(bobID); !owned {
		t.Error("the new owner is not recorded")
	}
	if owned, _ := c.OwnedBy(aliceID); owned {
		t.Error("the previous owner is still recorded")
	}
	// The new owner's data is kept as usual.
	if err := c.SaveAccounts([]api.Account{{ID: 5811, IBAN: "DE89370400440532013000"}}); err != nil {
		t.Fatal(err)
	}
	if accs, _, _ := c.LoadAccounts(); len(accs) != 1 || accs[0].ID != 5811 {
		t.Errorf("the new owner's accounts: %v", accs)
	}
	if _, err := os.Stat(aside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the damaged copy with the previous owner's data is still there (%v)", err)
	}
	if fileHolds(t, c, "Alice Secret Booking") {
		t.Error("the cache file still holds the previous owner's booking")
	}
	assertMode(t, path, 0o600)
}

func TestCacheClaimBySameOwnerKeepsIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if _, _, err := c.Claim(aliceID); err != nil {
		t.Fatal(err)
	}
	fillCache(t, c, "Alice Booking")
	c.Close()
	c = openTestCache(t, path)
	epoch := c.Epoch()
	changed, wiped, err := c.Claim(" " + aliceID + " ")
	if err != nil || changed || wiped {
		t.Fatalf("claim by the owner: changed %v wiped %v err %v; want neither", changed, wiped, err)
	}
	if c.Epoch() != epoch {
		t.Error("the owner's claim moved the epoch")
	}
	if n, _, _ := c.TransactionsInfo(4711); n != 120 {
		t.Errorf("the owner's history is gone: %d cached", n)
	}
	if accs, _, _ := c.LoadAccounts(); len(accs) != 1 {
		t.Errorf("the owner's accounts are gone: %v", accs)
	}
}

// The same id in another case is another user to the cache: the subject is
// not an email address, and it is not folded.
func TestCacheClaimDoesNotFoldCase(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "default.db"))
	if _, _, err := c.Claim("user-AbC"); err != nil {
		t.Fatal(err)
	}
	fillCache(t, c, "Someone")
	if changed, wiped, err := c.Claim("user-abc"); err != nil || !changed || !wiped {
		t.Fatalf("claim in another case: changed %v wiped %v err %v; want both", changed, wiped, err)
	}
	assertEmpty(t, c)
}

// A cache an older konto wrote records no owner: whose data it holds is
// unknown, so the first login does not adopt it.
func TestCacheWithoutOwnerIsEmptiedAtTheFirstLogin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	fillCache(t, c, "Whoever Booked This")
	changed, wiped, err := c.Claim(bobID)
	if err != nil || !changed || !wiped {
		t.Fatalf("claim of an owner-less cache: changed %v wiped %v err %v; want both", changed, wiped, err)
	}
	assertEmpty(t, c)
	if owned, _ := c.OwnedBy(bobID); !owned {
		t.Error("the first login is not recorded as owner")
	}
}

func TestCacheClaimRefusesNoIdentityAndAClosedCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	c := openTestCache(t, path)
	if _, _, err := c.Claim("  "); err == nil {
		t.Error("claimed for an empty identity")
	}
	c.Close()
	if _, _, err := c.Claim(bobID); !errors.Is(err, ErrCacheClosed) {
		t.Errorf("claim of a closed cache: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("a closed cache's file was touched: %v", err)
	}
}

// Claims race with the sessions that share the cache; run with -race.
func TestCacheClaimWhileInUse(t *testing.T) {
	c := openTestCache(t, filepath.Join(t.TempDir(), "default.db"))
	fillCache(t, c, "Someone")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				_, _ = c.LoadTransactions(4711)
				_ = c.SaveAccounts([]api.Account{{ID: int64(i)}})
			}
		}()
	}
	for _, who := range []string{"a@x", "b@x", "a@x"} {
		if _, _, err := c.Claim(who); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if owned, _ := c.OwnedBy("a@x"); !owned {
		t.Error("last claim not recorded")
	}
}
