package common

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Tick is tea.Tick that gives up when ctx ends (bringing no message): a
// session's timers must end with it, since a waiting tea.Tick keeps the
// ended program, and everything it holds, until it fires.
func Tick(ctx context.Context, d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if ctx == nil {
		ctx = context.Background()
	}
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case now := <-t.C:
			return fn(now)
		case <-ctx.Done():
			return nil
		}
	}
}
