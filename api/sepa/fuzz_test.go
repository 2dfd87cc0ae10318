package sepa

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseAmount(f *testing.F) {
	for _, seed := range []string{
		"1.234,56", "1234.56", "1234,56", "12,5", "12", "1,234.56", "1 234,56", " 7 ",
		"12 €", "12 EUR", "1.234", "1,234", "12,345", "1.234,567", "1.23.4", "0,001",
		"", "-1", "+1", "−1", "abc", "12,", ",5", "92.233.720.368.547.758,07",
		"92.233.720.368.547.758,08", "1\u00a0234,56", "\xff", "0", "0,00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cents, err := ParseAmount(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidAmount) || !strings.HasPrefix(err.Error(), "invalid amount: ") {
				t.Fatalf("ParseAmount(%q) error %q is not an invalid-amount sentence", s, err)
			}
			if cents != 0 {
				t.Fatalf("ParseAmount(%q) = %d with error %v, want 0", s, cents, err)
			}
			return
		}
		if cents < 0 {
			t.Fatalf("ParseAmount(%q) = %d, negative without a sign", s, cents)
		}
		for _, shown := range []string{FormatAmount(cents), FormatEuro(cents)} {
			back, err := ParseAmount(shown)
			if err != nil || back != cents {
				t.Fatalf("ParseAmount(%q) = %d, but ParseAmount(%q) = %d, %v", s, cents, shown, back, err)
			}
		}
		if words := AmountInWords(cents); words == "" || !utf8.ValidString(words) {
			t.Fatalf("AmountInWords(%d) = %q", cents, words)
		}
	})
}

func FuzzValidateIBAN(f *testing.F) {
	for _, seed := range validIBANs {
		f.Add(seed)
	}
	for _, seed := range []string{
		"DE06110101001000004444", "DE35120300001012765235", "de89 3704 0044 0532 0130 00",
		"", " ", "XX00", "DE", "D", "DE89-3704", "ıT60X0542811101000000123456", "\xffDE89",
		"DE89\u00a03704\u200b0044 0532 0130 00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateIBAN(s)
		norm := NormalizeIBAN(s)
		if got := ValidateIBAN(norm); !sameError(got, err) {
			t.Fatalf("ValidateIBAN(%q) = %v, but ValidateIBAN(NormalizeIBAN) = %v", s, err, got)
		}
		if again := NormalizeIBAN(norm); again != norm {
			t.Fatalf("NormalizeIBAN is not idempotent: %q -> %q -> %q", s, norm, again)
		}
		formatted := FormatIBAN(s)
		if NormalizeIBAN(formatted) != norm {
			t.Fatalf("FormatIBAN(%q) = %q does not normalise back to %q", s, formatted, norm)
		}
		_ = ShortIBAN(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidIBAN) || !strings.HasPrefix(err.Error(), "invalid IBAN: ") {
				t.Fatalf("ValidateIBAN(%q) error %q is not an invalid-IBAN sentence", s, err)
			}
			return
		}
		for _, spelling := range []string{formatted, norm, strings.ToLower(formatted)} {
			if err := ValidateIBAN(spelling); err != nil {
				t.Fatalf("valid IBAN %q turned invalid as %q: %v", s, spelling, err)
			}
		}
		if check := norm[2:4]; check < "02" || check > "98" {
			t.Fatalf("ValidateIBAN(%q) accepts check digits %s, which are never issued", s, check)
		}
		// A valid IBAN is its country code, check digits and BBAN: rebuilding it
		// from the BBAN gives it back.
		if rebuilt, err := MakeIBAN(norm[:2], norm[4:]); err != nil || rebuilt != norm {
			t.Fatalf("MakeIBAN(%q, %q) = %q, %v; want %q", norm[:2], norm[4:], rebuilt, err, norm)
		}
	})
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}

func FuzzTextFieldValidate(f *testing.F) {
	for _, seed := range []string{
		"", "Karl Brenner", "Müller & Söhne", "Miete 500 €", "Café", "Cafe\u0301", "/ref", "a//b",
		"E-81359c56883b508cc891b2d466983e3a", "\x1b[31m", "\xff", "a\u202eb", strings.Repeat("ä", 141),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, field := range []TextField{FieldRecipient, FieldNote, FieldE2EID} {
			err := field.Validate(s)
			if err != nil {
				var te *TextError
				if !errors.As(err, &te) || !errors.Is(err, ErrInvalidText) || te.Reason == "" {
					t.Fatalf("%s.Validate(%q) = %#v, not a TextError sentence", field.Name(), s, err)
				}
				continue
			}
			// Accepted: valid UTF-8 of allowed characters within the limit,
			// which the printable check accepts too.
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > field.MaxLen() || ValidateText(s, field.MaxLen()) != nil {
				t.Fatalf("%s accepted %q", field.Name(), s)
			}
			for _, r := range s {
				if !field.Allows(r) {
					t.Fatalf("%s accepted %q with %q", field.Name(), s, r)
				}
			}
		}
	})
}
