package sepa

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateTextAccepts(t *testing.T) {
	tests := []struct {
		in  string
		max int
	}{
		{"", MaxNoteLen},
		{"Invoice 12", MaxNoteLen},
		{"Café Zürich – Straße, 7,60 CHF", MaxNoteLen},
		{"東京 🙂 Ελληνικά العربية", MaxNoteLen}, // scripts and emoji are printable text
		{strings.Repeat("x", MaxNoteLen), MaxNoteLen},
		{strings.Repeat("ä", MaxRecipientLen), MaxRecipientLen}, // runes, not bytes
		{strings.Repeat("🙂", MaxE2EIDLen), MaxE2EIDLen},
		{"E-81359c56883b508cc891b2d466983e3a", MaxE2EIDLen},
		{strings.Repeat("x", 1000), 0}, // no limit
		{"a\u200eb", 10},               // a direction mark is neither override nor isolate
	}
	for _, tt := range tests {
		if err := ValidateText(tt.in, tt.max); err != nil {
			t.Errorf("ValidateText(%q, %d) = %v, want nil", tt.in, tt.max, err)
		}
	}
}

func TestValidateTextRefuses(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{strings.Repeat("x", 141), MaxNoteLen, "too long: 141 of at most 140 characters"},
		{strings.Repeat("ß", 71), MaxRecipientLen, "too long: 71 of at most 70 characters"},
		{strings.Repeat("1", 36), MaxE2EIDLen, "too long: 36 of at most 35 characters"},
		{"a\x00b", 10, "contains a control character (U+0000)"},
		{"line\nbreak", 20, "contains a control character (U+000A)"},
		{"tab\there", 20, "contains a control character (U+0009)"},
		{"cr\r", 20, "contains a control character (U+000D)"},
		{"back\bspace", 20, "contains a control character (U+0008)"},
		{"\x1b[31mred", 20, "contains a control character (U+001B)"},
		{"del\x7f", 20, "contains a control character (U+007F)"},
		{"c1\u0085", 20, "contains a control character (U+0085)"},
		{"csi\u009b31m", 20, "contains a control character (U+009B)"},
		{"ls\u2028", 20, "contains a line break (U+2028)"},
		{"ps\u2029", 20, "contains a line break (U+2029)"},
		{"evil\u202egnp.exe", 20, "contains a bidirectional override (U+202E)"},
		{"\u202aLRE", 20, "contains a bidirectional override (U+202A)"},
		{"\u2066isolate\u2069", 20, "contains a bidirectional override (U+2066)"},
		{"pdi\u2069", 20, "contains a bidirectional override (U+2069)"},
		{"bad\xffutf8", 20, "is not valid UTF-8 text"},
		{"cut \xe2\x82", 20, "is not valid UTF-8 text"},
		// Character problems are reported before length.
		{strings.Repeat("x", 200) + "\x1b", MaxNoteLen, "contains a control character (U+001B)"},
	}
	for _, tt := range tests {
		err := ValidateText(tt.in, tt.max)
		if err == nil {
			t.Errorf("ValidateText(%q, %d) = nil, want %q", tt.in, tt.max, tt.want)
			continue
		}
		if !errors.Is(err, ErrInvalidText) {
			t.Errorf("ValidateText(%q) = %v, does not match ErrInvalidText", tt.in, err)
		}
		if errors.Is(err, ErrInvalidIBAN) || errors.Is(err, ErrInvalidAmount) {
			t.Errorf("ValidateText(%q) = %v matches another sentinel", tt.in, err)
		}
		if err.Error() != tt.want {
			t.Errorf("ValidateText(%q, %d) = %q, want %q", tt.in, tt.max, err, tt.want)
		}
	}
}

// A literal U+FFFD typed by the user is valid text; only broken bytes are not.
func TestValidateTextReplacementCharacter(t *testing.T) {
	if err := ValidateText("a\uFFFDb", 10); err != nil {
		t.Errorf("ValidateText with U+FFFD = %v, want nil", err)
	}
}
