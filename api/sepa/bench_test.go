package sepa

import "testing"

func BenchmarkValidateIBAN(b *testing.B) {
	for b.Loop() {
		if err := ValidateIBAN("DE89 3704 0044 0532 0130 00"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAmount(b *testing.B) {
	for b.Loop() {
		if _, err := ParseAmount("1.234.567,89 €"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatAmount(b *testing.B) {
	for b.Loop() {
		_ = FormatAmount(-123456789)
	}
}

func BenchmarkAmountInWords(b *testing.B) {
	for b.Loop() {
		_ = AmountInWords(123456789)
	}
}

func BenchmarkValidateText(b *testing.B) {
	note := "Invoice 2026-11 Karl Lagerfeld, Café Zürich – thank you! 🙂"
	for b.Loop() {
		if err := ValidateText(note, MaxNoteLen); err != nil {
			b.Fatal(err)
		}
	}
}
