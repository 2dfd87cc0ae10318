package export

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"konto/api"
)

func TestClean(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Karl Lagerfeld", "Karl Lagerfeld"},
		{"  two  spaces  kept inside ", "two  spaces  kept inside"},
		{"line\nbreak\r\nand\ttab", "line break and tab"},
		{"a \n b", "a  b"}, // literal spaces are kept, the break adds none
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x1b]0;title\x07after", "after"},
		{"\x1b]8;;http://x\x1b\\link", "link"},
		{"nul\x00bel\x07del\x7f", "nulbeldel"},
		{"c1\u0085next\u009bx", "c1 nextx"},
		{"bidi\u202eevil\u2066", "bidievil"},
		{"zero\u200bwidth\ufeff", "zerowidth"},
		{"bad\xffutf8", "bad\ufffdutf8"},
		{"Café Zürich 東京", "Café Zürich 東京"},
		{"\u2028\u2029", ""},
	} {
		if got := clean(c.in); got != c.want {
			t.Errorf("clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAppendCents(t *testing.T) {
	for _, c := range []struct {
		cents int64
		want  string
	}{
		{0, "0.00"}, {7, "0.07"}, {-7, "-0.07"}, {1250, "12.50"}, {-1250, "-12.50"},
		{-50433, "-504.33"}, {123456789, "1234567.89"},
		{math.MaxInt64, "92233720368547758.07"}, {math.MinInt64, "-92233720368547758.08"},
	} {
		if got := string(appendCents(nil, c.cents)); got != c.want {
			t.Errorf("appendCents(%d) = %q, want %q", c.cents, got, c.want)
		}
		if w := centsWidth(c.cents); w != len(c.want) {
			t.Errorf("centsWidth(%d) = %d, want %d", c.cents, w, len(c.want))
		}
	}
}

func TestLedgerName(t *testing.T) {
	for in, want := range map[string]string{
		"Main": "main", "Account 2": "account-2", "Rücklage Steuern": "ruecklage-steuern",
		"  --x__y  ": "x-y", "": "", "€": "", "A;B  C": "a-b-c",
	} {
		if got := LedgerName(in); got != want {
			t.Errorf("LedgerName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		got, err := ParseFormat(" " + strings.ToUpper(string(f)) + " ")
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	_, err := ParseFormat("xlsx")
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("ParseFormat(xlsx) = %v, want ErrFormat", err)
	}
	if want := `unknown export format "xlsx": use one of hledger, beancount, csv, tsv, json, qif`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestAccountNames(t *testing.T) {
	acc := Account{ID: 5812, Label: "Account 2"}
	n, err := ledgerAccounts("assets:bank:kontist", acc, false)
	if err != nil || n.bank != "assets:bank:kontist:account-2" || n.equity != "equity:opening-balances" {
		t.Errorf("hledger names %+v, %v", n, err)
	}
	n, err = ledgerAccounts("assets:bank:kontist", acc, true)
	if err != nil || n.bank != "Assets:Bank:Kontist:Account-2" || n.equity != "Equity:Opening-Balances" ||
		n.expenses != "Expenses:Unknown" || n.income != "Income:Unknown" {
		t.Errorf("beancount names %+v, %v", n, err)
	}
	if n, _ := ledgerAccounts("liabilities:DKB", Account{ID: 9, Label: "€"}, true); n.bank != "Liabilities:DKB:Account-9" {
		t.Errorf("bank account %q, want Liabilities:DKB:Account-9", n.bank)
	}
	for _, bad := range []string{"", "assets::x", "assets:my bank", "assets:bank;x", "assets:-x", "assets:bänk"} {
		if _, err := ledgerAccounts(bad, acc, false); err == nil {
			t.Errorf("prefix %q accepted", bad)
		}
	}
	if _, err := ledgerAccounts("bank:kontist", acc, true); err == nil || !strings.Contains(err.Error(), "Assets, Liabilities") {
		t.Errorf("beancount prefix without a root account: %v", err)
	}
	var out strings.Builder
	if _, err := Write(&out, fixtureAccount(), nil, Options{Format: Hledger, AccountPrefix: "assets:my  bank"}); err == nil {
		t.Error("Write accepted a prefix with two spaces")
	}
}

// TestColumnsAreTheWireFields keeps the CSV columns in step with
// api.Transaction: a field added there must become a column.
func TestColumnsAreTheWireFields(t *testing.T) {
	want := []string{"date"}
	typ := reflect.TypeFor[api.Transaction]()
	for i := range typ.NumField() {
		want = append(want, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	if !reflect.DeepEqual(Columns, want) {
		t.Errorf("Columns = %v\nwant      %v", Columns, want)
	}
}

func TestWriteRefusesMissingBalanceDate(t *testing.T) {
	for _, f := range []Format{Hledger, Beancount, QIF} {
		acc := fixtureAccount()
		acc.AsOf = time.Time{}
		if _, err := Write(&strings.Builder{}, acc, nil, Options{Format: f}); err == nil {
			t.Errorf("%s: no error without the balance's date", f)
		}
	}
	// CSV, TSV and JSON need no account.
	for _, f := range []Format{CSV, TSV, JSON} {
		if _, err := Write(&strings.Builder{}, Account{}, fixtureTxs(t), Options{Format: f}); err != nil {
			t.Errorf("%s without an account: %v", f, err)
		}
	}
}

// TestFormatAnyCase: a format name in capitals is the format, for Write and
// KnownIDs alike (found by FuzzKnownIDs: it crashed both).
func TestFormatAnyCase(t *testing.T) {
	var out strings.Builder
	if _, err := Write(&out, fixtureAccount(), fixtureTxs(t), Options{Format: "HLEDGER"}); err != nil || !strings.Contains(out.String(), "(905800)") {
		t.Errorf("Write with HLEDGER: %v", err)
	}
	if got, err := KnownIDs(strings.NewReader(out.String()), "Hledger"); err != nil || len(got) != len(fixtureTxs(t)) {
		t.Errorf("KnownIDs with Hledger: %v, %v", got, err)
	}
}
