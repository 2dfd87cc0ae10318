package lookahead

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/alerts"
	"konto/ui/common"
	"konto/ui/keys"
)

// LogModal is the notice log (N): time, account and text of every alert,
// newest first; the list keys scroll it, any other key closes it.
type LogModal struct {
	c             *common.Common
	notices       []alerts.Notice // newest first
	names         map[int64]string
	offset        int
	width, height int
}

// NoticeLog opens the log of m's notices; name labels an account (its
// place in the bank's list: "Main").
func (m *Model) NoticeLog(name func(api.Account, int) string) *LogModal {
	all := m.Notices()
	newest := make([]alerts.Notice, len(all))
	for i, n := range all {
		newest[len(all)-1-i] = n
	}
	names := map[int64]string{}
	for i, a := range m.accounts {
		names[a.ID] = name(a, i)
	}
	return &LogModal{c: m.c, notices: newest, names: names}
}

// Update scrolls or closes.
func (l *LogModal) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return l, nil
	}
	lk := l.c.Keys.List
	page := max(l.visible()-1, 1)
	switch {
	case key.Matches(k, lk.Down):
		l.scroll(1)
	case key.Matches(k, lk.Up):
		l.scroll(-1)
	case key.Matches(k, lk.PageDown, lk.HalfPageDown):
		l.scroll(page)
	case key.Matches(k, lk.PageUp, lk.HalfPageUp):
		l.scroll(-page)
	default:
		return l, common.CloseModal
	}
	return l, nil
}

func (l *LogModal) visible() int { return max(min(l.height, 24)-4, 1) }

func (l *LogModal) scroll(d int) {
	l.offset = max(min(l.offset+d, len(l.notices)-l.visible()), 0)
}

// SetSize gives the largest box.
func (l *LogModal) SetSize(w, h int) {
	l.width, l.height = w, h
	l.scroll(0)
}

// View draws the log.
func (l *LogModal) View() string {
	st := l.c.Styles
	w := min(l.width, 100)
	inner := w - 4
	lines := []string{""}
	if len(l.notices) == 0 {
		lines = append(lines, " "+st.Muted.Render("no notices yet: alerts are set up in the config's [[alerts]]"))
	}
	end := min(l.offset+l.visible(), len(l.notices))
	for _, n := range l.notices[l.offset:end] {
		when := n.At.In(l.c.Loc).Format("02.01. 15:04")
		acct := l.names[n.Account]
		if acct == "" {
			acct = "—"
		}
		acct = common.PadRight(common.Truncate(acct, 10), 10)
		text := common.Truncate(l.c.Text(common.Sanitize(n.Text)), max(inner-len(when)-12, 10))
		lines = append(lines, " "+st.Muted.Render(when)+"  "+st.Label.Render(acct)+" "+st.Text.Render(text))
	}
	more := ""
	if len(l.notices) > l.visible() {
		more = " · ↑/↓ scroll"
	}
	lines = append(lines, "", " "+st.Muted.Render("any key closes"+more))
	return common.Box(st, "Notices", lines, w, len(lines)+2, true)
}

// KeyMap is the log's help.
func (l *LogModal) KeyMap() help.KeyMap {
	return common.Keys{keys.Named(l.c.Keys.List.Down, "scroll"), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))}
}
