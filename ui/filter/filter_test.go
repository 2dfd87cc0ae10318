package filter

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/store/history"
	"konto/store/period"
)

// testToday is the day relative dates count from in these tests.
var testToday = period.NewDate(2026, 11, 25)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load Europe/Berlin: %v", err)
	}
	return loc
}

func tx(id, amount int64, when, name, purpose, iban, bookingType, method string) api.Transaction {
	t, err := api.ParseTime(when)
	if err != nil {
		panic(err)
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return api.Transaction{
		ID: id, Amount: amount, BookingDate: api.TxTime{Time: t},
		Name: opt(name), Purpose: opt(purpose), IBAN: opt(iban),
		BookingType: opt(bookingType), PaymentMethod: opt(method),
	}
}

// fixture is newest first, as the bank lists them.
func fixture() []api.Transaction {
	txs := []api.Transaction{
		0: tx(1, -50433, "2026-11-25T10:00:00+00:00", "Karl Lagerfeld", "Invoice 12", "DE06 1101 0100 1000 0044 44", "SEPA_CREDIT_TRANSFER", "bank_account"),
		1: tx(2, -659, "2026-11-24T12:00:00+00:00", "Café Zürich", "card CHF 7,60", "", "", "credit_card"),
		2: tx(3, 320000, "2026-11-01T09:00:00+00:00", "ACME GmbH", "Rechnung 2026-117", "DE35120300001012765235", "SEPA_CREDIT_TRANSFER", "bank_account"),
		3: tx(4, -1250, "2026-10-31T23:30:00+00:00", "MÜLLER Drogerie", "Lastschrift", "DE89370400440532013000", "SEPA_DIRECT_DEBIT", "bank_account"), // 1 Nov in Berlin
		4: tx(5, -10000, "2026-03-15T08:00:00+00:00", "Finanzamt", "Steuer Q1", "DE12500105170648489890", "SEPA_DIRECT_DEBIT", "bank_account"),
		5: tx(6, 1250, "2026-01-02T08:00:00+00:00", "Bob Straße", "Rückzahlung", "", "SEPA_CREDIT_TRANSFER", "bank_account"),
		6: tx(7, -5000, "2025-12-31T22:59:59+00:00", "müller", "Karl lag hier", "", "", ""),               // 31 Dec 2025 in Berlin
		7: {ID: 8, Amount: 0, BookingDate: api.TxTime{Time: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}}, // all nil
	}
	txs[2].E2EID = api.Ptr("INV-2026-117")
	return txs
}

func TestMatch(t *testing.T) {
	txs := fixture()
	ix := NewIndex(history.Of(txs), berlin(t))
	cases := []struct {
		query string
		want  []int
	}{
		{"", []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"   ", []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"karl", []int{0, 6}},
		{"KARL lagerfeld", []int{0}},
		{`"karl lag"`, []int{0, 6}},
		{`"lag karl"`, nil},
		{"müller", []int{3, 6}},
		{"MULLER", []int{3, 6}},
		{"Muller drogerie", []int{3}},
		{"cafe", []int{1}},
		{"CAFÉ zurich", []int{1}},
		{"strasse", []int{5}},
		{"rückzahlung", []int{5}},
		{"DE0611010100", []int{0}},
		{`"DE06 1101"`, []int{0}},
		{"004444", []int{0}},
		{"INV-2026-117", []int{2}}, // the end-to-end id
		{"inv-2026", []int{2}},
		{`"DE35 1203"`, []int{2}},
		{"117 acme", []int{2}},
		{"nothing-like-this", nil},
		{"in", []int{2, 5}},
		{"out", []int{0, 1, 3, 4, 6}},
		{"IN out", nil},
		{"amt:>100", []int{2}},
		{"amt:>=12,50", []int{2, 5}},
		{"amt:<-50", []int{0, 4}},
		{"amt:<=-100", []int{0, 4}},
		{"amt:=-12,50", []int{3}},
		{"amt:12.50", []int{5}},
		{"amt:-100..-10", []int{3, 4, 6}},
		{"amt:-10..-100", []int{3, 4, 6}},
		{"amt:1.000..5.000", []int{2}},
		{"amt:3.200,00", []int{2}},
		{"amt:−504,33", []int{0}},
		{"date:2026-11", []int{0, 1, 2, 3}},
		{"date:2026-11-01", []int{2, 3}},
		{"date:2026-10", nil},
		{"date:2025", []int{6, 7}},
		{"date:2025-12-31", []int{6}},
		{"date:2026-01..2026-03", []int{4, 5}},
		{"date:2026-01-02..2026-03-15", []int{4, 5}},
		{"date:2026-01-03..2026-03-14", nil},
		// Relative to testToday, 25.11.2026.
		{"date:thismonth", []int{0, 1, 2, 3}},
		{"date:lastmonth", nil},
		{"date:thisyear", []int{0, 1, 2, 3, 4, 5}},
		{"date:ytd", []int{0, 1, 2, 3, 4, 5}},
		{"date:lastyear", []int{6, 7}},
		{"date:thisweek", []int{0, 1}},
		{"date:2026-W48", []int{0, 1}},
		{"date:2026-Q1", []int{4, 5}},
		{"date:2026-11..", []int{0, 1, 2, 3}},
		{"date:..2025-12-31", []int{6, 7}},
		{"date:01.11.2026", []int{2, 3}},
		{"date:11.2026", []int{0, 1, 2, 3}},
		{"date:02.01...15.03.", []int{4, 5}},
		{"type:direct_debit", []int{3, 4}},
		{"type:SEPA_DIRECT_DEBIT", []int{3, 4}},
		{"type:sepadirectdebit", []int{3, 4}},
		{"type:credit_card", []int{1}},
		{"type:card", []int{1}},
		{"type:bank_account out", []int{0, 3, 4}},
		{"foo:bar", nil},
		{"out date:2026-11 karl", []int{0}},
		{"müller amt:<0 date:2026", []int{3}},
		{"lastschrift type:direct_debit in", nil},
	}
	for _, c := range cases {
		q, err := Parse(c.query, testToday)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.query, err)
			continue
		}
		got := ix.Match(q)
		if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%q matched %v, want %v", c.query, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"amt:>abc":              "amt:>abc: not an amount",
		"karl amt:":             "amt: is unfinished",
		"amt:1,2,3":             "amt:1,2,3: not an amount",
		"amt:12,345":            "",                          // 12.345 € in English notation
		"amt:1.234.5":           "amt:1.234.5 is unfinished", // on its way to 1.234.567
		"amt:1.23,4":            "amt:1.23,4: not an amount",
		"amt:99999999999999":    "amt:99999999999999: not an amount",
		"amt:5..x":              "amt:5..x: not an amount",
		"date:2026-13":          "date:2026-13: not a date",
		"date:2026-02-30":       "date:2026-02-30: not a date",
		"date:26-11":            "date:26-11: not a date",
		"date:foo":              "date:foo: not a date",
		"date:lastmonth":        "",
		"date:2026-11..":        "",
		"date:2026-03..2026-01": "date:2026-03..2026-01: range ends before it starts",
		"type:":                 "type: is unfinished",
		"date:2024-02-29":       "",
	}
	for in, want := range cases {
		_, err := Parse(in, testToday)
		switch {
		case want == "" && err != nil:
			t.Errorf("Parse(%q): unexpected error %v", in, err)
		case want != "" && (err == nil || err.Error() != want):
			t.Errorf("Parse(%q) error = %v, want %q", in, err, want)
		}
	}
}

