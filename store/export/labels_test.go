package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"konto/api"
	"konto/store/report"
	"konto/store/rules"
)

// konto tx --json: the bank's fields, konto's category (in place of the
// bank's null), tags, note, mark and the balance after each booking.
func TestJSONWithLabelsAndBalances(t *testing.T) {
	txs := fixtureTxs(t)
	acc := fixtureAccount()
	results := make([]rules.Result, len(txs))
	results[0] = rules.Result{Category: "rent", Tags: []string{"home"}, Note: "paid \x1b[31mlate\u202e", Marked: true}
	var buf bytes.Buffer
	if _, err := Write(&buf, acc, txs, Options{Format: JSON, Results: results, BalanceAfter: true}); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(buf.Bytes(), "\x1b\u202e") {
		t.Errorf("raw control characters in:\n%s", buf.Bytes())
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v in\n%s", err, buf.Bytes())
	}
	if len(got) != len(txs) {
		t.Fatalf("%d bookings written, want %d", len(got), len(txs))
	}
	after := report.BalancesAfter(txs, acc.Balance) // newest first
	byID := map[int64]int{}
	for i, tx := range txs {
		byID[tx.ID] = i
	}
	for _, obj := range got {
		i := byID[int64(obj["id"].(float64))]
		if int64(obj["balanceAfter"].(float64)) != after[i] {
			t.Errorf("booking %d: balanceAfter %v, want %d", txs[i].ID, obj["balanceAfter"], after[i])
		}
		if _, ok := obj["tags"].([]any); !ok {
			t.Errorf("booking %d: tags %v", txs[i].ID, obj["tags"])
		}
		if i == 0 {
			if obj["category"] != "rent" || obj["note"] != "paid \x1b[31mlate\u202e" || obj["marked"] != true || obj["tags"].([]any)[0] != "home" {
				t.Errorf("labelled booking: %v", obj)
			}
		} else if obj["category"] != nil || obj["note"] != nil || obj["marked"] != false {
			t.Errorf("booking %d: %v", txs[i].ID, obj)
		}
	}
	// --new still knows the bookings of such a file.
	known, err := KnownIDs(bytes.NewReader(buf.Bytes()), JSON)
	if err != nil || len(known) != len(txs) {
		t.Errorf("KnownIDs: %d, %v", len(known), err)
	}
	// Without labels the export is the bank's JSON alone.
	buf.Reset()
	if _, err := Write(&buf, acc, txs, Options{Format: JSON}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("balanceAfter")) || bytes.Contains(buf.Bytes(), []byte(`"tags"`)) {
		t.Error("labels without Results")
	}
	if _, err := Write(&buf, acc, txs, Options{Format: JSON, Results: results[:1]}); err == nil {
		t.Error("results of another length accepted")
	}
}

func firstOut(txs []api.Transaction) int {
	for i, tx := range txs {
		if tx.Amount < 0 {
			return i
		}
	}
	return -1
}

// labelledResults gives fixtureTxs categories (one of them Unicode, one
// that leaves nothing for an account name), tags, a note and a mark.
func labelledResults(txs []api.Transaction) []rules.Result {
	results := make([]rules.Result, len(txs))
	for i, tx := range txs {
		switch {
		case i == firstOut(txs):
			results[i] = rules.Result{Category: "Büro:Miete", Tags: []string{"home", "Steuer"}, Note: "paid late, konto-id:1; ok", Marked: true}
		case tx.Amount > 0:
			results[i] = rules.Result{Category: "clients:acme"}
		case i%2 == 0:
			results[i] = rules.Result{Category: "…", Tags: []string{"konto-id"}}
		}
	}
	return results
}

