package sepa

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Replacement is one character Transliterate wrote differently: "é" as "e".
type Replacement struct {
	From rune
	To   string
}

func (r Replacement) String() string { return string(r.From) + " written as " + r.To }

// spelled are the characters whose SEPA spelling is not their letter
// without its accents.
var spelled = map[rune]string{
	'ł': "l", 'Ł': "L", 'ø': "o", 'Ø': "O", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'ı': "i", 'ħ': "h", 'Ħ': "H",
	'æ': "ae", 'Æ': "Ae", 'œ': "oe", 'Œ': "Oe", 'þ': "th", 'Þ': "Th", 'ß': "ss", 'ŉ': "n",
	'‘': "'", '’': "'", '‚': "'", '′': "'", '“': "'", '”': "'", '„': "'", '«': "'", '»': "'", '"': "'",
	'–': "-", '—': "-", '‐': "-", '‑': "-", '−': "-",
	'\u00a0': " ", '\u2007': " ", '\u202f': " ",
}

// Transliterate writes s in the field's characters where a close spelling
// exists, as banks do when they pass a name on: an accented letter loses its
// accent (é → e, č → c), ł ø đ become l o d, the ligatures æ œ are spelled
// ae oe, typographic quotes and dashes become ' and -. What the field allows
// stays as it is (ä ö ü ß in a name or note; in an end-to-end id they become
// a o u ss); what has no spelling (€, emoji, control characters) stays too,
// for Validate to name. It returns the text and the distinct replacements,
// in the order they first occur.
func (f TextField) Transliterate(s string) (string, []Replacement) {
	var b strings.Builder
	var done []Replacement
	seen := map[rune]bool{}
	for _, r := range s {
		if f.Allows(r) {
			b.WriteRune(r)
			continue
		}
		to, ok := f.spell(r)
		if !ok {
			b.WriteRune(r)
			continue
		}
		b.WriteString(to)
		if !seen[r] {
			seen[r] = true
			done = append(done, Replacement{From: r, To: to})
		}
	}
	return b.String(), done
}

// spell is the field's spelling of r, a character it does not allow.
func (f TextField) spell(r rune) (string, bool) {
	if to, ok := spelled[r]; ok && f.allowsAll(to) {
		return to, true
	}
	// A precomposed letter: its base letter without the combining marks.
	var base strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		base.WriteRune(d)
	}
	to := base.String()
	if to == "" || to == string(r) || !f.allowsAll(to) {
		return "", false
	}
	return to, true
}

func (f TextField) allowsAll(s string) bool {
	for _, r := range s {
		if !f.Allows(r) {
			return false
		}
	}
	return true
}
