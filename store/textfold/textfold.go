// Package textfold is konto's one way of comparing text as a person means
// it: lower case, accents and umlauts stripped, ß as ss, every run of white
// space one space. The filter line, the category rules, the reports'
// counterparties and the forecast's grouping all fold with it, so "Müller",
// "MULLER" and "muller" are one name everywhere.
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Folder folds text, remembering how it folded each non-ASCII rune, so that
// folding a long history costs no allocation per booking. The zero value is
// ready to use; a Folder is not safe for concurrent use (one per goroutine).
type Folder struct {
	runes map[rune]string
}

// Fold folds s: lower case, no accents, every run of white space or control
// characters one space, none at either end.
func Fold(s string) string {
	if s, ok := foldASCII(s); ok {
		return s
	}
	var f Folder
	return string(f.AppendFold(make([]byte, 0, len(s)), s, false))
}

// foldASCII is Fold for pure, already folded ASCII text (the usual query
// word), without allocating; ok is false when s needs the general path.
func foldASCII(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c <= ' ' || c == 0x7f || ('A' <= c && c <= 'Z') {
			if c == ' ' && i > 0 && i < len(s)-1 && s[i-1] != ' ' {
				continue
			}
			return "", false
		}
	}
	return s, true
}

// FoldNoSpace folds s and drops its white space altogether (IBANs).
func FoldNoSpace(s string) string {
	var f Folder
	return string(f.AppendFold(make([]byte, 0, len(s)), s, true))
}

// Fold is the package's Fold using f's memory of runes.
func (f *Folder) Fold(s string) string {
	if s, ok := foldASCII(s); ok {
		return s
	}
	return string(f.AppendFold(make([]byte, 0, len(s)), s, false))
}

// AppendFold appends the folded s to dst. With dropSpaces, white space is
// removed altogether (for IBANs) instead of being one space.
func (f *Folder) AppendFold(dst []byte, s string, dropSpaces bool) []byte {
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

// foldRune folds one non-ASCII rune: "" for marks, format characters and
// the like, " " for white space and controls.
func (f *Folder) foldRune(r rune) string {
	if out, ok := f.runes[r]; ok {
		return out
	}
	out := FoldRune(r)
	if f.runes == nil {
		f.runes = make(map[rune]string)
	}
	f.runes[r] = out
	return out
}

// FoldRune folds one rune: "" for combining marks and format characters
// (soft hyphens, zero-width joiners), " " for white space and controls, the
// base letters in lower case otherwise.
func FoldRune(r rune) string {
	switch {
	case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
		return string(r + 'a' - 'A')
	case unicode.IsSpace(r) || unicode.IsControl(r):
		return " "
	case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		return ""
	case r < utf8.RuneSelf:
		return string(r)
	}
	if rep, ok := special(r); ok {
		return rep
	}
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			b.WriteRune(unicode.ToLower(d))
		}
	}
	return b.String()
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
	case 'ł', 'Ł', 'ŀ', 'Ŀ':
		return "l", true
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d", true
	case 'ı':
		return "i", true
	case 'þ', 'Þ':
		return "th", true
	case 'ĳ', 'Ĳ':
		return "ij", true
	case 'ħ', 'Ħ':
		return "h", true
	case 'ŧ', 'Ŧ':
		return "t", true
	case 'ŋ', 'Ŋ', 'ŉ':
		return "n", true
	case 'ĸ':
		return "k", true
	case 'ſ':
		return "s", true
	}
	return "", false
}

// FoldType folds a booking type or payment method: lower case with '_', '-'
// and white space removed, so SEPA_DIRECT_DEBIT, sepa-direct-debit and
// "Sepa Direct Debit" are all sepadirectdebit.
func FoldType(s string) string { return string(AppendFoldType(nil, s)) }

// AppendFoldType appends FoldType(s) to dst.
func AppendFoldType(dst []byte, s string) []byte {
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
