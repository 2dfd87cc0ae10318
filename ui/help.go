package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/ui/common"
	"konto/ui/form"
)

// bindings is a help.KeyMap made of fixed lists.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }

// shortHelp is the help bar: the modal's keys, or, from the actions that
// work here, the focused pane's, the payment keys as far as there is room,
// and next pane, help and quit.
func (m *Model) shortHelp() help.KeyMap {
	if top := m.topModal(); top != nil {
		return top.KeyMap()
	}
	var local, pay, tail []key.Binding
	for _, a := range m.actions() {
		switch a.bar {
		case barLocal:
			local = append(local, a.key)
		case barPayment:
			pay = append(pay, a.key)
		case barTail:
			tail = append(tail, a.key)
		}
	}
	for _, b := range pay {
		if barWidth(append(append(local[:len(local):len(local)], b), tail...)) > m.c.Width-2 {
			break
		}
		local = append(local, b)
	}
	return bindings{short: append(local, tail...)}
}

// helpSection is one titled column of the ? help: the keys of one group
// of the actions that work here, then notes that are no key of their own
// but tell how to use them (the filter's words, a form's keys).
type helpSection struct {
	title string
	keys  []key.Binding
	notes []note
}

type note struct{ key, desc string }

// filterNotes are the words the filter line understands (ui/filter).
var filterNotes = []note{
	{"amt:<-50", "paid out over 50 €"},
	{"amt:10..20", "from 10 to 20 €"},
	{"date:2026-11", "a month (or a year, a day)"},
	{"date:ytd", "also lastmonth, 2026-Q3, …"},
	{"cat:rent", "a category (also tag:, note:)"},
	{"marked uncat", "marked, or with no category"},
	{"in  out", "money in, money out"},
	{"type:card", "a kind of booking"},
	{`"a b"`, "a phrase; words must all match"},
}

// formNotes are the keys of a payment form (ui/form), for the ? help: they
// work once a form is open.
func formNotes(k form.Keys) []note {
	out := []note{}
	for _, b := range []key.Binding{k.Next, k.Enter, k.Review, k.Cancel} {
		out = append(out, note{b.Help().Key, b.Help().Desc})
	}
	return append(out, note{k.Right.Help().Key, k.Right.Help().Desc}, note{k.Left.Help().Key, k.Left.Help().Desc})
}

// helpSections are the ? help for the current context: the actions that
// work here under their group's title, the filter's words beside the
// filter keys, and a form's keys when payments can be made.
func (m *Model) helpSections() []helpSection {
	as := m.actions()
	off := m.paymentsOff()
	var out []helpSection
	for g := keyGroup(0); g < groupCount; g++ {
		sec := helpSection{title: g.title()}
		for _, a := range as {
			if a.group == g {
				sec.keys = append(sec.keys, a.key)
			}
		}
		if len(sec.keys) == 0 {
			continue
		}
		switch {
		case g == groupFilter:
			sec.notes = filterNotes
		case (g == groupPayments || g == groupOrders) && off != "":
			sec.title += " (off)"
			sec.notes = []note{{"", off}}
		}
		out = append(out, sec)
	}
	if off == "" {
		out = append(out, helpSection{title: "In a form", notes: formNotes(m.c.Keys.Form)})
	}
	return out
}

func (m *Model) openHelp() tea.Cmd {
	return common.OpenModal(newHelpModal(m.c, m.helpSections()))
}

// helpModal shows the ? help: a titled column per section, wrapped into
// bands so it fits narrow terminals too; taller than the terminal, it
// scrolls with the list's keys, and any other key closes it.
type helpModal struct {
	c             *common.Common
	sections      []helpSection
	offset        int
	width, height int
}

func newHelpModal(c *common.Common, sections []helpSection) *helpModal {
	return &helpModal{c: c, sections: sections}
}

