package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"konto/api/sepa"
	"konto/store/forecast"
	"konto/store/period"
	"konto/store/report"
	"konto/theme"
	"konto/ui/common"
)

// The charts draw with block characters only, so their meaning survives 16
// colours and NO_COLOR: money in grows up from the zero line, money out
// down from it (in ▄ and out ▀ halves), the months of the period shown are
// in brackets, the net of each month is written under it; the balance
// chart's lowest day is marked ▲ and named in words.

// eighths are the partial blocks from the bottom, one eighth to seven.
var eighths = []string{"▁", "▂", "▃", "▄", "▅", "▆", "▇"}

// barEighths are the partial blocks from the left, for horizontal bars.
var barEighths = []string{"▏", "▎", "▍", "▌", "▋", "▊", "▉"}

var monthShort = [...]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// euroWhole writes cents as whole euros for an axis: "3.200 €", "−950 €".
func euroWhole(cents int64) string {
	s := sepa.FormatAmount((cents / 100) * 100)
	return strings.TrimSuffix(s, ",00") + " €"
}

// In privacy mode the charts keep their shape and lose their figures: the
// axes and the nets say only that there is money.
const (
	maskedAxis    = "••• €"
	maskedCompact = "•••"
)

// compact writes cents short for a chart's column: "+950", "−2,3k", "+12k".
func compact(cents int64) string {
	sign := "+"
	if cents < 0 {
		sign, cents = "−", -cents
	}
	if cents == 0 {
		return "0"
	}
	e := (cents + 50) / 100
	switch {
	case e < 1000:
		return sign + strconv.FormatInt(e, 10)
	case e < 10000:
		tenths := (e + 50) / 100
		return sign + strconv.FormatInt(tenths/10, 10) + "," + strconv.FormatInt(tenths%10, 10) + "k"
	case e < 1000000:
		return sign + strconv.FormatInt((e+500)/1000, 10) + "k"
	}
	return sign + strconv.FormatInt((e+500000)/1000000, 10) + "M"
}

