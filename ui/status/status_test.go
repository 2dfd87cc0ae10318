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

func TestLongNoticeGetsTheConnectionsRoomAt80(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	c.Connection = "profile work · https://api.kontist.com"
	m := New(c)
	m.SetSize(80)
	m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: uitest.Now.Add(54 * time.Minute)}})
	const notice = "sent 57.213,70 € to Finanzamt Lindenberg"
	m.Update(common.NoticeMsg{Level: common.NoticeInfo, Text: notice})
	plain := ansi.Strip(m.View())
	if !strings.Contains(plain, notice) {
		t.Fatalf("the notice is cut: %q", plain)
	}
	if !strings.Contains(plain, "● connected") {
		t.Fatalf("the session state is gone: %q", plain)
	}
}

// fakeSession is a common.Session that is offline since a given time.
type fakeSession struct{ offlineSince time.Time }

func (fakeSession) Init() tea.Cmd             { return nil }
func (fakeSession) Update(tea.Msg) tea.Cmd    { return nil }
func (fakeSession) Resync() tea.Cmd           { return nil }
func (s fakeSession) OfflineSince() time.Time { return s.offlineSince }
func (fakeSession) Stale() (bool, time.Time)  { return false, time.Time{} }

// The session state on the right of the top line is a word a person can
// act on, the same without colour: connected, refreshing, offline since,
// log in soon, log in needed; never a token's lifetime.
func TestSessionIndicator(t *testing.T) {
	ev := func(kind api.TokenEventKind, expires time.Time) tea.Msg {
		return common.TokenEventMsg{Event: api.TokenEvent{Kind: kind, Expires: expires}}
	}
	cases := []struct {
		name    string
		session common.Session
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
