package session_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store"
	"konto/ui"
	"konto/ui/common"
	"konto/ui/session"
	"konto/ui/uitest"
)

// warmCache writes a cache file with the bank's accounts and 100k bookings
// on account 4711 and returns its path.
func warmCache(b *testing.B) (string, *uitest.Bank) {
	b.Helper()
	remote := uitest.NewBank(100_000)
	cache := openCache(b, remote, map[int64][]api.Transaction{4711: remote.Txs[4711], 4712: remote.Txs[4712]})
	path := cache.Path()
	if err := cache.Close(); err != nil {
		b.Fatal(err)
	}
	return path, remote
}

// BenchmarkStartToFirstFrame100k measures what stands between starting
// konto with a warm cache of 100k bookings and its first painted frame:
// open the cache, the accounts and the newest page from it, the root model
// taking both, and the frame drawn.
func BenchmarkStartToFirstFrame100k(b *testing.B) {
	path, remote := warmCache(b)
	b.ResetTimer()
	for b.Loop() {
		cache, err := store.OpenCache(path, store.CacheOptions{})
		if err != nil {
			b.Fatal(err)
		}
		c := uitest.Common(remote, 120, 40)
		bank := session.NewMirror(remote, cache, fixedNow)
		c.Bank = bank
		c.Session = session.New(c, bank, session.Options{})
		m := ui.New(c)
		accs, err := bank.Accounts(ctx)
		if err != nil {
			b.Fatal(err)
		}
		m.Update(common.AccountsLoadedMsg{Accounts: accs}) // starts loading 4711: its page 1 is load 1
		page, err := bank.TransactionsPage(ctx, 4711, 1)
		if err != nil {
			b.Fatal(err)
		}
		results := make([]api.Transaction, len(page.Results))
		for i, t := range page.Results {
			results[i] = common.SanitizeTransaction(t)
		}
		m.Update(common.TransactionsPageMsg{AccountID: 4711, Seq: 1, Page: 1, Results: results, Total: page.Total})
		frame := m.Render()
		b.StopTimer()
		if !strings.Contains(ansi.Strip(frame), "Karl Lagerfeld") {
			b.Fatalf("the first frame shows no bookings:\n%s", ansi.Strip(frame))
		}
		cache.Close()
		b.StartTimer()
	}
}

// BenchmarkLoadFullHistory100k is "the rest" after the first frame: the
// whole cached history of 100k bookings decoded.
func BenchmarkLoadFullHistory100k(b *testing.B) {
	path, _ := warmCache(b)
	cache, err := store.OpenCache(path, store.CacheOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer cache.Close()
	b.ResetTimer()
	for b.Loop() {
		txs, err := cache.LoadTransactions(4711)
		if err != nil || len(txs) != 100_000 {
			b.Fatalf("%d, %v", len(txs), err)
		}
	}
}