// trendChart draws the months of buckets (the last ones that fit width)
// in height rows plus three lines of labels: the months, the net, and
// the legend. inPeriod marks the months of the period shown.
func trendChart(st *theme.Styles, buckets []report.Bucket, p period.Period, width, height int, privacy bool) []string {
	var maxIn, maxOut int64
	for _, b := range buckets {
		maxIn, maxOut = max(maxIn, b.In), max(maxOut, -b.Out)
	}
	if maxIn == 0 && maxOut == 0 {
		return []string{st.Muted.Render("  no bookings in these months")}
	}
	height = max(height, 3)
	up := int((int64(height)*maxIn + (maxIn+maxOut)/2) / (maxIn + maxOut))
	if maxIn > 0 {
		up = max(up, 1)
	}
	if maxOut > 0 {
		up = min(up, height-1)
	}
	down := height - up
	// unit is the cents of half a cell, the same above and below.
	var unit int64 = 1
	if up > 0 {
		unit = max(unit, (maxIn+int64(2*up)-1)/int64(2*up))
	}
	if down > 0 {
		unit = max(unit, (maxOut+int64(2*down)-1)/int64(2*down))
	}
	top, bottom := euroWhole(unit*int64(2*up)), "−"+euroWhole(unit*int64(2*down))
	if privacy {
		top, bottom = maskedAxis, "−"+maskedAxis
	}
	axisW := max(lipgloss.Width(top), lipgloss.Width(bottom), 3) + 1

	colW := min(max((width-axisW)/trendMonths, 6), 10)
	n := min(len(buckets), max((width-axisW)/colW, 1))
	buckets = buckets[len(buckets)-n:]
	barW := max(colW-2, 1)
	if colW >= 8 {
		barW = colW - 3
	}
	lead := (colW - barW) / 2

	halves := func(v int64) int { return int((v + unit/2) / unit) }
	var lines []string
	label := func(s string) string { return strings.Repeat(" ", axisW-1-lipgloss.Width(s)) + s }
	for r := 0; r < up; r++ {
		level := up - r
		var b strings.Builder
		switch r {
		case 0:
			b.WriteString(st.Muted.Render(label(top)) + "┤")
		default:
			b.WriteString(strings.Repeat(" ", axisW-1) + "│")
		}
		for _, bk := range buckets {
			h := halves(bk.In)
			cell := " "
			switch {
			case h >= 2*level:
				cell = "█"
			case h == 2*level-1:
				cell = "▄"
			}
			b.WriteString(strings.Repeat(" ", lead))
			b.WriteString(st.Credit.Render(strings.Repeat(cell, barW)))
			b.WriteString(strings.Repeat(" ", colW-lead-barW))
		}
		lines = append(lines, b.String())
	}
	lines = append(lines, st.Muted.Render(label("0"))+"┼"+st.Muted.Render(strings.Repeat("─", n*colW)))
	for d := 1; d <= down; d++ {
		var b strings.Builder
		switch d {
		case down:
			b.WriteString(st.Muted.Render(label(bottom)) + "┤")
		default:
			b.WriteString(strings.Repeat(" ", axisW-1) + "│")
		}
		for _, bk := range buckets {
			h := halves(-bk.Out)
			cell := " "
			switch {
			case h >= 2*d:
				cell = "█"
			case h == 2*d-1:
				cell = "▀"
			}
			b.WriteString(strings.Repeat(" ", lead))
			b.WriteString(st.Debit.Render(strings.Repeat(cell, barW)))
			b.WriteString(strings.Repeat(" ", colW-lead-barW))
		}
		lines = append(lines, b.String())
	}
	var months, nets strings.Builder
	months.WriteString(strings.Repeat(" ", axisW))
	nets.WriteString(strings.Repeat(" ", axisW))
	for _, bk := range buckets {
		_, m, _ := bk.Period.From.Date()
		name := monthShort[m]
		if m == 1 && colW >= 7 {
			y, _, _ := bk.Period.From.Date()
			name += " " + strconv.Itoa(y%100)
		}
		shown := bk.Period.From >= p.From && bk.Period.To <= p.To
		if shown {
			months.WriteString(st.Accent.Render(center("["+name+"]", colW)))
		} else {
			months.WriteString(st.Muted.Render(center(name, colW)))
		}
		net := compact(bk.Net())
		if privacy && bk.Net() != 0 {
			net = maskedCompact
		}
		nets.WriteString(center(net, colW))
	}
	lines = append(lines, months.String(), nets.String())
	legend := "▄ in above the line · ▀ out below · net under each month · [ ] the period"
	if lipgloss.Width(legend)+axisW > width {
		legend = "in ↑ · out ↓ · net below"
	}
	lines = append(lines, strings.Repeat(" ", axisW)+st.Muted.Render(legend))
	return lines
}

// center puts s in the middle of width cells (cut when longer).
func center(s string, width int) string {
	w := lipgloss.Width(s)
	if w >= width {
		return truncateCells(s, width)
	}
	left := (width - w) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-w-left)
}

// truncateCells cuts s to width cells.
func truncateCells(s string, width int) string {
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String()
}

// hbar is a horizontal bar of part/total of width cells, in eighths.
func hbar(part, total int64, width int) string {
	if part < 0 {
		part = -part
	}
	if total < 0 {
		total = -total
	}
	if total == 0 || width <= 0 {
		return strings.Repeat(" ", max(width, 0))
	}
	e := int(part * int64(width) * 8 / total)
	if part > 0 && e == 0 {
		e = 1 // a small share still shows
	}
	full, rest := e/8, e%8
	s := strings.Repeat("█", full)
	if rest > 0 && full < width {
		s += barEighths[rest-1]
		full++
	}
	return s + strings.Repeat(" ", width-full)
}

