package keys_test

import (
	"errors"
	"testing"

	"konto/store"
	"konto/ui/keys"
)

// A modal key clashing in the config file is refused naming the file, the
// line and the key, as the dashboard's keys are (the command line maps a
// KeyBindingError to its place in the file with Config.KeyError).
func TestModalClashNamesFileLineAndKey(t *testing.T) {
	for _, tt := range []struct{ config, want string }{
		{"theme = \"dark\"\n[keys]\nform.review = [\"f2\"]\ntan.clear = [\"enter\"]\n",
			`/cfg/config.toml:4: key "keys.tan.clear": key "enter" is also bound to tan.confirm`},
		{"[keys.dialog]\nyes = \"n\"\n",
			`/cfg/config.toml:2: key "keys.dialog.yes": key "n" is also bound to dialog.keep`},
		{"[profiles.work.keys]\nlogin.later = \"ctrl+s\"\n",
			`/cfg/config.toml:2: key "profiles.work.keys.login.later": key "ctrl+s" is also bound to login.keep_logged_in`},
	} {
		cfg, err := store.ParseConfig("/cfg/config.toml", []byte(tt.config))
		if err != nil {
			t.Fatal(err)
		}
		profile := store.DefaultProfile
		if _, ok := cfg.Profiles["work"]; ok {
			profile = "work"
		}
		km := keys.DefaultKeyMap()
		err = keys.ApplyKeyBindings(&km, cfg.Profile(profile).Keys)
		var kerr *keys.KeyBindingError
		if !errors.As(err, &kerr) {
			t.Fatalf("%q: error %v, want a clash", tt.config, err)
		}
		if got := cfg.KeyError(profile, kerr.Action, kerr.Msg).Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}
