package export

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"konto/api"
)

// ids are the ids of txs as a set.
func ids(txs []api.Transaction) map[int64]bool {
	m := make(map[int64]bool, len(txs))
	for _, tx := range txs {
		m[tx.ID] = true
	}
	return m
}

func sortedIDs(m map[int64]bool) []int64 { return slices.Sorted(maps.Keys(m)) }

func export(t testing.TB, f Format, acc Account, txs []api.Transaction) []byte {
	t.Helper()
	var out bytes.Buffer
	if _, err := Write(&out, acc, txs, fixtureOptions(f)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestKnownIDsReadsWhatWriteWrote: exactly the ids written, none of the
// "konto-id:" the hostile booking carries in its text.
func TestKnownIDsReadsWhatWriteWrote(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			txs := fixtureTxs(t)
			got, err := KnownIDs(bytes.NewReader(export(t, f, fixtureAccount(), txs)), f)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, ids(txs)) {
				t.Errorf("KnownIDs = %v, want %v", sortedIDs(got), sortedIDs(ids(txs)))
			}
		})
	}
}

func TestKnownIDsOfEmptyFiles(t *testing.T) {
	for _, f := range Formats {
		got, err := KnownIDs(strings.NewReader(" \n\n"), f)
		if err != nil || len(got) != 0 {
			t.Errorf("%s: KnownIDs of white space = %v, %v", f, got, err)
		}
	}
}

// reverseBlocks reverses the order of a ledger's blank-line separated
// blocks, as a user sorting a journal by hand might.
func reverseBlocks(data []byte) []byte {
	blocks := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n\n"))
	slices.Reverse(blocks)
	return append(bytes.Join(blocks, []byte("\n\n")), '\n')
}

// TestKnownIDsOfEditedFiles: reordered entries, comments and entries of the
// user's own, a konto entry commented out (it still counts, or the next
// --new would bring it back), other line endings.
func TestKnownIDsOfEditedFiles(t *testing.T) {
	txs := fixtureTxs(t)
	want := ids(txs)
	edits := map[Format]func([]byte) []byte{
		Hledger: func(b []byte) []byte {
			b = reverseBlocks(b)
			b = bytes.Replace(b, []byte("2018-08-07 (905800)"), []byte("; my note: the rent\n2018-08-07 * (905800)"), 1)
			// comment out the card payment's entry line by line
			i := bytes.Index(b, []byte("2018-08-08 (912182)"))
			j := i + bytes.Index(b[i:], []byte("\n\n"))
			block := bytes.ReplaceAll(b[i:j], []byte("\n"), []byte("\n; "))
			b = slices.Concat(b[:i], []byte("; "), block, b[j:])
			b = append(b, "\n2026-12-01 (1) my own cheque | konto-id:7 in a description\n    expenses:food  1 EUR  ; note:konto-id:8\n    assets:cash\n"...)
			b = append(b, "\ncomment\n2026-12-02 old\n    ; konto-id:930099\nend comment\n"...)
			return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
		},
		Beancount: func(b []byte) []byte {
			b = reverseBlocks(b)
			b = bytes.Replace(b, []byte(`  konto-id: "912182"`), []byte(`  ; konto-id: "912182"`), 1)
			b = bytes.Replace(b, []byte(`  konto-id: "905800"`), []byte("  konto-id: 905800 ; edited"), 1)
			return append(b, "\n2026-12-01 * \"me\" \"konto-id: 7\"\n  note: \"konto-id: 8\"\n  Expenses:Food  1 EUR\n  Assets:Cash\n"...)
		},
		CSV: func(b []byte) []byte {
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			slices.Reverse(lines[1:])
			lines = append(lines, `2026-12-01,,-1.00,,,"my own, row",,"""quoted""",`, "", lines[0])
			return []byte("\ufeff" + strings.Join(lines, "\r\n") + "\r\n")
		},
		TSV: func(b []byte) []byte {
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			slices.Reverse(lines[1:])
			lines = append(lines, "2026-12-01\tmine\t-1.00", "")
			return []byte(strings.Join(lines, "\n"))
		},
		JSON: func(b []byte) []byte {
			var elems []json.RawMessage
			if err := json.Unmarshal(b, &elems); err != nil {
				panic(err)
			}
			slices.Reverse(elems)
			var all []any
			for _, e := range elems {
				var v any
				_ = json.Unmarshal(e, &v)
				all = append(all, v)
			}
			all = append(all, map[string]any{"note": "mine"}, 42.0, "x")
			out, _ := json.MarshalIndent(all, "", "    ")
			return out
		},
		QIF: func(b []byte) []byte {
			recs := strings.Split(strings.TrimPrefix(string(b), "!Type:Bank\n"), "^\n")
			slices.Reverse(recs)
			return []byte("!Type:Bank\r\n" + strings.ReplaceAll(strings.Join(recs, "^\n"), "\n", "\r\n") + "D12/01/2026\r\nT-1.00\r\nPmine\r\n^\r\n")
		},
	}
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			edited := edits[f](export(t, f, fixtureAccount(), txs))
			got, err := KnownIDs(bytes.NewReader(edited), f)
			if err != nil {
				t.Fatalf("%v\n%s", err, edited)
			}
			w := maps.Clone(want)
			if f == Hledger {
				w[930099] = true // in a comment block: commented out
			}
			if !maps.Equal(got, w) {
				t.Errorf("KnownIDs = %v, want %v\n%s", sortedIDs(got), sortedIDs(w), edited)
			}
		})
	}
}

