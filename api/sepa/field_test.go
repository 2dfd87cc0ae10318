package sepa_test

import (
	"errors"
	"strings"
	"testing"

	"konto/api/sepa"
	"konto/api/sepa/sepatest"
)

// The shared table: api/sepa's answer on each text. ui/form and api/sandbox
// run the same table through their own checks.
func TestTextFieldSharedTable(t *testing.T) {
	for _, tc := range sepatest.TextCases() {
		err := tc.Field.Validate(tc.In)
		switch {
		case tc.Refused == "" && err != nil:
			t.Errorf("%s %q: %v, want accepted", tc.Field.Name(), tc.In, err)
		case tc.Refused != "" && err == nil:
			t.Errorf("%s %q accepted, want refused with %s", tc.Field.Name(), tc.In, tc.Refused)
		case tc.Refused != "" && !strings.Contains(err.Error(), tc.Refused):
			t.Errorf("%s %q: %q, want it to name %s", tc.Field.Name(), tc.In, err, tc.Refused)
		case err != nil && !errors.Is(err, sepa.ErrInvalidText):
			t.Errorf("%s %q: %v does not match ErrInvalidText", tc.Field.Name(), tc.In, err)
		}
	}
}

func TestTextFieldMessages(t *testing.T) {
	tests := []struct {
		field sepa.TextField
		in    string
		want  string
	}{
		{sepa.FieldNote, "Miete 500 €", `"€" is not allowed in a SEPA note (use a–z, A–Z, ä ö ü ß, 0–9, space and / - ? : ( ) . , ' + & * $ %)`},
		{sepa.FieldRecipient, "Café", `"é" is not allowed in a SEPA recipient name (use a–z, A–Z, ä ö ü ß, 0–9, space and / - ? : ( ) . , ' + & * $ %)`},
		{sepa.FieldE2EID, "Müller", `"ü" is not allowed in a SEPA end-to-end id (use a–z, A–Z, 0–9, space and / - ? : ( ) . , ' +)`},
		{sepa.FieldNote, `"x"`, `'"' is not allowed in a SEPA note (use a–z, A–Z, ä ö ü ß, 0–9, space and / - ? : ( ) . , ' + & * $ %)`},
		{sepa.FieldNote, "a\x07", "a control character (U+0007) is not allowed in a SEPA note"},
		{sepa.FieldNote, "a\r\n", "a line break (U+000D) is not allowed in a SEPA note"},
		{sepa.FieldNote, "c1\u0085", "a line break (U+0085) is not allowed in a SEPA note"},
		{sepa.FieldNote, "bad\xffutf8", "a SEPA note must be valid UTF-8 text"},
		{sepa.FieldNote, "cut \xe2\x82", "a SEPA note must be valid UTF-8 text"},
		{sepa.FieldNote, "a\uFFFDb", `"�" is not allowed in a SEPA note (use a–z, A–Z, ä ö ü ß, 0–9, space and / - ? : ( ) . , ' + & * $ %)`},
		{sepa.FieldRecipient, "\ufeffKarl", "an invisible character (U+FEFF) is not allowed in a SEPA recipient name"},
		{sepa.FieldE2EID, "/x", `an end-to-end id must not start or end with "/"`},
		{sepa.FieldE2EID, "x//y", `an end-to-end id must not contain "//"`},
		{sepa.FieldNote, strings.Repeat("ä", 141), "note too long: 141 of at most 140 characters"},
	}
	for _, tt := range tests {
		err := tt.field.Validate(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s.Validate(%q) = %v, want %q", tt.field.Name(), tt.in, err, tt.want)
		}
		if err != nil && (errors.Is(err, sepa.ErrInvalidIBAN) || errors.Is(err, sepa.ErrInvalidAmount)) {
			t.Errorf("%s.Validate(%q) = %v matches another sentinel", tt.field.Name(), tt.in, err)
		}
	}
}

// Allows holds exactly the documented sets, and the message lists them.
func TestTextFieldAllows(t *testing.T) {
	basic := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
	german := basic + "ÄÖÜäöüß&*$%"
	for _, c := range []struct {
		field sepa.TextField
		set   string
	}{{sepa.FieldRecipient, german}, {sepa.FieldNote, german}, {sepa.FieldE2EID, basic}} {
		for r := rune(0); r < 0x3000; r++ {
			if got, want := c.field.Allows(r), strings.ContainsRune(c.set, r); got != want {
				t.Errorf("%s.Allows(%q) = %v, want %v", c.field.Name(), r, got, want)
			}
		}
		for _, r := range "/-?:().,'+&*$%äöüß" {
			if strings.ContainsRune(c.set, r) && !strings.ContainsRune(c.field.Allowed(), r) {
				t.Errorf("%s.Allowed() = %q does not list %q", c.field.Name(), c.field.Allowed(), r)
			}
		}
		if c.field.MaxLen() <= 0 {
			t.Errorf("%s has no length limit", c.field.Name())
		}
	}
}
