package store

// Resolve: the settings in force for one run, the config file's profile
// with the command line's flags on top.

import (
	"fmt"
	"strings"

	"konto/api"
)

// Overrides are the command line's settings over the config's; nil and
// false leave the config's.
type Overrides struct {
	APIURL   *string // --api-url
	Theme    *string // --theme
	Layout   *string // --layout
	ReadOnly bool    // --read-only: read-only whatever the config says
	NoCache  bool    // --no-cache: no cache whatever the config says
}

// Settings are a profile's effective settings.
type Settings struct {
	Profile Profile
	// ConfiguredURL is the profile's api_url from the config (or the
	// default), before --api-url: the bank a session stored by an earlier
	// konto, which did not record its bank, is taken to be from.
	ConfiguredURL string
}

// Resolve is the settings of profile in cfg with o on top. A profile name
// or an --api-url konto cannot use is an error, said now in a sentence
// rather than as a bank that "cannot be reached" later.
func Resolve(cfg *Config, profile string, o Overrides) (Settings, error) {
	if !ValidProfileName(profile) {
		return Settings{}, fmt.Errorf("--profile %q: use letters, digits, '.', '_' and '-'", profile)
	}
	s := Settings{Profile: cfg.Profile(profile)}
	s.ConfiguredURL = s.Profile.APIURL
	p := &s.Profile
	if o.APIURL != nil {
		p.APIURL = strings.TrimRight(*o.APIURL, "/")
		if _, err := api.New(p.APIURL, nil); err != nil {
			return Settings{}, fmt.Errorf("--api-url: %w", err)
		}
	}
	if o.Theme != nil {
		p.Theme = *o.Theme
	}
	if o.Layout != nil {
		p.Layout = *o.Layout
	}
	p.ReadOnly = p.ReadOnly || o.ReadOnly
	p.Cache = p.Cache && !o.NoCache
	return s, nil
}
