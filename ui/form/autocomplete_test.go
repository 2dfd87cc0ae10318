package form

import (
	"strings"
	"testing"

	"konto/api"
	"konto/api/sepa"
	"konto/store/history"
)

func TestCounterparties(t *testing.T) {
	txs := []api.Transaction{
		{Name: api.Ptr("Karl Brenner"), IBAN: api.Ptr("DE89370400440532013000")},
		{Name: api.Ptr("karl brenner"), IBAN: api.Ptr("GB82WEST12345698765432")}, // older: the newest wins
		{Name: api.Ptr("Broken"), IBAN: api.Ptr("DE89370400440532013001")},
		{Name: api.Ptr("Card shop")},
		{Name: api.Ptr("Katrin"), IBAN: api.Ptr("gb82 west 1234 5698 7654 32")},
	}
	got := Counterparties(history.Of(txs))
	want := []Counterparty{{"Karl Brenner", "DE89370400440532013000"}, {"Katrin", "GB82WEST12345698765432"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Counterparties = %v, want %v", got, want)
	}
}

// Autocomplete on any two fields: a prefix suggests, → at its end fills the
// name and the IBAN; the paying account itself is never offered.
func TestAutocomplete(t *testing.T) {
	recipient := NewField("Recipient", "", sepa.MaxRecipientLen, Recipient)
	iban := NewField("IBAN", "", 42, IBAN)
	iban.Regroup = sepa.FormatIBAN
	Autocomplete(recipient, iban, []Counterparty{
		{"Karl Brenner", "DE89370400440532013000"},
		{"Kasse (own account)", "DE06110101001000004444"},
	}, "DE06 1101 0100 1000 0044 44")
	f := New(recipient, iban)
	typeInto(f, "kar")
	if h := recipient.Hint(recipient.Value()); !strings.Contains(h, "press → for Karl Brenner") {
		t.Errorf("hint %q", h)
	}
	press(f, "right")
	if recipient.Value() != "Karl Brenner" || iban.Value() != "DE89 3704 0044 0532 0130 00" || f.Focused() != 0 {
		t.Errorf("→ gave %q / %q, cursor in %d", recipient.Value(), iban.Value(), f.Focused())
	}
	recipient.SetValue("")
	typeInto(f, "Kas")
	if press(f, "right"); recipient.Value() != "Kas" || strings.Contains(iban.Value(), "0044 44") {
		t.Errorf("the paying account was offered: %q / %q", recipient.Value(), iban.Value())
	}
}
