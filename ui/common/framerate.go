package common

// FrameRate is the most frames a second the dashboard draws (Bubble Tea's
// tea.WithFPS; its default is 60). Its frame ticker runs even when nothing
// changes, and at 60 it alone kept an idle dashboard above 0.3 % of a CPU;
// at this rate a held key still scrolls smoothly, and a frame waits at most
// a tenth of a second.
const FrameRate = 10
