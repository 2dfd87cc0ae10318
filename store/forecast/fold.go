package forecast

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The counterparty of a booking is compared folded: lower case, no accents,
// every run of white space one space, none at either end, so that "Müller
// GmbH", "MULLER  GMBH" and "muller gmbh" are one counterparty. This is the
// rule of the filter language (ui/filter/fold.go), copied here for the Latin
// letters bank names use, because this package may import only the standard
// library, api and api/sepa (the filter decomposes with golang.org/x/text;
// here a table covers Latin-1 and Latin Extended-A, and other letters are
// only lower-cased). Both sides of every comparison in this package fold the
// same way, which is what grouping and the guard need.

// latinFold maps the accented letters of Latin-1 and Latin Extended-A to
// their base letters.
var latinFold = func() map[rune]string {
	m := map[rune]string{}
	for base, letters := range map[string]string{
		"a": "ÀÁÂÃÄÅàáâãäåĀāĂăĄą", "ae": "Ææ", "c": "ÇçĆćĈĉĊċČč", "d": "ÐðĎďĐđ",
		"e": "ÈÉÊËèéêëĒēĔĕĖėĘęĚě", "g": "ĜĝĞğĠġĢģ", "h": "ĤĥĦħ", "i": "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı",
		"ij": "Ĳĳ", "j": "Ĵĵ", "k": "Ķķĸ", "l": "ĹĺĻļĽľĿŀŁł", "n": "ÑñŃńŅņŇňŉŊŋ",
		"o": "ÒÓÔÕÖØòóôõöøŌōŎŏŐő", "oe": "Œœ", "r": "ŔŕŖŗŘř", "s": "ŚśŜŝŞşŠšſ", "ss": "ßẞ",
		"t": "ŢţŤťŦŧ", "th": "Þþ", "u": "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", "w": "Ŵŵ", "y": "ÝýÿŶŷŸ",
		"z": "ŹźŻżŽž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// foldRune folds one non-ASCII rune: "" for marks and format characters, " "
// for white space and controls.
func foldRune(r rune) string {
	switch {
	case unicode.IsSpace(r) || unicode.IsControl(r):
		return " "
	case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return ""
	}
	if s, ok := latinFold[r]; ok {
		return s
	}
	return string(unicode.ToLower(r))
}

// fold folds s (see above).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // at the start: drop leading spaces
	for _, r := range s {
		out := ""
		if r < utf8.RuneSelf {
			c := byte(r)
			switch {
			case c <= ' ' || c == 0x7f:
				out = " "
			case 'A' <= c && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
				space = false
				continue
			default:
				b.WriteByte(c)
				space = false
				continue
			}
		} else {
			out = foldRune(r)
		}
		switch out {
		case "":
		case " ":
			if !space {
				b.WriteByte(' ')
			}
			space = true
		default:
			b.WriteString(out)
			space = false
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// folder remembers folded names and normalised IBANs: a history repeats a few
// hundred counterparties over a hundred thousand bookings. Each folded
// counterparty gets a number (party), so grouping needs one map lookup per
// booking.
type folder struct {
	names   map[string]string // raw → folded
	ibans   map[string]string // raw → normalised
	partyOf map[string]int32  // raw → party, -1 for a name that folds to nothing
	folded  map[string]int32  // folded → party
	parties []string          // party → folded
}

func newFolder() *folder {
	return &folder{names: map[string]string{}, ibans: map[string]string{},
		partyOf: map[string]int32{}, folded: map[string]int32{}}
}

func (f *folder) name(s string) string {
	if out, ok := f.names[s]; ok {
		return out
	}
	out := fold(s)
	f.names[s] = out
	return out
}

// party is the number of the counterparty named s, -1 if s folds to nothing.
func (f *folder) party(s string) int32 {
	if p, ok := f.partyOf[s]; ok {
		return p
	}
	p := int32(-1)
	if folded := f.name(s); folded != "" {
		p = f.partyOfFolded(folded)
	}
	f.partyOf[s] = p
	return p
}

func (f *folder) partyOfFolded(folded string) int32 {
	if p, ok := f.folded[folded]; ok {
		return p
	}
	p := int32(len(f.parties))
	f.parties = append(f.parties, folded)
	f.folded[folded] = p
	return p
}

func (f *folder) iban(s string) string {
	if out, ok := f.ibans[s]; ok {
		return out
	}
	out := normIBAN(s)
	f.ibans[s] = out
	return out
}
