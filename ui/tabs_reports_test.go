package ui

import (
	"strings"
	"testing"
)

// 4 shows the reports; enter on a category shows its bookings in the
// transactions tab, filtered by the category and the period.
func TestReportsTabFiltersTheBookings(t *testing.T) {
	m, _ := start(t, 60, 80, 24)
	keys(m, "4")
	s := screen(t, m)
	if !strings.Contains(s, "[4 Reports]") || !strings.Contains(s, "November 2026 ‹ ›") || !strings.Contains(s, "Spending") {
		t.Fatalf("4 did not show the reports:\n%s", s)
	}
	if !strings.Contains(s, "enter show bookings") {
		t.Fatalf("the help bar does not name enter:\n%s", s)
	}
	keys(m, "enter")
	s = screen(t, m)
	if m.tab != 0 || !m.txs.FilterKept() || !strings.Contains(s, "date:2026-11") {
		t.Fatalf("enter did not filter the bookings (tab %d):\n%s", m.tab, s)
	}
}
