package app

import (
	"context"
	"runtime/debug"
	"testing"
)

func TestTuneMemoryLeavesTheUsersGOGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tuneMemory(ctx, func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set by the user, yet the percent became %d", got)
	}
	tuneMemory(ctx, func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Fatalf("percent %d, want %d", got, gcPercent)
	}
}

func TestWorthReleasing(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		free, objects, live uint64
		want                bool
	}{
		{0, 17 * mib, 17 * mib, false},          // settled
		{5 * mib, 17 * mib, 17 * mib, true},     // a load's free pages
		{3 * mib, 4 * mib, 4 * mib, false},      // a small heap: not worth a collection
		{1 * mib, 250 * mib, 180 * mib, true},   // a sync's garbage below the goal
		{1 * mib, 200 * mib, 180 * mib, false},  // the collector's ordinary slack
		{1 * mib, 100 * mib, 180 * mib, false},  // less in use than live: freed since
		{60 * mib, 200 * mib, 180 * mib, true},  // both
		{30 * mib, 200 * mib, 180 * mib, false}, // free, but not a quarter
	} {
		if got := worthReleasing(tc.free, tc.objects, tc.live); got != tc.want {
			t.Errorf("free %d, objects %d, live %d MiB: %v, want %v", tc.free/mib, tc.objects/mib, tc.live/mib, got, tc.want)
		}
	}
}
