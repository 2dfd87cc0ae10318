package transactions

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/history"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/keys"
)

// dialogWidth is the widest the label dialogs draw.
const dialogWidth = 64

// categoryDialog sets a booking's category (c), completing known ones,
// then offers to write a rule giving it to the bookings like it ("apply
// to 14 similar bookings and future ones"), asked y/N as every question
// that writes somewhere the user did not look.
type categoryDialog struct {
	c     *common.Common
	tx    api.Transaction
	txs   *history.History // the list's data, for counting similar bookings
	input textinput.Model
	err   string // why the category typed cannot be used

	// After enter: the label is saved, then the rule proposed and how many
	// other bookings it matches (counting: still on its way).
	saved    string
	counting bool
	rule     rules.Rule
	others   int
	asking   bool

	width, height int
}

// similarMsg carries how many bookings a proposed rule matches.
type similarMsg struct {
	dialog *categoryDialog
	others int
	err    error
}

func newCategoryDialog(c *common.Common, tx api.Transaction, current string, known []string, txs *history.History) *categoryDialog {
	in := textinput.New()
	in.Prompt = "Category: "
	in.Placeholder = "food, rent, insurance:health"
	in.CharLimit = 64
	in.SetValue(labelText(current))
	in.CursorEnd()
	in.ShowSuggestions = len(known) > 0
	in.SetSuggestions(known)
	in.KeyMap.AcceptSuggestion = c.Keys.Form.Right
	in.Focus()
	return &categoryDialog{c: c, tx: tx, txs: txs, input: in}
}

func (d *categoryDialog) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case similarMsg:
		if msg.dialog != d {
			return d, nil
		}
		d.counting = false
		if msg.err != nil || msg.others == 0 {
			return d, common.CloseModal
		}
		d.others, d.asking = msg.others, true
		return d, nil
	case tea.KeyPressMsg:
		return d.key(msg)
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return d, cmd
}

