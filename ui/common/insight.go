package common

import (
	"maps"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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
	var b strings.Builder
	for i, r := range grouped {
		switch {
		case r == ' ':
			b.WriteRune(r)
		case i < 2 && r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			b.WriteRune('•')
		}
	}
	return b.String()
}

// ShortIBAN is sepa.ShortIBAN, or in privacy mode its country and dots.
func (c *Common) ShortIBAN(iban string) string {
	short := sepa.ShortIBAN(iban)
	if !c.Privacy || short == "" {
		return short
	}
	var b strings.Builder
	for i, r := range short {
		if i < 2 && r >= 'A' && r <= 'Z' || r == ' ' || r == '…' {
			b.WriteRune(r)
		} else {
			b.WriteRune('•')
		}
	}
	return b.String()
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
