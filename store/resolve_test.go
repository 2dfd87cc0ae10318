package store

import (
	"context"
	"path/filepath"
	"testing"
)

func TestResolveConfigThenOverrides(t *testing.T) {
	cfg, err := ParseConfig("config.toml", []byte("[profiles.work]\napi_url = \"http://127.0.0.1:9000\"\nread_only = false\ntheme = \"dark\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(cfg, "work", Overrides{})
	if err != nil || s.Profile.APIURL != "http://127.0.0.1:9000" || s.ConfiguredURL != s.Profile.APIURL || s.Profile.Theme != "dark" || !s.Profile.Cache {
		t.Fatalf("config only: %+v, %v", s, err)
	}
	url, layout := "http://127.0.0.1:9999/", "side"
	s, err = Resolve(cfg, "work", Overrides{APIURL: &url, Layout: &layout, ReadOnly: true, NoCache: true})
	if err != nil || s.Profile.APIURL != "http://127.0.0.1:9999" || s.ConfiguredURL != "http://127.0.0.1:9000" ||
		s.Profile.Layout != "side" || s.Profile.Theme != "dark" || !s.Profile.ReadOnly || s.Profile.Cache {
		t.Fatalf("overrides: %+v, %v", s, err)
	}
	bad := "http://bank.example"
	if _, err := Resolve(cfg, "work", Overrides{APIURL: &bad}); err == nil {
		t.Error("plain http to a remote host resolved")
	}
	if _, err := Resolve(cfg, "no/such", Overrides{}); err == nil {
		t.Error("a profile name with a slash resolved")
	}
}

func TestTokenStorePlaces(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "XDG_DATA_HOME": filepath.Join(home, ".local/share")}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()

	// No keyring (no D-Bus session here), no consent: memory, and the checkbox is offered.
	ts := OpenTokenStore(ctx, TokenStoreOptions{Getenv: getenv, Profile: "default"})
	if ts.Place() != PlaceMemory || !ts.OffersFile() {
		t.Fatalf("without keyring or consent: place %d, offers file %v", ts.Place(), ts.OffersFile())
	}
	notice, _, err := ts.Keep(ctx, StoredSession{APIURL: "http://127.0.0.1:1", RefreshToken: "R"}, true)
	if err != nil || ts.Place() != PlaceFile || notice == "" {
		t.Fatalf("after the checkbox: place %d, notice %q, %v", ts.Place(), notice, err)
	}
	// The file counts as consent at the next start.
	ts = OpenTokenStore(ctx, TokenStoreOptions{Getenv: getenv, Profile: "default"})
	if ts.Place() != PlaceFile || ts.OffersFile() {
		t.Fatalf("next start: place %d, offers file %v", ts.Place(), ts.OffersFile())
	}
	if tok, reason := ts.StartToken(ctx, "http://127.0.0.1:1"); tok != "R" || reason != "" {
		t.Fatalf("StartToken = %q, %q", tok, reason)
	}
	env[EnvRefreshToken] = " E "
	ts = OpenTokenStore(ctx, TokenStoreOptions{Getenv: getenv, Profile: "default"})
	if ts.Place() != PlaceEnv || ts.EnvToken() != "E" {
		t.Fatalf("with %s: place %d, token %q", EnvRefreshToken, ts.Place(), ts.EnvToken())
	}
}
