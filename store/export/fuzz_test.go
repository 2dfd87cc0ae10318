package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"konto/api"
)

// FuzzBankText: whatever text the bank sends, every format keeps its
// structure (one entry per booking, postings and fields where they belong)
// and KnownIDs reads exactly the ids written, none the text smuggled in.
func FuzzBankText(f *testing.F) {
	f.Add(hostileName, hostilePurpose, "E2E, konto-id:4", "DE00 6666", "M\nX", "CHF", "760")
	f.Add("a\"b\\", "\\\"", "\"", "\\", "; konto-id:9", "\n2018-01-01 open X", "x\ty")
	f.Add("\n    konto-id: \"9\"", "\r\n^\nN9\n", ",9,", "\t9\t", "}, {\"id\": 9", "=1+1", "-1")
	f.Fuzz(func(t *testing.T, name, purpose, e2e, iban, mandate, currency, original string) {
		txs := fixtureTxs(t)
		hostile := api.Transaction{ID: 777001, Amount: -4200, Name: &name, Purpose: &purpose, E2EID: &e2e,
			IBAN: &iban, MandateNumber: &mandate, ForeignCurrency: &currency, OriginalAmount: &original,
			BookingType: &name, Type: &purpose, PaymentMethod: &e2e,
			BookingDate: at(2020, 1, 2, 3, 4), ValutaDate: atPtr(2020, 1, 3, 0, 0)}
		txs = append([]api.Transaction{hostile}, txs...)
		for _, format := range Formats {
			data := export(t, format, fixtureAccount(), txs)
			got, err := KnownIDs(bytes.NewReader(data), format)
			if err != nil || !maps.Equal(got, ids(txs)) {
				t.Fatalf("%s: KnownIDs = %v, %v\n%s", format, sortedIDs(got), err, data)
			}
			checkStructure(t, format, data, len(txs))
			if format == JSON && utf8.ValidString(name) && utf8.ValidString(purpose) {
				var back []api.Transaction
				json.Unmarshal(data, &back)
				for _, got := range back {
					if got.ID == hostile.ID && (*got.Name != name || *got.Purpose != purpose) {
						t.Fatalf("JSON changed the text: %q %q", *got.Name, *got.Purpose)
					}
				}
			}
		}
	})
}

// checkStructure fails when an export's lines are not what its writer
// makes: bank text must not have started a line of its own.
func checkStructure(t *testing.T, format Format, data []byte, bookings int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	switch format {
	case Hledger:
		postings := 0
		for _, l := range lines {
			switch {
			case l == "", strings.HasPrefix(l, "; "), strings.HasPrefix(l, "    ; konto-"):
			case len(l) > 10 && l[4] == '-' && l[7] == '-' && (l[10] == ' ' || l[10] == '='):
			case strings.HasPrefix(l, "    assets:bank:kontist:main  "), strings.HasPrefix(l, "    expenses:unknown  "),
				strings.HasPrefix(l, "    income:unknown  "), strings.HasPrefix(l, "    equity:opening-balances  "):
				postings++
			default:
				t.Fatalf("hledger line %q", l)
			}
		}
		if postings != 2*(bookings+1) {
			t.Fatalf("hledger: %d postings for %d bookings", postings, bookings)
		}
	case Beancount:
		for _, l := range lines {
			switch {
			case l == "", strings.HasPrefix(l, "; "):
			case len(l) > 10 && l[4] == '-' && l[7] == '-' && l[10] == ' ':
				if strings.Contains(l, ` * "`) && unescapedQuotes(l)%2 != 0 {
					t.Fatalf("beancount line with unbalanced quotes %q", l)
				}
			case strings.HasPrefix(l, "  ") && l[2] != ' ':
				if unescapedQuotes(l)%2 != 0 {
					t.Fatalf("beancount line with unbalanced quotes %q", l)
				}
			default:
				t.Fatalf("beancount line %q", l)
			}
		}
	case CSV:
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(rows) != bookings+1 {
			t.Fatalf("csv: %d rows, %v", len(rows), err)
		}
	case TSV:
		if len(lines) != bookings+1 {
			t.Fatalf("tsv: %d lines", len(lines))
		}
		for _, l := range lines {
			if strings.Count(l, "\t") != len(Columns)-1 {
				t.Fatalf("tsv line %q", l)
			}
		}
	case JSON:
		var back []api.Transaction
		if err := json.Unmarshal(data, &back); err != nil || len(back) != bookings {
			t.Fatalf("json: %d, %v", len(back), err)
		}
	case QIF:
		for _, l := range lines {
			if l == "" || !strings.ContainsRune("!DTNPML^", rune(l[0])) {
				t.Fatalf("qif line %q", l)
			}
		}
	}
}

// unescapedQuotes counts the quotes of a beancount line not escaped by a
// backslash.
func unescapedQuotes(l string) int {
	n := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '"':
			n++
		}
	}
	return n
}

// FuzzKnownIDs: any file reads without a panic, and for JSON the scanner
// finds the ids encoding/json finds.
func FuzzKnownIDs(f *testing.F) {
	for _, format := range Formats {
		f.Add(string(format), string(export(f, format, fixtureAccount(), fixtureTxs(f))))
	}
	f.Add("json", `[{"id":1},{"a":"\\\"","id":"2"},[{"id":3}],{"id":{"id":4}}]`)
	f.Fuzz(func(t *testing.T, format, data string) {
		ids, err := KnownIDs(strings.NewReader(data), Format(format))
		if Format(format) != JSON || !json.Valid([]byte(data)) {
			return
		}
		var elems []json.RawMessage
		if json.Unmarshal([]byte(data), &elems) != nil {
			return // valid JSON, but not an array
		}
		want := map[int64]bool{}
		for _, e := range elems {
			var v map[string]json.RawMessage // exact keys, the last of two alike wins
			if json.Unmarshal(e, &v) == nil {
				if id, ok := parseID(v["id"]); ok {
					want[id] = true
				}
			}
		}
		if err != nil || !maps.Equal(ids, want) {
			t.Fatalf("KnownIDs = %v, %v; encoding/json finds %v", sortedIDs(ids), err, sortedIDs(want))
		}
	})
}
