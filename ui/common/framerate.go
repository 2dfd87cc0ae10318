package common

// FrameRate is the most frames a second the dashboard draws (Bubble Tea's
// tea.WithFPS; its default is 60). Its frame ticker runs even when nothing
// changes: idle over 30 s, konto used 0.7 % of a CPU at 60, 0.27–0.37 % at
// 20 and 0.10–0.17 % at 10. The price is a frame's wait: a key shows within
// 100 ms at most.
const FrameRate = 10
