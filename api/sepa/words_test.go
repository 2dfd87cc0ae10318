package sepa

import (
	"math"
	"strings"
	"testing"
)

func TestAmountInWords(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{
		{0, "zero euros"},
		{1, "zero euros and one cent"},
		{5, "zero euros and five cents"},
		{99, "zero euros and ninety-nine cents"},
		{100, "one euro"},
		{101, "one euro and one cent"},
		{200, "two euros"},
		{1250, "twelve euros and fifty cents"},
		{1900, "nineteen euros"},
		{2000, "twenty euros"},
		{2100, "twenty-one euros"},
		{10000, "one hundred euros"},
		{10100, "one hundred one euros"},
		{11500, "one hundred fifteen euros"},
		{99900, "nine hundred ninety-nine euros"},
		{123456, "one thousand two hundred thirty-four euros and fifty-six cents"},
		{100000, "one thousand euros"},
		{1000100, "ten thousand one euros"},
		{1732500, "seventeen thousand three hundred twenty-five euros"},
		{100000000, "one million euros"},
		{100000100, "one million one euros"},
		{123456789, "one million two hundred thirty-four thousand five hundred sixty-seven euros and eighty-nine cents"},
		{200000000000, "two billion euros"},
		{-50433, "minus five hundred four euros and thirty-three cents"},
		{-100, "minus one euro"},
		{math.MaxInt64, "ninety-two quadrillion two hundred thirty-three trillion seven hundred twenty billion " +
			"three hundred sixty-eight million five hundred forty-seven thousand seven hundred fifty-eight euros " +
			"and seven cents"},
		{math.MinInt64, "minus ninety-two quadrillion two hundred thirty-three trillion seven hundred twenty billion " +
			"three hundred sixty-eight million five hundred forty-seven thousand seven hundred fifty-eight euros " +
			"and eight cents"},
	}
	for _, tt := range tests {
		if got := AmountInWords(tt.cents); got != tt.want {
			t.Errorf("AmountInWords(%d)\n got %q\nwant %q", tt.cents, got, tt.want)
		}
	}
}

// No spelling may have doubled or stray spaces, whatever the zero groups.
func TestAmountInWordsSpacing(t *testing.T) {
	for _, cents := range []int64{1, 100, 1000000, 100000001, 100000000000, 100010001000, 1000000000000000000} {
		got := AmountInWords(cents)
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got || (cents >= 100 && strings.Contains(got, "zero ")) {
			t.Errorf("AmountInWords(%d) = %q", cents, got)
		}
	}
}
