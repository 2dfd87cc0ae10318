package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"konto/api"
)

// TestCSVReadsBack: encoding/csv reads the CSV back field for field, and
// every TSV line has one field per column.
func TestCSVReadsBack(t *testing.T) {
	txs := fixtureTxs(t)
	rows := readCSV(t, export(t, CSV, fixtureAccount(), txs))
	if !slices.Equal(rows[0], Columns) {
		t.Errorf("header %q", rows[0])
	}
	byID := map[string][]string{}
	for _, row := range rows[1:] {
		if len(row) != len(Columns) {
			t.Errorf("row of %d fields: %q", len(row), row)
		}
		byID[row[1]] = row
	}
	if len(byID) != len(txs) {
		t.Errorf("%d rows, want %d", len(byID), len(txs))
	}
	col := func(name string) int { return slices.Index(Columns, name) }
	row := byID["930001"]
	if got, want := row[col("name")], clean(hostileName); got != want {
		t.Errorf("name %q, want %q", got, want)
	}
	if got, want := row[col("purpose")], "'"+clean(hostilePurpose); got != want {
		t.Errorf("purpose %q, want %q", got, want)
	}
	if row := byID["912182"]; row[col("amount")] != "6.59" || row[col("originalAmount")] != "7.60" || row[col("foreignCurrency")] != "CHF" || row[col("invoiceNumber")] != "12" {
		t.Errorf("card payment %q", row)
	}
	if row := byID["905800"]; row[col("date")] != "2018-08-07" || row[col("bookingDate")] != "2018-08-07T00:00:00+02:00" {
		t.Errorf("dates %q", row)
	}
	for _, line := range strings.Split(string(export(t, TSV, fixtureAccount(), txs)), "\n") {
		if line != "" && strings.Count(line, "\t") != len(Columns)-1 {
			t.Errorf("TSV line with %d tabs: %q", strings.Count(line, "\t"), line)
		}
	}
}

// TestJSONIsTheWire: the array decodes to exactly the bookings given, and
// the text a terminal could act on is escaped.
func TestJSONIsTheWire(t *testing.T) {
	txs := fixtureTxs(t)
	data := export(t, JSON, Account{}, txs)
	var back []api.Transaction
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(txs)
	slices.Reverse(want) // oldest first
	for i := range want {
		w, _ := json.Marshal(want[i])
		g, _ := json.Marshal(back[i])
		if !bytes.Equal(w, g) {
			t.Errorf("element %d:\n%s\nwant\n%s", i, g, w)
		}
	}
	for _, r := range []string{"\u202e", "\u200b", "\u0085", "\x1b"} {
		if bytes.Contains(data, []byte(r)) {
			t.Errorf("raw %q in the JSON", r)
		}
	}
	if got := string(export(t, JSON, Account{}, nil)); got != "[]\n" {
		t.Errorf("no bookings: %q", got)
	}
}
