package form

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api/sepa"
	"konto/api/sepa/sepatest"
	"konto/ui/uitest"
)

// The forms accept and refuse exactly the texts the bank does: the shared
// table of api/sepa/sepatest, which api/sandbox runs too.
func TestPaymentTextSharedTable(t *testing.T) {
	checks := map[sepa.TextField]func(string) error{
		sepa.FieldRecipient: Recipient, sepa.FieldNote: Note, sepa.FieldE2EID: E2EID,
	}
	for _, tc := range sepatest.TextCases() {
		err := checks[tc.Field](tc.In)
		switch {
		case tc.Refused == "" && err != nil:
			t.Errorf("%s %q: %v, want accepted", tc.Field.Name(), tc.In, err)
		case tc.Refused != "" && (err == nil || !strings.Contains(err.Error(), tc.Refused)):
			t.Errorf("%s %q: %v, want refused naming %s", tc.Field.Name(), tc.In, err, tc.Refused)
		case err != nil && err.Error() != tc.Field.Validate(tc.In).Error():
			// The same sentence as the bank's (api/sandbox answers with it).
			t.Errorf("%s %q: %q, want api/sepa's %q", tc.Field.Name(), tc.In, err, tc.Field.Validate(tc.In))
		}
	}
}

// A character the note may not hold is named as it is typed, the text stays
// as typed, and the long message wraps onto a second line instead of being
// cut where the character list starts.
func TestRefusedCharacterNamedAsTyped(t *testing.T) {
	st := uitest.Common(nil, 120, 40).Styles
	note := NewField("Note", "", sepa.MaxNoteLen+20, Note)
	f := New(NewField("Name", "", 0, Recipient), note)
	press(f, "tab")
	typeInto(f, "Miete 500 €")
	if note.Value() != "Miete 500 €" {
		t.Errorf("the note became %q", note.Value())
	}
	lines := f.Lines(st, 78)
	view := ansi.Strip(strings.Join(lines, "\n"))
	for _, want := range []string{`✗ "€" is not allowed in a SEPA note`, "& * $ %)"} {
		if !strings.Contains(view, want) {
			t.Errorf("the view lacks %q:\n%s", want, view)
		}
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 78 {
			t.Errorf("a line of %d cells in a width of 78: %q", w, ansi.Strip(l))
		}
	}
	press(f, "backspace")
	if note.Err() != nil || strings.Contains(ansi.Strip(strings.Join(f.Lines(st, 78), "\n")), "✗") {
		t.Errorf("deleting the € left an error: %v", note.Err())
	}
}

func TestRecipientIBANRefusesTheAccountItself(t *testing.T) {
	check := RecipientIBAN("DE89370400440532013000")
	for _, s := range []string{"DE89370400440532013000", "de89 3704 0044 0532 0130 00", "DE89-3704-0044-0532-0130-00"} {
		if err := check(s); err == nil || err.Error() != "that is the IBAN of the account you are sending from" {
			t.Errorf("sending to %q: %v", s, err)
		}
	}
	if err := check("GB82WEST12345698765432"); err != nil {
		t.Errorf("another IBAN: %v", err)
	}
	if err := check("DE89370400440532013001"); err == nil || !strings.Contains(err.Error(), "check digits") {
		t.Errorf("a bad IBAN: %v", err)
	}
	if err := check(""); err == nil || err.Error() != "enter the recipient's IBAN" {
		t.Errorf("empty: %v", err)
	}
	// The bank's own IBANs are not validated: the doc's fail mod-97, and
	// sending to one from itself is still refused for the right reason.
	if err := RecipientIBAN("DE06110101001000004444")("DE06 1101 0100 1000 0044 44"); err == nil || !strings.Contains(err.Error(), "sending from") {
		t.Errorf("the doc's IBAN from itself: %v", err)
	}
}

// Pasted or typed, an IBAN with "-", "." or "/" between its groups (or tabs
// and line breaks from a paste) is grouped like one typed with spaces, and
// the cursor stays after the same characters.
func TestIBANSeparatorsCleaned(t *testing.T) {
	for _, in := range []string{
		"DE89-3704-0044-0532-0130-00", "DE89.3704.0044.0532.0130.00", "DE89/3704/0044/0532/0130/00",
		"DE89\t3704\n0044\r\n0532 0130 00", "de89 - 3704 - 0044 - 0532 - 0130 - 00",
	} {
		for _, paste := range []bool{false, true} {
			f := testForm()
			press(f, "tab")
			if paste {
				f.Update(tea.PasteMsg{Content: in})
			} else {
				typeInto(f, in)
			}
			fl := f.Fields[1]
			if got := fl.Value(); got != "DE89 3704 0044 0532 0130 00" || fl.Err() != nil {
				t.Errorf("%q (paste %v) became %q, %v", in, paste, got, fl.Err())
			}
			if pos := fl.Input.Position(); pos != len("DE89 3704 0044 0532 0130 00") {
				t.Errorf("%q (paste %v): cursor at %d, want the end", in, paste, pos)
			}
		}
	}
	// A dash typed in the middle: the next digit lands where the cursor was.
	f := testForm()
	press(f, "tab")
	typeInto(f, "DE8937040044")
	press(f, "left", "left", "left", "left") // before "0044"
	typeInto(f, "-9")
	if got := f.Fields[1].Value(); got != "DE89 3704 9004 4" {
		t.Fatalf("after a dash and a digit the IBAN is %q", got)
	}
	typeInto(f, "1")
	if got := f.Fields[1].Value(); got != "DE89 3704 9100 44" {
		t.Errorf("the dash moved the cursor: the next digit made %q", got)
	}
}

func TestNoteCounter(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, ""}, {119, ""}, {120, "120/140 characters"}, {121, "121/140 characters"}, {140, "140/140 characters"},
	} {
		if got := NoteCounter(strings.Repeat("ä", c.n)); got != c.want {
			t.Errorf("NoteCounter(%d characters) = %q, want %q", c.n, got, c.want)
		}
	}
	// Drawn: the counter from 120 on, the error (not the counter) past 140.
	st := uitest.Common(nil, 120, 40).Styles
	note := NewField("Note", "", sepa.MaxNoteLen+20, Note)
	note.Hint = NoteCounter
	f := New(note)
	typeInto(f, strings.Repeat("x", 119))
	view := func() string { return ansi.Strip(strings.Join(f.Lines(st, 78), "\n")) }
	if strings.Contains(view(), "/140") {
		t.Errorf("counter at 119:\n%s", view())
	}
	typeInto(f, "x")
	if !strings.Contains(view(), "120/140 characters") {
		t.Errorf("no counter at 120:\n%s", view())
	}
	typeInto(f, strings.Repeat("x", 20))
	if !strings.Contains(view(), "140/140 characters") {
		t.Errorf("no counter at 140:\n%s", view())
	}
	typeInto(f, "x")
	if v := view(); !strings.Contains(v, "✗ note too long: 141 of at most 140 characters") || strings.Contains(v, "141/140") {
		t.Errorf("past the limit:\n%s", v)
	}
}
