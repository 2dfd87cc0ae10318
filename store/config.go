package store

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"konto/api"
	"konto/store/alerts"
	"konto/store/rules"
)

// Built-in defaults, used for whatever the config file leaves out.
const (
	DefaultAPIURL       = "https://api.kontist.com"
	DefaultTheme        = "auto"
	DefaultLayout       = "auto"
	DefaultPollInterval = 60 * time.Second
	// MinPollInterval keeps a typo ("1s") from hammering the bank.
	MinPollInterval = 5 * time.Second
)

// Profile is the settings of one profile, defaults merged in.
type Profile struct {
	Name     string
	APIURL   string
	Theme    string // "auto", "dark" or "light"
	Layout   string // "auto", "side" or "stacked"
	ReadOnly bool
	Cache    bool
	// Privacy starts the dashboard with every amount, balance and IBAN
	// masked (the privacy key shows them).
	Privacy      bool
	PollInterval time.Duration
	// Rules are the category rules in force, in order: the profile's own
	// [[profiles.NAME.rules]], then the top-level [[rules]]; the built-in
	// defaults follow unless DefaultRules is false (RuleSet).
	Rules        []rules.Rule
	DefaultRules bool
	// Keys maps an action ("list.down", "global.quit") to the keys bound to
	// it, replacing the built-in keys of that action. Only actions the config
	// names are here; an empty list unbinds the action.
	Keys map[string][]string
}

// DefaultProfileSettings returns the built-in settings of a profile.
func DefaultProfileSettings(name string) Profile {
	return Profile{
		Name:         name,
		APIURL:       DefaultAPIURL,
		Theme:        DefaultTheme,
		Layout:       DefaultLayout,
		Cache:        true,
		PollInterval: DefaultPollInterval,
		DefaultRules: true,
		Keys:         map[string][]string{},
	}
}

// Config is the parsed config file.
type Config struct {
	// Path is the file it was read from (it may not exist).
	Path string
	// Profiles holds every profile the file names, defaults merged in.
	Profiles map[string]Profile
	// Alerts are the [[alerts]] rules, for every profile.
	Alerts []alerts.Rule

	base  Profile        // built-in defaults with the file's top-level settings
	lines map[string]int // key path (joined by pathSep) -> line in the file
}

// ConfigError is an invalid config file: which file, line and key, and what
// is wrong, in words for the user.
type ConfigError struct {
	File string
	Line int    // 0 if unknown
	Key  string // dotted key path, "" if none applies
	Msg  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		fmt.Fprintf(&b, "key %q: ", e.Key)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MaxConfigSize is the largest config file konto reads: a real one is a
// few KiB.
const MaxConfigSize = 1 << 20

// LoadConfig reads the config file at path. A missing file is not an
// error: every profile then has the defaults. An invalid one is a
// *ConfigError, and so is a path that is not a regular file (a FIFO, a
// link to /dev/zero) or a file of more than MaxConfigSize: konto stops
// rather than hang, or start without the settings the user made.
func LoadConfig(path string) (*Config, error) {
	data, err := ReadSmallFile(path, MaxConfigSize)
	var tooLarge *FileTooLargeError
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return emptyConfig(path), nil
	case errors.Is(err, ErrNotRegularFile) && errors.As(err, &pathErr):
		return nil, &ConfigError{File: path, Msg: pathErr.Err.Error() + "; the config must be a file"}
	case errors.As(err, &tooLarge):
		return nil, &ConfigError{File: path, Msg: fmt.Sprintf("%s; a config file is at most %s", byteSize(tooLarge.Size), byteSize(tooLarge.Limit))}
	case err != nil:
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseConfig(path, data)
}

func emptyConfig(path string) *Config {
	return &Config{
		Path:     path,
		Profiles: map[string]Profile{},
		base:     DefaultProfileSettings(""),
		lines:    map[string]int{},
	}
}

// ParseConfig parses config text; path is only used in errors.
func ParseConfig(path string, data []byte) (*Config, error) {
	src := string(data)
	var raw map[string]any
	if _, err := toml.Decode(src, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ConfigError{File: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message}
		}
		return nil, &ConfigError{File: path, Msg: err.Error()}
	}
	c := emptyConfig(path)
	c.lines = keyLines(src)
	p := &configParser{cfg: c}

	// Top-level settings apply to every profile; [profiles.NAME] override them.
	for key, value := range raw {
		if key == "profiles" || key == "alerts" {
			continue
		}
		p.setting(&c.base, []string{key}, value)
	}
	if profiles, ok := raw["profiles"]; ok {
		table, ok := profiles.(map[string]any)
		if !ok {
			p.fail([]string{"profiles"}, "want a table of profiles ([profiles.NAME]), got %s", typeName(profiles))
		}
		for name, value := range table {
			path := []string{"profiles", name}
			if !ValidProfileName(name) {
				p.fail(path, "invalid profile name: use letters, digits, '.', '_' and '-'")
				continue
			}
			settings, ok := value.(map[string]any)
			if !ok {
				p.fail(path, "want a table ([profiles.%s]), got %s", name, typeName(value))
				continue
			}
			prof := cloneProfile(c.base)
			prof.Name = name
			for key, v := range settings {
				p.setting(&prof, append(slices.Clip(path), key), v)
			}
			c.Profiles[name] = prof
		}
	}
	if value, ok := raw["alerts"]; ok {
		c.Alerts = p.parseAlerts(src, value)
	}
	if p.first != nil {
		return nil, p.first
	}
	return c, nil
}

