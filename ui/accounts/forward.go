package accounts

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"konto/store/forecast"
	"konto/ui/common"
)

// The forward line: after the 90-day sparkline, the forecast's next 90
// days on the same scale (past │ ahead), and below the balance the lowest
// point ahead, in red when it is below zero.

// SetForecast gives the pane every account's forecast (store/forecast).
func (m *Model) SetForecast(ps []forecast.Projection) {
	m.ahead = make(map[int64]forecast.Projection, len(ps))
	for _, p := range ps {
		m.ahead[p.Account] = p
	}
}

func (m *Model) hasAhead(id int64) bool {
	p, ok := m.ahead[id]
	return ok && len(p.Days) > 0
}

// sparkRoom splits room cells into the past sparkline and, with a
// forecast, the divider and the forward line (half the past's width: the
// same 90 days, seen coarser).
func sparkRoom(room int, ahead bool) (past, forward int) {
	if !ahead || room < 8 {
		return min(room, 24), 0
	}
	forward = min(max((room-1)/3, 3), 12)
	return min(room-1-forward, 24), forward
}

// sparks draws the past sparkline and, when there is room, the forward
// line after a divider, both on one scale so the line goes on where the
// past ends.
func (m *Model) sparks(id int64, past []int64, pastW, aheadW int) string {
	st := m.c.Styles
	if aheadW <= 0 {
		return st.Accent.Render(Sparkline(past, pastW))
	}
	p := m.ahead[id]
	ahead := make([]int64, len(p.Days))
	for i, d := range p.Days {
		ahead[i] = d.Balance
	}
	lo, hi := past[0], past[0]
	for _, v := range append(past[:len(past):len(past)], ahead...) {
		lo, hi = min(lo, v), max(hi, v)
	}
	style := st.Muted
	if p.Lowest.Balance < 0 {
		style = st.Debit
	}
	return st.Accent.Render(scaledSparkline(past, pastW, lo, hi)) + st.Muted.Render("›") + style.Render(scaledSparkline(ahead, aheadW, lo, hi))
}

// lowestLine is the line under the balance: "ahead: lowest 412,30 € on
// 15.01." (blank without a forecast).
func (m *Model) lowestLine(id int64, w int) string {
	p, ok := m.ahead[id]
	if !ok || len(p.Days) == 0 {
		return ""
	}
	_, mo, d := p.Lowest.Date.Date()
	text := fmt.Sprintf("ahead: lowest %s on %02d.%02d.", m.c.Balance(p.Lowest.Balance), d, mo)
	if ansi.StringWidth(text)+2 > w {
		text = "low " + m.c.Balance(p.Lowest.Balance)
	}
	style := m.c.Styles.Muted
	if p.Lowest.Balance < 0 {
		style = m.c.Styles.Debit
	}
	return "  " + style.Render(common.Truncate(text, max(w-2, 0)))
}

// scaledSparkline is Sparkline on a given scale.
func scaledSparkline(values []int64, width int, lo, hi int64) string {
	if len(values) == 0 || width <= 0 {
		return ""
	}
	width = min(width, len(values))
	blocks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for c := 0; c < width; c++ {
		v := values[(c+1)*len(values)/width-1]
		level := 3
		if hi > lo {
			level = int((v - lo) * int64(len(blocks)-1) / (hi - lo))
		}
		b.WriteRune(blocks[level])
	}
	return b.String()
}
