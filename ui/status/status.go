// Package status is konto's top line: the app and where it is connected on
// the left, the latest notice (info or error) in the middle, and the session
// state from the token refresher on the right.
package status

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
)

// noticeLife is how long an info notice stays; errors stay until replaced.
const noticeLife = 4 * time.Second

// clearMsg removes the notice with id, if it is still shown.
type clearMsg struct{ id int }

// tickMsg redraws the session countdown.
type tickMsg struct{}

// Model is the top line.
type Model struct {
	c        *common.Common
	notice   common.NoticeMsg
	noticeID int
	session  api.TokenEvent
	offline  bool
	pending  int // payments of unknown outcome being checked
	width    int
}

// New returns the top line.
func New(c *common.Common) *Model { return &Model{c: c} }

// SetSize sets the width.
func (m *Model) SetSize(w int) { m.width = w }

// Notice returns the notice shown ("" if none).
func (m *Model) Notice() string { return m.notice.Text }

// SetOffline marks the bank unreachable (or reachable again).
func (m *Model) SetOffline(off bool) { m.offline = off }

// SetPending sets how many payments of unknown outcome are being checked.
func (m *Model) SetPending(n int) { m.pending = n }

// pendingText names the payments being checked, shorter on a narrow line.
func (m *Model) pendingText() string {
	if m.pending == 0 {
		return ""
	}
	n := strconv.Itoa(m.pending)
	text := n + " payment pending check"
	if m.pending > 1 {
		text = n + " payments pending check"
	}
	if m.width < 100 {
		text = n + " pending check"
	}
	return m.c.Styles.Warning.Render("◌ " + text)
}

// Init starts the minute tick of the session countdown.
func (m *Model) Init() tea.Cmd { return tick() }

func tick() tea.Cmd {
	return tea.Tick(30*time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

// Update handles notices, token events and its own timers.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.NoticeMsg:
		m.noticeID++
		m.notice = msg
		if msg.Level == common.NoticeInfo {
			id := m.noticeID
			return tea.Tick(noticeLife, func(time.Time) tea.Msg { return clearMsg{id: id} })
		}
	case clearMsg:
		if msg.id == m.noticeID {
			m.notice = common.NoticeMsg{}
		}
	case tickMsg:
		return tick()
	case common.TokenEventMsg:
		m.session = msg.Event
		switch msg.Event.Kind {
		case api.TokenRefreshFailed:
			return m.Update(common.NoticeMsg{Level: common.NoticeWarning, Text: "session refresh failed: retrying"})
		case api.LoginNeeded:
			return m.Update(common.NoticeMsg{Level: common.NoticeError, Text: "the session ended: log in again"})
		case api.RefreshTokenExpiring:
			return m.Update(common.NoticeMsg{Level: common.NoticeWarning, Text: "the session expires soon: log in again"})
		}
	}
	return nil
}

// View draws the line, exactly width cells.
func (m *Model) View() string {
	st := m.c.Styles
	left := st.Title.Render("konto") + st.Muted.Render(" · ") + st.Text.Render(m.c.Connection)
	if m.c.ReadOnly {
		left += st.Muted.Render(" · ") + st.Warning.Render("read-only")
	}
	right := m.sessionText()
	if p := m.pendingText(); p != "" {
		if right != "" {
			right = p + "  " + right
		} else {
			right = p
		}
	}
	mid := ""
	if m.notice.Text != "" {
		style := st.Accent
		switch m.notice.Level {
		case common.NoticeWarning:
			style = st.Warning
		case common.NoticeError:
			style = st.Error
		}
		mid = style.Render(common.Sanitize(m.notice.Text))
	}
	lw, rw := widthOf(left), widthOf(right)
	room := m.width - lw - rw - 6 // margins, separator and gap
	if mid != "" && widthOf(mid) > room {
		// A notice is what the user must read now; the connection's name
		// is still in their mind. Give the notice its room first.
		left = st.Title.Render("konto")
		if m.c.ReadOnly {
			left += st.Muted.Render(" · ") + st.Warning.Render("read-only")
		}
		lw = widthOf(left)
		room = m.width - lw - rw - 6
	}
	line := " " + left
	if mid != "" && room > 8 {
		mid = common.FitLine(mid, min(widthOf(mid), room))
		line += "   " + mid
	}
	gap := m.width - widthOf(line) - rw - 1
	if gap < 1 {
		return common.FitLine(line, m.width)
	}
	return common.FitLine(line+strings.Repeat(" ", gap)+right, m.width)
}

func (m *Model) sessionText() string {
	st := m.c.Styles
	if s := m.c.Session; s != nil {
		// The session knows better than the last error: it sees every request.
		if since := s.OfflineSince(); !since.IsZero() {
			return st.Error.Render("● offline since " + m.clock(since))
		}
		if stale, at := s.Stale(); stale {
			text := "◌ cached"
			if !at.IsZero() {
				text += " " + m.clock(at)
			}
			return st.Warning.Render(text + ", syncing")
		}
	} else if m.offline {
		return st.Error.Render("● offline")
	}
	switch m.session.Kind {
	case api.TokenRefreshed:
		left := m.session.Expires.Sub(m.c.Now())
		if left <= 0 {
			return st.Warning.Render("● session refreshing")
		}
		return st.Credit.Render("●") + st.Muted.Render(" session "+minutes(left))
	case api.TokenRefreshFailed:
		return st.Warning.Render("● session retrying")
	case api.RefreshTokenExpiring:
		return st.Warning.Render("● session expiring")
	case api.LoginNeeded:
		return st.Error.Render("● login needed")
	}
	return ""
}

// clock writes t as 18:42 today, 24.11. 18:42 before.
func (m *Model) clock(t time.Time) string {
	t, now := t.In(m.c.Loc), m.c.Now().In(m.c.Loc)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return t.Format("02.01. 15:04")
}

func minutes(d time.Duration) string {
	if d >= time.Hour {
		return strconv.Itoa(int(d.Hours())) + "h" + strconv.Itoa(int(d.Minutes())%60) + "m"
	}
	return strconv.Itoa(int(d.Minutes())) + "m"
}

func widthOf(s string) int { return ansi.StringWidth(s) }
