package sepa

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lengths, in characters, of the free-text fields of a SEPA credit transfer
// (pain.001: creditor name, unstructured remittance information, end-to-end id).
const (
	MaxRecipientLen = 70  // creditor name
	MaxNoteLen      = 140 // remittance information (purpose)
	MaxE2EIDLen     = 35  // end-to-end id
)

// TextError is why ValidateText refused a text. Its message is a sentence for
// the user ("too long: 141 of at most 140 characters"); it matches
// ErrInvalidText with errors.Is.
type TextError struct {
	Reason string
}

func (e *TextError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrInvalidText) true.
func (e *TextError) Is(target error) bool { return target == ErrInvalidText }

// ValidateText checks text for a SEPA field of at most max
// characters (runes; max < 1 means no limit). It refuses invalid UTF-8, control
// characters (C0, DEL, C1: they would reach other people's terminals and bank
// statements as escape sequences), the Unicode line and paragraph separators,
// and the bidi overrides and isolates U+202A–U+202E and U+2066–U+2069, which
// can make a statement line read backwards ("Trojan Source"). It does not trim
// or require content: empty text passes, and mandatory fields are the caller's
// check.
func ValidateText(s string, max int) error {
	n := 0
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return &TextError{Reason: "is not valid UTF-8 text"}
			}
		}
		switch {
		case r < 0x20, r == 0x7F, 0x80 <= r && r <= 0x9F:
			return &TextError{Reason: fmt.Sprintf("contains a control character (%U)", r)}
		case r == '\u2028', r == '\u2029':
			return &TextError{Reason: fmt.Sprintf("contains a line break (%U)", r)}
		case isBidiControl(r):
			return &TextError{Reason: fmt.Sprintf("contains a bidirectional override (%U)", r)}
		}
		n++
	}
	if max >= 1 && n > max {
		return &TextError{Reason: fmt.Sprintf("too long: %d of at most %d characters", n, max)}
	}
	return nil
}

// isBidiControl reports the embeddings, overrides and isolates that change the
// direction of the text after them.
func isBidiControl(r rune) bool {
	return ('\u202A' <= r && r <= '\u202E') || ('\u2066' <= r && r <= '\u2069')
}

// The characters of payment text.
//
// Every bank in SEPA must accept the EPC's basic Latin set: a–z, A–Z, 0–9,
// space and / - ? : ( ) . , ' + (EPC implementation guidelines, "character
// set"). German banks must also take what the old domestic format DTAUS
// allowed, Ä Ö Ü ä ö ü ß & * $ %, and may pass it on transliterated ("ä" as
// "a" or "ae", "&" as "+"; DFÜ-Abkommen, Anlage 3). Kontist is a German bank,
// and the sandbox's own seeded payees ("Brenner & Söhne KG", "Müller GmbH")
// use them, so names and notes may hold them. References, the end-to-end id
// among them, keep to the basic set, and must neither start nor end with "/"
// nor contain "//".
//
// Everything else is refused, naming the character: "é", "€", "–", the
// typographic apostrophe, emoji, and the invisible ones (control characters,
// no-break and zero-width spaces, combining accents, bidi overrides).
const (
	basicPunctuation = "/-?:().,'+ "
	germanExtras     = "ÄÖÜäöüß&*$%"
	basicSetWords    = "a–z, A–Z, 0–9, space and / - ? : ( ) . , ' +"
	germanSetWords   = "a–z, A–Z, ä ö ü ß, 0–9, space and / - ? : ( ) . , ' + & * $ %"
)

// TextField is one of the free-text fields of a SEPA credit transfer, with
// its length and character rules. The forms and the sandbox bank both check
// payment text with Validate, so they cannot disagree.
type TextField int

// The free-text fields of a payment.
const (
	FieldRecipient TextField = iota + 1 // creditor name: 70 characters, basic set and the German extras
	FieldNote                           // remittance information (purpose): 140, basic set and the German extras
	FieldE2EID                          // end-to-end id: 35, basic set only, reference rules
)

// Name is how messages call the field: "recipient name", "note", "end-to-end id".
func (f TextField) Name() string {
	switch f {
	case FieldRecipient:
		return "recipient name"
	case FieldNote:
		return "note"
	case FieldE2EID:
		return "end-to-end id"
	}
	return "text"
}

// MaxLen is the most characters (runes) the field holds.
func (f TextField) MaxLen() int {
	switch f {
	case FieldRecipient:
		return MaxRecipientLen
	case FieldNote:
		return MaxNoteLen
	case FieldE2EID:
		return MaxE2EIDLen
	}
	return 0
}

// Allows reports whether r may appear in the field.
func (f TextField) Allows(r rune) bool {
	basic := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
		r < utf8.RuneSelf && strings.ContainsRune(basicPunctuation, r)
	if basic || f == FieldE2EID {
		return basic
	}
	return strings.ContainsRune(germanExtras, r)
}

// Allowed spells the field's characters for people: "a–z, A–Z, 0–9, space
// and / - ? : ( ) . , ' +".
func (f TextField) Allowed() string {
	if f == FieldE2EID {
		return basicSetWords
	}
	return germanSetWords
}

// Validate checks text for the field, as a user typed it or a client sent
// it: only the field's characters (see above), at most MaxLen of them, and
// for the end-to-end id no "/" at either end (spaces around aside) and no
// "//". Characters are checked before the length, and the first one refused
// is named: `"€" is not allowed in a SEPA note (use a–z, A–Z, …)`. It does
// not trim or require content: empty text passes, and mandatory fields are
// the caller's check. The error is a *TextError matching ErrInvalidText.
func (f TextField) Validate(s string) error {
	n := 0
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return &TextError{Reason: "a SEPA " + f.Name() + " must be valid UTF-8 text"}
			}
		}
		if !f.Allows(r) {
			return &TextError{Reason: f.refusal(r)}
		}
		n++
	}
	if max := f.MaxLen(); max > 0 && n > max {
		return &TextError{Reason: fmt.Sprintf("%s too long: %d of at most %d characters", f.Name(), n, max)}
	}
	if f == FieldE2EID {
		t := strings.Trim(s, " ")
		switch {
		case strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/"):
			return &TextError{Reason: `an end-to-end id must not start or end with "/"`}
		case strings.Contains(t, "//"):
			return &TextError{Reason: `an end-to-end id must not contain "//"`}
		}
	}
	return nil
}

// refusal says that r is not allowed: a visible character quoted, with the
// characters that are; an invisible one by its kind and code point.
func (f TextField) refusal(r rune) string {
	where := " is not allowed in a SEPA " + f.Name()
	switch {
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085':
		return fmt.Sprintf("a line break (%U)%s", r, where)
	case r == '\t':
		return fmt.Sprintf("a tab (%U)%s", r, where)
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (%U)%s", r, where)
	case isBidiControl(r):
		return fmt.Sprintf("a bidirectional override (%U)%s", r, where)
	case unicode.In(r, unicode.Mn, unicode.Me):
		return fmt.Sprintf("a combining mark (%U)%s", r, where)
	case !unicode.IsGraphic(r) || unicode.IsSpace(r):
		return fmt.Sprintf("an invisible character (%U)%s", r, where)
	case r == '"':
		return `'"'` + where + " (use " + f.Allowed() + ")"
	}
	return `"` + string(r) + `"` + where + " (use " + f.Allowed() + ")"
}