func (d *categoryDialog) key(msg tea.KeyPressMsg) (common.Modal, tea.Cmd) {
	f, yn := d.c.Keys.Form, d.c.Keys.Dialog
	switch {
	case d.asking && key.Matches(msg, yn.Yes):
		return d, tea.Batch(common.CloseModal, addRule(d.c, d.rule, d.others))
	case d.asking && key.Matches(msg, yn.Keep):
		return d, common.CloseModal
	case d.asking || d.counting:
		return d, nil
	case key.Matches(msg, f.Cancel):
		return d, common.CloseModal
	case key.Matches(msg, f.Enter):
		return d.submit()
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	d.err = ""
	return d, cmd
}

// submit saves the category typed (none: the rules' category again) and,
// when there is one, counts the bookings a rule for it would also give it.
func (d *categoryDialog) submit() (common.Modal, tea.Cmd) {
	cat := strings.TrimSpace(d.input.Value())
	if cat != "" {
		if err := rules.ValidCategory(cat); err != nil {
			d.err = err.Error()
			return d, nil
		}
	}
	save := saveLabel(d.c.LabelStore(), d.tx.ID, "category", func(l rules.Label) rules.Label {
		l.Category = cat
		return l
	})
	if cat == "" {
		return d, tea.Batch(save, common.CloseModal)
	}
	d.saved, d.counting = cat, true
	d.rule = rules.Propose(d.tx, cat)
	r, txs, tx, self := d.rule, d.txs, d.tx, d
	count := func() tea.Msg {
		m, err := rules.Compile(r)
		if err != nil {
			return similarMsg{dialog: self, err: err}
		}
		n := m.CountHistory(txs)
		if m.Match(&tx) {
			n-- // the booking itself has its category already
		}
		return similarMsg{dialog: self, others: max(n, 0)}
	}
	return d, tea.Batch(save, count)
}

// addRule is the Cmd writing r to the config file (or, without one,
// keeping it for this run) and sending the rules in force with it.
func addRule(c *common.Common, r rules.Rule, others int) tea.Cmd {
	write, set := c.WriteRule, c.RuleSet()
	return func() tea.Msg {
		if write != nil {
			next, where, err := write(r)
			if err != nil {
				return ruleAddedMsg{err: fmt.Errorf("add a rule: %w", err)}
			}
			return ruleAddedMsg{set: next, where: where, count: others + 1}
		}
		next, err := withRule(set, r)
		return ruleAddedMsg{set: next, count: others + 1, err: err}
	}
}

// withRule is set with r after the user's rules, before the built-in ones,
// where a rule appended to the config file goes.
func withRule(set *rules.Set, r rules.Rule) (*rules.Set, error) {
	var own, builtin []rules.Rule
	for i := range set.Len() {
		if x := set.Rule(i); x.Source == "built-in" {
			builtin = append(builtin, x)
		} else {
			own = append(own, x)
		}
	}
	r.Source = "this run"
	return rules.New(slices.Concat(own, []rules.Rule{r}, builtin), false)
}

func (d *categoryDialog) SetSize(w, h int) {
	d.width, d.height = w, h
	d.input.SetWidth(max(min(dialogWidth, w)-8-len(d.input.Prompt), 4))
}

func (d *categoryDialog) View() string {
	st := d.c.Styles
	w := min(dialogWidth, d.width)
	inner := w - 4
	lines := []string{"", " " + common.Truncate(bookingLine(d.c, &d.tx), inner), ""}
	switch {
	case d.asking:
		q := fmt.Sprintf("Give %q to %d similar %s and future ones?", d.saved, d.others, plural(d.others, "booking", "bookings"))
		for _, l := range common.WrapWords(q, inner) {
			lines = append(lines, " "+st.Text.Render(l))
		}
		where := "a rule in the config file:"
		if d.c.WriteRule == nil {
			where = "a rule for this run (no config file to write to):"
		}
		lines = append(lines, " "+st.Muted.Render(where))
		for _, l := range strings.Split(strings.TrimSpace(d.rule.TOML("rules")), "\n") {
			lines = append(lines, "   "+st.Muted.Render(common.Truncate(common.Sanitize(l), inner-2)))
		}
		k := common.NewConfirmKeys(d.c.Keys.Dialog, "apply to them", "only this booking")
		lines = append(lines, "", " "+st.Accent.Render(common.Truncate(strings.TrimSpace(k.Question("")), inner)))
	case d.counting:
		lines = append(lines, " "+st.Muted.Render("saved · looking for similar bookings…"))
	default:
		lines = append(lines, " "+d.input.View())
		if d.err != "" {
			for _, l := range common.WrapWords(d.err, inner) {
				lines = append(lines, " "+st.Warning.Render(l))
			}
		} else {
			lines = append(lines, " "+st.Muted.Render(common.Truncate("empty: the rules decide · → takes the suggestion", inner)))
		}
	}
	lines = append(lines, "")
	return common.Box(st, "Category", lines, w, min(len(lines)+2, d.height), true)
}

func (d *categoryDialog) KeyMap() help.KeyMap {
	f := d.c.Keys.Form
	if d.asking {
		return bindings(common.NewConfirmKeys(d.c.Keys.Dialog, "apply to them", "only this booking").ShortHelp())
	}
	return bindings{keys.Named(f.Enter, "save"), keys.Named(f.Right, "take the suggestion"), keys.Named(f.Cancel, "cancel")}
}

// noteDialog edits a booking's note (;); #words in it are its tags.
type noteDialog struct {
	c             *common.Common
	tx            api.Transaction
	input         textinput.Model
	err           string
	width, height int
}

// maxNote is the longest note, in letters.
const maxNote = 280

func newNoteDialog(c *common.Common, tx api.Transaction, label rules.Label) *noteDialog {
	in := textinput.New()
	in.Prompt = "Note: "
	in.Placeholder = "paid late #tax"
	in.CharLimit = maxNote
	text := labelText(label.Note)
	for _, t := range label.Tags {
		text = strings.TrimSpace(text + " #" + labelText(t))
	}
	in.SetValue(text)
	in.CursorEnd()
	in.Focus()
	return &noteDialog{c: c, tx: tx, input: in}
}

// splitNote takes the #tags out of a note's text.
func splitNote(s string) (note string, tags []string, err error) {
	var words []string
	for _, w := range strings.Fields(common.Sanitize(s)) {
		if t, ok := strings.CutPrefix(w, "#"); ok && t != "" {
			if err := rules.ValidTag(t); err != nil {
				return "", nil, err
			}
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " "), tags, nil
}

func (d *noteDialog) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		f := d.c.Keys.Form
		switch {
		case key.Matches(k, f.Cancel):
			return d, common.CloseModal
		case key.Matches(k, f.Enter):
			note, tags, err := splitNote(d.input.Value())
			if err != nil {
				d.err = err.Error()
				return d, nil
			}
			return d, tea.Batch(common.CloseModal, saveLabel(d.c.LabelStore(), d.tx.ID, "note", func(l rules.Label) rules.Label {
				l.Note, l.Tags = note, tags
				return l
			}))
		}
		d.err = ""
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return d, cmd
}

func (d *noteDialog) SetSize(w, h int) {
	d.width, d.height = w, h
	d.input.SetWidth(max(min(dialogWidth, w)-8-len(d.input.Prompt), 4))
}

func (d *noteDialog) View() string {
	st := d.c.Styles
	w := min(dialogWidth, d.width)
	inner := w - 4
	lines := []string{"", " " + common.Truncate(bookingLine(d.c, &d.tx), inner), "", " " + d.input.View()}
	if d.err != "" {
		lines = append(lines, " "+st.Warning.Render(common.Truncate(d.err, inner)))
	} else {
		lines = append(lines, " "+st.Muted.Render(common.Truncate("#word makes a tag · empty removes the note", inner)))
	}
	lines = append(lines, "")
	return common.Box(st, "Note", lines, w, min(len(lines)+2, d.height), true)
}

func (d *noteDialog) KeyMap() help.KeyMap {
	f := d.c.Keys.Form
	return bindings{keys.Named(f.Enter, "save"), keys.Named(f.Cancel, "cancel")}
}

// bookingLine names the booking a dialog is about: "05.11. REWE −23,40".
func bookingLine(c *common.Common, tx *api.Transaction) string {
	name := api.Str(tx.Name)
	if name == "" {
		name = api.Str(tx.Purpose)
	}
	return common.FormatDay(tx.BookingDate.Time, c.Loc) + " " + labelText(name) + "  " + c.Money(tx.Amount) + " €"
}

// bindings is a help.KeyMap of one row.
type bindings []key.Binding

func (b bindings) ShortHelp() []key.Binding  { return b }
func (b bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b} }
