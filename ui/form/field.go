package form

import (
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/theme"
	"konto/ui/common"
	"konto/ui/keys"
)

// Field is one labelled input of a form: a text input, or a choice among
// fixed values picked with ←/→ when Choices is set.
type Field struct {
	Label string
	Input textinput.Model
	// Choices makes the field a choice; Choice is the index picked.
	Choices []string
	Choice  int
	// Show spells a choice for people ("EVERY_SIX_MONTHS" → "every six
	// months"); nil shows the values as they are.
	Show func(value string) string
	// Check validates the value as typed (nil accepts anything).
	Check func(value string) error
	// Hint is a muted note beside a valid or unfinished value ("3 of 22
	// characters"); nil for none.
	Hint func(value string) string
	// Regroup rewrites the value as the user types (IBAN grouping); the
	// cursor keeps its place among the letters and digits.
	Regroup func(value string) string
	// Accept is called for → at the end of the input (autocomplete); it
	// reports whether it used the key.
	Accept func() bool
	// Partial reports a value that is not valid yet but may become so as
	// typing goes on ("DE15 1000", "01.12.20", "12,"). While the cursor is
	// in the field its error waits and the hint shows instead, so nobody is
	// scolded halfway through an IBAN; leaving the field or submitting shows
	// it. Nil: every error shows as typed.
	Partial func(value string) bool

	err     error
	touched bool // the user typed here or tried to submit: errors show
	forced  bool // a submit was refused: the error shows even while typing
}

// NewField returns a text field; charLimit 0 means no limit.
func NewField(label, placeholder string, charLimit int, check func(string) error) *Field {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = charLimit
	// Tab and ↑/↓ move between fields; the form accepts suggestions itself.
	in.KeyMap.AcceptSuggestion.SetEnabled(false)
	in.KeyMap.NextSuggestion.SetEnabled(false)
	in.KeyMap.PrevSuggestion.SetEnabled(false)
	// A steady cursor: no redraw twice a second, which an SSH user pays for.
	styles := in.Styles()
	styles.Cursor.Blink = false
	in.SetStyles(styles)
	return &Field{Label: label, Input: in, Check: check}
}

// NewChoice returns a field choosing among values (shown as given).
func NewChoice(label string, values []string, picked int) *Field {
	f := NewField(label, "", 0, nil)
	f.Choices, f.Choice = values, picked
	return f
}

// Value is the field's text, or the picked choice.
func (f *Field) Value() string {
	if len(f.Choices) > 0 {
		return f.Choices[f.Choice]
	}
	return f.Input.Value()
}

// SetValue replaces the text (or picks the matching choice) and checks it.
func (f *Field) SetValue(v string) {
	if len(f.Choices) > 0 {
		for i, c := range f.Choices {
			if c == v {
				f.Choice = i
			}
		}
		return
	}
	if f.Regroup != nil {
		v = f.Regroup(v)
	}
	f.Input.SetValue(v)
	f.Input.CursorEnd()
	f.validate()
	f.touched = f.touched || v != ""
}

// Err is the field's current error (nil when valid).
func (f *Field) Err() error { return f.err }

// Shown reports whether the field's error is shown (it has been touched).
func (f *Field) Shown() bool { return f.touched && f.err != nil }

// shownWhile reports whether the error shows while the field has (focused)
// or lacks the cursor: an unfinished value waits while it is being typed.
func (f *Field) shownWhile(focused bool) bool {
	if !f.Shown() {
		return false
	}
	return !focused || f.forced || f.Partial == nil || !f.Partial(f.Value())
}

func (f *Field) validate() {
	f.err = nil
	if f.Check != nil {
		f.err = f.Check(f.Value())
	}
}

// Form is an ordered list of fields with one focused.
type Form struct {
	Fields []*Field
	focus  int
	keys   Keys
	styled *theme.Styles // the theme the inputs were styled with
	// clean holds the values the form started with (pre-filled ones
	// included): esc leaves without asking while nothing differs from them.
	clean []string
	// Text masks the amounts of the form's own words (an error naming the
	// balance) in privacy mode; the flow sets it. Typed values are shown
	// as typed: a payment is never sent from figures its payer cannot see.
	Text func(string) string
}

// text is s through f.Text.
func (f *Form) text(s string) string {
	if f.Text == nil {
		return s
	}
	return f.Text(s)
}

// Keys are a form's bindings (ui/keys, rebindable as form.*).
type Keys = keys.FormKeys

// DefaultKeys returns the built-in form bindings: tab/↓ and shift+tab/↑
// move, enter goes on, ctrl+s reviews, esc cancels. A Flow gives its form
// the session's keys instead (SetKeys).
func DefaultKeys() Keys { return keys.DefaultKeyMap().Form }

