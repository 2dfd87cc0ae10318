package common

import (
	"maps"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"regexp"
	"strings"
	"sync"

	"konto/api"
	"konto/api/sepa"
	"konto/store/rules"
)

// LabelStore keeps what the user gave bookings by hand (a category, tags,
// a note, a mark), by the booking's bank id: the offline cache
// (store.Cache, through the session's offline.Mirror) or, without one, memory.
type LabelStore interface {
	LoadLabels() (map[int64]rules.Label, error)
	UpdateLabel(id int64, fn func(rules.Label) rules.Label) (rules.Label, error)
}

// MemoryLabels is a LabelStore for a run without an offline cache: the
// labels last until konto quits.
type MemoryLabels struct {
	mu     sync.Mutex
	labels map[int64]rules.Label
}

// LoadLabels returns a copy of every label.
func (s *MemoryLabels) LoadLabels() (map[int64]rules.Label, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.labels), nil
}

// UpdateLabel replaces id's label by what fn makes of it.
func (s *MemoryLabels) UpdateLabel(id int64, fn func(rules.Label) rules.Label) (rules.Label, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.labels == nil {
		s.labels = map[int64]rules.Label{}
	}
	cur := s.labels[id]
	cur.Tags = append([]string(nil), cur.Tags...)
	out := fn(cur)
	if out.IsZero() {
		delete(s.labels, id)
	} else {
		s.labels[id] = out
	}
	return out, nil
}

// RuleWriter adds a rule to the config file and returns the rules in
// force with it ("apply to 14 similar bookings and future ones"), and
// where it was written ("~/.config/konto/config.toml:42").
type RuleWriter func(r rules.Rule) (set *rules.Set, where string, err error)

// RuleSet is the rules in force: c.Rules, or the built-in defaults.
func (c *Common) RuleSet() *rules.Set {
	if c.Rules != nil {
		return c.Rules
	}
	set, _ := rules.New(nil, true) // the defaults always compile (tested in store/rules)
	c.Rules = set
	return set
}

// LabelStore is where labels are kept: c.Labels, else memory for this run.
func (c *Common) LabelStore() LabelStore {
	if c.Labels == nil {
		c.Labels = &MemoryLabels{}
	}
	return c.Labels
}

// Masked is what privacy mode shows for any amount: the shape of money
// without a digit of it.
const Masked = "•••,••"

// Money is Signed, or Masked in privacy mode.
func (c *Common) Money(cents int64) string {
	if c.Privacy {
		return Masked
	}
	return Signed(cents)
}

// Balance is Euro ("47.336,00 €"), or Masked in privacy mode.
func (c *Common) Balance(cents int64) string {
	if c.Privacy {
		return Masked + " €"
	}
	return Euro(cents)
}

// IBAN is iban grouped by four, or in privacy mode its country and the
// rest masked ("DE•• •••• …"), so no digit of it shows.
func (c *Common) IBAN(iban string) string {
	grouped := sepa.FormatIBAN(iban)
	if !c.Privacy || grouped == "" {
		return grouped
	}
	return maskGrouped(grouped)
}

// ShortIBAN is sepa.ShortIBAN, or in privacy mode its country and dots.
func (c *Common) ShortIBAN(iban string) string {
	short := sepa.ShortIBAN(iban)
	if !c.Privacy || short == "" {
		return short
	}
	return maskGrouped(short)
}

// PurposeLine is the package's PurposeLine with a foreign amount masked in
// privacy mode ("card · CHF •••,••").
func (c *Common) PurposeLine(tx *api.Transaction) string {
	if c.Privacy && IsCard(tx) {
		if cur := api.Str(tx.ForeignCurrency); ForeignAmount(tx) != "" {
			return "card · " + cur + " " + Masked
		}
	}
	return PurposeLine(tx)
}

// ForeignAmount is the package's ForeignAmount, masked in privacy mode.
func (c *Common) ForeignAmount(tx *api.Transaction) string {
	fa := ForeignAmount(tx)
	if c.Privacy && fa != "" {
		return api.Str(tx.ForeignCurrency) + " " + Masked
	}
	return fa
}

// LabelTab is a Tab whose selection takes labels and whose list steps by
// period (the bookings): the root lists LabelKeys under their own title
// in the list and in the details, and hands those keys to LabelKey.
type LabelTab interface {
	LabelKeys() []key.Binding
	LabelKey(msg tea.KeyPressMsg) (tea.Cmd, bool)
}

// moneyInText is an amount as konto writes one in a sentence ("1.234,56",
// "−950,00", "+3.200,00"); ibanInText an IBAN grouped by four or not, or
// cut short as ShortIBAN cuts it ("DE89 …3000").
var (
	moneyInText = regexp.MustCompile(`[+−-]?\d{1,3}(?:\.\d{3})*,\d\d`)
	ibanInText  = regexp.MustCompile(`\b[A-Z]{2}\d\d(?:(?: ?[0-9A-Z]{4}){2,8}(?: ?[0-9A-Z]{1,3})?| …[0-9A-Z]{4})\b`)
)

// MaskText masks every amount and IBAN in a sentence konto wrote (a
// notice, an alert, the review's look ahead): what privacy mode does to
// words whose figures were filled in before anyone knew who would look.
func MaskText(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	s = ibanInText.ReplaceAllStringFunc(s, func(iban string) string {
		return maskGrouped(iban)
	})
	return moneyInText.ReplaceAllLiteralString(s, Masked)
}

// Text is s, or in privacy mode s with its amounts and IBANs masked.
func (c *Common) Text(s string) string {
	if c.Privacy {
		return MaskText(s)
	}
	return s
}

// maskGrouped keeps an IBAN's country, spaces and ellipsis and masks the rest.
func maskGrouped(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i < 2 && r >= 'A' && r <= 'Z' || r == ' ' || r == '…' {
			b.WriteRune(r)
		} else {
			b.WriteRune('•')
		}
	}
	return b.String()
}
