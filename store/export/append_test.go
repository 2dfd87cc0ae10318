package export

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"konto/api"
)

// appendTo runs Append on the file at path and returns how many bookings it added.
func appendTo(t testing.TB, path string, f Format, acc Account, txs []api.Transaction) int {
	t.Helper()
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	n, err := Append(file, acc, txs, fixtureOptions(f))
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	return n
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func knownIn(t testing.TB, path string, f Format) map[int64]bool {
	t.Helper()
	got, err := KnownIDs(bytes.NewReader(readFile(t, path)), f)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// without returns txs without the booking with the given id, and the
// balance the account had before it was booked.
func without(txs []api.Transaction, acc Account, id int64) ([]api.Transaction, Account) {
	out := slices.DeleteFunc(slices.Clone(txs), func(tx api.Transaction) bool { return tx.ID == id })
	for _, tx := range txs {
		if tx.ID == id {
			acc.Balance -= tx.Amount
		}
	}
	return out, acc
}

// TestAppendToNewFileIsWrite: a missing or blank file gets the complete export.
func TestAppendToNewFileIsWrite(t *testing.T) {
	for _, f := range Formats {
		for _, start := range []string{"", " \n\n"} {
			path := filepath.Join(t.TempDir(), "export")
			if start != "" {
				os.WriteFile(path, []byte(start), 0o644)
			}
			if n := appendTo(t, path, f, fixtureAccount(), fixtureTxs(t)); n != len(fixtureTxs(t)) {
				t.Errorf("%s: added %d, want %d", f, n, len(fixtureTxs(t)))
			}
			if got, want := readFile(t, path), export(t, f, fixtureAccount(), fixtureTxs(t)); !bytes.Equal(got, want) {
				t.Errorf("%s after %q: Append differs from Write:\n%s", f, start, got)
			}
		}
	}
}

// TestAppendTwiceAddsNothing: the second run leaves the file as it was.
func TestAppendTwiceAddsNothing(t *testing.T) {
	for _, f := range Formats {
		path := filepath.Join(t.TempDir(), "export")
		appendTo(t, path, f, fixtureAccount(), fixtureTxs(t))
		before := readFile(t, path)
		if n := appendTo(t, path, f, fixtureAccount(), fixtureTxs(t)); n != 0 {
			t.Errorf("%s: second run added %d", f, n)
		}
		if after := readFile(t, path); !bytes.Equal(before, after) {
			t.Errorf("%s: second run changed the file:\n%s", f, after)
		}
	}
}

// TestAppendAddsExactlyTheMissing: a booking that is new, and one that the
// bank shows late with an older date, are each added once.
func TestAppendAddsExactlyTheMissing(t *testing.T) {
	for _, f := range Formats {
		for _, id := range []int64{930003 /* the newest */, 920000 /* older than three others */} {
			path := filepath.Join(t.TempDir(), "export")
			all, acc := fixtureTxs(t), fixtureAccount()
			earlier, earlierAcc := without(all, acc, id)
			appendTo(t, path, f, earlierAcc, earlier)
			if n := appendTo(t, path, f, acc, all); n != 1 {
				t.Errorf("%s, %d missing: added %d, want 1", f, id, n)
			}
			if got := knownIn(t, path, f); !maps.Equal(got, ids(all)) {
				t.Errorf("%s, %d missing: file holds %v", f, id, sortedIDs(got))
			}
			if n := appendTo(t, path, f, acc, all); n != 0 {
				t.Errorf("%s, %d missing: third run added %d", f, id, n)
			}
			data := readFile(t, path)
			if c := bytes.Count(data, []byte("Opening balance")) + bytes.Count(data, []byte("Opening Balance")); c > 1 {
				t.Errorf("%s: %d opening balances", f, c)
			}
			if f == CSV || f == TSV {
				if c := bytes.Count(data, []byte("date,id")) + bytes.Count(data, []byte("date\tid")); c != 1 {
					t.Errorf("%s: %d header rows", f, c)
				}
			}
			if f == JSON {
				var back []api.Transaction
				if err := json.Unmarshal(data, &back); err != nil || len(back) != len(all) {
					t.Errorf("JSON after append: %d elements, %v\n%s", len(back), err, data)
				}
			}
		}
	}
}

// TestAppendToEditedFile: after the user reordered the file, added comments
// and left its last line without a line break, a new booking is added on a
// line of its own.
func TestAppendToEditedFile(t *testing.T) {
	all, acc := fixtureTxs(t), fixtureAccount()
	earlier, earlierAcc := without(all, acc, 930003)
	for _, f := range Formats {
		path := filepath.Join(t.TempDir(), "export")
		data := export(t, f, earlierAcc, earlier)
		switch f {
		case Hledger, Beancount:
			data = append(reverseBlocks(data), "; my last word, no line break"...)
		case CSV, TSV:
			data = bytes.TrimRight(data, "\n")
		case JSON:
			var v []any
			json.Unmarshal(data, &v)
			data, _ = json.MarshalIndent(v, "", "  ")
			data = append(data, "\n\n  "...)
		case QIF:
			data = bytes.TrimRight(data, "\n")
		}
		os.WriteFile(path, data, 0o644)
		if n := appendTo(t, path, f, acc, all); n != 1 {
			t.Errorf("%s: added %d, want 1", f, n)
		}
		got := readFile(t, path)
		if !bytes.HasPrefix(got, data[:len(data)-8]) {
			t.Errorf("%s: the existing text changed:\n%s", f, got)
		}
		if known := knownIn(t, path, f); !maps.Equal(known, ids(all)) {
			t.Errorf("%s: file holds %v\n%s", f, sortedIDs(known), got)
		}
		for _, line := range strings.Split(string(got), "\n") {
			if strings.Contains(line, "no line break") && line != "; my last word, no line break" {
				t.Errorf("%s: appended to the last line: %q", f, line)
			}
		}
		if f == JSON {
			var back []api.Transaction
			if err := json.Unmarshal(got, &back); err != nil || len(back) != len(all) {
				t.Errorf("JSON: %d elements, %v\n%s", len(back), err, got)
			}
		}
	}
}

// TestAppendSecondAccount: a second account added to a ledger gets its own
// opening balance and open directive, and the shared accounts are not
// opened twice.
func TestAppendSecondAccount(t *testing.T) {
	second := Account{ID: 5812, IBAN: "DE12500105170648489890", Label: "Account 2", Balance: 10000, AsOf: fixtureAccount().AsOf}
	secondTxs := []api.Transaction{{ID: 940001, Amount: 2500, Name: api.Ptr("Reserve"), BookingDate: at(2026, 1, 5, 9, 0)}}
	for _, f := range []Format{Hledger, Beancount} {
		path := filepath.Join(t.TempDir(), "export")
		appendTo(t, path, f, fixtureAccount(), fixtureTxs(t))
		if n := appendTo(t, path, f, second, secondTxs); n != 1 {
			t.Errorf("%s: added %d, want 1", f, n)
		}
		data := string(readFile(t, path))
		if c := strings.Count(data, "Opening balance"); c != 2 {
			t.Errorf("%s: %d opening balances, want 2", f, c)
		}
		if f == Beancount {
			for _, name := range []string{"Expenses:Unknown", "Assets:Bank:Kontist:Account-2"} {
				if c := strings.Count(data, " open "+name); c != 1 {
					t.Errorf("%s opened %d times", name, c)
				}
			}
		}
		if n := appendTo(t, path, f, second, secondTxs); n != 0 || strings.Count(string(readFile(t, path)), "Opening balance") != 2 {
			t.Errorf("%s: second run added %d", f, n)
		}
	}
}

// TestAppendAccountWithoutBookings: an account with no bookings gets its
// opening balance once, known by its konto-opening mark.
func TestAppendAccountWithoutBookings(t *testing.T) {
	for _, f := range []Format{Hledger, Beancount} {
		path := filepath.Join(t.TempDir(), "export")
		appendTo(t, path, f, fixtureAccount(), nil)
		before := readFile(t, path)
		if n := appendTo(t, path, f, fixtureAccount(), nil); n != 0 || !bytes.Equal(before, readFile(t, path)) {
			t.Errorf("%s: the second run changed the file:\n%s", f, readFile(t, path))
		}
	}
}

func TestAppendRefusesOtherFormats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export")
	appendTo(t, path, Beancount, fixtureAccount(), fixtureTxs(t))
	before := readFile(t, path)
	file, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := Append(file, fixtureAccount(), fixtureTxs(t), fixtureOptions(Hledger)); err == nil || !strings.Contains(err.Error(), "beancount file") {
		t.Errorf("appending hledger to a beancount file: %v", err)
	}
	if !bytes.Equal(before, readFile(t, path)) {
		t.Error("the refused append changed the file")
	}
	os.WriteFile(path, []byte(`[{"id": 1}] // note`), 0o644)
	if _, err := Append(file, fixtureAccount(), fixtureTxs(t), fixtureOptions(JSON)); err == nil {
		t.Error("appended to a JSON file with text after its array")
	}
}
