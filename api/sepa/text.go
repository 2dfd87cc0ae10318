package sepa

import (
	"fmt"
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

// ValidateText checks text a user typed for a SEPA field of at most max
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
