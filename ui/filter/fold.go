package filter

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folder lowers text and strips its accents so that Müller, MULLER and muller
// (and café and cafe) compare equal. ASCII is folded inline; every other rune
// is folded once (NFD, marks removed, lower case) and remembered, so indexing
// a long history costs no allocation per transaction. One folder per goroutine.
type folder struct {
	runes map[rune]string
}

func newFolder() *folder { return &folder{runes: make(map[rune]string)} }

// fold folds s with a fresh folder (for one-off strings such as a query).
func fold(s string) string { return string(newFolder().appendFold(nil, s, false)) }

// foldRune folds one non-ASCII rune: "" for marks, format characters and
// controls, " " for white space.
func (f *folder) foldRune(r rune) string {
	if out, ok := f.runes[r]; ok {
		return out
	}
	var out string
	switch {
	case unicode.IsSpace(r) || unicode.IsControl(r):
		out = " "
	case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		out = ""
	default:
		if rep, ok := special(r); ok {
			out = rep
			break
		}
		var b strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(unicode.ToLower(d))
			}
		}
		out = b.String()
	}
	f.runes[r] = out
	return out
}

// special folds letters that do not decompose into a base letter and a mark.
func special(r rune) (string, bool) {
	switch r {
	case 'ß', 'ẞ':
		return "ss", true
	case 'æ', 'Æ':
		return "ae", true
	case 'œ', 'Œ':
		return "oe", true
	case 'ø', 'Ø':
		return "o", true
	case 'ł', 'Ł':
		return "l", true
	case 'đ', 'Đ':
		return "d", true
	case 'ı':
		return "i", true
	}
	return "", false
}

// appendFold appends the folded s to dst: lower case, no accents, every run of
// white space or control characters one space, no space at either end. With
// dropSpaces, white space is removed altogether (for IBANs).
func (f *folder) appendFold(dst []byte, s string, dropSpaces bool) []byte {
	start := len(dst)
	space := true // at the start: drop leading spaces
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := byte(r)
			if c <= ' ' || c == 0x7f {
				if !space && !dropSpaces {
					dst = append(dst, ' ')
				}
				space = true
				continue
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			space = false
			continue
		}
		switch out := f.foldRune(r); out {
		case "":
		case " ":
			if !space && !dropSpaces {
				dst = append(dst, ' ')
			}
			space = true
		default:
			dst = append(dst, out...)
			space = false
		}
	}
	if len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// foldType folds a booking type or payment method for type: tokens: lower
// case with '_', '-' and spaces removed (SEPA_DIRECT_DEBIT → sepadirectdebit).
func foldType(s string) string { return string(appendFoldType(nil, s)) }

func appendFoldType(dst []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '_' || r == '-' || unicode.IsSpace(r):
		case 'A' <= r && r <= 'Z':
			dst = append(dst, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r))
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return dst
}