// hledger and beancount read categories as accounts, tags as tags, the
// note as a tag or metadata, the mark as beancount's "!" flag; the
// balances stay the bank's and --new still knows every booking.
func TestLedgersWithLabels(t *testing.T) {
	txs := fixtureTxs(t)
	acc := fixtureAccount()
	results := labelledResults(txs)
	for _, format := range []Format{Hledger, Beancount} {
		var buf bytes.Buffer
		if _, err := Write(&buf, acc, txs, Options{Format: format, Results: results}); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		want := map[Format][]string{
			Hledger:   {"expenses:buero:miete", "income:clients:acme", ", home:, steuer:, note:paid late; konto-id:1; ok, marked:"},
			Beancount: {"open Expenses:Buero:Miete", "open Income:Clients:Acme", " ! \"", " #home #steuer\n", `note: "paid late, konto-id:1; ok"`},
		}[format]
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in\n%s", format, w, text)
			}
		}
		known, err := KnownIDs(strings.NewReader(text), format)
		if err != nil || len(known) != len(txs) {
			t.Errorf("%s: KnownIDs %v, %v", format, known, err)
		}
		path := writeTemp(t, "ledger."+string(format), buf.Bytes())
		switch format {
		case Hledger:
			requireTool(t, "hledger")
			if got := hledgerBalance(t, path, "assets:bank:kontist:main"); got != acc.Balance {
				t.Errorf("hledger: balance %d, want %d", got, acc.Balance)
			}
			if got := hledgerBalance(t, path, "expenses:buero:miete"); got != -txs[firstOut(txs)].Amount {
				t.Errorf("hledger: rent %d, want %d", got, -txs[firstOut(txs)].Amount)
			}
			tags := tool(t, "hledger", "-f", path, "tags")
			for _, tag := range []string{"home", "steuer", "note", "marked"} {
				if !bytes.Contains(tags, []byte(tag+"\n")) {
					t.Errorf("hledger tags: no %s in\n%s", tag, tags)
				}
			}
		case Beancount:
			requireTool(t, "bean-check")
			tool(t, "bean-check", path)
			if got := beanBalance(t, path, "Expenses:Buero:Miete"); got != -txs[firstOut(txs)].Amount {
				t.Errorf("beancount: rent %d, want %d", got, -txs[firstOut(txs)].Amount)
			}
		}
	}
}

// --new adds bookings of new categories: beancount opens their accounts
// before the first use, once.
func TestAppendOpensNewCategories(t *testing.T) {
	requireTool(t, "bean-check")
	txs := fixtureTxs(t)
	acc := fixtureAccount()
	path := filepath.Join(t.TempDir(), "ledger.beancount")
	write := func(acc Account, txs []api.Transaction, results []rules.Result) int {
		file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		opt := fixtureOptions(Beancount)
		opt.Results = results
		n, err := Append(file, acc, txs, opt)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	half := len(txs) / 2
	// The older half as exported the day the newer half began.
	older := acc
	older.AsOf = txs[half-1].BookingDate.Time
	for _, tx := range txs[:half] {
		older.Balance -= tx.Amount
	}
	write(older, txs[half:], labelledResults(txs)[half:])
	tool(t, "bean-check", path)
	if n := write(acc, txs, labelledResults(txs)); n != half {
		t.Errorf("appended %d, want %d", n, half)
	}
	tool(t, "bean-check", path)
	text := string(readFile(t, path))
	for _, account := range []string{"Expenses:Buero:Miete", "Income:Clients:Acme"} {
		if n := strings.Count(text, " open "+account+"\n"); n != 1 {
			t.Errorf("%s opened %d times in\n%s", account, n, text)
		}
	}
}

// A category's account longer than the aligned width still has the two
// spaces both tools need before the amount.
func TestLongAccountKeepsTwoSpaces(t *testing.T) {
	got := string(appendPosting(nil, "    ", "expenses:insurance:health:private:supplementary", 24, -1250))
	if !strings.Contains(got, "supplementary  ") {
		t.Errorf("posting %q", got)
	}
}

func TestCSVCategory(t *testing.T) {
	txs := fixtureTxs(t)
	var buf bytes.Buffer
	if _, err := Write(&buf, fixtureAccount(), txs, Options{Format: CSV, Results: labelledResults(txs)}); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	col := slices.Index(rows[0], "category")
	found := 0
	for _, row := range rows[1:] {
		if row[col] == "Büro:Miete" || row[col] == "clients:acme" {
			found++
		}
	}
	if col < 0 || found < 2 {
		t.Errorf("categories in CSV: column %d, %d found\n%s", col, found, buf.Bytes())
	}
}

// A filtered list writes the balances it is given: the account's at each
// booking, which its own running sum is not.
func TestJSONWithGivenBalances(t *testing.T) {
	txs := fixtureTxs(t)
	acc := fixtureAccount()
	after := report.BalancesAfter(txs, acc.Balance)
	var kept []api.Transaction
	var balances []int64
	for i := 0; i < len(txs); i += 2 {
		kept, balances = append(kept, txs[i]), append(balances, after[i])
	}
	var buf bytes.Buffer
	if _, err := Write(&buf, acc, kept, Options{Format: JSON, BalanceAfter: true, Balances: balances}); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID           int64 `json:"id"`
		BalanceAfter int64 `json:"balanceAfter"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[int64]int64{}
	for i, tx := range kept {
		want[tx.ID] = balances[i]
	}
	if len(got) != len(kept) {
		t.Fatalf("%d bookings written, want %d", len(got), len(kept))
	}
	for _, g := range got {
		if g.BalanceAfter != want[g.ID] {
			t.Errorf("booking %d: balanceAfter %d, want %d", g.ID, g.BalanceAfter, want[g.ID])
		}
	}
	if _, err := Write(&buf, acc, kept, Options{Format: JSON, BalanceAfter: true, Balances: balances[1:]}); err == nil {
		t.Error("balances of another length accepted")
	}
}
