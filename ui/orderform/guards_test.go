package orderform

import (
	"encoding/json"
	"strings"
	"testing"

	"konto/api"
	"konto/ui/common"
	"konto/ui/form"
)

var known = []form.Counterparty{
	{Name: "Karl Brenner", IBAN: "DE89370400440532013000"},
	{Name: "Katrin Weiss", IBAN: "GB82WEST12345698765432"},
}

// orderForms builds each order form that creates an order, with known
// counterparties.
func orderForms() map[string]func(c *common.Common, env common.PaymentEnv) common.Modal {
	return map[string]func(c *common.Common, env common.PaymentEnv) common.Modal{
		"standing": func(c *common.Common, env common.PaymentEnv) common.Modal { return NewStanding(c, env, account, known) },
		"timed":    func(c *common.Common, env common.PaymentEnv) common.Modal { return NewTimed(c, env, account, known) },
	}
}

// The order forms offer the transfer form's autocomplete: a prefix of a
// known name suggests it, → fills the name and its IBAN.
func TestOrderFormsAutocomplete(t *testing.T) {
	for name, build := range orderForms() {
		h := newHarness(t, build)
		h.typ("kar")
		if v := h.view(); !strings.Contains(v, "press → for Karl Brenner · DE89 …3000") {
			t.Errorf("%s: no suggestion:\n%s", name, v)
		}
		h.press("right")
		fs := h.flow.Form().Fields
		if fs[SORecipient].Value() != "Karl Brenner" || fs[SOIBAN].Value() != "DE89 3704 0044 0532 0130 00" || h.flow.Form().Focused() != SORecipient {
			t.Errorf("%s: → gave %q / %q, cursor in %d", name, fs[SORecipient].Value(), fs[SOIBAN].Value(), h.flow.Form().Focused())
		}
		if TORecipient != SORecipient || TOIBAN != SOIBAN {
			t.Fatal("the forms' first fields differ: this test needs its own indexes")
		}
	}
}

// The order forms refuse the paying account's IBAN, name a refused
// character and count the note from 120 characters on, like the transfer form.
func TestOrderFormsGuards(t *testing.T) {
	for name, build := range orderForms() {
		h := newHarness(t, build)
		h.fillIn("Me", "DE06 1101 0100 1000 0044 44", "10", "Miete 500 €")
		v := h.view()
		for _, want := range []string{"✗ that is the IBAN of the account you are sending from", `✗ "€" is not allowed in a SEPA note`} {
			if !strings.Contains(v, want) {
				t.Errorf("%s: %q not shown:\n%s", name, want, v)
			}
		}
		h.press("ctrl+u")
		h.typ(strings.Repeat("x", 120))
		if v := h.view(); !strings.Contains(v, "120/140 characters") {
			t.Errorf("%s: no counter at 120:\n%s", name, v)
		}
		h.press("ctrl+s")
		if h.flow.Step() != form.Editing || h.pay.Count("") != 0 {
			t.Errorf("%s: a payment to its own account went on: step %v, calls %v", name, h.flow.Step(), h.pay.Calls)
		}
	}
}

// An order's note and end-to-end id as the bank keeps them may hold what
// the form would refuse (another app set them up): left as they are, they do
// not stop a change of the amount, and are not sent; edited, they are checked.
func TestStandingOrderEditKeepsTheBanksText(t *testing.T) {
	o := activeOrder()
	o.Description, o.E2EID = api.Ptr("Miete 500 € – Büro"), api.Ptr("ref//1")
	h := editHarness(t, o)
	if strings.Contains(h.view(), "✗") {
		t.Errorf("the order's own text is scolded:\n%s", h.view())
	}
	h.press("ctrl+u")
	h.typ("5")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewed:\n%s", h.view())
	}
	h.press("enter")
	if b, _ := json.Marshal(h.pay.Updates); string(b) != `[{"amount":500}]` {
		t.Errorf("PATCH bodies %s", b)
	}

	h = editHarness(t, o)
	h.press("tab") // the cursor is at the end of the note
	h.typ("!")
	if v := h.view(); !strings.Contains(v, `✗ "€" is not allowed in a SEPA note`) {
		t.Errorf("an edited note is not checked:\n%s", v)
	}
	h.press("ctrl+s")
	if h.flow.Step() != form.Editing {
		t.Error("an edited note with a refused character was reviewed")
	}
	if h.flow.Form().Fields[EditNote].Value() != "Miete 500 € – Büro!" {
		t.Errorf("note %q", h.flow.Form().Fields[EditNote].Value())
	}
}
