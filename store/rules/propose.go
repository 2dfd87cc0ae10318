package rules

import (
	"strings"
	"unicode"

	"konto/api"
	"konto/api/sepa"
)

// Propose suggests a rule that gives category to tx and to the bookings
// like it ("apply to 14 similar bookings and future ones"): by the
// counterparty's name without the numbers card payments append to it
// ("REWE Markt 4711 Berlin" → "REWE Markt"), else by the IBAN, else by the
// purpose's first words; always for the booking's direction. The caller
// shows it (Count, TOML) before AppendRule writes it.
func Propose(tx api.Transaction, category string) Rule {
	r := Rule{Category: category}
	switch {
	case tx.Amount > 0:
		r.Direction = "in"
	case tx.Amount < 0:
		r.Direction = "out"
	}
	if name := stableWords(api.Str(tx.Name), 4); name != "" {
		r.Counterparty = name
		return r
	}
	if iban := sepa.NormalizeIBAN(api.Str(tx.IBAN)); iban != "" && sepa.ValidateIBAN(iban) == nil {
		r.IBAN = iban
		return r
	}
	if purpose := stableWords(api.Str(tx.Purpose), 3); purpose != "" {
		r.Purpose = purpose
		return r
	}
	// Nothing to recognise the booking by but its type.
	r.Type = api.Str(tx.PaymentMethod)
	if r.Type == "" {
		r.Type = api.Str(tx.BookingType)
	}
	return r
}

// stableWords is the leading words of s up to the first that holds a digit
// (a store number, a date, an invoice number), at most max of them, with
// control characters dropped and punctuation at the ends trimmed.
func stableWords(s string, max int) string {
	var words []string
	s = strings.ToValidUTF8(s, "")
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		if strings.IndexFunc(w, unicode.IsDigit) >= 0 || strings.ContainsAny(w, "*/#") || len(words) == max {
			break
		}
		words = append(words, w)
	}
	out := strings.TrimFunc(strings.Join(words, " "), func(r rune) bool {
		return unicode.IsPunct(r) && r != '&' && r != '.' || unicode.Is(unicode.Cf, r)
	})
	return out
}
