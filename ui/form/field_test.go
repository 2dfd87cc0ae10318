package form

import (
	"strings"
	"testing"

	"konto/api/sepa"
	"konto/ui/uitest"
)

func testForm() *Form {
	name := NewField("Name", "", 0, Recipient)
	iban := NewField("IBAN", "", 42, IBAN)
	iban.Regroup = sepa.FormatIBAN
	every := NewChoice("Every", []string{"MONTHLY", "QUARTERLY", "ANNUALLY"}, 0)
	note := NewField("Note", "", 0, Note)
	return New(name, iban, every, note)
}

func typeInto(f *Form, s string) {
	for _, m := range uitest.Type(s) {
		f.Update(m)
	}
}

func press(f *Form, keys ...string) Action {
	var act Action
	for _, k := range keys {
		act, _ = f.Update(uitest.Key(k))
	}
	return act
}

func TestNavigation(t *testing.T) {
	f := testForm()
	if f.Focused() != 0 {
		t.Fatalf("cursor starts in field %d, want 0", f.Focused())
	}
	steps := []struct {
		key  string
		want int
	}{
		{"tab", 1}, {"down", 2}, {"tab", 3}, {"tab", 0}, {"shift+tab", 3}, {"up", 2}, {"enter", 3},
	}
	for _, s := range steps {
		if act := press(f, s.key); act != None {
			t.Errorf("%s: action %v", s.key, act)
		}
		if f.Focused() != s.want {
			t.Fatalf("after %s the cursor is in field %d, want %d", s.key, f.Focused(), s.want)
		}
	}
	if act := press(f, "enter"); act != Review {
		t.Errorf("enter on the last field: action %v, want Review", act)
	}
	press(f, "tab")
	if act := press(f, "ctrl+s"); act != Review || f.Focused() != 0 {
		t.Errorf("ctrl+s: action %v in field %d, want Review without moving", act, f.Focused())
	}
	if act := press(f, "esc"); act != Cancel {
		t.Errorf("esc: action %v, want Cancel", act)
	}
}

func TestTypingGoesToTheFocusedFieldOnly(t *testing.T) {
	f := testForm()
	typeInto(f, "Karl")
	press(f, "tab")
	typeInto(f, "de89")
	if f.Fields[0].Value() != "Karl" || f.Fields[1].Value() != "DE89" {
		t.Errorf("values %q, %q", f.Fields[0].Value(), f.Fields[1].Value())
	}
	if !f.Dirty() {
		t.Error("a form with text is not dirty")
	}
	if testForm().Dirty() {
		t.Error("an empty form is dirty")
	}
}

func TestIBANGroupedAsTyped(t *testing.T) {
	f := testForm()
	press(f, "tab")
	typeInto(f, "de89370400440532013000")
	fl := f.Fields[1]
	if got := fl.Value(); got != "DE89 3704 0044 0532 0130 00" {
		t.Fatalf("IBAN shown as %q", got)
	}
	if fl.Err() != nil {
		t.Errorf("valid IBAN has error %v", fl.Err())
	}
	// Insert in the middle: the cursor stays after the same characters.
	f2 := testForm()
	press(f2, "tab")
	typeInto(f2, "DE8937040044")
	press(f2, "left", "left", "left", "left") // before "0044"
	typeInto(f2, "9")
	if got := f2.Fields[1].Value(); got != "DE89 3704 9004 4" {
		t.Fatalf("after an insert the IBAN is %q", got)
	}
	typeInto(f2, "1")
	if got := f2.Fields[1].Value(); got != "DE89 3704 9100 44" {
		t.Errorf("the cursor moved: the next digit made %q", got)
	}
}

func TestErrorsShowAsTypedAndOnSubmit(t *testing.T) {
	f := testForm()
	if f.Fields[0].Shown() {
		t.Error("an untouched empty field shows an error")
	}
	press(f, "tab")
	typeInto(f, "DE89370400440532013001")
	if !f.Fields[1].Shown() || !strings.Contains(f.Fields[1].Err().Error(), "check digits do not match") {
		t.Errorf("typed bad IBAN: shown %v err %v", f.Fields[1].Shown(), f.Fields[1].Err())
	}
	lines := strings.Join(f.Lines(uitest.Common(nil, 120, 40).Styles, 80), "\n")
	if !strings.Contains(lines, "invalid IBAN: check digits do not match") {
		t.Errorf("the error is not drawn next to the field:\n%s", lines)
	}
	press(f, "tab", "tab")
	typeInto(f, "ok")
	ok, _ := f.Validate()
	if ok {
		t.Fatal("a form with an empty recipient and a bad IBAN validated")
	}
	if f.Focused() != 0 {
		t.Errorf("refused submit put the cursor in field %d, want the first in error (0)", f.Focused())
	}
	if f.Fields[1].Value() != "DE89 3704 0044 0532 0130 01" || f.Fields[3].Value() != "ok" {
		t.Error("a refused submit lost typed text")
	}
	typeInto(f, "Karl")
	ok, _ = f.Validate()
	if ok || f.Focused() != 1 {
		t.Errorf("after fixing the name: ok %v, cursor in %d; want the IBAN field", ok, f.Focused())
	}
}

func TestChoice(t *testing.T) {
	f := testForm()
	press(f, "tab", "tab")
	press(f, "right")
	if f.Fields[2].Value() != "QUARTERLY" {
		t.Errorf("→ picked %q", f.Fields[2].Value())
	}
	press(f, "left", "left")
	if f.Fields[2].Value() != "ANNUALLY" {
		t.Errorf("← ← picked %q, want wrap to ANNUALLY", f.Fields[2].Value())
	}
	typeInto(f, "xyz")
	if f.Fields[2].Value() != "ANNUALLY" {
		t.Error("typing changed a choice")
	}
}

