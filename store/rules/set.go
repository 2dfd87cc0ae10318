package rules

import (
	"slices"

	"konto/api"
	"konto/api/sepa"
	"konto/store/textfold"
)

// Label is what a user gave one booking by hand, kept in the offline cache
// by the booking's bank id. Its category wins over every rule's.
type Label struct {
	Category string   `json:"category,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Note     string   `json:"note,omitempty"`
	Marked   bool     `json:"marked,omitempty"`
}

// IsZero reports a label that says nothing (it need not be kept).
func (l Label) IsZero() bool {
	return l.Category == "" && len(l.Tags) == 0 && l.Note == "" && !l.Marked
}

// Result is what konto knows of a booking beyond the bank's fields: the
// first matching rule's category, payee and tags, and the user's label on
// top (the label's category replaces the rule's; tags are both, the rule's
// first).
type Result struct {
	Category string   `json:"category,omitempty"`
	Payee    string   `json:"payee,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Note     string   `json:"note,omitempty"`
	// Rule is the index of the rule that matched in the Set (Set.Rule
	// names it), -1 for none. (Before the two flags, which then share a
	// word: a Result is kept for every booking of the history.)
	Rule   int  `json:"-"`
	Marked bool `json:"marked,omitempty"`
	// Manual reports that the category was set by hand.
	Manual bool `json:"-"`
}

// Set is the rules in force for a profile, in order: the profile's own,
// the file's top-level ones, then the built-in defaults. It is safe for
// concurrent use.
type Set struct {
	matchers []*Matcher
	// What the rules look at, so ApplyAll prepares only that.
	needIBAN, needKinds bool
}

// New compiles rules (followed by the defaults when withDefaults). The
// first problem is returned as a *FieldError naming the key; the config
// parser validates each rule before, with the file and line.
func New(rules []Rule, withDefaults bool) (*Set, error) {
	all := slices.Clone(rules)
	if withDefaults {
		all = append(all, Defaults()...)
	}
	s := &Set{}
	for _, r := range all {
		m, err := Compile(r)
		if err != nil {
			return nil, err
		}
		s.matchers = append(s.matchers, m)
		s.needIBAN = s.needIBAN || m.iban != ""
		s.needKinds = s.needKinds || m.kind != ""
	}
	return s, nil
}

// Len is the number of rules, defaults included.
func (s *Set) Len() int { return len(s.matchers) }

// Rule returns rule i, as Result.Rule names it.
func (s *Set) Rule(i int) Rule { return s.matchers[i].rule }

// Apply categorises one booking; manual is the user's label for it (zero
// if none).
func (s *Set) Apply(tx *api.Transaction, manual Label) Result {
	b := booking{tx: tx, name: textfold.Fold(api.Str(tx.Name))}
	if s.needIBAN {
		b.iban = sepa.NormalizeIBAN(api.Str(tx.IBAN))
	}
	if s.needKinds {
		b.kinds = kinds(tx)
	}
	raw := api.Str(tx.Name)
	nameOK := make([]bool, len(s.matchers))
	for i, m := range s.matchers {
		nameOK[i] = m.matchName(raw, b.name)
	}
	return s.result(&b, manual, nameOK)
}

// result finds the first rule that matches b; nameOK[i] says whether rule
// i's name conditions hold.
func (s *Set) result(b *booking, manual Label, nameOK []bool) Result {
	return s.combine(s.match(b, nameOK), manual)
}

// match is the index of the first rule that matches b, -1 for none.
func (s *Set) match(b *booking, nameOK []bool) int {
	nameOK = nameOK[:len(s.matchers)]
	for i, m := range s.matchers {
		if nameOK[i] && m.matchRest(b) {
			return i
		}
	}
	return -1
}

// combine is the result of rule (-1: none) with the user's label on top.
func (s *Set) combine(rule int, manual Label) Result {
	res := Result{Rule: -1}
	if rule >= 0 {
		m := s.matchers[rule]
		res = Result{Category: m.rule.Category, Payee: m.rule.Payee, Tags: m.tags, Rule: rule}
	}
	if manual.Category != "" {
		res.Category, res.Manual = manual.Category, true
	}
	if len(manual.Tags) > 0 {
		tags := slices.Clip(res.Tags)
		for _, t := range manual.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
		res.Tags = tags
	}
	res.Note, res.Marked = manual.Note, manual.Marked
	return res
}

// ApplyAll categorises a whole history: out[i] is txs[i]'s result, labels
// the user's labels by bank id (nil: none). Names, IBANs and types are
// folded once per distinct value; Result.Tags may share memory between
// bookings (do not modify them).
func (s *Set) ApplyAll(txs []api.Transaction, labels map[int64]Label) []Result {
	out := make([]Result, len(txs))
	s.matchAll(txs, func(k, rule int) {
		out[k] = s.combine(rule, labels[txs[k].ID])
	})
	return out
}

// ApplyAllCompact is ApplyAll keeping each distinct result once: the
// result of txs[i] (newest first, as ApplyAll takes them) is at position
// len(txs)-1-i of the Results, which keep them from the oldest so that
// newer bookings append. It has room for a few newer ones.
func (s *Set) ApplyAllCompact(txs []api.Transaction, labels map[int64]Label) *Results {
	c := s.newCompacting(len(txs))
	c.add(txs, labels)
	return c.out
}

