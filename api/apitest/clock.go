package apitest

import (
	"os"
	"testing"
	"time"
)

// EnvNow names the variable that moves the tests' clock: an RFC 3339 time
// (KONTO_TEST_NOW=2027-01-01T00:30:00+01:00 go test ./...). Tests never read
// the wall clock, so the suite can be run at any date on purpose.
const EnvNow = "KONTO_TEST_NOW"

// DefaultNow is the tests' clock when EnvNow is not set.
var DefaultNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// Now is the instant the tests' banks and konto start at: EnvNow, or
// DefaultNow. A malformed EnvNow fails the test rather than be ignored.
func Now(t testing.TB) time.Time {
	t.Helper()
	s := os.Getenv(EnvNow)
	if s == "" {
		return DefaultNow
	}
	now, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("%s=%q: want an RFC 3339 time such as 2026-11-20T10:00:00+01:00", EnvNow, s)
	}
	return now
}

// Clock is Now as a sandbox.Options.Now: the bank's clock starts at Now.
func Clock(t testing.TB) func() time.Time {
	t.Helper()
	now := Now(t)
	return func() time.Time { return now }
}

// NowArg is Now formatted for konto's --now flag and KONTO_SANDBOX_NOW.
func NowArg(t testing.TB) string {
	t.Helper()
	return Now(t).Format(time.RFC3339)
}