// Profile returns the settings of the named profile: built-in defaults,
// then the file's top-level settings, then its [profiles.NAME] table. A
// profile the file does not name gets the first two.
func (c *Config) Profile(name string) Profile {
	if prof, ok := c.Profiles[name]; ok {
		return cloneProfile(prof)
	}
	prof := cloneProfile(c.base)
	prof.Name = name
	return prof
}

// KeyError builds a ConfigError pointing at the binding of action in the
// profile (or the top-level [keys] it inherits), for problems only the UI
// can see, such as two actions of one context sharing a key.
func (c *Config) KeyError(profile, action, msg string) *ConfigError {
	actionPath := strings.Split(action, ".")
	candidates := [][]string{
		append([]string{"profiles", profile, "keys"}, actionPath...),
		append([]string{"keys"}, actionPath...),
	}
	for _, path := range candidates {
		if line, ok := c.lines[strings.Join(path, pathSep)]; ok {
			return &ConfigError{File: c.Path, Line: line, Key: strings.Join(path, "."), Msg: msg}
		}
	}
	// Bound inside an inline table, or not bound in the file at all.
	path := candidates[0]
	if _, ok := c.Profiles[profile]; !ok {
		path = candidates[1]
	}
	return &ConfigError{File: c.Path, Line: lineOf(c.lines, path), Key: strings.Join(path, "."), Msg: msg}
}

func cloneProfile(p Profile) Profile {
	keys := make(map[string][]string, len(p.Keys))
	for action, k := range p.Keys {
		keys[action] = slices.Clone(k)
	}
	p.Keys = keys
	p.Rules = slices.Clone(p.Rules)
	return p
}

// configParser validates decoded TOML values and remembers the problem that
// comes first in the file (map iteration order is random; the file is not).
type configParser struct {
	cfg   *Config
	first *ConfigError
}

func (p *configParser) fail(path []string, format string, args ...any) {
	e := &ConfigError{
		File: p.cfg.Path,
		Line: lineOf(p.cfg.lines, path),
		Key:  strings.Join(path, "."),
		Msg:  fmt.Sprintf(format, args...),
	}
	if p.first == nil || e.Line < p.first.Line || (e.Line == p.first.Line && e.Key < p.first.Key) {
		p.first = e
	}
}

var settingNames = []string{"api_url", "theme", "layout", "read_only", "cache", "poll_interval", "keys", "rules", "default_rules", "privacy"}