// Action is what a key asked the form's owner to do.
type Action int

const (
	None   Action = iota
	Review        // enter on the last field, or ctrl+s
	Cancel        // esc
)

// New returns a form over fields with the first focused.
func New(fields ...*Field) *Form {
	f := &Form{Fields: fields, keys: DefaultKeys()}
	for _, fl := range fields {
		fl.validate()
	}
	f.MarkClean()
	f.Focus(0)
	return f
}

// MarkClean takes the current values as the form's starting point: call it
// after pre-filling, so esc on a form the user has not changed closes it
// without asking "discard what you typed?".
func (f *Form) MarkClean() {
	f.clean = make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		f.clean[i] = strings.TrimSpace(fl.Value())
	}
}

// Keys returns the form's bindings (for help).
func (f *Form) Keys() Keys { return f.keys }

// SetKeys gives the form the session's bindings (the config's [keys]).
func (f *Form) SetKeys(k Keys) { f.keys = k }

// Focused is the index of the focused field.
func (f *Form) Focused() int { return f.focus }

// Focus moves the cursor to field i.
func (f *Form) Focus(i int) tea.Cmd {
	if len(f.Fields) == 0 {
		return nil
	}
	i = max(0, min(i, len(f.Fields)-1))
	for j, fl := range f.Fields {
		if j != i {
			fl.Input.Blur()
		}
	}
	f.focus = i
	return f.Fields[i].Input.Focus()
}

// Dirty reports whether the user changed anything since the form started
// (or since MarkClean).
func (f *Form) Dirty() bool {
	for i, fl := range f.Fields {
		if i >= len(f.clean) || strings.TrimSpace(fl.Value()) != f.clean[i] {
			return true
		}
	}
	return false
}

// Validate checks every field, shows every error, and puts the cursor in the
// first field in error. It reports whether the form is valid.
func (f *Form) Validate() (bool, tea.Cmd) {
	first := -1
	for i, fl := range f.Fields {
		fl.validate()
		fl.touched = true
		fl.forced = fl.err != nil
		if fl.err != nil && first < 0 {
			first = i
		}
	}
	if first >= 0 {
		return false, f.Focus(first)
	}
	return true, nil
}

// Update handles a key (and pastes) for the focused field.
func (f *Form) Update(msg tea.Msg) (Action, tea.Cmd) {
	if len(f.Fields) == 0 {
		return None, nil
	}
	fl := f.Fields[f.focus]
	k, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		switch {
		case key.Matches(k, f.keys.Cancel):
			return Cancel, nil
		case key.Matches(k, f.keys.Review):
			return Review, nil
		case key.Matches(k, f.keys.Enter):
			if f.focus == len(f.Fields)-1 {
				return Review, nil
			}
			return None, f.move(1)
		case key.Matches(k, f.keys.Next):
			return None, f.move(1)
		case key.Matches(k, f.keys.Prev):
			return None, f.move(-1)
		}
		if len(fl.Choices) > 0 {
			switch {
			case key.Matches(k, f.keys.Left):
				fl.Choice = (fl.Choice + len(fl.Choices) - 1) % len(fl.Choices)
			case key.Matches(k, f.keys.Right), k.String() == "space":
				fl.Choice = (fl.Choice + 1) % len(fl.Choices)
			}
			fl.validate()
			return None, nil
		}
		if key.Matches(k, f.keys.Right) && fl.Accept != nil && fl.Input.Position() == len([]rune(fl.Input.Value())) && fl.Accept() {
			return None, nil
		}
	} else if _, paste := msg.(tea.PasteMsg); !paste {
		// Cursor blinks and the like go to the focused input only.
		var cmd tea.Cmd
		fl.Input, cmd = fl.Input.Update(msg)
		return None, cmd
	}
	if len(fl.Choices) > 0 {
		return None, nil
	}
	before := fl.Input.Value()
	var cmd tea.Cmd
	fl.Input, cmd = fl.Input.Update(msg)
	if after := fl.Input.Value(); after != before {
		if fl.Regroup != nil {
			regroup(fl)
		}
		fl.touched = true
		fl.forced = false // typing again: an unfinished value may wait
		fl.validate()
	}
	return None, cmd
}

