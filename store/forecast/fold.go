package forecast

import "konto/store/textfold"

// The counterparty of a booking is compared folded (store/textfold): lower
// case, no accents, every run of white space one space, none at either end,
// so that "Müller GmbH", "MULLER  GMBH" and "muller gmbh" are one
// counterparty, as in the filter line.

// fold folds s (see above).
func fold(s string) string { return textfold.Fold(s) }

// folder remembers folded names and normalised IBANs: a history repeats a few
// hundred counterparties over a hundred thousand bookings. Each folded
// counterparty gets a number (party), so grouping needs one map lookup per
// booking.
type folder struct {
	text    textfold.Folder
	names   map[string]string // raw → folded
	ibans   map[string]string // raw → normalised
	partyOf map[string]int32  // raw → party, -1 for a name that folds to nothing
	folded  map[string]int32  // folded → party
	parties []string          // party → folded
}

func newFolder() *folder {
	return &folder{names: map[string]string{}, ibans: map[string]string{},
		partyOf: map[string]int32{}, folded: map[string]int32{}}
}

func (f *folder) name(s string) string {
	if out, ok := f.names[s]; ok {
		return out
	}
	out := f.text.Fold(s)
	f.names[s] = out
	return out
}

// party is the number of the counterparty named s, -1 if s folds to nothing.
func (f *folder) party(s string) int32 {
	if p, ok := f.partyOf[s]; ok {
		return p
	}
	p := int32(-1)
	if folded := f.name(s); folded != "" {
		p = f.partyOfFolded(folded)
	}
	f.partyOf[s] = p
	return p
}

func (f *folder) partyOfFolded(folded string) int32 {
	if p, ok := f.folded[folded]; ok {
		return p
	}
	p := int32(len(f.parties))
	f.parties = append(f.parties, folded)
	f.folded[folded] = p
	return p
}

func (f *folder) iban(s string) string {
	if out, ok := f.ibans[s]; ok {
		return out
	}
	out := normIBAN(s)
	f.ibans[s] = out
	return out
}
