package status

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

func TestTopLine(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	m := New(c)
	m.SetSize(80)
	m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: uitest.Now.Add(54*time.Minute + 20*time.Second)}})
	m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: "IBAN copied"})
	line := m.View()
	if ansi.StringWidth(line) != 80 {
		t.Fatalf("top line is %d cells", ansi.StringWidth(line))
	}
	plain := ansi.Strip(line)
	for _, want := range []string{"konto · Sandbox (demo)", "IBAN copied", "● connected"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q in %q", want, plain)
		}
	}
	m.Update(clearMsg{id: m.noticeID})
	if m.Notice() != "" {
		t.Fatalf("info notice not cleared")
	}
	m.SetOffline(true)
	if !strings.Contains(ansi.Strip(m.View()), "○ offline") {
		t.Fatalf("offline not shown")
	}
	m.SetOffline(false)
	m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.LoginNeeded}})
	if plain := ansi.Strip(m.View()); !strings.Contains(plain, "log in needed") || !strings.Contains(plain, "log in again") {
		t.Fatalf("login needed not shown: %q", plain)
	}
}

// A long notice never pushes the connection off the top line: the
// connection gives up what follows its first part ("profile work"), then
// "konto · " goes, and a notice longer than what is left is cut with "…".
func TestConnectionStaysBesideALongNoticeAt80(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	c.Connection = "profile work · https://api.kontist.com"
	m := New(c)
	m.SetSize(80)
	m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: uitest.Now.Add(54 * time.Minute)}})
	check := func(what string, wants ...string) string {
		t.Helper()
		line := m.View()
		if w := ansi.StringWidth(line); w != 80 {
			t.Fatalf("%s: the top line is %d cells", what, w)
		}
		plain := ansi.Strip(line)
		for _, want := range append(wants, "● connected") {
			if !strings.Contains(plain, want) {
				t.Fatalf("%s: %q missing from %q", what, want, plain)
			}
		}
		return plain
	}
	check("no notice", "konto · profile work · https://api.kontist.com")

	const sent = "sent 57.213,70 € to Finanzamt Lindenberg"
	m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: sent})
	check("a notice that fits beside the profile", "konto · profile work ", sent)

	const long = "not logged in: showing the offline copy; the login comes back at the next poll"
	m.Update(common.NoticeMsg{Level: common.NoticeWarning, Text: long})
	plain := check("a notice too long for the line", " profile work   not logged in: showing the offline copy", "…")
	if strings.Contains(plain, long) {
		t.Fatalf("a notice wider than the line shown whole? %q", plain)
	}

	// The demo's connection: "konto · " makes room for a notice of 41
	// cells, and a longer one is cut.
	c.Connection = "Sandbox (demo)"
	check("demo", " Sandbox (demo)   not logged in: showing the offline copy; the", "…")
	m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: "not confirmed: the transfer was not made"})
	check("demo", " Sandbox (demo)   not confirmed: the transfer was not made ")
}

// Info notices go after a few seconds; a timer of an older notice does not
// clear a newer one.
func TestInfoNoticesExpire(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	m := New(c)
	m.SetSize(80)
	if cmd := m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: "refreshing…"}); cmd == nil {
		t.Fatal("an info notice starts no timer")
	}
	first := m.noticeID
	m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: "IBAN copied"})
	m.Update(clearMsg{id: first})
	if m.Notice() != "IBAN copied" {
		t.Fatalf("the older notice's timer cleared the newer one: %q", m.Notice())
	}
	m.Update(clearMsg{id: m.noticeID})
	if m.Notice() != "" || strings.Contains(ansi.Strip(m.View()), "IBAN copied") {
		t.Fatalf("the notice outlived its timer: %q", ansi.Strip(m.View()))
	}
}

// Warnings and errors stay until a key is pressed once they had time to be
// read (a key pressed as one pops up does not sweep it away unseen), or a
// newer notice replaces them.
func TestWarningsStayUntilAKey(t *testing.T) {
	now := uitest.Now
	c := uitest.Common(nil, 80, 24)
	c.Now = func() time.Time { return now }
	m := New(c)
	m.SetSize(80)
	for _, level := range []common.NoticeLevel{common.NoticeWarning, common.NoticeError} {
		const text = "payment on its way: ctrl+c to quit"
		if cmd := m.Update(common.NoticeMsg{Level: level, Text: text}); cmd != nil {
			t.Fatalf("level %d: a timer would clear it", level)
		}
		m.KeyPressed()
		if m.Notice() != text {
			t.Fatalf("level %d: gone at once: %q", level, m.Notice())
		}
		now = now.Add(readTime)
		m.KeyPressed()
		if m.Notice() != "" {
			t.Fatalf("level %d: a key did not dismiss %q", level, m.Notice())
		}
	}
	// A newer notice replaces a warning.
	m.Update(common.NoticeMsg{Level: common.NoticeError, Text: "the session ended: log in again"})
	m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: "IBAN copied"})
	if m.Notice() != "IBAN copied" {
		t.Fatalf("not replaced: %q", m.Notice())
	}
}

