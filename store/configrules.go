package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"konto/store/rules"
)

// rules reads the [[rules]] (or [[profiles.NAME.rules]]) of the file into
// prof: a profile's own rules come before the top-level ones it inherits.
// Each problem is reported with the file and line of the key, and the key
// named as the user counts: "rules[2].category" is the second rule's.
func (p *configParser) rules(prof *Profile, path []string, value any) {
	var tables []map[string]any
	switch v := value.(type) {
	case []map[string]any:
		tables = v
	case []any: // rules = [{…}, {…}]
		for i, item := range v {
			t, ok := item.(map[string]any)
			if !ok {
				p.failKey(append(slices.Clip(path), strconv.Itoa(i)), ruleKey(path, i, ""),
					"want a table of rule keys, got %s", typeName(item))
				return
			}
			tables = append(tables, t)
		}
	default:
		p.fail(path, "want [[rules]] tables, got %s", typeName(value))
		return
	}
	var own []rules.Rule
	for i, table := range tables {
		rulePath := append(slices.Clip(path), strconv.Itoa(i))
		r, errs := rules.FromTable(table)
		for _, e := range errs {
			at := rulePath
			if e.Key != "" {
				at = append(slices.Clip(rulePath), e.Key)
			}
			p.failKey(at, ruleKey(path, i, e.Key), "%s", e.Msg)
		}
		if len(errs) == 0 {
			r.Source = fmt.Sprintf("%s:%d", p.cfg.Path, lineOf(p.cfg.lines, rulePath))
			own = append(own, r)
		}
	}
	prof.Rules = append(own, prof.Rules...)
}

// ruleKey names a rule's key for an error: rules[2].category.
func ruleKey(path []string, i int, key string) string {
	name := fmt.Sprintf("%s[%d]", strings.Join(path, "."), i+1)
	if key != "" {
		name += "." + key
	}
	return name
}

// failKey is fail with the key named apart from the path its line is
// looked up by.
func (p *configParser) failKey(path []string, key, format string, args ...any) {
	e := &ConfigError{
		File: p.cfg.Path,
		Line: lineOf(p.cfg.lines, path),
		Key:  key,
		Msg:  fmt.Sprintf(format, args...),
	}
	if p.first == nil || e.Line < p.first.Line || (e.Line == p.first.Line && e.Key < p.first.Key) {
		p.first = e
	}
}

// RuleSet compiles the profile's rules, followed by the built-in defaults
// unless default_rules = false. The config parser has checked every rule,
// so this fails only for a Profile built by hand.
func (p Profile) RuleSet() (*rules.Set, error) {
	set, err := rules.New(p.Rules, p.DefaultRules)
	if err != nil {
		return nil, fmt.Errorf("profile %s: rules: %w", p.Name, err)
	}
	return set, nil
}

// AppendRule adds r to the config file, for this profile when it is one
// the file names ([[profiles.NAME.rules]]), else for every profile
// ([[rules]]), and returns the rule as it now reads (its Source set).
// The rest of the file is kept as it was (rules.AppendRule).
func (c *Config) AppendRule(profile string, r rules.Rule) (rules.Rule, error) {
	if _, ok := c.Profiles[profile]; !ok {
		profile = ""
	}
	line, err := rules.AppendRule(c.Path, profile, r)
	if err != nil {
		return rules.Rule{}, err
	}
	r.Source = fmt.Sprintf("%s:%d", c.Path, line)
	return r, nil
}
