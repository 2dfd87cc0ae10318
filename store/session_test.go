package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestSessionRecordKeepsTheTokenWithItsBank(t *testing.T) {
	ctx := context.Background()
	files := NewFileSecrets(t.TempDir())
	want := StoredSession{APIURL: "http://127.0.0.1:8080", RefreshToken: "eyJ.a.b"}
	if err := SaveSession(ctx, files, "default", want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSession(ctx, files, "default")
	if err != nil || got != want {
		t.Fatalf("LoadSession = %+v, %v; want %+v", got, err, want)
	}
	data, err := os.ReadFile(files.Path("default"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"api_url":"http://127.0.0.1:8080"`) {
		t.Errorf("the file does not record the API URL: %s", data)
	}
	if err := SaveSession(ctx, files, "default", StoredSession{RefreshToken: "x"}); err == nil {
		t.Error("a session without its API URL was stored")
	}
}

func TestSessionOfAnEarlierKontoHasNoKnownBank(t *testing.T) {
	ctx := context.Background()
	mem := NewMemorySecrets()
	for _, tc := range []struct {
		secret string
		want   StoredSession
		err    error
	}{
		{"eyJ.a.b\n", StoredSession{RefreshToken: "eyJ.a.b"}, nil},
		{`{"api_url":"https://api.kontist.com","refresh_token":"t","later":1}`, StoredSession{APIURL: "https://api.kontist.com", RefreshToken: "t"}, nil},
		{`{"api_url":"https://api.kontist.com"}`, StoredSession{}, ErrDamagedSession},
		{`{"refresh_token":"t"}`, StoredSession{}, ErrDamagedSession},
		{`{"api_url":`, StoredSession{}, ErrDamagedSession},
		{"two words", StoredSession{}, ErrDamagedSession},
		{"", StoredSession{}, ErrNotFound},
	} {
		if err := mem.Set(ctx, "p", tc.secret); err != nil {
			t.Fatal(err)
		}
		if tc.secret == "" {
			_ = mem.Delete(ctx, "p")
		}
		got, err := LoadSession(ctx, mem, "p")
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("%q: %+v, %v; want %+v, %v", tc.secret, got, err, tc.want, tc.err)
		}
	}
}
