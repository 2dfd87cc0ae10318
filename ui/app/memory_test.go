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
