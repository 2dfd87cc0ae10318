package export

// The exports read by the real tools: hledger (Debian package hledger) and
// beancount's bean-check and bean-query (Debian package beancount). .ci/run
// installs them; without them these tests skip, saying so.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func requireTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed: %v (apt-get install hledger beancount)", name, err)
	}
}

// tool runs a command and returns its standard output; it fails the test
// when the command fails.
func tool(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	out, err := toolErr(name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out
}

// beanBalanceDespite is beanBalance when bean-query also reports errors of
// the ledger (on stderr).
func beanBalanceDespite(t testing.TB, path, account string) int64 {
	t.Helper()
	out, _ := exec.Command("bean-query", "-f", "csv", path, "SELECT sum(position) WHERE account = '"+account+"'").Output()
	rows := readCSV(t, out)
	if len(rows) != 2 || len(rows[1]) != 1 {
		t.Fatalf("bean-query sum: %q", rows)
	}
	return parseEUR(t, rows[1][0])
}

func toolErr(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	out, err := cmd.Output()
	if err != nil {
		return out, errors.New(err.Error() + ": " + strings.TrimSpace(stderr.String()+string(out)))
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		return out, errors.New("wrote to stderr: " + s)
	}
	return out, nil
}

func readCSV(t testing.TB, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	for _, row := range rows {
		for i := range row {
			row[i] = strings.TrimSpace(row[i]) // bean-query pads its columns
		}
	}
	return rows
}

// parseEUR reads "1000.00 EUR", "-6.59 EUR" or "0" as cents, exactly.
func parseEUR(t testing.TB, s string) int64 {
	t.Helper()
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "EUR"))
	if s == "0" || s == "" {
		return 0
	}
	neg := strings.HasPrefix(s, "-")
	euros, cents, ok := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	e, err1 := strconv.ParseInt(euros, 10, 64)
	c, err2 := strconv.ParseInt(cents, 10, 64)
	if !ok || len(cents) != 2 || err1 != nil || err2 != nil {
		t.Fatalf("not an amount in EUR: %q", s)
	}
	if neg {
		return -(e*100 + c)
	}
	return e*100 + c
}

// hledgerBalance is what `hledger bal ACCOUNT` says the account holds.
func hledgerBalance(t testing.TB, path, account string) int64 {
	t.Helper()
	for _, row := range readCSV(t, tool(t, "hledger", "-f", path, "bal", account, "-O", "csv", "-N")) {
		if len(row) == 2 && row[0] == account {
			return parseEUR(t, row[1])
		}
	}
	t.Fatalf("hledger bal %s: no row for the account", account)
	return 0
}

