package textfold

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"Müller GmbH", "muller gmbh"},
		{"MÜLLER  GMBH", "muller gmbh"},
		{"  muller\tgmbh \n", "muller gmbh"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Café Zürich", "cafe zurich"},
		{"Crème brûlée", "creme brulee"},
		{"Łódź", "lodz"},
		{"Øresund Æble Œuvre", "oresund aeble oeuvre"},
		{"Þór Ĳssel Ħal Ŧ", "thor ijssel hal t"},
		{"soft\u00adhyphen", "softhyphen"},
		{"zero\u200bwidth", "zerowidth"},
		{"e\u0301", "e"}, // decomposed accent
		{"a\x00b\x1bc", "a b c"},
		{"İstanbul", "istanbul"},
		{"ΚΑΦΈ", "καφε"},
		{"a b", "a b"},
		{"a  b", "a b"},
		{" a", "a"},
		{"a ", "a"},
	}
	var f Folder
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := f.Fold(c.in); got != c.want {
			t.Errorf("Folder.Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFoldNoSpace(t *testing.T) {
	for in, want := range map[string]string{
		"DE06 1101 0100 1000 0044 44": "de06110101001000004444",
		" de06\t1101 ":                "de061101",
		"":                            "",
	} {
		if got := FoldNoSpace(in); got != want {
			t.Errorf("FoldNoSpace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldType(t *testing.T) {
	for in, want := range map[string]string{
		"SEPA_DIRECT_DEBIT": "sepadirectdebit",
		"sepa-direct-debit": "sepadirectdebit",
		"Sepa Direct Debit": "sepadirectdebit",
		"card":              "card",
		"ÄB_C":              "äbc",
	} {
		if got := FoldType(in); got != want {
			t.Errorf("FoldType(%q) = %q, want %q", in, got, want)
		}
	}
}

// The forecast folded with a table of Latin-1 and Latin Extended-A before it
// used this package; its keys of switched-off items hold folded names, so
// every letter of that table must still fold the same.
func TestLatinTableUnchanged(t *testing.T) {
	table := map[string]string{
		"a": "ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "ae": "Ææ", "c": "ÇçĆćĈĉĊċČč", "d": "ÐðĎďĐđ",
		"e": "ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "g": "ĜĝĞğĠġĢģ", "h": "ĤĥĦħ", "i": "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı",
		"ij": "Ĳĳ", "j": "Ĵĵ", "k": "Ķķĸ", "l": "ĹĺĻļĽľĿŀŁł", "n": "ÑñŃńŅņŇňŉŊŋ",
		"o": "ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "oe": "Œœ", "r": "ŔŕŖŗŘř", "s": "ŚśŜŝŞşŠšſ", "ss": "ßẞ",
		"t": "ŢţŤťŦŧ", "th": "Þþ", "u": "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "w": "Ŵŵ", "y": "ÝýÿŶŷŸ",
		"z": "ŹźŻżŽž",
	}
	for base, letters := range table {
		for _, r := range letters {
			if got := Fold(string(r)); got != base {
				t.Errorf("Fold(%q) = %q, want %q", r, got, base)
			}
		}
	}
}

func TestFoldAllocatesNothingForFoldedASCII(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = Fold("muller gmbh") }); n != 0 {
		t.Errorf("Fold of folded ASCII allocates %v times", n)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Müller GmbH", " a  b ", "Straße", "e\u0301", "\x00\xff", "ΚΑΦΈ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) && utf8.ValidString(s) {
			t.Fatalf("Fold(%q) = %q is not UTF-8", s, got)
		}
		if strings.Contains(got, "  ") || strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, got)
		}
		for i := 0; i < len(got); i++ {
			if c := got[i]; c < ' ' || c == 0x7f || ('A' <= c && c <= 'Z') {
				t.Fatalf("Fold(%q) = %q has %q", s, got, c)
			}
		}
		var fo Folder
		if again := fo.Fold(s); again != got {
			t.Fatalf("Folder.Fold(%q) = %q, Fold = %q", s, again, got)
		}
		if ns := FoldNoSpace(s); ns != strings.ReplaceAll(got, " ", "") {
			t.Fatalf("FoldNoSpace(%q) = %q, Fold = %q", s, ns, got)
		}
	})
}
