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

// tickMsg redraws the session state at a moment its text changes by
// itself (a token that ran out without a new one shows as refreshing; a
// clock of today becomes one of yesterday).
type tickMsg struct{ at time.Time }

// Model is the top line.
type Model struct {
	c        *common.Common
	notice   common.NoticeMsg
	noticeID int
	shownAt  time.Time // when notice appeared
	session  api.TokenEvent
	offline  bool
	answered bool      // the bank answered a request (basic auth sends no token events)
	loginBy  time.Time // the refresh token's end, once the bank says it is near
	pending  int       // payments of unknown outcome being checked
	width    int
	tickAt   time.Time // the moment the tick under way waits for (zero: none)
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

// SetOffline marks the bank unreachable (or reachable again: it answered).
func (m *Model) SetOffline(off bool) {
	m.offline = off
	m.answered = m.answered || !off
}

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

// Init starts the tick that redraws the session state.
func (m *Model) Init() tea.Cmd { return m.schedule() }

// schedule starts a tick for the next moment the session text can change
// with no event at all, unless one waits for that moment already: an idle
// dashboard wakes for nothing else (a token's end, a login's deadline, the
// next midnight, where "18:42" turns into "24.11. 18:42").
func (m *Model) schedule() tea.Cmd {
	// Midnight is on the calendar's clock (the demo's may run ahead); a
	// token's end and a login's deadline are on the real clock.
	now := m.c.Now()
	local := now.In(m.c.Loc)
	wait := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, m.c.Loc).Sub(now)
	real := m.c.RealNow()
	for _, t := range []time.Time{m.session.Expires, m.loginBy} {
		if d := t.Sub(real); d > 0 && d < wait {
			wait = d
		}
	}
	next := real.Add(wait)
	if !m.tickAt.IsZero() && !m.tickAt.After(next) {
		return nil
	}
	m.tickAt = next
	return common.Tick(m.c.Ctx, wait, func(time.Time) tea.Msg { return tickMsg{at: next} })
}

// Update handles notices, token events and its own timers.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.NoticeMsg:
		m.noticeID++
		m.notice, m.shownAt = msg, m.c.Now()
		if msg.Level == common.NoticeInfo {
			id := m.noticeID
			return common.Tick(m.c.Ctx, noticeLife, func(time.Time) tea.Msg { return clearMsg{id: id} })
		}
	case clearMsg:
		if msg.id == m.noticeID {
			m.notice = common.NoticeMsg{}
		}
	case tickMsg:
		if msg.at.Equal(m.tickAt) {
			m.tickAt = time.Time{}
			return m.schedule()
		}
	case common.TokenEventMsg:
		m.noteSession(msg.Event)
		cmd := m.schedule()
		switch msg.Event.Kind {
		case api.TokenRefreshFailed:
			return tea.Batch(cmd, m.Update(common.NoticeMsg{Level: common.NoticeWarning, Text: "session refresh failed: retrying"}))
		case api.LoginNeeded:
			return tea.Batch(cmd, m.Update(common.NoticeMsg{Level: common.NoticeError, Text: "the session ended: log in again"}))
		case api.RefreshTokenExpiring:
			return tea.Batch(cmd, m.Update(common.NoticeMsg{Level: common.NoticeWarning, Text: "the session expires soon: log in again"}))
		}
		return cmd
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
	if p := m.pendingText(); p != "" {
		if right != "" {
			right = p + "  " + right
		} else {
			right = p
		}
	}
	mid, style := m.c.Text(common.Sanitize(m.notice.Text)), st.Accent
	switch m.notice.Level {
	case common.NoticeWarning:
		style = st.Warning
	case common.NoticeError:
		style = st.Error
	}
	brand := st.Title.Render("konto") + st.Muted.Render(" · ")
	// The mode always shows where money can move: read-only, or payments
	// on (shorter on a narrow line, where the notices need the room).
	readOnly := ""
	switch {
	case m.c.ReadOnly:
		readOnly = st.Muted.Render(" · ") + st.Warning.Render("read-only")
	case m.c.Payments != nil && m.width >= 100:
		readOnly = st.Muted.Render(" · ") + st.Accent.Render("payments on")
	case m.c.Payments != nil:
		readOnly = st.Muted.Render(" · ") + st.Accent.Render("pay on")
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

// noteSession keeps what a token event says about the session. That the
// refresh token runs out soon stays true through later refreshes, until the
// bank wants a new login (after which a refresh means a new session).
func (m *Model) noteSession(ev api.TokenEvent) {
	switch ev.Kind {
	case api.RefreshTokenExpiring:
		m.loginBy = ev.Expires
		return
	case api.LoginNeeded:
		m.loginBy = time.Time{}
	}
	m.session = ev
}

// sessionText is the session state at the right: a word a person can act
// on (connected, refreshing, offline, log in soon or needed), drawn in the
// theme's colours but meaning the same without them.
func (m *Model) sessionText() string {
	st := m.c.Styles
	if s := m.c.Session; s != nil {
		// The session knows better than the last error: it sees every request.
		if since := s.OfflineSince(); !since.IsZero() {
			return st.Error.Render("○ offline since " + m.clock(since))
		}
		if stale, at := s.Stale(); stale {
			text := "◌ cached"
			if !at.IsZero() {
				text += " " + m.clock(at)
			}
			return st.Warning.Render(text + ", syncing")
		}
	} else if m.offline {
		return st.Error.Render("○ offline")
	}
	now := m.c.RealNow() // token expiry is real time, even on the demo's virtual calendar
	switch {
	case m.session.Kind == api.LoginNeeded, !m.loginBy.IsZero() && !now.Before(m.loginBy):
		return st.Error.Render("! log in needed")
	case m.session.Kind == api.TokenRefreshFailed,
		m.session.Kind == api.TokenRefreshed && !now.Before(m.session.Expires):
		// The refresher retries (or is about to): requests wait for it.
		return st.Warning.Render("↻ refreshing")
	case !m.loginBy.IsZero():
		return st.Warning.Render("! log in soon")
	case m.session.Kind == api.TokenRefreshed, m.answered:
		return st.Credit.Render("● connected")
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

func widthOf(s string) int { return ansi.StringWidth(s) }