func (p *configParser) setting(prof *Profile, path []string, value any) {
	switch key := path[len(path)-1]; key {
	case "api_url":
		s, ok := value.(string)
		if !ok {
			p.fail(path, "want a URL in quotes, got %s", typeName(value))
			return
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.fail(path, "not an http(s) URL: %q", s)
			return
		}
		// The client's own rules (plain http only on loopback, no
		// credentials in the URL), said here with the file and line rather
		// than later as a bank that "cannot be reached".
		if _, err := api.New(s, nil); err != nil {
			p.fail(path, "%v", err)
			return
		}
		prof.APIURL = strings.TrimRight(s, "/")
	case "theme":
		s, ok := value.(string)
		// The same names as the theme package's --theme flag.
		if !ok || (s != "auto" && s != "dark" && s != "light") {
			p.fail(path, "want \"auto\", \"dark\" or \"light\", got %s", describe(value))
			return
		}
		prof.Theme = s
	case "layout":
		s, ok := value.(string)
		// The same names as the --layout flag.
		if !ok || (s != "auto" && s != "side" && s != "stacked") {
			p.fail(path, "want \"auto\", \"side\" or \"stacked\", got %s", describe(value))
			return
		}
		prof.Layout = s
	case "read_only", "cache", "default_rules", "privacy":
		b, ok := value.(bool)
		if !ok {
			p.fail(path, "want true or false, got %s", describe(value))
			return
		}
		switch key {
		case "read_only":
			prof.ReadOnly = b
		case "cache":
			prof.Cache = b
		case "privacy":
			prof.Privacy = b
		default:
			prof.DefaultRules = b
		}
	case "rules":
		p.rules(prof, path, value)
	case "poll_interval":
		d, ok := p.duration(path, value)
		if ok {
			prof.PollInterval = d
		}
	case "keys":
		table, ok := value.(map[string]any)
		if !ok {
			p.fail(path, "want a table of actions ([keys]), got %s", typeName(value))
			return
		}
		p.keys(prof, path, nil, table)
	default:
		p.fail(path, "unknown key (known: %s)", strings.Join(settingNames, ", "))
	}
}

func (p *configParser) duration(path []string, value any) (time.Duration, bool) {
	var d time.Duration
	switch v := value.(type) {
	case string:
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			p.fail(path, "not a duration: %q (write e.g. \"60s\" or \"2m\")", v)
			return 0, false
		}
	case int64:
		// A bare number is seconds, as a user would mean it.
		if v > int64(24*time.Hour/time.Second) || v < 0 {
			p.fail(path, "out of range: %d seconds", v)
			return 0, false
		}
		d = time.Duration(v) * time.Second
	default:
		p.fail(path, "not a duration: %s (write e.g. \"60s\" or \"2m\")", describe(value))
		return 0, false
	}
	if d < MinPollInterval {
		p.fail(path, "%s is too short: at least %s", d, MinPollInterval)
		return 0, false
	}
	return d, true
}

// keys flattens nested tables into dotted action names: [keys.list] down =
// […] and [keys] list.down = […] both bind "list.down".
func (p *configParser) keys(prof *Profile, path, action []string, table map[string]any) {
	for name, value := range table {
		keyPath := append(slices.Clip(path), name)
		act := append(slices.Clip(action), name)
		if !validActionPart(name) {
			p.fail(keyPath, "invalid action name %q: use lower-case letters, digits, '_' and '-'", name)
			continue
		}
		switch v := value.(type) {
		case map[string]any:
			p.keys(prof, keyPath, act, v)
		case string:
			if strings.TrimSpace(v) == "" {
				p.fail(keyPath, "empty key name")
				continue
			}
			prof.Keys[strings.Join(act, ".")] = []string{strings.TrimSpace(v)}
		case []any:
			keys := make([]string, 0, len(v))
			ok := true
			for _, item := range v {
				s, isString := item.(string)
				s = strings.TrimSpace(s)
				switch {
				case !isString:
					p.fail(keyPath, "want key names in quotes, got %s", describe(item))
					ok = false
				case s == "":
					p.fail(keyPath, "empty key name")
					ok = false
				case slices.Contains(keys, s):
					p.fail(keyPath, "key %q listed twice", s)
					ok = false
				}
				if !ok {
					break
				}
				keys = append(keys, s)
			}
			if ok {
				prof.Keys[strings.Join(act, ".")] = keys
			}
		default:
			p.fail(keyPath, "want a key or a list of keys, e.g. [\"j\", \"down\"], got %s", describe(value))
		}
	}
}