func TestLabelOnTheLineOfItsInput(t *testing.T) {
	f := testForm()
	typeInto(f, "Karl Brenner")
	lines := f.Lines(uitest.Common(nil, 120, 40).Styles, 80)
	found := false
	for _, l := range lines {
		if strings.Contains(l, "Name") && strings.Contains(l, "Karl Brenner") {
			found = true
		}
	}
	if !found {
		t.Errorf("label and input not on one line:\n%s", strings.Join(lines, "\n"))
	}
}

// An IBAN halfway typed is not scolded while the cursor is in it: the
// progress hint shows; leaving the field or a refused submit shows the
// error; a wrong checksum or a too-long IBAN shows at once.
func TestUnfinishedValueWaitsWhileTyped(t *testing.T) {
	st := uitest.Common(nil, 120, 40).Styles
	name := NewField("Name", "", 0, Recipient)
	iban := NewField("IBAN", "", 42, IBAN)
	iban.Regroup, iban.Hint, iban.Partial = sepa.FormatIBAN, IBANProgress, IBANPartial
	f := New(name, iban)
	view := func() string { return strings.Join(f.Lines(st, 80), "\n") }
	press(f, "tab")
	typeInto(f, "DE15 1000")
	if v := view(); strings.Contains(v, "✗") || !strings.Contains(v, "8 of 22 characters") {
		t.Errorf("an unfinished IBAN was scolded while typed:\n%s", v)
	}
	press(f, "shift+tab")
	if v := view(); !strings.Contains(v, "✗ invalid IBAN: DE IBANs have 22 characters, this has 8") {
		t.Errorf("leaving an unfinished IBAN did not show its error:\n%s", v)
	}
	press(f, "tab")
	typeInto(f, "0000001000123")
	if v := view(); strings.Contains(v, "✗ invalid IBAN") {
		t.Errorf("error while typing on:\n%s", v)
	}
	typeInto(f, "5") // 22 characters, wrong checksum: wrong now
	if v := view(); !strings.Contains(v, "✗ invalid IBAN: check digits do not match") {
		t.Errorf("a complete bad IBAN was not flagged as typed:\n%s", v)
	}

	named := NewField("Name", "", 0, Recipient)
	named.SetValue("Karl")
	g := New(named, iban)
	iban.SetValue("DE15 1000")
	press(g, "tab")
	if ok, _ := g.Validate(); ok || g.Focused() != 1 {
		t.Fatalf("a short IBAN passed, cursor in %d", g.Focused())
	}
	if v := strings.Join(g.Lines(st, 80), "\n"); !strings.Contains(v, "✗ invalid IBAN: DE IBANs have 22") {
		t.Errorf("a refused submit did not show the error where the cursor is:\n%s", v)
	}
}

func TestPartials(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"", true}, {"D", true}, {"de15 1000", true}, {"DE1510000000001000123", true},
		{"DE15100000000010001234", false}, {"DE151000000000100012345", false}, // complete, too long
		{"XX15", false}, {"1E", false}, {"DE15_", false},
	} {
		if got := IBANPartial(c.in); got != c.want {
			t.Errorf("IBANPartial(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"1", true}, {"01.", true}, {"01.12", true}, {"01.12.", true}, {"01.12.202", true}, {"2027", true}, {"2027-03", true}, {"2027-03-0", true},
		{"", false}, {"01.12.2026", false}, {"2027-03-01", false}, {"31.02.2027", false}, {"abc", false}, {"01.12.20261", false},
	} {
		if got := DatePartial(c.in); got != c.want {
			t.Errorf("DatePartial(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	for in, want := range map[string]bool{"12,": true, "1.": true, "12,5": false, "abc": false, "": false} {
		if got := AmountPartial(in); got != want {
			t.Errorf("AmountPartial(%q) = %v, want %v", in, got, want)
		}
	}
}

// A form pre-filled and untouched (pay again, an order's edit) closes on
// esc without "discard what you typed?"; any change makes it ask.
func TestDirtyAgainstPrefill(t *testing.T) {
	f := testForm()
	f.Fields[0].SetValue("Karl")
	f.MarkClean()
	if f.Dirty() {
		t.Error("a pre-filled, untouched form is dirty")
	}
	typeInto(f, "a")
	if !f.Dirty() {
		t.Error("typing did not make the form dirty")
	}
	press(f, "backspace")
	if f.Dirty() {
		t.Error("back to the pre-filled value is still dirty")
	}
	press(f, "tab", "tab", "right")
	if !f.Dirty() {
		t.Error("a changed choice is not dirty")
	}
}

func TestChoiceShownInWords(t *testing.T) {
	every := NewChoice("Every", []string{"MONTHLY", "EVERY_SIX_MONTHS"}, 1)
	every.Show = func(v string) string { return strings.ToLower(strings.ReplaceAll(v, "_", " ")) }
	f := New(every)
	v := strings.Join(f.Lines(uitest.Common(nil, 120, 40).Styles, 80), "\n")
	if !strings.Contains(v, "every six months") || strings.Contains(v, "EVERY_SIX_MONTHS") || f.Fields[0].Value() != "EVERY_SIX_MONTHS" {
		t.Errorf("choice view %q, value %q", v, f.Fields[0].Value())
	}
}
