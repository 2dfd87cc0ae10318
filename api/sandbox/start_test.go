package sandbox

import (
	"strings"
	"testing"
	"time"
)

func TestParseStart(t *testing.T) {
	want := time.Date(2027, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600))
	for _, tc := range []struct {
		flag, env string
		want      time.Time
		err       string
	}{
		{"", "", time.Time{}, ""},
		{"2027-01-01T00:30:00+01:00", "", want, ""},
		{"", "2027-01-01T00:30:00+01:00", want, ""},
		{"2027-01-01T00:30:00+01:00", "2020-01-01T00:00:00Z", want, ""},
		{"tomorrow", "", time.Time{}, `--now "tomorrow" is not an RFC 3339 time`},
		{"", "2027-01-01", time.Time{}, `KONTO_SANDBOX_NOW "2027-01-01" is not an RFC 3339 time`},
	} {
		got, err := ParseStart(tc.flag, tc.env)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseStart(%q, %q) error %v, want %q", tc.flag, tc.env, err, tc.err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseStart(%q, %q) = %v, %v; want %v", tc.flag, tc.env, got, err, tc.want)
		}
	}
}

func TestStartAtFixesTheClock(t *testing.T) {
	start := time.Date(2028, 2, 29, 11, 0, 0, 0, time.UTC)
	b, err := New(Options{Now: StartAt(start), Transactions: 10})
	if err != nil {
		t.Fatal(err)
	}
	if d := b.Now().Sub(start); d < 0 || d > time.Minute {
		t.Errorf("bank started at %v, want %v", b.Now(), start)
	}
	if StartAt(time.Time{}) != nil {
		t.Error("StartAt(zero) should leave the default clock")
	}
}
