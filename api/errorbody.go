package api

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxErrorText bounds each text taken from an error body, so a hostile
// server cannot fill the status bar.
const maxErrorText = 300

// parseError turns a non-2xx answer into an *Error: the Solaris shape
// {"errors":[{…}]} (first entry), else a top-level {"title"} or {"message"},
// else the status text. Retry-After (seconds or an HTTP date) goes to
// RetryAfter. The raw body never reaches the message.
func parseError(status int, header http.Header, body []byte) *Error {
	e := &Error{Status: status}
	var solaris ErrorBody
	if json.Unmarshal(body, &solaris) == nil && len(solaris.Errors) > 0 {
		item := solaris.Errors[0]
		e.Code = clip(item.Code)
		e.Title = clip(item.Title)
		e.Detail = clip(item.Detail)
		if item.Source != nil {
			e.Field = clip(item.Source.Field)
		}
		e.TriesLeft = triesLeft(item.Meta)
	} else {
		var flat struct {
			Title   string `json:"title"`
			Message string `json:"message"`
			Detail  string `json:"detail"`
			Code    string `json:"code"`
		}
		if json.Unmarshal(body, &flat) == nil {
			e.Title = clip(flat.Title)
			if e.Title == "" {
				e.Title = clip(flat.Message)
			}
			e.Detail = clip(flat.Detail)
			e.Code = clip(flat.Code)
		}
	}
	if e.Title == "" {
		e.Title = http.StatusText(status)
	}
	e.RetryAfter = retryAfterSeconds(header.Get("Retry-After"), time.Now())
	return e
}

// triesLeft reads meta.triesLeft, a number (or a numeric string).
func triesLeft(meta map[string]any) int {
	switch v := meta["triesLeft"].(type) {
	case float64:
		if v >= 0 && v <= 1000 && v == math.Trunc(v) {
			return int(v)
		}
	case string:
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 1000 {
			return n
		}
	}
	return 0
}

// retryAfterSeconds reads a Retry-After header: delay-seconds or an HTTP
// date. 0 when absent or unreadable.
func retryAfterSeconds(v string, now time.Time) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return min(n, 24*60*60)
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d <= 0 {
			return 0
		}
		return min(int(math.Ceil(d.Seconds())), 24*60*60)
	}
	return 0
}

// clip shortens s to maxErrorText bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