// A token that more typing can complete is unfinished, not wrong: the list
// shows it calmly while the user types on.
func TestUnfinishedTokens(t *testing.T) {
	unfinished := []string{
		"amt:", "amt:>", "amt:>=", "amt:<", "amt:=", "amt:-", "amt:−", "amt:+", "amt:>-",
		"amt:12,", "amt:1.", "amt:10.", "amt:10..", "amt:10..-", "amt:1.234.", "amt:1,234,5",
		"date:", "date:2", "date:202", "date:2026-", "date:2026-0", "date:2026-1", "date:2026-11-",
		"date:2026-11-3", "date:2026-02-2", "date:2026-02-", "date:2024-02-2", "date:2026-01.",
		"date:2026-01..2", "date:last", "date:2026-q", "date:2026-03..2026-0", "date:2026-03-15..2026-03-1",
		"type:", "karl date:2026-1", "amt:<0 date:2026-1",
	}
	invalid := []string{
		"amt:abc", "amt:>abc", "amt:5..x", "amt:99999999999999", "amt:1,2,3", "amt:1...",
		"date:2025-02-30g", "date:2026-02-30", "date:2026-02-3", "date:2026-13", "date:2026-2",
		"date:26-11", "date:yesterdays", "date:2026-03..2026-01", "date:2026-01...", "date:2026-1-",
		"date:2026-01..2026-03.", "amt:abc date:2026-1",
	}
	for _, in := range unfinished {
		_, err := Parse(in, testToday)
		var te *TokenError
		if !errors.As(err, &te) || !te.Unfinished {
			t.Errorf("Parse(%q) = %v, want an unfinished token", in, err)
		}
	}
	for _, in := range invalid {
		_, err := Parse(in, testToday)
		var te *TokenError
		if !errors.As(err, &te) || te.Unfinished {
			t.Errorf("Parse(%q) = %v, want an invalid token (not unfinished)", in, err)
		}
	}
	_, err := Parse("amt:>abc", testToday)
	if !errors.Is(err, errNotAmount) {
		t.Errorf("amt:>abc: %v does not wrap errNotAmount", err)
	}
}