func (m *helpModal) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	l := m.c.Keys.List
	if m.scrollable() {
		page := max(m.visible()-1, 1)
		switch {
		case key.Matches(k, l.Down):
			m.scroll(1)
			return m, nil
		case key.Matches(k, l.Up):
			m.scroll(-1)
			return m, nil
		case key.Matches(k, l.PageDown, l.HalfPageDown):
			m.scroll(page)
			return m, nil
		case key.Matches(k, l.PageUp, l.HalfPageUp):
			m.scroll(-page)
			return m, nil
		}
	}
	return m, common.CloseModal
}

func (m *helpModal) SetSize(w, h int) {
	m.width, m.height = w, h
	m.scroll(0)
}

func (m *helpModal) scroll(d int) {
	m.offset = max(min(m.offset+d, len(m.content())-m.visible()), 0)
}

// visible is how many content lines the box shows (the border and the
// closing line take the rest).
func (m *helpModal) visible() int { return max(m.height-3, 1) }

func (m *helpModal) scrollable() bool { return len(m.content()) > m.visible() }

// column renders one section as lines of equal width: its title, its keys,
// its notes.
func (m *helpModal) column(sec helpSection) ([]string, int) {
	st := m.c.Styles
	rows := make([]note, 0, len(sec.keys)+len(sec.notes))
	for _, b := range sec.keys {
		rows = append(rows, note{b.Help().Key, b.Help().Desc})
	}
	kw, dw := 0, 0
	for _, r := range append(rows, sec.notes...) {
		kw = max(kw, ansi.StringWidth(r.key))
		dw = max(dw, ansi.StringWidth(r.desc))
	}
	w := max(kw+1+dw, ansi.StringWidth(sec.title))
	lines := []string{st.Title.Render(common.PadRight(sec.title, w))}
	for _, r := range rows {
		lines = append(lines, st.HelpKey.Render(common.PadRight(r.key, kw))+" "+st.HelpDesc.Render(common.PadRight(r.desc, w-kw-1)))
	}
	for _, r := range sec.notes {
		lines = append(lines, st.Muted.Render(common.PadRight(r.key, kw)+" "+common.PadRight(r.desc, w-kw-1)))
	}
	return lines, w
}

// content is every line of the help, before scrolling.
func (m *helpModal) content() []string {
	inner := m.width - 4
	var out []string
	var band [][]string
	var widths []int
	used := 0
	flush := func() {
		rows := 0
		for _, c := range band {
			rows = max(rows, len(c))
		}
		if rows > 0 && len(out) > 0 {
			out = append(out, "")
		}
		for r := 0; r < rows; r++ {
			cells := make([]string, len(band))
			for i, c := range band {
				cells[i] = strings.Repeat(" ", widths[i])
				if r < len(c) {
					cells[i] = c[r]
				}
			}
			out = append(out, " "+strings.Join(cells, "   "))
		}
		band, widths, used = nil, nil, 0
	}
	for _, sec := range m.sections {
		col, w := m.column(sec)
		if used > 0 && used+3+w > inner {
			flush()
		}
		if used > 0 {
			used += 3
		}
		band, widths = append(band, col), append(widths, w)
		used += w
	}
	flush()
	return out
}

func (m *helpModal) View() string {
	all := m.content()
	shown := all[m.offset:min(m.offset+m.visible(), len(all))]
	closing := "press any key to close"
	if m.scrollable() {
		// Say which way there is more, as the details do.
		arrows := "↑/↓"
		switch {
		case m.offset == 0:
			arrows = "↓"
		case m.offset+m.visible() >= len(all):
			arrows = "↑"
		}
		closing = arrows + " more · any other key closes"
	}
	lines := append(append([]string{}, shown...), " "+m.c.Styles.Muted.Render(closing))
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	// As wide as the help, plus a margin and the border.
	return common.Box(m.c.Styles, "Keys", lines, min(m.width, w+3), min(len(lines)+2, m.height), true)
}

func (m *helpModal) KeyMap() help.KeyMap {
	if m.scrollable() {
		l := m.c.Keys.List
		return bindings{short: []key.Binding{named(l.Down, "more"), named(l.Up, "back"),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("other keys", "close"))}}
	}
	return bindings{short: []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("any key", "close"))}}
}
