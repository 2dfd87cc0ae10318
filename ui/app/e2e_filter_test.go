package app

import (
	"strings"
	"testing"
)

// The filter shows only its own query's result, on the demo bank: a query
// that matches nothing says "0 matches" and keeps saying it after enter, a
// token that does not parse shows its error and no bookings, and the
// end-to-end id is searched. Nothing here depends on today's date.
func TestE2EFilterShowsOnlyItsOwnResult(t *testing.T) {
	tm := startKonto(t, 120, 40, "--demo")
	tm.waitUntil(t, startup, "the first bookings", func(string) bool { return len(transactionRows(tm)) >= 10 })
	header := func() string { // the transaction list's first line
		for _, line := range tm.Lines() {
			if strings.Contains(line, "/ ") || strings.Contains(line, " bookings") {
				return line
			}
		}
		return ""
	}
	// The whole history first: its arrival re-runs the filter, and the
	// states below must hold, not pass by on the way.
	tm.waitUntil(t, startup, "the history synced", func(string) bool {
		h := header()
		return strings.Contains(h, " bookings") && !strings.Contains(h, "syncing")
	})

	tm.Send("/")
	tm.Send(strings.Split("zzzzqq", "")...)
	tm.waitUntil(t, startup, "0 matches and the empty state", func(s string) bool {
		return strings.Contains(header(), "/ zzzzqq") && strings.Contains(header(), "0 matches") &&
			strings.Contains(s, "nothing matches the filter") &&
			len(transactionRows(tm)) == 0
	})
	tm.Send("enter") // keeps the empty result
	tm.waitUntil(t, startup, "the kept empty result", func(s string) bool {
		return strings.Contains(header(), "/ zzzzqq  0 matches") && strings.Contains(s, "nothing matches the filter") &&
			len(transactionRows(tm)) == 0
	})
	tm.Send("esc")
	tm.waitUntil(t, startup, "the whole list back", func(string) bool {
		return len(transactionRows(tm)) >= 10 && strings.Contains(header(), " bookings")
	})

	tm.Send("/")
	tm.Send(strings.Split("amt:abc", "")...)
	tm.waitUntil(t, startup, "the error and no bookings", func(string) bool {
		h := header()
		return strings.Contains(h, "amt:abc: not an amount") && !strings.Contains(h, "match") &&
			len(transactionRows(tm)) == 0
	})
	tm.Send("esc")
	tm.waitUntil(t, startup, "the whole list back", func(string) bool { return len(transactionRows(tm)) >= 10 })

	// The demo's invoices carry end-to-end ids "INV-<year>-<number>"; no
	// purpose or name has "inv-" in it.
	tm.Send("/")
	tm.Send(strings.Split("INV-", "")...)
	tm.waitUntil(t, startup, "invoices found by their end-to-end id", func(string) bool {
		rows := transactionRows(tm)
		for _, row := range rows {
			if !strings.Contains(row, "Invoice") {
				return false
			}
		}
		return len(rows) > 0 && strings.Contains(header(), "matches · sum +")
	})

	tm.Send("esc") // then waited for: a q on its heels would be read as alt+q
	tm.waitUntil(t, startup, "the whole list back", func(string) bool {
		return len(transactionRows(tm)) >= 10 && strings.Contains(header(), " bookings")
	})
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Errorf("konto exited with status %d", code)
	}
}
