package status

import (
	"strings"
	"testing"
	"time"

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
	for _, want := range []string{"konto · Sandbox (demo)", "IBAN copied", "● session 54m"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q in %q", want, plain)
		}
	}
	m.Update(clearMsg{id: m.noticeID})
	if m.Notice() != "" {
		t.Fatalf("info notice not cleared")
	}
	m.SetOffline(true)
	if !strings.Contains(ansi.Strip(m.View()), "● offline") {
		t.Fatalf("offline not shown")
	}
	m.SetOffline(false)
	m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.LoginNeeded}})
	if plain := ansi.Strip(m.View()); !strings.Contains(plain, "login needed") || !strings.Contains(plain, "log in again") {
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
	if !strings.Contains(plain, "● session 54m") {
		t.Fatalf("the session state is gone: %q", plain)
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
		if ansi.StringWidth(line) != c.width || !strings.Contains(plain, c.want) || !strings.Contains(plain, "● session 54m") {
			t.Errorf("%d columns, %d pending: %q", c.width, c.n, plain)
		}
		m.SetPending(0)
		if strings.Contains(ansi.Strip(m.View()), "pending") {
			t.Errorf("still shown when settled")
		}
	}
}