// beanBalance is the sum of the account's positions as bean-query sees it.
func beanBalance(t testing.TB, path, account string) int64 {
	t.Helper()
	rows := readCSV(t, tool(t, "bean-query", "-f", "csv", path, "SELECT sum(position) WHERE account = '"+account+"'"))
	if len(rows) != 2 || len(rows[1]) != 1 {
		t.Fatalf("bean-query sum: %q", rows)
	}
	return parseEUR(t, rows[1][0])
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHledgerReadsTheJournal: hledger accepts the journal, its balance of
// the bank account is the bank's to the cent, every booking is one
// transaction of two postings (the hostile text added none), and hledger
// reads the ids from the konto-id tags.
func TestHledgerReadsTheJournal(t *testing.T) {
	t.Parallel()
	requireTool(t, "hledger")
	acc, txs := fixtureAccount(), fixtureTxs(t)
	path := writeTemp(t, "main.journal", export(t, Hledger, acc, txs))
	tool(t, "hledger", "-f", path, "check")
	if got := hledgerBalance(t, path, "assets:bank:kontist:main"); got != acc.Balance {
		t.Errorf("hledger balance %d cents, bank %d", got, acc.Balance)
	}
	accounts := strings.Fields(string(tool(t, "hledger", "-f", path, "accounts")))
	if want := []string{"assets:bank:kontist:main", "equity:opening-balances", "expenses:unknown", "income:unknown"}; !slices.Equal(accounts, want) {
		t.Errorf("accounts %q, want %q", accounts, want)
	}
	rows := readCSV(t, tool(t, "hledger", "-f", path, "print", "-O", "csv"))
	header, rows := rows[0], rows[1:]
	col := func(name string) int { return slices.Index(header, name) }
	perTx := map[string]int{}
	descriptions := map[string]string{}
	for _, row := range rows {
		perTx[row[col("txnidx")]]++
		descriptions[row[col("code")]] = row[col("description")]
	}
	if len(perTx) != len(txs)+1 || len(rows) != 2*(len(txs)+1) {
		t.Errorf("%d transactions with %d postings, want %d with %d", len(perTx), len(rows), len(txs)+1, 2*(len(txs)+1))
	}
	if got, want := descriptions["930001"], "Evil / Corp, \"q\" \\     expenses:evil  1000.00 EUR 2018-08-09 open Assets:Evil , konto-id:1 | "+
		"=HYPERLINK(\"x\") pay,  now , konto-id:2, tag:x ^ Nfake end"; got != want {
		t.Errorf("hostile description %q\nwant %q", got, want)
	}
	var tagged []int64
	for _, v := range strings.Fields(string(tool(t, "hledger", "-f", path, "tags", "konto-id", "--values"))) {
		id, _ := strconv.ParseInt(v, 10, 64)
		tagged = append(tagged, id)
	}
	if want := sortedIDs(ids(txs)); !slices.Equal(tagged, want) {
		t.Errorf("hledger's konto-id tags %v, want %v", tagged, want)
	}
	// The secondary date is the value date.
	if out := string(tool(t, "hledger", "-f", path, "reg", "--date2", "code:920000")); !strings.HasPrefix(out, "2018-08-10 ") {
		t.Errorf("reg --date2 of the direct debit: %q", out)
	}
}

// TestBeancountReadsTheLedger: bean-check finds nothing to complain about
// (the balance assertion holds), bean-query's sum of the bank account is the
// bank's balance, and the bank text comes back as it was, cleaned.
func TestBeancountReadsTheLedger(t *testing.T) {
	t.Parallel()
	requireTool(t, "bean-check")
	requireTool(t, "bean-query")
	acc, txs := fixtureAccount(), fixtureTxs(t)
	path := writeTemp(t, "main.beancount", export(t, Beancount, acc, txs))
	tool(t, "bean-check", path)
	if got := beanBalance(t, path, "Assets:Bank:Kontist:Main"); got != acc.Balance {
		t.Errorf("beancount balance %d cents, bank %d", got, acc.Balance)
	}
	rows := readCSV(t, tool(t, "bean-query", "-f", "csv", path,
		"SELECT ENTRY_META('konto-id') AS id, payee, narration WHERE account = 'Assets:Bank:Kontist:Main'"))
	got := map[string][2]string{}
	for _, row := range rows[1:] {
		got[row[0]] = [2]string{row[1], row[2]}
	}
	if len(rows) != len(txs)+2 {
		t.Errorf("%d postings to the bank account, want %d", len(rows)-1, len(txs)+1)
	}
	if want := [2]string{clean(hostileName), clean(hostilePurpose)}; got["930001"] != want {
		t.Errorf("hostile payee and narration %q\nwant %q", got["930001"], want)
	}
	if want := [2]string{"Karl Lagerfeld", "E-16ab84e3177fdb4f692e02fd5b8ce808"}; got["905800"] != want {
		t.Errorf("payee and narration %q, want %q", got["905800"], want)
	}
	accounts := readCSV(t, tool(t, "bean-query", "-f", "csv", path, "SELECT DISTINCT account ORDER BY account"))
	if len(accounts) != 5 {
		t.Errorf("accounts %q, want the four konto writes", accounts[1:])
	}
}

// TestToolsAfterAppend: after --new added a booking of the balance's day,
// to a file exported the same day or the day before, and to a file the user
// had reordered and commented, both tools read the file and agree with the
// bank; beancount gets one balance assertion per day.
func TestToolsAfterAppend(t *testing.T) {
	t.Parallel()
	requireTool(t, "hledger")
	requireTool(t, "bean-check")
	requireTool(t, "bean-query")
	all, acc := fixtureTxs(t), fixtureAccount()
	for _, c := range []struct {
		name       string
		before     time.Duration // when the earlier export read the balance
		edited     bool
		assertions int
	}{
		{"same day", 2 * time.Hour, false, 1},
		{"day before", 24 * time.Hour, false, 2},
		{"edited", 24 * time.Hour, true, 2},
	} {
		earlier, earlierAcc := without(all, acc, 930003)
		earlierAcc.AsOf = acc.AsOf.Add(-c.before)
		for _, f := range []Format{Hledger, Beancount} {
			data := export(t, f, earlierAcc, earlier)
			if c.edited {
				data = append(reverseBlocks(data), "; a comment of my own, no line break"...)
			}
			path := writeTemp(t, "export."+extensions[f], data)
			if n := appendTo(t, path, f, acc, all); n != 1 {
				t.Fatalf("%s, %s: added %d, want 1", c.name, f, n)
			}
			if f == Hledger {
				tool(t, "hledger", "-f", path, "check")
				if got := hledgerBalance(t, path, "assets:bank:kontist:main"); got != acc.Balance {
					t.Errorf("%s: hledger balance %d, bank %d", c.name, got, acc.Balance)
				}
				continue
			}
			tool(t, "bean-check", path)
			if got := beanBalance(t, path, "Assets:Bank:Kontist:Main"); got != acc.Balance {
				t.Errorf("%s: beancount balance %d, bank %d", c.name, got, acc.Balance)
			}
			if got := bytes.Count(readFile(t, path), []byte(" balance ")); got != c.assertions {
				t.Errorf("%s: %d balance assertions, want %d", c.name, got, c.assertions)
			}
		}
	}
}

// TestToolsAfterLateBooking: a booking the bank shows late with a date
// before the last export is added; hledger and beancount then hold the
// bank's balance. The earlier export's beancount assertion, which counted
// the bank's balance without it, now fails in bean-check: the documented
// limit of asserting a balance by date (see Append).
func TestToolsAfterLateBooking(t *testing.T) {
	t.Parallel()
	requireTool(t, "hledger")
	requireTool(t, "bean-check")
	requireTool(t, "bean-query")
	all, acc := fixtureTxs(t), fixtureAccount()
	earlier, earlierAcc := without(all, acc, 920000)
	for _, f := range []Format{Hledger, Beancount} {
		path := writeTemp(t, "export."+extensions[f], export(t, f, earlierAcc, earlier))
		if n := appendTo(t, path, f, acc, all); n != 1 {
			t.Fatalf("%s: added %d, want 1", f, n)
		}
		if known := knownIn(t, path, f); !maps.Equal(known, ids(all)) {
			t.Errorf("%s holds %v", f, sortedIDs(known))
		}
		if f == Hledger {
			tool(t, "hledger", "-f", path, "check")
			if got := hledgerBalance(t, path, "assets:bank:kontist:main"); got != acc.Balance {
				t.Errorf("hledger balance %d, bank %d", got, acc.Balance)
			}
			continue
		}
		if got := beanBalanceDespite(t, path, "Assets:Bank:Kontist:Main"); got != acc.Balance {
			t.Errorf("beancount balance %d, bank %d", got, acc.Balance)
		}
		out, err := toolErr("bean-check", path)
		if err == nil || !strings.Contains(err.Error(), "Balance failed") || strings.Count(err.Error(), "Balance failed") != 1 {
			t.Errorf("bean-check after a late booking: %v %s, want the earlier assertion (only) to fail", err, out)
		}
	}
}
