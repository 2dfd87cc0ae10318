package alerts

import (
	"testing"

	"konto/api"
)

// A counterparty alert finds its name as the filter line does: case,
// umlauts and ß do not matter.
func TestCounterpartyFolded(t *testing.T) {
	for match, name := range map[string]string{
		"muller": "MÜLLER GmbH", "Müller": "muller gmbh", "strasse": "Straße 5 e.V.", "café  zürich": "Cafe Zurich",
	} {
		n := name
		if !(Rule{Kind: Counterparty, Match: match}).matches(&api.Transaction{Name: &n}) {
			t.Errorf("%q does not find %q", match, name)
		}
	}
	n := "Bäckerei"
	if (Rule{Kind: Counterparty, Match: "metzgerei"}).matches(&api.Transaction{Name: &n}) {
		t.Error("metzgerei finds Bäckerei")
	}
}