// compacting is ApplyAllCompact under way: the results so far, and the
// result of a booking without a label by its rule, which most bookings
// take, needing neither a key nor a map: id+1 by rule+1, 0 until met.
type compacting struct {
	s     *Set
	out   *Results
	plain []uint32
}

func (s *Set) newCompacting(n int) *compacting {
	return &compacting{s: s, out: &Results{ids: make([]uint32, 0, n+n/16+64)}, plain: make([]uint32, len(s.matchers)+1)}
}

// add appends the results of txs (newest first; all newer than what was
// added before, as the Results keep them from the oldest).
func (c *compacting) add(txs []api.Transaction, labels map[int64]Label) {
	c.s.matchAll(txs, func(k, rule int) {
		if l := labels[txs[k].ID]; !l.IsZero() {
			c.out.Append(c.s.combine(rule, l))
			return
		}
		if c.plain[rule+1] == 0 {
			c.plain[rule+1] = c.out.intern(c.s.combine(rule, Label{})) + 1
		}
		c.out.ids = append(c.out.ids, c.plain[rule+1]-1)
	})
}

// matchAll calls found for every booking of txs, from the oldest, with
// the index of the first rule matching txs[k] (-1 for none). Names, IBANs
// and types are folded once per distinct value.
func (s *Set) matchAll(txs []api.Transaction, found func(k, rule int)) {
	n := len(s.matchers)
	// Per distinct name, each rule's verdict on it: nameOK[id*n+i].
	nameID := map[string]int{}
	var nameOK []bool
	var folded []string
	ibans := map[string]string{}
	kindsOf := map[[2]string]string{}
	var f textfold.Folder
	for k := len(txs) - 1; k >= 0; k-- {
		tx := &txs[k]
		raw := api.Str(tx.Name)
		id, ok := nameID[raw]
		if !ok {
			id = len(folded)
			nameID[raw] = id
			name := f.Fold(raw)
			folded = append(folded, name)
			for _, m := range s.matchers {
				nameOK = append(nameOK, m.matchName(raw, name))
			}
		}
		b := booking{tx: tx, name: folded[id], folder: &f}
		if s.needIBAN {
			raw := api.Str(tx.IBAN)
			if b.iban, ok = ibans[raw]; !ok {
				b.iban = sepa.NormalizeIBAN(raw)
				ibans[raw] = b.iban
			}
		}
		if s.needKinds {
			key := [2]string{api.Str(tx.BookingType), api.Str(tx.PaymentMethod)}
			if b.kinds, ok = kindsOf[key]; !ok {
				b.kinds = kinds(tx)
				kindsOf[key] = b.kinds
			}
		}
		found(k, s.match(&b, nameOK[id*n:(id+1)*n]))
	}
}

// Count is how many of txs the matcher matches: "apply to 14 similar
// bookings".
func (m *Matcher) Count(txs []api.Transaction) int {
	s := &Set{matchers: []*Matcher{m}, needIBAN: true, needKinds: true}
	n := 0
	s.matchAll(txs, func(_, rule int) {
		if rule == 0 {
			n++
		}
	})
	return n
}

func yes() *bool { t := true; return &t }

// Defaults are the rules every freelancer in Germany needs, after the
// user's: the tax office, health insurance, rent, card payments abroad.
// A user's rule matching the same bookings comes first and wins;
// default_rules = false in the config leaves them out.
func Defaults() []Rule {
	return []Rule{
		{Counterparty: "Finanzamt", Category: "taxes", Tags: []string{"tax"}, Source: "built-in"},
		{Counterparty: "Bundeskasse", Category: "taxes", Tags: []string{"tax"}, Source: "built-in"},
		{CounterpartyRegex: `krankenkasse|krankenversicherung|gesundheitskasse|\b(aok|barmer|dak|hkk|ikk|bkk|kkh)\b|techniker|debeka|signal iduna`,
			Direction: "out", Category: "insurance:health", Source: "built-in"},
		{Purpose: "miete", Direction: "out", Category: "rent", Source: "built-in"}, // Miete, Kaltmiete, not Mietwagen
		{Purpose: "mietzahlung", Direction: "out", Category: "rent", Source: "built-in"},
		{Type: "card", Foreign: yes(), Direction: "out", Category: "abroad", Tags: []string{"foreign"}, Source: "built-in"},
		// Card payments in euros abroad: the card network ends the name with
		// the country ("Hotel Alpenblick; Innsbruck; AT").
		{Type: "card", CounterpartyRegex: `[;,]\s*(at|be|bg|ch|cy|cz|dk|ee|es|fi|fr|gb|gr|hr|hu|ie|is|it|li|lt|lu|lv|mc|mt|nl|no|pl|pt|ro|se|si|sk|sm|us|va)\s*$`,
			Direction: "out", Category: "abroad", Source: "built-in"},
	}
}

// Categories lists every category known, sorted, each once: the rules'
// (defaults included) and those of labels, for completing a category as
// it is typed.
func (s *Set) Categories(labels map[int64]Label) []string {
	var out []string
	for _, m := range s.matchers {
		if m.rule.Category != "" {
			out = append(out, m.rule.Category)
		}
	}
	for _, l := range labels {
		if l.Category != "" {
			out = append(out, l.Category)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
