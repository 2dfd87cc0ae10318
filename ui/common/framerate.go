package common

// FrameRate is the most frames a second the dashboard draws (Bubble Tea's
// tea.WithFPS; its default is 60). Its frame ticker runs even when nothing
// changes: at 60 it alone kept an idle dashboard at 0.7 % of a CPU, at 20
// an idle one uses 0.27 % (10 would halve that again, but every key and
// the first frame then wait up to 100 ms for their frame; at 20, 50 ms).
const FrameRate = 20
