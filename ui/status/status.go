// Package status is konto's top line: the app and where it is connected on
// the left, the latest notice (info or error) in the middle, and the session
// state from the token refresher on the right. Info notices go after a few
// seconds; warnings and errors stay until a key is pressed (or a newer notice
// comes), so no sentence stays up for the whole run.
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

// noticeLife is how long an info notice stays. Warnings and errors stay
// until a key is pressed at least readTime after they appeared (a key
// already on its way as one pops up must not sweep it away unread), or
// until a newer notice replaces them.
const (
	noticeLife = 4 * time.Second
	readTime   = 2 * time.Second
)

// clearMsg removes the notice with id, if it is still shown.
type clearMsg struct{ id int }

// tickMsg redraws the session countdown.
type tickMsg struct{}

// Model is the top line.
type Model struct {
	c        *common.Common
	notice   common.NoticeMsg
	noticeID int
	shownAt  time.Time // when notice appeared
	session  api.TokenEvent
	offline  bool
	width    int
}

// New returns the top line.
func New(c *common.Common) *Model { return &Model{c: c} }

// SetSize sets the width.
func (m *Model) SetSize(w int) { m.width = w }

// Notice returns the notice shown ("" if none).
func (m *Model) Notice() string { return m.notice.Text }

// KeyPressed dismisses a warning or error that has been up long enough to
// be read. The root calls it for every key, which then goes where it goes.
func (m *Model) KeyPressed() {
	if m.notice.Text != "" && m.notice.Level != common.NoticeInfo && m.c.Now().Sub(m.shownAt) >= readTime {
		m.notice = common.NoticeMsg{}
	}
}

// SetOffline marks the bank unreachable (or reachable again).
func (m *Model) SetOffline(off bool) { m.offline = off }

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
		m.notice, m.shownAt = msg, m.c.Now()
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

// Room the top line keeps for a notice before the connection is cut, and
// the least of the connection that always stays.
const (
	minNoticeRoom = 24
	minConnection = 12
)

// View draws the line, exactly width cells. The connection always shows:
// when a notice needs the room, the connection gives up the parts after its
// first (" · https://…" of "profile work · https://…"), then the line its
// "konto · ", and only then is the connection cut with "…"; a notice longer
// than what is left is cut with "…" too (it goes soon, or at the next key).
func (m *Model) View() string {
	st := m.c.Styles
	right := m.sessionText()
	mid, style := common.Sanitize(m.notice.Text), st.Accent
	switch m.notice.Level {
	case common.NoticeWarning:
		style = st.Warning
	case common.NoticeError:
		style = st.Error
	}
	brand := st.Title.Render("konto") + st.Muted.Render(" · ")
	readOnly := ""
	if m.c.ReadOnly {
		readOnly = st.Muted.Render(" · ") + st.Warning.Render("read-only")
	}
	// What the connection and the notice share: the line less the margins,
	// the gaps, the read-only mark and the session state.
	share := m.width - widthOf(readOnly) - widthOf(right) - 6
	conn, midW := common.Sanitize(m.c.Connection), widthOf(mid)
	if mid != "" {
		conn = dropParts(conn, midW, share-widthOf(brand))
	}
	if mid == "" || widthOf(conn)+midW <= share-widthOf(brand) {
		share -= widthOf(brand)
	} else {
		brand = ""
	}
	if mid != "" && widthOf(conn)+midW > share && share-widthOf(conn) < minNoticeRoom {
		conn = common.Truncate(conn, max(share-minNoticeRoom, minConnection))
	}
	line := " " + brand + st.Text.Render(conn) + readOnly
	if room := share - widthOf(conn); mid != "" && room > 8 {
		line += "   " + style.Render(common.Truncate(mid, room))
	}
	gap := m.width - widthOf(line) - widthOf(right) - 1
	if gap < 1 {
		return common.FitLine(line, m.width)
	}
	return common.FitLine(line+strings.Repeat(" ", gap)+right, m.width)
}

// dropParts drops the last " · " parts of a connection name while it and a
// notice of noticeW cells do not fit in share cells; the first part stays.
func dropParts(conn string, noticeW, share int) string {
	for widthOf(conn)+noticeW > share {
		i := strings.LastIndex(conn, " · ")
		if i <= 0 {
			break
		}
		conn = conn[:i]
	}
	return conn
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
