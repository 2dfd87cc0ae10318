package sepa

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseAmountAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"1.234,56", 123456},
		{"1234.56", 123456},
		{"1234,56", 123456},
		{"1,234.56", 123456},
		{"1 234,56", 123456},
		{"1\u00a0234,56", 123456}, // NBSP, as LibreOffice copies it
		{"1\u202f234,56", 123456}, // narrow NBSP, as French locales write it
		{"1 234.56", 123456},
		{"12,5", 1250},
		{"12.5", 1250},
		{"12", 1200},
		{" 7 ", 700},
		{"0", 0},
		{"0,00", 0},
		{"0,5", 50},
		{"0.05", 5},
		{",5", 50},
		{".99", 99},
		{"007", 700},
		{"00,01", 1},
		// three digits after a lone separator kind: thousands
		{"1.234", 123400},
		{"1,234", 123400},
		{"12,345", 1234500},
		{"123.456", 12345600},
		{"1.234.567", 123456700},
		{"1,234,567", 123456700},
		{"1 234 567", 123456700},
		{"1.234.567,89", 123456789},
		{"1,234,567.89", 123456789},
		// currency
		{"12 €", 1200},
		{"12€", 1200},
		{"€12", 1200},
		{"€ 1.234,56", 123456},
		{"17.325,00 €", 1732500},
		{"12 EUR", 1200},
		{"12,50eur", 1250},
		{"EUR 12", 1200},
		// the largest amount int64 cents hold
		{"92.233.720.368.547.758,07", math.MaxInt64},
		{"92233720368547758.07", math.MaxInt64},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseAmountRefuses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"€", "empty"},
		{" EUR ", "empty"},
		{"-12", "enter it without a sign"},
		{"+12", "enter it without a sign"},
		{"−12", "enter it without a sign"}, // U+2212
		{"– 12", "enter it without a sign"},
		{"12-", "only digits, '.' and ',' are allowed"},
		{"1.234,567", "at most two decimals"},
		{"1,234.567", "at most two decimals"},
		{"1 234,567", "at most two decimals"},
		{"12,3456", "at most two decimals"},
		{"0,001", "at most two decimals"},
		{"0.123", "at most two decimals"},
		{",123", "at most two decimals"},
		{"1.23.4", "misplaced thousands separator"},
		{"1.2345,67", "misplaced thousands separator"},
		{"12.34.567", "misplaced thousands separator"},
		{"1234.567,89", "misplaced thousands separator"},
		{"1.234,567,89", "misplaced thousands separator"},
		{"1,234.567.89", "misplaced thousands separator"},
		{"1.234 567,89", "misplaced thousands separator"},
		{"0.123,45", "misplaced thousands separator"},
		{"1 2", "misplaced thousands separator"},
		{"1  234", "misplaced thousands separator"},
		{"12, 50", "misplaced thousands separator"},
		{"12 ,50", "misplaced thousands separator"},
		{"12,5 0", "misplaced thousands separator"},
		{".234", "at most two decimals"},
		{"12,", "digits must follow the decimal separator"},
		{"12.", "digits must follow the decimal separator"},
		{"1,,5", "misplaced thousands separator"},
		{"12a", "only digits, '.' and ',' are allowed"},
		{"abc", "only digits, '.' and ',' are allowed"},
		{"1e3", "only digits, '.' and ',' are allowed"},
		{"0x10", "only digits, '.' and ',' are allowed"},
		{"١٢", "only digits, '.' and ',' are allowed"}, // Arabic-Indic digits
		{"12 $", "only digits, '.' and ',' are allowed"},
		{"12 € €", "only digits, '.' and ',' are allowed"},
		{"12\x00", "only digits, '.' and ',' are allowed"},
		{"\xff12", "only digits, '.' and ',' are allowed"},
		{"92.233.720.368.547.758,08", "too large"},
		{"92233720368547759", "too large"},
		{"99999999999999999999999", "too large"},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if err == nil {
			t.Errorf("ParseAmount(%q) = %d, want error %q", tt.in, got, tt.want)
			continue
		}
		if !errors.Is(err, ErrInvalidAmount) {
			t.Errorf("ParseAmount(%q) error %v does not match ErrInvalidAmount", tt.in, err)
		}
		if want := "invalid amount: " + tt.want; err.Error() != want {
			t.Errorf("ParseAmount(%q) error %q, want %q", tt.in, err, want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		cents               int64
		amount, euro, signd string
	}{
		{0, "0,00", "0,00 €", "0,00"},
		{1, "0,01", "0,01 €", "+0,01"},
		{-1, "−0,01", "−0,01 €", "−0,01"},
		{99, "0,99", "0,99 €", "+0,99"},
		{100, "1,00", "1,00 €", "+1,00"},
		{123456, "1.234,56", "1.234,56 €", "+1.234,56"},
		{-123456, "−1.234,56", "−1.234,56 €", "−1.234,56"},
		{-50433, "−504,33", "−504,33 €", "−504,33"},
		{320000, "3.200,00", "3.200,00 €", "+3.200,00"},
		{1732500, "17.325,00", "17.325,00 €", "+17.325,00"},
		{99999999, "999.999,99", "999.999,99 €", "+999.999,99"},
		{100000000, "1.000.000,00", "1.000.000,00 €", "+1.000.000,00"},
		{math.MaxInt64, "92.233.720.368.547.758,07", "92.233.720.368.547.758,07 €", "+92.233.720.368.547.758,07"},
		{math.MinInt64, "−92.233.720.368.547.758,08", "−92.233.720.368.547.758,08 €", "−92.233.720.368.547.758,08"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.cents); got != tt.amount {
			t.Errorf("FormatAmount(%d) = %q, want %q", tt.cents, got, tt.amount)
		}
		if got := FormatEuro(tt.cents); got != tt.euro {
			t.Errorf("FormatEuro(%d) = %q, want %q", tt.cents, got, tt.euro)
		}
		if got := FormatSigned(tt.cents); got != tt.signd {
			t.Errorf("FormatSigned(%d) = %q, want %q", tt.cents, got, tt.signd)
		}
	}
	if strings.Contains(FormatAmount(-5), "-") {
		t.Error("FormatAmount uses a hyphen; want the minus sign U+2212")
	}
}

// Every amount the dashboard shows can be typed back in as shown.
func TestParseAmountReadsFormatAmount(t *testing.T) {
	for cents := int64(0); cents < 200_000; cents += 7 {
		for _, shown := range []string{FormatAmount(cents), FormatEuro(cents)} {
			got, err := ParseAmount(shown)
			if err != nil || got != cents {
				t.Fatalf("ParseAmount(%q) = %d, %v; want %d", shown, got, err, cents)
			}
		}
	}
}
