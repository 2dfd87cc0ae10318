package common

// FrameRate is the most frames a second a dashboard draws (Bubble Tea's
// tea.WithFPS; its default is 60), locally and over SSH. Bubble Tea
// writes a frame only at its ticker's beat, so the rate is also the
// longest a key, or the first frame, waits to be seen: at 10 a konto
// started from a warm cache showed nothing for its first 100 ms. The
// ticker runs even when nothing changes. Measured over 30 s of idle after
// a cold start against a sandbox with 100k bookings (CPU time of every
// thread, from /proc/PID/task/*/schedstat): 0.13 % of a CPU at 10,
// 0.24 % at 20, 0.31 % at 30, 0.48 % at 60. 20 keeps idle under 0.3 %
// and a key's wait under 50 ms.
const FrameRate = 20