// regroup applies the field's Regroup and keeps the cursor after the same
// characters: as many as Regroup keeps of the text before it (it may drop
// separators as well as spaces: "DE89-3704").
func regroup(fl *Field) {
	v := []rune(fl.Input.Value())
	pos := min(fl.Input.Position(), len(v))
	significant := 0
	for _, r := range fl.Regroup(string(v[:pos])) {
		if !unicode.IsSpace(r) {
			significant++
		}
	}
	nv := []rune(fl.Regroup(string(v)))
	newPos := 0
	for seen := 0; newPos < len(nv) && seen < significant; newPos++ {
		if !unicode.IsSpace(nv[newPos]) {
			seen++
		}
	}
	fl.Input.SetValue(string(nv))
	fl.Input.SetCursor(newPos)
}

func (f *Form) move(d int) tea.Cmd {
	cur := f.Fields[f.focus]
	if strings.TrimSpace(cur.Value()) != "" {
		cur.touched = true // leaving a field shows its error
	}
	return f.Focus((f.focus + d + len(f.Fields)) % len(f.Fields))
}

// SetWidth gives the inputs their width.
func (f *Form) SetWidth(w int) {
	for _, fl := range f.Fields {
		fl.Input.SetWidth(max(w, 4))
	}
}

// LabelWidth is the width of the label column.
func (f *Form) LabelWidth() int {
	w := 0
	for _, fl := range f.Fields {
		w = max(w, len(fl.Label))
	}
	return w
}

// Lines draws the form: each label on the line of its input, the focused
// one marked, its error (or hint) on the line below the input. width is the
// inner width of the box.
func (f *Form) Lines(st *theme.Styles, width int) []string {
	if f.styled != st {
		f.applyTheme(st)
	}
	lw := f.LabelWidth()
	inputW := max(width-lw-6, 8) // mark, gap, and the cursor cell
	var lines []string
	for i, fl := range f.Fields {
		mark := "  "
		label := st.Label.Render(common.PadRight(fl.Label, lw))
		if i == f.focus {
			mark = st.Accent.Render("▸ ")
			label = st.Accent.Render(common.PadRight(fl.Label, lw))
		}
		var input string
		if len(fl.Choices) > 0 {
			input = choiceView(st, fl, i == f.focus)
		} else {
			fl.Input.SetWidth(inputW)
			// The suggestion's ghost text is drawn past the width: cut it.
			input = ansi.Truncate(fl.Input.View(), inputW+1, "")
		}
		lines = append(lines, mark+label+"  "+input)
		pad := strings.Repeat(" ", lw+4)
		switch {
		case fl.shownWhile(i == f.focus):
			lines = append(lines, errorLines(st, f.text(fl.err.Error()), pad, width)...)
		case fl.Hint != nil && fl.Hint(fl.Value()) != "":
			lines = append(lines, pad+st.Muted.Render(f.text(fl.Hint(fl.Value()))))
		default:
			lines = append(lines, "")
		}
	}
	return lines
}

// maxErrorLines is how many lines a field's error may take: enough for a
// refused character and the list of the allowed ones at 80 columns.
const maxErrorLines = 2

// errorLines draws a field's error below its input, wrapped onto a second
// line when it is long (the rest cut).
func errorLines(st *theme.Styles, msg, pad string, width int) []string {
	avail := width - len(pad) - 2 // "✗ "
	wrapped := common.WrapWords(msg, avail)
	if len(wrapped) > maxErrorLines {
		wrapped = append(wrapped[:maxErrorLines-1], strings.Join(wrapped[maxErrorLines-1:], " "))
	}
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		lead := "✗ "
		if i > 0 {
			lead = "  "
		}
		out[i] = pad + st.Error.Render(lead+ansi.Truncate(l, max(avail, 1), "…"))
	}
	return out
}

func choiceView(st *theme.Styles, fl *Field, focused bool) string {
	parts := make([]string, len(fl.Choices))
	for i, c := range fl.Choices {
		if fl.Show != nil {
			c = fl.Show(c)
		}
		if i == fl.Choice {
			if focused {
				parts[i] = st.Selection.Render(" " + c + " ")
			} else {
				parts[i] = st.Accent.Render("[" + c + "]")
			}
		} else {
			parts[i] = st.Muted.Render(" " + c + " ")
		}
	}
	return "‹ " + strings.Join(parts, "") + " ›"
}

// applyTheme styles the inputs with the theme (it changes when the terminal
// reports a light background).
func (f *Form) applyTheme(st *theme.Styles) {
	f.styled = st
	for _, fl := range f.Fields {
		s := fl.Input.Styles()
		s.Focused.Text, s.Blurred.Text = st.Text, st.Text
		s.Focused.Placeholder, s.Blurred.Placeholder = st.Muted, st.Muted
		s.Focused.Suggestion, s.Blurred.Suggestion = st.Muted, st.Muted
		s.Cursor.Color = st.Accent.GetForeground()
		s.Cursor.Blink = false
		fl.Input.SetStyles(s)
	}
}
