package common

import (
	"fmt"
	"strings"
	"testing"

	"konto/api"
)

func TestErrorTextSanitisesTheBanksWords(t *testing.T) {
	err := fmt.Errorf("load accounts: %w", &api.Error{Status: 400, Detail: "bad\x1b]0;pwned\x07 \x1b[2Jinput"})
	got := ErrorText(err)
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Fatalf("ErrorText = %q: control characters from the bank reach the screen", got)
	}
	if !strings.Contains(got, "bad") || !strings.Contains(got, "input") {
		t.Fatalf("ErrorText = %q: the bank's words are lost", got)
	}
}

func TestErrorTextNamesWhatHappened(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&api.OutcomeUnknownError{Err: fmt.Errorf("EOF")}, "may or may not"},
		{fmt.Errorf("list: %w", &api.BadAnswerError{}), "could not be read"},
		{fmt.Errorf("auth token: %w", api.ErrLoginNeeded), "log in again"},
		{fmt.Errorf("GET /x: %w: larger than 8 MiB", api.ErrAnswerTooLarge), "too large"},
	} {
		if got := ErrorText(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("ErrorText(%v) = %q, want it to say %q", tc.err, got, tc.want)
		}
	}
}
