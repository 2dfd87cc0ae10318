package alerts

import "time"

// KeepNotices is how many notices the cache keeps.
const KeepNotices = 100

// Notice is one entry of the notice log: when, on which account, what.
type Notice struct {
	At      time.Time `json:"at"`
	Account int64     `json:"account"`
	Text    string    `json:"text"`
}

// Log is the notice log, oldest first, at most KeepNotices long.
type Log struct {
	Notices []Notice `json:"notices"`
}

// Add appends notices and drops the oldest beyond KeepNotices.
func (l *Log) Add(n ...Notice) {
	l.Notices = append(l.Notices, n...)
	if extra := len(l.Notices) - KeepNotices; extra > 0 {
		l.Notices = append([]Notice(nil), l.Notices[extra:]...)
	}
}
