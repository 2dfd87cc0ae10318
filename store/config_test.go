package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigMissingFileGivesDefaults(t *testing.T) {
	c, err := LoadConfig(filepath.Join(t.TempDir(), "nope", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	got := c.Profile("default")
	want := Profile{Name: "default", APIURL: "https://api.kontist.com", Theme: "auto", Layout: "auto", Cache: true, PollInterval: 60 * time.Second, DefaultRules: true, Keys: map[string][]string{}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
}

func TestDefaultConfigTextParsesToTheDefaults(t *testing.T) {
	c, err := ParseConfig("config.toml", []byte(DefaultConfigText()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Profile("default"), DefaultProfileSettings("default"); !reflect.DeepEqual(got, want) {
		t.Errorf("example config = %+v, want the defaults %+v", got, want)
	}
	// Its commented examples are valid too, once uncommented.
	example := regexp.MustCompile(`^# ([a-z_.]+ = |\[profiles\.|\[\[rules\]\])`)
	var uncommented []string
	for _, line := range strings.Split(DefaultConfigText(), "\n") {
		if example.MatchString(line) {
			line = strings.TrimPrefix(line, "# ")
		}
		uncommented = append(uncommented, line)
	}
	c, err = ParseConfig("config.toml", []byte(strings.Join(uncommented, "\n")))
	if err != nil {
		t.Fatalf("uncommented example: %v", err)
	}
	if got := c.Profile("default"); len(got.Rules) != 1 || got.Rules[0].Category != "food" || got.Rules[0].Counterparty != "Bäckerei" {
		t.Errorf("uncommented example rules = %+v", got.Rules)
	}
	if got := c.Profile("sandbox"); got.APIURL != "http://127.0.0.1:8080" || got.Cache || len(got.Keys["list.down"]) != 3 {
		t.Errorf("uncommented example sandbox profile = %+v", got)
	}
}

func TestLoadConfigProfilesAndKeys(t *testing.T) {
	c, err := LoadConfig("testdata/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	def := c.Profile("default")
	if !def.ReadOnly || def.Theme != "dark" || def.PollInterval != 2*time.Minute || !def.Cache || def.APIURL != DefaultAPIURL {
		t.Errorf("default profile = %+v", def)
	}
	if !reflect.DeepEqual(def.Keys, map[string][]string{"global.quit": {"q", "ctrl+c", "й"}}) {
		t.Errorf("default keys = %v", def.Keys)
	}
	work := c.Profile("work")
	wantKeys := map[string][]string{
		"global.quit":  {"q", "ctrl+c", "й"}, // inherited from the top level
		"global.help":  {"?", "h"},
		"list.down":    {"j", "down", "n"},
		"list.up":      {"k"},
		"detail.close": {},
	}
	if work.Name != "work" || work.APIURL != "http://127.0.0.1:8080" || work.Cache || work.ReadOnly ||
		work.Theme != "dark" || work.PollInterval != 150*time.Second || !reflect.DeepEqual(work.Keys, wantKeys) {
		t.Errorf("work profile = %+v", work)
	}
	// A profile the file does not name gets the top-level settings.
	other := c.Profile("other")
	if other.Name != "other" || other.ReadOnly || other.Theme != "dark" || len(other.Keys) != 1 {
		t.Errorf("unnamed profile = %+v", other)
	}
	// Profiles are copies: changing one does not change the config.
	work.Keys["list.down"][0] = "x"
	if c.Profile("work").Keys["list.down"][0] != "j" {
		t.Error("Profile shares its key slices with the config")
	}

	e := c.KeyError("work", "list.down", `"n" is also bound to transfer`)
	if e.Line != 17 || e.Key != "profiles.work.keys.list.down" || !strings.Contains(e.Error(), "testdata/config.toml:17: ") {
		t.Errorf("KeyError = %+v (%v)", e, e)
	}
	e = c.KeyError("work", "global.help", "collides")
	if e.Line != 22 {
		t.Errorf("KeyError for a nested table = %+v", e)
	}
	e = c.KeyError("work", "global.quit", "collides")
	if e.Line != 6 || e.Key != "keys.global.quit" {
		t.Errorf("KeyError for an inherited binding = %+v", e)
	}
}

func TestConfigErrorsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		name, text string
		line       int
		key, msg   string
	}{
		{"syntax", "theme = \"dark\"\npoll_interval = = 3\n", 2, "poll_interval", "expected value"},
		{"not a duration", "theme = \"dark\"\n\n[profiles.work]\npoll_interval = \"soon\"\n", 4, "profiles.work.poll_interval", `not a duration: "soon"`},
		{"too short", "poll_interval = \"1s\"\n", 1, "poll_interval", "too short"},
		{"duration of wrong type", "poll_interval = true\n", 1, "poll_interval", "not a duration: true"},
		{"unknown top-level key", "theme = \"dark\"\ncolour = \"red\"\n", 2, "colour", "unknown key"},
		{"unknown profile key", "[profiles.work]\ncache = true\n\n  apiurl = \"x\"\n", 4, "profiles.work.apiurl", "unknown key"},
		{"bad theme", "[profiles.a]\ntheme = \"pink\"\n", 2, "profiles.a.theme", `"auto", "dark" or "light", got "pink"`},
		{"bad layout", "layout = \"grid\"\n", 1, "layout", `"auto", "side" or "stacked", got "grid"`},
		{"layout not a string", "[profiles.b]\nlayout = 2\n", 2, "profiles.b.layout", `"auto", "side" or "stacked", got 2`},
		{"bad bool", "read_only = \"yes\"\n", 1, "read_only", `want true or false, got "yes"`},
		{"bad url", "api_url = \"ftp://bank\"\n", 1, "api_url", "not an http(s) URL"},
		{"url not a string", "api_url = 5\n", 1, "api_url", "got a number"},
		{"plain http to a remote bank", "[profiles.work]\napi_url = \"http://bank.example\"\n", 2, "profiles.work.api_url", "plain http is allowed only for loopback"},
		{"credentials in the url", "api_url = \"https://me:pw@bank.example\"\n", 1, "api_url", "must not carry credentials"},
		{"bad key list", "[keys]\nlist.down = [\"j\", 5]\n", 2, "keys.list.down", "got 5"},
		{"duplicate key", "[keys]\nlist.down = [\"j\", \"j\"]\n", 2, "keys.list.down", `"j" listed twice`},
		{"empty key", "[keys.list]\ndown = \"\"\n", 2, "keys.list.down", "empty key name"},
		{"bad action", "[keys]\nList = \"j\"\n", 2, "keys.List", "invalid action name"},
		{"keys not a table", "keys = \"j\"\n", 1, "keys", "want a table"},
		{"bad profile name", "[profiles.\"../x\"]\ncache = true\n", 1, "profiles.../x", "invalid profile name"},
		{"profile not a table", "profiles = 3\n", 1, "profiles", "want a table of profiles"},
		{"multi-line array", "[keys]\nlist.up = [\n  \"k\",\n]\nlist.down = [\n  \"j\",\n  7,\n]\n", 5, "keys.list.down", "got 7"},
		{"first problem wins", "theme = \"x\"\nread_only = 1\ncache = 2\n", 1, "theme", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if ce.File != path || ce.Line != tc.line || ce.Key != tc.key || !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("got %+v, want line %d key %q msg containing %q", ce, tc.line, tc.key, tc.msg)
			}
			prefix := path + ":" + strconv.Itoa(tc.line) + ": "
			if tc.key != "" {
				prefix += "key \"" + tc.key + "\": "
			}
			if !strings.HasPrefix(ce.Error(), prefix) {
				t.Errorf("Error() = %q, want prefix %q", ce.Error(), prefix)
			}
		})
	}
}

func TestConfigPaths(t *testing.T) {
	env := map[string]string{"XDG_CONFIG_HOME": "/x/config", "XDG_CACHE_HOME": "/x/cache"}
	getenv := func(k string) string { return env[k] }
	if p, err := ConfigPath(getenv); err != nil || p != "/x/config/konto/config.toml" {
		t.Errorf("ConfigPath = %q, %v", p, err)
	}
	if p, err := SecretsDir(getenv); err != nil || p != "/x/config/konto/credentials" {
		t.Errorf("SecretsDir = %q, %v", p, err)
	}
	if p, err := CachePath(getenv, "work"); err != nil || p != "/x/cache/konto/work.db" {
		t.Errorf("CachePath = %q, %v", p, err)
	}
	if _, err := CachePath(getenv, "../etc"); err == nil {
		t.Error("CachePath accepted a profile name with a path in it")
	}
	// A relative XDG value is ignored, as the XDG spec says.
	env["XDG_CONFIG_HOME"] = "relative"
	if p, err := ConfigPath(getenv); err == nil && strings.HasPrefix(p, "relative") {
		t.Errorf("ConfigPath used a relative XDG_CONFIG_HOME: %q", p)
	}
}