func TestKnownIDsRefusesOtherFiles(t *testing.T) {
	txs := fixtureTxs(t)
	for _, c := range []struct {
		format Format
		data   []byte
		want   string
	}{
		{Hledger, export(t, Beancount, fixtureAccount(), txs), "this is a beancount file"},
		{Beancount, export(t, Hledger, fixtureAccount(), txs), "this is an hledger journal"},
		{CSV, export(t, TSV, fixtureAccount(), txs), "not konto's header"},
		{TSV, export(t, CSV, fixtureAccount(), txs), "not konto's header"},
		{CSV, []byte("id,amount\n1,2\n"), "not konto's header"},
		{JSON, []byte(`{"id": 1}`), "not a JSON array"},
		{JSON, []byte(`[{"id": 1}`), "not JSON"},
		{JSON, []byte(`[{"id": 1}] [2]`), "more after the JSON array"},
		{JSON, export(t, CSV, fixtureAccount(), txs), "not a JSON array"},
		{JSON, []byte(`[{"id": 1}}]`), "not JSON"},
		{JSON, []byte(`[{"id": "1]`), "does not end"},
		{QIF, export(t, Hledger, fixtureAccount(), txs), "QIF header"},
		{"xlsx", nil, "unknown export format"},
	} {
		_, err := KnownIDs(bytes.NewReader(c.data), c.format)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s of %.30q: error %v, want one containing %q", c.format, c.data, err, c.want)
		}
	}
}

func TestHledgerTags(t *testing.T) {
	var got []string
	hledgerTags([]byte(" konto-id:1, e2e:a b konto-id:2; x, :odd, name: spaced value ,last:"), func(n, v []byte) {
		got = append(got, string(n)+"="+string(v))
	})
	want := []string{"konto-id=1", "e2e=a b konto-id:2; x", "name=spaced value", "last="}
	if !slices.Equal(got, want) {
		t.Errorf("tags %q, want %q", got, want)
	}
}

func TestKnownIDsOfJSON(t *testing.T) {
	got, err := KnownIDs(strings.NewReader(`[
		{"name": "id,\"}", "id": 5, "nested": {"id": 6, "list": [{"id": 7}]}},
		{"id" : "8" },
		{"ids": 9, "x": "id"},
		{"id": {"deep": 10}},
		[{"id": 11}],
		12, "id", null,
		{"id":13}
	]`), JSON)
	if want := []int64{5, 8, 13}; err != nil || !slices.Equal(sortedIDs(got), want) {
		t.Errorf("KnownIDs = %v, %v; want %v", sortedIDs(got), err, want)
	}
}

// TestKnownIDsOfJSONInPieces: the scanner's state crosses read boundaries
// anywhere, inside escapes too, and agrees with encoding/json.
func TestKnownIDsOfJSONInPieces(t *testing.T) {
	docs := [][]byte{
		export(t, JSON, fixtureAccount(), fixtureTxs(t)),
		[]byte(`[{"name":"a\\","id":1},{"name":"\\\"id\":99,","id":2},{"x":"\\\\\\\"","id" :"3"},{"id":4}]`),
	}
	for _, doc := range docs {
		var elems []struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(doc, &elems); err != nil {
			t.Fatal(err)
		}
		want := map[int64]bool{}
		for _, e := range elems {
			if id, ok := parseID(e.ID); ok {
				want[id] = true
			}
		}
		for _, r := range []func([]byte) io.Reader{
			func(b []byte) io.Reader { return bytes.NewReader(b) },
			func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
			func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
		} {
			got, err := KnownIDs(r(doc), JSON)
			if err != nil || !maps.Equal(got, want) {
				t.Errorf("KnownIDs = %v, %v; want %v (%.60s)", sortedIDs(got), err, sortedIDs(want), doc)
			}
		}
	}
}
