package sandbox

import (
	"fmt"
	"time"
)

// EnvNow names the environment variable that sets where the virtual clock
// starts, for tests and demos that must not depend on today's date. The
// --now flag of `konto sandbox` and `konto --demo` wins over it.
const EnvNow = "KONTO_SANDBOX_NOW"

// ParseStart reads the start of the virtual clock from a --now flag's value
// or, when that is empty, from EnvNow's value: an RFC 3339 time such as
// 2026-11-20T10:00:00+01:00. Both empty give the zero time: start now.
func ParseStart(flagValue, envValue string) (time.Time, error) {
	name, s := "--now", flagValue
	if s == "" {
		name, s = EnvNow, envValue
	}
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time such as 2026-11-20T10:00:00+01:00", name, s)
	}
	return t, nil
}

// StartAt is an Options.Now that starts the clock at t; the zero t starts it now.
func StartAt(t time.Time) func() time.Time {
	if t.IsZero() {
		return nil
	}
	return func() time.Time { return t }
}
