package transfer

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
	"konto/ui/form"
)

// The IBAN of the paying account is refused with a sentence where the user
// is looking, in any spelling, and nothing is sent; the user's other account
// is a normal recipient.
func TestOwnIBANRefused(t *testing.T) {
	for _, own := range []string{"DE06110101001000004444", "de06 1101 0100 1000 0044 44", "DE06-1101-0100-1000-0044-44"} {
		h := newTransfer(t)
		h.fill("Me", own, "10", "")
		if v := h.view(); !strings.Contains(v, "✗ that is the IBAN of the account you are sending from") {
			t.Errorf("%q: no refusal below the IBAN:\n%s", own, v)
		}
		h.press("ctrl+s")
		if h.flow.Step() != form.Editing || h.flow.Form().Focused() != FieldIBAN || h.pay.Count("") != 0 {
			t.Errorf("%q: step %v, cursor in %d, calls %v", own, h.flow.Step(), h.flow.Form().Focused(), h.pay.Calls)
		}
	}
	// From one of the user's accounts to another.
	savings := api.Account{ID: 4712, IBAN: "GB82WEST12345698765432", Balance: 100000}
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return New(c, env, savings, nil) })
	h.fill("Me", "DE89 3704 0044 0532 0130 00", "10", "")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Errorf("to the other account: step %v\n%s", h.flow.Step(), h.view())
	}
}

// A pasted IBAN with dashes lands grouped and valid.
func TestPastedIBANWithDashes(t *testing.T) {
	h := newTransfer(t)
	h.typ("Karl Brenner")
	h.press("tab")
	h.send(tea.PasteMsg{Content: "DE89-3704-0044-0532-0130-00\n"})
	if got := h.value(FieldIBAN); got != "DE89 3704 0044 0532 0130 00" {
		t.Errorf("pasted IBAN shown as %q", got)
	}
	h.press("tab")
	h.typ("12")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewed:\n%s", h.view())
	}
	h.press("enter")
	if len(h.pay.Transfers) != 1 || h.pay.Transfers[0].IBAN != "DE89370400440532013000" {
		t.Errorf("sent %+v", h.pay.Transfers)
	}
}

// "€" in the note is named as it is typed and the note is kept.
func TestNoteCharacterNamed(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "DE89370400440532013000", "12", "Miete 500 €")
	if v := h.view(); !strings.Contains(v, `✗ "€" is not allowed in a SEPA note`) {
		t.Errorf("no refusal below the note:\n%s", v)
	}
	h.press("ctrl+s")
	if h.flow.Step() != form.Editing || h.flow.Form().Focused() != FieldNote || h.value(FieldNote) != "Miete 500 €" {
		t.Errorf("step %v, cursor in %d, note %q", h.flow.Step(), h.flow.Form().Focused(), h.value(FieldNote))
	}
}

// The note's counter shows from 120 of 140 characters.
func TestNoteCounterFrom120(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "DE89370400440532013000", "12", strings.Repeat("x", 119))
	if strings.Contains(h.view(), "/140") {
		t.Errorf("a counter at 119:\n%s", h.view())
	}
	h.typ("x")
	if !strings.Contains(h.view(), "120/140 characters") {
		t.Errorf("no counter at 120:\n%s", h.view())
	}
	h.typ(strings.Repeat("x", sepa.MaxNoteLen-120))
	if !strings.Contains(h.view(), "140/140 characters") {
		t.Errorf("no counter at 140:\n%s", h.view())
	}
	h.typ("x")
	if v := h.view(); !strings.Contains(v, "note too long: 141 of at most 140 characters") {
		t.Errorf("no error past the limit:\n%s", v)
	}
}
