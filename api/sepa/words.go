package sepa

import "strings"

// AmountInWords spells cents out in English for the payment review, where a
// mistyped digit is easiest to catch: "one thousand two hundred thirty-four euros
// and fifty-six cents", "one euro", "zero euros and five cents". Whole amounts
// leave the cents out; negative ones start with "minus".
func AmountInWords(cents int64) string {
	magnitude := uint64(cents)
	if cents < 0 {
		magnitude = -magnitude // two's complement: right even for math.MinInt64
	}
	euros, rest := magnitude/100, magnitude%100

	var b strings.Builder
	if cents < 0 {
		b.WriteString("minus ")
	}
	b.WriteString(numberInWords(euros))
	b.WriteString(pluralWord(euros, " euro", " euros"))
	if rest != 0 {
		b.WriteString(" and ")
		b.WriteString(numberInWords(rest))
		b.WriteString(pluralWord(rest, " cent", " cents"))
	}
	return b.String()
}

// numberInWords spells n in American English without "and": 1234 is "one
// thousand two hundred thirty-four".
func numberInWords(n uint64) string {
	if n == 0 {
		return "zero"
	}
	// Short-scale powers of 1000; int64 cents reach the quadrillions of euros.
	scales := [...]string{"", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"}
	var groups []string
	for scale := 0; n > 0; scale++ {
		if group := n % 1000; group != 0 {
			words := belowThousand(group)
			if scales[scale] != "" {
				words += " " + scales[scale]
			}
			groups = append(groups, words)
		}
		n /= 1000
	}
	// Groups were collected from the lowest; speak them from the highest.
	for i, j := 0, len(groups)-1; i < j; i, j = i+1, j-1 {
		groups[i], groups[j] = groups[j], groups[i]
	}
	return strings.Join(groups, " ")
}

// belowThousand spells 1 ≤ n ≤ 999.
func belowThousand(n uint64) string {
	smallNumbers := [...]string{
		"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
		"seventeen", "eighteen", "nineteen",
	}
	tens := [...]string{
		"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
	}
	var parts []string
	if n >= 100 {
		parts = append(parts, smallNumbers[n/100]+" hundred")
		n %= 100
	}
	switch {
	case n == 0:
	case n < 20:
		parts = append(parts, smallNumbers[n])
	case n%10 == 0:
		parts = append(parts, tens[n/10])
	default:
		parts = append(parts, tens[n/10]+"-"+smallNumbers[n%10])
	}
	return strings.Join(parts, " ")
}

func pluralWord(n uint64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