// No match is an empty result, not nil: a caller must not mistake it for
// "no filter".
func TestMatchNothingIsEmptyNotNil(t *testing.T) {
	ix := NewIndex(history.Of(fixture()), berlin(t))
	for _, s := range []string{"zzzzqq", "amt:>999999", `"lag karl"`, "in out"} {
		q, err := Parse(s, testToday)
		if err != nil {
			t.Fatal(err)
		}
		if got := ix.Match(q); got == nil || len(got) != 0 {
			t.Errorf("Match(%q) = %#v, want an empty, non-nil slice", s, got)
		}
	}
}

func TestParseAmounts(t *testing.T) {
	cases := map[string]int64{
		"12,50": 1250, "12.50": 1250, "12,5": 1250, "12": 1200, "-12": -1200,
		"+3": 300, "1.234,56": 123456, "1,234.56": 123456, "1.234": 123400,
		"1,234": 123400, "1.234.567": 123456700, "0,01": 1, "−7,60": -760, "5€": 500,
	}
	for in, want := range cases {
		got, err := parseSignedAmount(in)
		if err != nil || got != want {
			t.Errorf("parseSignedAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-", "abc", "1,2345", "1.2.3", ",5", "1..2", "1,23.45", "12,"} {
		if got, err := parseSignedAmount(bad); err == nil {
			t.Errorf("parseSignedAmount(%q) = %d, want an error", bad, got)
		}
	}
}

func TestQueryStringAndEmpty(t *testing.T) {
	q, err := Parse(`  Karl   "karl lag"  AMT:>100 amt:12.5 Date:2026-11 IN type:Direct_Debit `, testToday)
	if err != nil {
		t.Fatal(err)
	}
	want := `Karl "karl lag" amt:>100,00 amt:=12,50 date:2026-11 in type:direct_debit`
	if q.String() != want {
		t.Errorf("String() = %q, want %q", q.String(), want)
	}
	if q.IsEmpty() {
		t.Error("IsEmpty() = true for a full query")
	}
	for _, s := range []string{"", "  ", `""`} {
		q, err := Parse(s, testToday)
		if err != nil || !q.IsEmpty() {
			t.Errorf("Parse(%q) = %v, %v; want an empty query", s, q, err)
		}
	}
	// The normalised form parses to the same result.
	again, err := Parse(q.String(), testToday)
	if err != nil || again.String() != q.String() {
		t.Errorf("String does not round-trip: %q → %q (%v)", q.String(), again.String(), err)
	}
}

func TestDatesUseLocation(t *testing.T) {
	txs := fixture()
	q, _ := Parse("date:2026-11-01", testToday)
	if got := NewIndex(history.Of(txs), berlin(t)).Match(q); !slices.Equal(got, []int{2, 3}) {
		t.Errorf("Berlin: %v", got)
	}
	if got := NewIndex(history.Of(txs), time.UTC).Match(q); !slices.Equal(got, []int{2}) {
		t.Errorf("UTC: %v", got)
	}
	if got := NewIndex(history.Of(txs), nil).Match(q); !slices.Equal(got, []int{2}) {
		t.Errorf("nil location: %v", got)
	}
}

func TestMatchIntoReusesDst(t *testing.T) {
	ix := NewIndex(history.Of(fixture()), berlin(t))
	q, _ := Parse("out", testToday)
	dst := make([]int, 0, 16)
	got := ix.MatchInto(q, dst[:3])
	if len(got) != 5 || &got[0] != &dst[:1][0] {
		t.Errorf("MatchInto did not reuse dst: %v", got)
	}
	if ix.Len() != 8 {
		t.Errorf("Len = %d", ix.Len())
	}
}

func TestMatchAgreesWithLinearScan(t *testing.T) {
	// The arena-driven match must agree with folding every booking's fields
	// and looking for each part in them, on a bigger, generated history.
	txs := generate(2000)
	loc := berlin(t)
	ix := NewIndex(history.Of(txs), loc)
	for _, s := range []string{"rewe", "miete", "gmbh", "e", "zurich", "de89", "rewe out", "a b", "amt:<-100 gmbh", "x",
		"3704 0044", "type:card", "date:2026-11 in", "\"markt gmbh\""} {
		q, err := Parse(s, testToday)
		if err != nil {
			t.Fatal(err)
		}
		want := linearMatch(txs, loc, q)
		if got := ix.Match(q); !slices.Equal(got, want) {
			t.Errorf("%q: index %d matches, linear %d", s, len(got), len(want))
		}
	}
}

// linearMatch is the filter's meaning spelt out without an index (labels
// aside): every part of q holds for the booking.
func linearMatch(txs []api.Transaction, loc *time.Location, q Query) []int {
	want := []int{}
	for i := range txs {
		tx := &txs[i]
		ok := !(q.in && tx.Amount <= 0) && !(q.out && tx.Amount >= 0)
		for _, c := range q.amounts {
			ok = ok && c.lo <= tx.Amount && tx.Amount <= c.hi
		}
		y, m, d := tx.BookingDate.In(loc).Date()
		day := int32(y*10000 + int(m)*100 + d)
		for _, c := range q.dates {
			ok = ok && c.lo <= day && day <= c.hi
		}
		kind := foldType(api.Str(tx.BookingType)) + "\x01" + foldType(api.Str(tx.PaymentMethod))
		for _, ty := range q.types {
			ok = ok && strings.Contains(kind, ty)
		}
		fields := []string{fold(api.Str(tx.Name)), fold(api.Str(tx.Purpose)), fold(api.Str(tx.E2EID)), strings.ReplaceAll(fold(api.Str(tx.IBAN)), " ", "")}
		for t, term := range q.terms {
			found := false
			for f, v := range fields {
				found = found || strings.Contains(v, term) || (f == 3 && q.ibanTerms[t] != "" && strings.Contains(v, q.ibanTerms[t]))
			}
			ok = ok && found
		}
		if ok {
			want = append(want, i)
		}
	}
	return want
}

func TestSum(t *testing.T) {
	txs := fixture()
	in, out := Sum(history.Of(txs), []int{0, 1, 2, 5, 7})
	if in != 321250 || out != -51092 {
		t.Errorf("Sum = %d, %d", in, out)
	}
	if in, out := Sum(history.Of(txs), nil); in != 0 || out != 0 {
		t.Errorf("Sum(nil) = %d, %d", in, out)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"karl amt:>100", `"a b" date:2026-01..2026-03`, "amt:1.234,5", "type:card in", "\"unterminated",
		"date:lastmonth", "date:20.11...30.11.", `note:"paid late" cat:food`, "marked uncat tag:x", `note:"open`} {
		f.Add(s)
	}
	ix := NewIndexWithLabels(history.Of(fixture()), time.UTC, labels())
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, testToday)
		if err != nil {
			if !strings.Contains(err.Error(), ":") {
				t.Fatalf("error %q names no token", err)
			}
			return
		}
		got := ix.Match(q)
		if !slices.IsSorted(got) {
			t.Fatalf("unsorted result %v", got)
		}
		if _, err := Parse(q.String(), testToday); err != nil {
			t.Fatalf("String() %q does not parse: %v", q.String(), err)
		}
	})
}

