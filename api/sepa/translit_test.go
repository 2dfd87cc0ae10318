package sepa

import (
	"strings"
	"testing"
)

func TestTransliterate(t *testing.T) {
	for _, c := range []struct {
		field     TextField
		in, want  string
		replacing string
	}{
		{FieldRecipient, "Atelier Lumière SARL", "Atelier Lumiere SARL", "è written as e"},
		{FieldRecipient, "Café Zürich", "Cafe Zürich", "é written as e"},
		{FieldRecipient, "Łukasz Żółć", "Lukasz Zolc", "Ł written as L, Ż written as Z, ó written as o, ł written as l, ć written as c"},
		{FieldRecipient, "Søren Ærø", "Soren Aero", "ø written as o, Æ written as Ae"},
		{FieldRecipient, "Brenner & Söhne KG", "Brenner & Söhne KG", ""},
		{FieldRecipient, "Straße 5 – „Büro“", "Straße 5 - 'Büro'", "– written as -, „ written as ', “ written as '"},
		{FieldNote, "Rechnung 12 €", "Rechnung 12 €", ""}, // no spelling: left for Validate to name
		{FieldE2EID, "Müß-1", "Muss-1", "ü written as u, ß written as ss"},
	} {
		got, done := c.field.Transliterate(c.in)
		var words []string
		for _, r := range done {
			words = append(words, r.String())
		}
		if got != c.want || strings.Join(words, ", ") != c.replacing {
			t.Errorf("%q: %q (%s), want %q (%s)", c.in, got, strings.Join(words, ", "), c.want, c.replacing)
		}
		if c.want == got && !strings.Contains(c.in, "€") {
			if err := c.field.Validate(got); err != nil {
				t.Errorf("%q: the transliteration is refused: %v", c.in, err)
			}
		}
	}
}
