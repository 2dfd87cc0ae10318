package form

import (
	"strings"

	"konto/api/sepa"
	"konto/store/history"
)

// Counterparty is someone money went to or came from: a name and its IBAN.
type Counterparty struct{ Name, IBAN string }

// maxCounterparties bounds the autocomplete list on very long histories.
const maxCounterparties = 2000

// Counterparties collects the counterparties of a history (newest first, as
// lists are): one per name (the newest IBAN wins), only valid IBANs.
func Counterparties(h *history.History) []Counterparty {
	seen := map[string]bool{}
	var out []Counterparty
	for i := range h.Len() {
		name, iban := strings.TrimSpace(h.Text(i, history.Name)), h.Text(i, history.IBAN)
		if name == "" || iban == "" || seen[strings.ToLower(name)] || sepa.ValidateIBAN(iban) != nil {
			continue
		}
		seen[strings.ToLower(name)] = true
		out = append(out, Counterparty{Name: name, IBAN: sepa.NormalizeIBAN(iban)})
		if len(out) == maxCounterparties {
			break
		}
	}
	return out
}

// Autocomplete makes recipient suggest the names of known counterparties as
// they are typed (case-insensitive prefix); → at the end of the name accepts
// the suggestion and fills iban with its IBAN, and the hint below the name
// says so while the cursor is in it. Counterparties at from, the IBAN of the
// paying account, are left out: the form would refuse them. Every payment
// form (transfer, standing and timed order) uses it.
func Autocomplete(recipient, iban *Field, known []Counterparty, from string) {
	own := sepa.NormalizeIBAN(from)
	byName := map[string]string{}
	names := make([]string, 0, len(known))
	for _, k := range known {
		if _, dup := byName[strings.ToLower(k.Name)]; dup || (own != "" && sepa.NormalizeIBAN(k.IBAN) == own) {
			continue
		}
		byName[strings.ToLower(k.Name)] = k.IBAN
		names = append(names, k.Name)
	}
	recipient.Input.ShowSuggestions = len(names) > 0
	recipient.Input.SetSuggestions(names)
	recipient.Hint = func(s string) string {
		// Only while the cursor is here: → elsewhere does not accept it.
		if sug := recipient.Input.CurrentSuggestion(); recipient.Input.Focused() && sug != "" && s != "" && !strings.EqualFold(sug, s) {
			return "press → for " + sug + " · " + sepa.ShortIBAN(byName[strings.ToLower(sug)])
		}
		return ""
	}
	recipient.Accept = func() bool {
		sug := recipient.Input.CurrentSuggestion()
		if sug == "" || recipient.Input.Value() == "" {
			return false
		}
		recipient.SetValue(sug)
		if ib := byName[strings.ToLower(sug)]; ib != "" {
			iban.SetValue(ib)
		}
		return true
	}
}