// generate makes a deterministic history of n bookings, newest first.
func generate(n int) []api.Transaction {
	names := []string{"REWE Markt GmbH", "Café Zürich", "Müller Drogerie", "Karl Lagerfeld", "Finanzamt Berlin", "ACME GmbH", "Vermieter Schmidt", "Amazon EU S.à r.l.", "東京 Shop", "Deutsche Bahn"}
	purposes := []string{"Kartenzahlung", "Miete Wohnung", "Invoice %d", "Lastschrift Mandat %d", "Rechnung %d Beratung", "Erstattung"}
	types := []string{"SEPA_CREDIT_TRANSFER", "SEPA_DIRECT_DEBIT", "CARD_TRANSACTION"}
	methods := []string{"bank_account", "credit_card"}
	start := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	txs := make([]api.Transaction, n)
	for i := range txs {
		name := names[(i*7)%len(names)]
		purpose := purposes[(i*5)%len(purposes)]
		if strings.Contains(purpose, "%d") {
			purpose = fmt.Sprintf(purpose, i)
		}
		iban := fmt.Sprintf("DE89 3704 0044 %04d %04d 00", i%10000, (i*31)%10000)
		amount := int64((i*7919)%200000) - 150000
		bt, pm := types[i%len(types)], methods[i%len(methods)]
		txs[i] = api.Transaction{
			ID: int64(n - i), Amount: amount, Name: &name, Purpose: &purpose, IBAN: &iban,
			BookingType: &bt, PaymentMethod: &pm,
			BookingDate: api.TxTime{Time: start.Add(-time.Duration(i) * 37 * time.Minute)},
		}
	}
	return txs
}

func BenchmarkNewIndex(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		h := history.Of(generate(n))
		loc := berlin(b)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewIndex(h, loc)
			}
		})
	}
}

func BenchmarkMatch(b *testing.B) {
	queries := map[string]string{
		"text":     "müller",
		"rare":     "invoice 4711",
		"amount":   "amt:-100..-10",
		"date":     "date:2026-11",
		"combined": "out gmbh amt:<-50 date:2026",
	}
	for _, n := range []int{1000, 10000, 100000} {
		ix := NewIndex(history.Of(generate(n)), berlin(b))
		for _, kind := range []string{"text", "rare", "amount", "date", "combined"} {
			q, err := Parse(queries[kind], testToday)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%dk/%s", n/1000, kind), func(b *testing.B) {
				b.ReportAllocs()
				dst := make([]int, 0, n)
				for b.Loop() {
					dst = ix.MatchInto(q, dst)
				}
			})
		}
	}
}