// Payments of unknown outcome show on the top line while they are checked,
// shorter at 80 columns, beside the session state.
func TestPendingCheckOnTheTopLine(t *testing.T) {
	for _, c := range []struct {
		width int
		n     int
		want  string
	}{{80, 1, "◌ 1 pending check"}, {120, 1, "◌ 1 payment pending check"}, {120, 2, "◌ 2 payments pending check"}} {
		m := New(uitest.Common(nil, c.width, 24))
		m.SetSize(c.width)
		m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: uitest.Now.Add(54 * time.Minute)}})
		m.SetPending(c.n)
		line := m.View()
		plain := ansi.Strip(line)
		if ansi.StringWidth(line) != c.width || !strings.Contains(plain, c.want) || !strings.Contains(plain, "● connected") {
			t.Errorf("%d columns, %d pending: %q", c.width, c.n, plain)
		}
		m.SetPending(0)
		if strings.Contains(ansi.Strip(m.View()), "pending") {
			t.Errorf("still shown when settled")
		}
	}
}

// fakeSession is a common.SessionController that is offline since a given time.
type fakeSession struct{ offlineSince time.Time }

func (fakeSession) Init() tea.Cmd { return nil }

func (fakeSession) Update(tea.Msg) tea.Cmd { return nil }

func (fakeSession) Resync() tea.Cmd { return nil }

func (s fakeSession) OfflineSince() time.Time { return s.offlineSince }

func (fakeSession) Stale() (bool, time.Time) { return false, time.Time{} }

// The session state on the right of the top line is a word a person can
// act on, the same without colour: connected, refreshing, offline since,
// log in soon, log in needed; never a token's lifetime.
func TestSessionIndicator(t *testing.T) {
	ev := func(kind api.TokenEventKind, expires time.Time) tea.Msg {
		return common.TokenEventMsg{Event: api.TokenEvent{Kind: kind, Expires: expires}}
	}
	cases := []struct {
		name    string
		session common.SessionController
		offline *bool
		events  []tea.Msg
		want    string
	}{
		{"nothing known yet", nil, nil, nil, ""},
		{"the bank answered (basic auth: no token events)", nil, ptr(false), nil, "● connected"},
		{"a fresh token", nil, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(54*time.Minute))}, "● connected"},
		{"a short-lived token", nil, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(20*time.Second))}, "● connected"},
		{"the token ran out before a new one came", nil, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(-time.Second))}, "↻ refreshing"},
		{"a refresh failed and is retried", nil, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(time.Hour)), ev(api.TokenRefreshFailed, time.Time{})}, "↻ refreshing"},
		{"the refresh token runs out in days", nil, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(time.Hour)), ev(api.RefreshTokenExpiring, uitest.Now.Add(48*time.Hour))}, "! log in soon"},
		{"log in soon outlives later refreshes", nil, nil, []tea.Msg{ev(api.RefreshTokenExpiring, uitest.Now.Add(48*time.Hour)), ev(api.TokenRefreshed, uitest.Now.Add(time.Hour))}, "! log in soon"},
		{"the bank wants a new login", nil, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(time.Hour)), ev(api.LoginNeeded, time.Time{})}, "! log in needed"},
		{"logged in again", nil, nil, []tea.Msg{ev(api.RefreshTokenExpiring, uitest.Now.Add(time.Hour)), ev(api.LoginNeeded, time.Time{}), ev(api.TokenRefreshed, uitest.Now.Add(time.Hour))}, "● connected"},
		{"no answer (no session)", nil, ptr(true), []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(time.Hour))}, "○ offline"},
		{"the session saw the bank go away", fakeSession{offlineSince: uitest.Now.Add(-18 * time.Minute)}, nil, []tea.Msg{ev(api.TokenRefreshed, uitest.Now.Add(time.Hour))}, "○ offline since 09:42"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := uitest.Common(nil, 120, 40)
			c.Session = tc.session
			m := New(c)
			m.SetSize(120)
			if tc.offline != nil {
				m.SetOffline(*tc.offline)
			}
			for _, msg := range tc.events {
				m.Update(msg)
			}
			m.Update(clearMsg{id: m.noticeID}) // only the indicator is left
			got := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(ansi.Strip(m.View())), "konto · Sandbox (demo)"))
			if got != tc.want {
				t.Errorf("indicator %q, want %q", got, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestTicksOnlyWhenTheTextCanChange: one tick at a time, for the next
// moment the session text changes by itself, and none in between.
func TestTicksOnlyWhenTheTextCanChange(t *testing.T) {
	c := uitest.Common(nil, 120, 40)
	m := New(c)
	if m.Init() == nil {
		t.Fatal("no tick for the next midnight")
	}
	if m.Init() != nil {
		t.Fatal("a second tick for the same moment")
	}
	expires := uitest.Now.Add(54 * time.Minute)
	m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: expires}})
	if !m.tickAt.Equal(expires) {
		t.Fatalf("tick at %s, want the token's end %s", m.tickAt, expires)
	}
	if cmd := m.Update(tickMsg{at: uitest.Now}); cmd != nil {
		t.Fatal("a tick that is no longer awaited started another")
	}
	if cmd := m.Update(tickMsg{at: expires}); cmd == nil {
		t.Fatal("the awaited tick did not schedule the next one")
	}
}
