package offline_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"konto/api"
	"konto/store"
)

// testNow is the fixed clock of the tests: 26 November 2026, 10:00 in Berlin.
var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

var ctx = context.Background()

func fixedNow() time.Time { return testNow }

// remote is a fake bank with two accounts and generated history. Set Err to
// make every call fail.
type remote struct {
	mu       sync.Mutex
	Accts    []api.Account
	Txs      map[int64][]api.Transaction // newest first
	PageSize int
	Err      error
	Standing []api.StandingOrder
	Calls    []string
}

// newRemote returns a bank with accounts 4711 (n bookings) and 4712 (30).
func newRemote(n int) *remote {
	return &remote{
		Accts: []api.Account{
			{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500},
			{ID: 4712, IBAN: "DE12500105170648489890", Balance: 410000},
		},
		Txs:      map[int64][]api.Transaction{4711: generate(n, 1), 4712: generate(30, 100000)},
		PageSize: 50,
		Standing: []api.StandingOrder{{ID: 6, Status: api.StatusActive, Name: "John Doe", IBAN: "DE35120300001012765235", Amount: 100,
			Reoccurrence: api.Monthly, NextOccurrence: &api.OrderTime{Time: testNow.AddDate(0, 0, 5)}}},
	}
}

// generate returns n bookings, newest first, 18 hours apart back from
// testNow, ids from firstID.
func generate(n int, firstID int64) []api.Transaction {
	txs := make([]api.Transaction, n)
	names := []string{"Karl Lagerfeld", "Café Zürich", "Finanzamt Berlin", "Stadtwerke", "ACME GmbH"}
	for i := range txs {
		t := testNow.Add(-time.Duration(i) * 18 * time.Hour)
		txs[i] = api.Transaction{
			ID:          firstID + int64(n-1-i),
			Amount:      -int64(500 + (i*7919)%90000),
			Name:        api.Ptr(names[i%len(names)]),
			Purpose:     api.Ptr(fmt.Sprintf("Invoice %d", i)),
			BookingDate: api.TxTime{Time: t},
			ValutaDate:  &api.TxTime{Time: t},
		}
	}
	return txs
}

func incoming(id int64, cents int64, name string) api.Transaction {
	return api.Transaction{ID: id, Amount: cents, Name: api.Ptr(name), BookingDate: api.TxTime{Time: testNow.Add(time.Hour)}}
}

func (b *remote) call(s string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Calls = append(b.Calls, s)
	return b.Err
}

// CallCount counts calls whose name starts with prefix.
func (b *remote) CallCount(prefix string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.Calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (b *remote) Accounts(ctx context.Context) ([]api.Account, error) {
	if err := b.call("Accounts"); err != nil {
		return nil, err
	}
	return append([]api.Account(nil), b.Accts...), nil
}

func (b *remote) TransactionsPage(ctx context.Context, id int64, page int) (*api.TransactionPage, error) {
	if err := b.call(fmt.Sprintf("TransactionsPage %d %d", id, page)); err != nil {
		return nil, err
	}
	all := b.Txs[id]
	lo := min((page-1)*b.PageSize, len(all))
	hi := min(lo+b.PageSize, len(all))
	return &api.TransactionPage{Total: len(all), Results: append([]api.Transaction(nil), all[lo:hi]...)}, nil
}

func (b *remote) SyncTransactions(ctx context.Context, id int64, opt api.SyncOptions) ([]api.Transaction, error) {
	if err := b.call(fmt.Sprintf("SyncTransactions %d", id)); err != nil {
		return nil, err
	}
	return append([]api.Transaction(nil), b.Txs[id]...), nil
}

func (b *remote) StandingOrders(ctx context.Context, id int64) ([]api.StandingOrder, error) {
	if err := b.call(fmt.Sprintf("StandingOrders %d", id)); err != nil {
		return nil, err
	}
	return append([]api.StandingOrder(nil), b.Standing...), nil
}

func (b *remote) TimedOrders(ctx context.Context, id int64) ([]api.TimedOrderListItem, error) {
	if err := b.call(fmt.Sprintf("TimedOrders %d", id)); err != nil {
		return nil, err
	}
	return nil, nil
}

// openCache opens a cache in a temp dir (as under XDG_CACHE_HOME) holding
// the bank's accounts and the given histories.
func openCache(t testing.TB, bank *remote, histories map[int64][]api.Transaction) *store.Cache {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	path, err := store.CachePath(nil, "default")
	if err != nil {
		t.Fatal(err)
	}
	cache, err := store.OpenCache(path, store.CacheOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	if bank != nil {
		if err := cache.SaveAccounts(bank.Accts); err != nil {
			t.Fatal(err)
		}
	}
	for id, txs := range histories {
		if err := cache.SaveTransactions(id, txs); err != nil {
			t.Fatal(err)
		}
	}
	return cache
}