func validActionPart(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// typeName names a decoded TOML value's type for an error message.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case bool:
		return "true/false"
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// describe shows a scalar's value and a table's or list's type.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case int64, float64, bool:
		return fmt.Sprint(v)
	}
	return typeName(v)
}

// DefaultConfigText is a documented example config that sets every key to
// its default (key bindings commented out), for the README and `konto config`.
func DefaultConfigText() string {
	return `# konto configuration: ` + "`konto config path`" + ` prints where this file lives.
# Flags override it (--profile, --theme, --read-only, --no-cache, ...).
# Top-level settings apply to every profile; [profiles.NAME] tables override
# them for one profile (choose it with --profile NAME; the default is "default").

# Base URL of the Kontist API. http:// is only accepted for loopback (the sandbox).
api_url = "https://api.kontist.com"

# Colours: "auto" (follow the terminal's background), "dark" or "light".
theme = "auto"

# Panes from 90 columns on: "side" (accounts | transactions | details side by
# side, details from 120 columns), "stacked" (accounts above a full-width list,
# details on enter: a scroll sends ~5x fewer bytes, for slow links) or "auto"
# (stacked over SSH, side by side otherwise). L switches while konto runs.
layout = "auto"

# true hides every way to move money (transfers, standing and timed orders).
read_only = false

# true starts with every amount, balance and IBAN masked, for a shared screen.
privacy = false

# Keep accounts, transactions and orders in an offline cache
# ($XDG_CACHE_HOME/konto/<profile>.db) so konto starts at once and works offline.
cache = true

# How often to look for new transactions: a duration such as "60s" or "2m"
# (a bare number is seconds; at least 5s).
poll_interval = "60s"

# Key bindings: action = a key or a list of keys (several keys per action, for
# other keyboard layouts). A listed action replaces its built-in keys; [] unbinds
# it. Actions are named context.action, e.g. list.down, global.quit; the help
# (?) shows the keys in force.
[keys]
# list.down = ["j", "down"]
# list.up = ["k", "up"]
# global.quit = ["q", "ctrl+c"]

# A second profile, e.g. against a local sandbox (konto sandbox):
# [profiles.sandbox]
# api_url = "http://127.0.0.1:8080"
# cache = false
# [profiles.sandbox.keys]
# list.down = ["j", "down", "ctrl+n"]

# Category rules: the first rule that matches a booking gives it a category,
# a clean payee name and tags (c on a booking sets one by hand and can write
# a rule here for you). Every key a rule names must match:
#   counterparty = "…"        the name contains it (case, accents, ß ignored)
#   counterparty_regex = "…"  or a regular expression on the name
#   iban = "DE…"              the counterparty's IBAN
#   purpose = "…"             the purpose contains it; purpose_regex = "…"
#   type = "card"             booking type or payment method (direct_debit, …)
#   amount = "-100..-10"      euros, the filter's syntax (">1000", "<0")
#   direction = "in"          or "out"; foreign = true: in another currency
# [[profiles.NAME.rules]] are a profile's own and come first. After yours,
# built-in rules know the tax office, health insurance, rent and card
# payments abroad; default_rules = false leaves them out.
# [[rules]]
# counterparty = "Bäckerei"
# category = "food"
# payee = "Bakery"
# tags = ["daily"]
`
}
