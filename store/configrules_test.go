package store

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"konto/store/rules"
)

const rulesConfig = `# rules of a freelancer
[[rules]]
counterparty = "Bäckerei"
category = "food"

[[rules]]
iban = "DE89 3704 0044 0532 0130 00"
category = "rent"
payee = "Landlord"

[profiles.work]
default_rules = false

[[profiles.work.rules]]
counterparty_regex = '^acme\b'
direction = "in"
category = "income:acme"
tags = ["client"]
`

func TestConfigRules(t *testing.T) {
	c, err := ParseConfig("config.toml", []byte(rulesConfig))
	if err != nil {
		t.Fatal(err)
	}
	def := c.Profile("default")
	if len(def.Rules) != 2 || def.Rules[0].Category != "food" || def.Rules[1].Payee != "Landlord" || !def.DefaultRules {
		t.Fatalf("default profile rules = %+v", def.Rules)
	}
	if def.Rules[0].Source != "config.toml:2" || def.Rules[1].Source != "config.toml:6" {
		t.Errorf("sources %q, %q", def.Rules[0].Source, def.Rules[1].Source)
	}
	work := c.Profile("work")
	if len(work.Rules) != 3 || work.Rules[0].Category != "income:acme" || work.Rules[1].Category != "food" || work.DefaultRules {
		t.Fatalf("work profile rules = %+v", work.Rules)
	}
	if work.Rules[0].Source != "config.toml:14" {
		t.Errorf("work source %q", work.Rules[0].Source)
	}
	set, err := work.RuleSet()
	if err != nil || set.Len() != 3 {
		t.Errorf("work RuleSet: %v, %v", set, err)
	}
	set, err = def.RuleSet()
	if err != nil || set.Len() != 2+len(rules.Defaults()) {
		t.Errorf("default RuleSet: %v", err)
	}
	// Profiles do not share their slices.
	work.Rules[0].Category = "changed"
	if c.Profile("work").Rules[0].Category != "income:acme" {
		t.Error("Profile returned the config's own slice")
	}
}

func TestConfigRuleErrorsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		{"[[rules]]\ncounterparty = \"a\"\ncategory = \"b\"\n\n[[rules]]\ncounterparty_regex = \"(\"\ncategory = \"x\"\n",
			`config.toml:6: key "rules[2].counterparty_regex": not a regular expression: missing closing ) in (`},
		{"[[rules]]\ncategory = \"b\"\n", `config.toml:1: key "rules[1]": matches every booking`},
		{"[[rules]]\ncounterparty = \"a\"\ncategory = \"b\"\ncolour = \"red\"\n", `config.toml:4: key "rules[1].colour": unknown key (known: counterparty,`},
		{"[profiles.w]\n[[profiles.w.rules]]\ncounterparty = \"a\"\namount = \"lots\"\ncategory = \"b\"\n", `config.toml:4: key "profiles.w.rules[1].amount": "lots" is not an amount condition`},
		{"rules = [{counterparty = \"a\", category = \"b\"}, {category = \"c\"}]\n", `config.toml:1: key "rules[2]": matches every booking`},
		{"rules = \"all\"\n", `config.toml:1: key "rules": want [[rules]] tables, got a string`},
		{"default_rules = 1\n", `config.toml:1: key "default_rules": want true or false, got 1`},
	}
	for _, c := range cases {
		_, err := ParseConfig("config.toml", []byte(c.text))
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s…", c.text, err, c.want)
		}
	}
}

func TestKeyLinesNumberArrayTables(t *testing.T) {
	lines := keyLines(rulesConfig)
	for key, want := range map[string]int{
		"rules":                                  2,
		"rules\x1f0":                             2,
		"rules\x1f0\x1fcategory":                 4,
		"rules\x1f1":                             6,
		"rules\x1f1\x1fpayee":                    9,
		"profiles\x1fwork\x1fdefault_rules":      12,
		"profiles\x1fwork\x1frules\x1f0":         14,
		"profiles\x1fwork\x1frules\x1f0\x1ftags": 18,
	} {
		if lines[key] != want {
			t.Errorf("line of %q = %d, want %d", key, lines[key], want)
		}
	}
}

func TestConfigAppendRuleReadsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(rulesConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.AppendRule("work", rules.Rule{Counterparty: "Bahn", Direction: "out", Category: "travel"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != path+":20" {
		t.Errorf("source %q", r.Source)
	}
	if _, err := c.AppendRule("default", rules.Rule{Counterparty: "Rewe", Category: "food"}); err != nil {
		t.Fatal(err)
	}
	again, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	work, def := again.Profile("work"), again.Profile("default")
	if len(work.Rules) != 5 || work.Rules[1].Category != "travel" || work.Rules[1].Source != r.Source {
		t.Errorf("work rules after append: %+v", work.Rules)
	}
	if len(def.Rules) != 3 || def.Rules[2].Counterparty != "Rewe" {
		t.Errorf("default rules after append: %+v", def.Rules)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), rulesConfig) {
		t.Errorf("the file's text changed:\n%s", data)
	}
}

func TestConfigPrivacy(t *testing.T) {
	c, err := ParseConfig("config.toml", []byte("privacy = true\n[profiles.work]\nprivacy = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Profile("default").Privacy || c.Profile("work").Privacy || !c.Profile("other").Privacy {
		t.Errorf("privacy: default %v, work %v, other %v", c.Profile("default").Privacy, c.Profile("work").Privacy, c.Profile("other").Privacy)
	}
	if _, err := ParseConfig("config.toml", []byte("privacy = \"yes\"\n")); err == nil || !strings.Contains(err.Error(), `config.toml:1: key "privacy": want true or false`) {
		t.Errorf("privacy = \"yes\": %v", err)
	}
}

// Whatever a config file says about rules, parsing it never panics; a
// config that parses gives rules that compile and read back from TOML, and
// a bad one names its file (and a line when it has one).
func FuzzConfigRules(f *testing.F) {
	f.Add(rulesConfig)
	f.Add("[[rules]]\ncounterparty_regex = \"(\"\ncategory = \"x\"\n")
	f.Add("rules = [{amount = \"-100..-10\", category = \"a:b\", tags = [\"x\"]}]\n")
	f.Add("[[profiles.w.rules]]\nforeign = true\ncategory = \"abroad\"\n[[rules]]\nrules = 1\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseConfig("config.toml", []byte(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "config.toml") {
				t.Fatalf("error %q names no file", err)
			}
			return
		}
		for _, name := range append([]string{"default"}, slices.Collect(maps.Keys(c.Profiles))...) {
			prof := c.Profile(name)
			if _, err := prof.RuleSet(); err != nil {
				t.Fatalf("profile %s: parsed rules do not compile: %v", name, err)
			}
			for _, r := range prof.Rules {
				if !strings.HasPrefix(r.Source, "config.toml:") {
					t.Fatalf("rule %+v has no source", r)
				}
			}
		}
	})
}
