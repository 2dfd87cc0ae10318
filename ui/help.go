package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/ui/common"
)

// bindings is a help.KeyMap made of fixed lists.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }

// shortHelp is the help bar: the modal's keys, or the focused pane's keys
// followed by the global ones.
func (m *Model) shortHelp() help.KeyMap {
	g := m.c.Keys.Global
	if top := m.topModal(); top != nil {
		return top.KeyMap()
	}
	var local []key.Binding
	switch {
	case m.focus == paneAccounts:
		local = m.accounts.KeyMap().ShortHelp()
	case m.focus == paneDetail:
		local = m.detail.KeyMap().ShortHelp()
	case m.tab == tabStanding:
		local = m.standing.KeyMap().ShortHelp()
	case m.tab == tabTimed:
		local = m.timed.KeyMap().ShortHelp()
	default:
		local = m.txs.KeyMap().ShortHelp()
		if m.txs.Filtering() {
			return bindings{short: local}
		}
	}
	tail := []key.Binding{g.NextPane, g.Help, g.Quit}
	if m.focus != paneAccounts {
		// Payment keys as far as the bar has room; ? always lists them.
		for _, b := range m.paymentBindings() {
			if barWidth(append(append(local[:len(local):len(local)], b), tail...)) > m.c.Width-2 {
				break
			}
			local = append(local, b)
		}
	}
	return bindings{short: append(local, tail...)}
}

// fullHelp is every binding, grouped.
func (m *Model) fullHelp() [][]key.Binding {
	g := m.c.Keys.Global
	groups := m.txs.KeyMap().FullHelp()
	groups = append(groups,
		[]key.Binding{g.NextPane, g.PrevPane, g.TabTransactions, g.TabStanding, g.TabTimed, g.Layout},
		[]key.Binding{m.c.Keys.Detail.CopyIBAN, m.c.Keys.Detail.Close, g.Refresh, g.Resync, g.Help, g.Quit},
	)
	p := m.c.Keys.Payments
	if m.c.ReadOnly {
		groups = append(groups, []key.Binding{key.NewBinding(key.WithKeys("t"), key.WithHelp("read-only", "payments are switched off"))})
	} else {
		groups = append(groups, []key.Binding{p.Transfer, p.PayAgain, p.NewOrder, p.EditOrder, p.CancelOrder})
	}
	return groups
}

// helpModal shows the full help: one column per group, wrapped into bands
// so it fits narrow terminals too.
type helpModal struct {
	c             *common.Common
	groups        [][]key.Binding
	width, height int
}

func newHelpModal(c *common.Common, groups [][]key.Binding) *helpModal {
	return &helpModal{c: c, groups: groups}
}

func (m *helpModal) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return m, common.CloseModal // any key closes the help
	}
	return m, nil
}

func (m *helpModal) SetSize(w, h int) { m.width, m.height = w, h }

// column renders one group as lines of equal width.
func (m *helpModal) column(g []key.Binding) ([]string, int) {
	st := m.c.Styles
	kw, dw := 0, 0
	for _, b := range g {
		kw = max(kw, ansi.StringWidth(b.Help().Key))
		dw = max(dw, ansi.StringWidth(b.Help().Desc))
	}
	lines := make([]string, 0, len(g))
	for _, b := range g {
		lines = append(lines, st.HelpKey.Render(common.PadRight(b.Help().Key, kw))+" "+st.HelpDesc.Render(common.PadRight(b.Help().Desc, dw)))
	}
	return lines, kw + 1 + dw
}

func (m *helpModal) View() string {
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
		for r := 0; r < rows; r++ {
			line := ""
			for i, c := range band {
				cell := strings.Repeat(" ", widths[i])
				if r < len(c) {
					cell = c[r]
				}
				line += cell + "   "
			}
			out = append(out, " "+line)
		}
		if rows > 0 {
			out = append(out, "")
		}
		band, widths, used = nil, nil, 0
	}
	for _, g := range m.groups {
		col, w := m.column(g)
		if used > 0 && used+w > inner {
			flush()
		}
		band, widths = append(band, col), append(widths, w)
		used += w + 3
	}
	flush()
	out = append(out, " "+m.c.Styles.Muted.Render("press any key to close"))
	h := min(len(out)+2, m.height)
	return common.Box(m.c.Styles, "Keys", out, m.width, h, true)
}

func (m *helpModal) KeyMap() help.KeyMap {
	return bindings{short: []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("any key", "close"))}}
}