// balanceChart draws the projected balance by day in height rows, each
// column the lowest end-of-day balance of the days it stands for, then a
// line marking the lowest day and a line of dates.
func balanceChart(st *theme.Styles, proj forecast.Projection, width, height int, privacy bool) []string {
	days := proj.Days
	if len(days) == 0 {
		return nil
	}
	lo, hi := proj.Balance, proj.Balance
	for _, d := range days {
		lo, hi = min(lo, d.Balance), max(hi, d.Balance)
	}
	if hi == lo {
		hi = lo + 100
	}
	top, bottom := euroWhole(hi), euroWhole(lo)
	if privacy {
		top, bottom = maskedAxis, maskedAxis
	}
	axisW := max(lipgloss.Width(top), lipgloss.Width(bottom)) + 1
	// Each column stands for the days c*n/cols up to (c+1)*n/cols: a
	// narrow chart folds days together, a wide one repeats them.
	cols := max(min(width-axisW, 4*len(days)), 10)
	n := len(days)
	lowDay := max(slices.IndexFunc(days, func(d forecast.DayBalance) bool { return d.Date == proj.Lowest.Date }), 0)
	vals := make([]int64, cols)
	lowCol := -1
	for c := range cols {
		from := c * n / cols
		to := min(max((c+1)*n/cols, from+1), n)
		v := days[from].Balance
		for _, d := range days[from:to] {
			v = min(v, d.Balance)
		}
		vals[c] = v
		if lowCol < 0 && from <= lowDay && lowDay < to {
			lowCol = c
		}
	}
	lowCol = max(lowCol, 0)
	height = max(height, 2)
	levels := int64(8*height - 1)
	eighthsOf := func(v int64) int { return int((v-lo)*levels/(hi-lo)) + 1 }
	zeroRow := -1
	if lo < 0 && hi > 0 {
		zeroRow = height - 1 - (eighthsOf(0)-1)/8
	}
	label := func(s string) string { return strings.Repeat(" ", axisW-1-lipgloss.Width(s)) + s }
	var lines []string
	for r := range height {
		var b strings.Builder
		switch {
		case r == 0:
			b.WriteString(st.Muted.Render(label(top)) + "┤")
		case r == height-1:
			b.WriteString(st.Muted.Render(label(bottom)) + "┤")
		case r == zeroRow:
			b.WriteString(st.Muted.Render(label("0")) + "┤")
		default:
			b.WriteString(strings.Repeat(" ", axisW-1) + "│")
		}
		base := (height - 1 - r) * 8
		for c, v := range vals {
			fill := eighthsOf(v) - base
			cell := " "
			switch {
			case fill >= 8:
				cell = "█"
			case fill > 0:
				cell = eighths[fill-1]
			case r == zeroRow:
				cell = "┈"
			}
			style := st.Credit
			if v < 0 {
				style = st.Error
			}
			if c == lowCol && cell != " " && cell != "┈" {
				style = st.Warning
			}
			b.WriteString(style.Render(cell))
		}
		lines = append(lines, b.String())
	}
	// The lowest day: ▲ under its column, the words beside it.
	lowest := sepa.FormatEuro(proj.Lowest.Balance)
	if privacy {
		lowest = common.Masked + " €"
	}
	words := "lowest " + lowest + " on " + german(proj.Lowest.Date)
	if proj.Lowest.Balance < 0 {
		words += " (overdrawn)"
	}
	mark := strings.Repeat(" ", axisW+lowCol)
	switch {
	case axisW+lowCol+2+lipgloss.Width(words) <= width:
		mark += st.Warning.Render("▲ " + words)
	case axisW+lowCol-lipgloss.Width(words)-1 >= 0:
		mark = strings.Repeat(" ", axisW+lowCol-lipgloss.Width(words)-1) + st.Warning.Render(words+" ▲")
	default:
		mark += st.Warning.Render("▲")
		lines = append(lines, mark)
		mark = st.Warning.Render(words)
	}
	lines = append(lines, mark)
	first, last := german(days[0].Date), german(days[len(days)-1].Date)
	gap := axisW + cols - lipgloss.Width(first) - lipgloss.Width(last)
	if gap > 0 {
		lines = append(lines, st.Muted.Render(strings.Repeat(" ", axisW)+first+strings.Repeat(" ", max(gap-axisW, 1))+last))
	}
	return lines
}

// german writes a forecast day as the screen does: 01.01.2027.
func german(d forecast.Date) string {
	y, m, day := d.Date()
	return fmt.Sprintf("%02d.%02d.%04d", day, int(m), y)
}
