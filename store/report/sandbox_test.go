package report_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/store/period"
	"konto/store/report"
	"konto/store/rules"
)

// The figures of a report, and the running balance, against the sandbox
// bank: its demo history (two years of a freelancer's bookings) and the
// balance it reports, before and after a transfer.
func TestAgainstTheSandbox(t *testing.T) {
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return start }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	client, err := api.New(srv.URL, apitest.BasicAuth(sandbox.DefaultLogin, sandbox.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	load := func() (api.Account, []api.Transaction) {
		accounts, err := client.Accounts(ctx)
		if err != nil || len(accounts) == 0 {
			t.Fatalf("accounts: %v, %v", accounts, err)
		}
		txs, err := client.SyncTransactions(ctx, accounts[0].ID, api.SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return accounts[0], txs
	}
	acct, txs := load()
	set, err := rules.New(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	results := set.ApplyAll(txs, nil)
	today := period.DateOf(start, loc)
	categorised := 0
	for _, r := range results {
		if r.Category != "" {
			categorised++
		}
	}
	// The demo's rent, tax office, health insurance and card payments
	// abroad are what the built-in rules know.
	seen := map[string]bool{}
	for _, r := range results {
		seen[r.Category] = true
	}
	for _, c := range []string{"rent", "taxes", "insurance:health", "abroad"} {
		if !seen[c] {
			t.Errorf("no demo booking is categorised %q", c)
		}
	}
	if categorised == 0 {
		t.Error("the built-in rules categorise none of the demo bookings")
	}

	for _, name := range []string{"lastmonth", "thisyear", "lastyear", "thisquarter", "2025-02", ".."} {
		p, err := period.Parse(name, today)
		if err != nil {
			t.Fatal(err)
		}
		r := report.Build(txs, results, p, loc)
		start, end := p.Bounds(loc)
		var in, out int64
		n := 0
		for _, tx := range txs {
			if !tx.BookingDate.Before(start) && tx.BookingDate.Before(end) {
				n++
				if tx.Amount > 0 {
					in += tx.Amount
				} else {
					out += tx.Amount
				}
			}
		}
		if r.In != in || r.Out != out || r.Count != n || (n == 0 && name != "..") {
			t.Errorf("%s: in %d out %d count %d; from the bookings %d %d %d", name, r.In, r.Out, r.Count, in, out, n)
		}
	}

	before := report.BalancesAfter(txs, acct.Balance)
	p, err := client.CreateTransfer(ctx, acct.ID, api.TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 4321})
	if err != nil {
		t.Fatal(err)
	}
	out := bank.Outbox()
	if _, err := client.ConfirmTransfer(ctx, p, out[len(out)-1].TAN); err != nil {
		t.Fatal(err)
	}
	acct2, txs2 := load()
	if acct2.Balance != acct.Balance-4321 || len(txs2) != len(txs)+1 {
		t.Fatalf("after the transfer: balance %d (was %d), %d bookings (were %d)", acct2.Balance, acct.Balance, len(txs2), len(txs))
	}
	after := report.BalancesAfter(txs2, acct2.Balance)
	if after[0] != acct2.Balance || after[1] != acct.Balance {
		t.Errorf("running balance at the top: %d, %d; want %d, %d", after[0], after[1], acct2.Balance, acct.Balance)
	}
	for i := range before {
		if after[i+1] != before[i] {
			t.Fatalf("booking %d: balance after %d, was %d", txs[i].ID, after[i+1], before[i])
		}
	}
	// The oldest booking's balance before it is the account's opening balance.
	oldest := len(txs2) - 1
	if opening := after[oldest] - txs2[oldest].Amount; opening < 0 {
		t.Errorf("opening balance %d", opening)
	}
}
