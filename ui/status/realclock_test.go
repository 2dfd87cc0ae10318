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

// The demo's calendar can be months away from the machine's clock (and
// jumps when the sandbox's clock is advanced); a token's lifetime is real
// time all the same, so the session state reads the real clock.
func TestSessionStateFollowsTheRealClock(t *testing.T) {
	for _, calendar := range []time.Duration{-400 * 24 * time.Hour, 72 * time.Hour, 0} {
		c := uitest.Common(nil, 120, 40)
		c.Now = func() time.Time { return uitest.Now.Add(calendar) }
		m := New(c)
		m.SetSize(120)
		m.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshed, Expires: uitest.Now.Add(time.Hour)}})
		m.Update(clearMsg{id: m.noticeID})
		if got := ansi.Strip(m.View()); !strings.Contains(got, "● connected") {
			t.Errorf("calendar %v off the real clock: %q, want connected", calendar, got)
		}
	}
}
