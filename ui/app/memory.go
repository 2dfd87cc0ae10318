package app

// How the long-running commands (the dashboard, serve) keep their memory
// close to what they hold. A history is kept in pointer-free rows the
// collector does not scan (store/history), so collecting more often costs
// little, while Go's default lets the heap grow to twice what is live
// before it collects. And a full sync decodes the whole history once, a
// peak that the runtime would hand back to the kernel only slowly.

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// gcPercent is the dashboard's GOGC: the heap may grow by 40 % over what
// was live after the last collection, not 100 %.
const gcPercent = 40

// releaseCheck is how often the free heap is looked at; releaseAbove is
// the free memory still held from the OS that makes it worth a collection
// to hand back, when it is also a quarter of what is in use (the load of
// 100k bookings leaves 5.5 MiB free by 16.7 MiB live, a third of konto's
// heap in resident memory until the runtime's slow scavenger returns it).
const (
	releaseCheck = 5 * time.Second
	releaseAbove = 4 << 20
)

// tuneMemory sets the collector for a long-running konto, unless the user
// set GOGC or GOMEMLIMIT, and hands memory left by a peak (a full sync, a
// big export) back to the OS until ctx ends.
func tuneMemory(ctx context.Context, getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
	go releasePeaks(ctx)
}

// releasePeaks collects and returns the heap's free pages to the OS when
// a peak has left many of them, or garbage the collector has not come to:
// only after a big load, so an idle dashboard does nothing but read three
// counters every few seconds.
func releasePeaks(ctx context.Context) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/free:bytes"},    // free, not yet returned
		{Name: "/memory/classes/heap/objects:bytes"}, // in use, garbage included
		{Name: "/gc/heap/live:bytes"},                // live at the last collection
	}
	t := time.NewTicker(releaseCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		metrics.Read(samples)
		if worthReleasing(samples[0].Value.Uint64(), samples[1].Value.Uint64(), samples[2].Value.Uint64()) {
			debug.FreeOSMemory()
		}
	}
}

// worthReleasing reports whether a collection that hands memory back is
// worth its cost: free pages held of more than releaseAbove and a quarter
// of the heap in use, or garbage of more than releaseAbove and a quarter
// of what is live. The garbage is what a sync leaves below
// the collector's goal: after a cold sync of a million bookings, 70 MiB
// that stayed resident for as long as nothing else was allocated.
func worthReleasing(free, objects, live uint64) bool {
	garbage := objects - min(objects, live)
	return free > releaseAbove && free > objects/4 ||
		garbage > releaseAbove && garbage > live/4
}
