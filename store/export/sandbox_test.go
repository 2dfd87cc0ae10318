package export

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
)

// sandboxBank starts the sandbox bank (its seeded history, with the hostile
// bookings) over real HTTP and returns it with a client logged in as the
// doc's user.
func sandboxBank(t *testing.T) (*sandbox.Bank, *api.Client) {
	t.Helper()
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, berlin)
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return now }, Hostile: true, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	client, err := api.New(srv.URL, apitest.BasicAuth("Aladdin", "OpenSesame"))
	if err != nil {
		t.Fatal(err)
	}
	return bank, client
}

// syncAccount is what `konto export` would have from a fresh cache: the
// account, labelled as the UI labels it, with its balance and history.
func syncAccount(t *testing.T, bank *sandbox.Bank, client *api.Client, index int) (Account, []api.Transaction) {
	t.Helper()
	ctx := context.Background()
	accounts, err := client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := accounts[index]
	txs, err := client.SyncTransactions(ctx, a.ID, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	label := "Main"
	if index > 0 {
		label = "Account 2"
	}
	return Account{ID: a.ID, IBAN: a.IBAN, Label: label, Balance: a.Balance, AsOf: bank.Now()}, txs
}

// TestSandboxHistory exports the sandbox's seeded history of both accounts
// of the doc's user into one journal and one beancount file: the tools'
// balances are the bank's, a second --new adds nothing, and a booking made
// afterwards is added alone.
func TestSandboxHistory(t *testing.T) {
	t.Parallel()
	requireTool(t, "hledger")
	requireTool(t, "bean-check")
	requireTool(t, "bean-query")
	bank, client := sandboxBank(t)
	main, mainTxs := syncAccount(t, bank, client, 0)
	second, secondTxs := syncAccount(t, bank, client, 1)
	if main.ID != 4711 || len(mainTxs) < 1200 {
		t.Fatalf("main account %d with %d bookings", main.ID, len(mainTxs))
	}
	dir := t.TempDir()
	files := map[Format]string{Hledger: filepath.Join(dir, "bank.journal"), Beancount: filepath.Join(dir, "bank.beancount")}
	balances := func(f Format, wantMain, wantSecond int64) {
		t.Helper()
		path := files[f]
		if f == Hledger {
			tool(t, "hledger", "-f", path, "check")
			if got := hledgerBalance(t, path, "assets:bank:kontist:main"); got != wantMain {
				t.Errorf("hledger: main %d, bank %d", got, wantMain)
			}
			if got := hledgerBalance(t, path, "assets:bank:kontist:account-2"); got != wantSecond {
				t.Errorf("hledger: account 2 %d, bank %d", got, wantSecond)
			}
			return
		}
		tool(t, "bean-check", path)
		if got := beanBalance(t, path, "Assets:Bank:Kontist:Main"); got != wantMain {
			t.Errorf("beancount: main %d, bank %d", got, wantMain)
		}
		if got := beanBalance(t, path, "Assets:Bank:Kontist:Account-2"); got != wantSecond {
			t.Errorf("beancount: account 2 %d, bank %d", got, wantSecond)
		}
	}
	for f, path := range files {
		if n := appendTo(t, path, f, main, mainTxs); n != len(mainTxs) {
			t.Errorf("%s: wrote %d of %d", f, n, len(mainTxs))
		}
		if n := appendTo(t, path, f, second, secondTxs); n != len(secondTxs) {
			t.Errorf("%s: wrote %d of %d of account 2", f, n, len(secondTxs))
		}
		balances(f, main.Balance, second.Balance)
		if n := appendTo(t, path, f, main, mainTxs); n != 0 {
			t.Errorf("%s: a second --new added %d", f, n)
		}
	}

	bank.Advance(2 * time.Hour)
	booked := bank.Book(4711, api.Transaction{Amount: -1999, Name: api.Ptr("Late; \"Night\"\nShop"), PaymentMethod: api.Ptr("credit_card")})
	main, mainTxs = syncAccount(t, bank, client, 0)
	for f, path := range files {
		if n := appendTo(t, path, f, main, mainTxs); n != 1 {
			t.Errorf("%s: --new after booking %d added %d, want 1", f, booked.ID, n)
		}
		if !knownIn(t, path, f)[booked.ID] {
			t.Errorf("%s: booking %d not in the file", f, booked.ID)
		}
		balances(f, main.Balance, second.Balance)
	}
}
