package store

// The config's [[alerts]] tables (package alerts has the rules' meaning).
// They stand at the top level and apply to every profile:
//
//	[[alerts]]
//	when = "money_in"        # money_in, money_out, counterparty, balance_below, forecast_below, order_executed
//	above = "1.000,00"       # money_in, money_out: euros, as the forms take them (or a whole number)
//	below = 500              # balance_below, forecast_below
//	counterparty = "ACME"    # counterparty (and narrows money_in/out): part of the name, or an IBAN
//	within_days = 14         # forecast_below
//	account = "4711"         # an account id or IBAN (default: every account)
//	name = "salary"          # starts the alert's text
//	bell = true              # ring the terminal bell
//	desktop = "osc777"       # a desktop notification: "osc9", "osc777" or "both"

import (
	"fmt"
	"slices"
	"strings"

	"konto/api/sepa"
	"konto/store/alerts"
)

var alertKeys = []string{"when", "above", "below", "counterparty", "within_days", "account", "name", "bell", "desktop"}

// parseAlerts reads the [[alerts]] tables of src (decoded as value) into
// rules; a problem is reported through p with the file and line of the key.
func (p *configParser) parseAlerts(src string, value any) []alerts.Rule {
	tables, ok := value.([]map[string]any)
	if !ok {
		p.failLine(lineOf(p.cfg.lines, []string{"alerts"}), "alerts", "want [[alerts]] tables, got %s", typeName(value))
		return nil
	}
	headers := alertHeaders(src)
	var rules []alerts.Rule
	for i, t := range tables {
		start, lines := 0, map[string]int{}
		if i < len(headers) {
			start, lines = headers[i].line, headers[i].keys
		}
		at := func(key string) int {
			if l, ok := lines[key]; ok {
				return l
			}
			return start
		}
		fail := func(key, format string, args ...any) {
			p.failLine(at(key), fmt.Sprintf("alerts[%d].%s", i+1, key), format, args...)
		}
		r := alerts.Rule{Line: start}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v := t[k]
			switch k {
			case "when":
				s, _ := v.(string)
				if !slices.Contains(alerts.Kinds, alerts.Kind(s)) {
					fail(k, "want one of %s, got %s", kindList(), describe(v))
					continue
				}
				r.Kind = alerts.Kind(s)
			case "above", "below":
				cents, err := alertAmount(v)
				if err != nil {
					fail(k, "%s", err)
					continue
				}
				r.Amount = cents
			case "counterparty", "account", "name":
				s, ok := v.(string)
				if !ok {
					if n, isInt := v.(int64); isInt && k == "account" {
						s, ok = fmt.Sprint(n), true
					}
				}
				if !ok || strings.TrimSpace(s) == "" {
					fail(k, "want text in quotes, got %s", describe(v))
					continue
				}
				switch k {
				case "counterparty":
					r.Match = s
				case "account":
					r.Account = s
				default:
					r.Name = s
				}
			case "within_days":
				n, ok := v.(int64)
				if !ok || n < 1 || n > 3660 {
					fail(k, "want a number of days from 1 to 3660, got %s", describe(v))
					continue
				}
				r.Days = int(n)
			case "bell":
				b, ok := v.(bool)
				if !ok {
					fail(k, "want true or false, got %s", describe(v))
					continue
				}
				r.Bell = b
			case "desktop":
				s, _ := v.(string)
				if b, isBool := v.(bool); isBool {
					s = map[bool]string{true: alerts.DesktopBoth, false: "none"}[b]
				}
				switch s {
				case alerts.DesktopOSC9, alerts.DesktopOSC777, alerts.DesktopBoth:
					r.Desktop = s
				case "none":
				default:
					fail(k, "want \"osc9\", \"osc777\", \"both\" or false, got %s", describe(v))
				}
			default:
				fail(k, "unknown key (known: %s)", strings.Join(alertKeys, ", "))
			}
		}
		_, hasAbove := t["above"]
		_, hasBelow := t["below"]
		switch r.Kind {
		case "":
			if _, ok := t["when"]; !ok {
				p.failLine(start, fmt.Sprintf("alerts[%d]", i+1), "say when = %s", kindList())
			}
		case alerts.MoneyIn, alerts.MoneyOut:
			if hasBelow {
				fail("below", "%s takes above = AMOUNT", r.Kind)
			}
		case alerts.BalanceBelow, alerts.ForecastBelow:
			if hasAbove {
				fail("above", "%s takes below = AMOUNT", r.Kind)
			} else if !hasBelow {
				p.failLine(start, fmt.Sprintf("alerts[%d]", i+1), "%s needs below = AMOUNT", r.Kind)
			}
		case alerts.Counterparty:
			if r.Match == "" {
				p.failLine(start, fmt.Sprintf("alerts[%d]", i+1), "counterparty needs counterparty = \"NAME or IBAN\"")
			}
		}
		if _, ok := t["within_days"]; ok && r.Kind != alerts.ForecastBelow && r.Kind != "" {
			fail("within_days", "only forecast_below takes within_days")
		}
		rules = append(rules, r)
	}
	return rules
}

func kindList() string {
	var s []string
	for _, k := range alerts.Kinds {
		s = append(s, `"`+string(k)+`"`)
	}
	return strings.Join(s, ", ")
}

// alertAmount reads euros: a whole number, or text as the payment forms
// take it ("1.000,50", "1000.50"); never a float, which cannot hold cents.
func alertAmount(v any) (int64, error) {
	switch a := v.(type) {
	case int64:
		if a < 0 || a > 1<<40 {
			return 0, fmt.Errorf("want an amount of euros, not negative, got %d", a)
		}
		return a * 100, nil
	case string:
		cents, err := sepa.ParseAmount(a)
		if err != nil {
			return 0, fmt.Errorf("%q: %w", a, err)
		}
		return cents, nil
	}
	return 0, fmt.Errorf("want euros as a whole number or in quotes (\"1.234,56\"), got %s", describe(v))
}

// failLine is fail with the line given.
func (p *configParser) failLine(line int, key, format string, args ...any) {
	e := &ConfigError{File: p.cfg.Path, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
	if p.first == nil || e.Line < p.first.Line || (e.Line == p.first.Line && e.Key < p.first.Key) {
		p.first = e
	}
}

// alertHeader is one [[alerts]] header's line and its keys' lines.
type alertHeader struct {
	line int
	keys map[string]int
}

// alertHeaders finds each [[alerts]] table in src and the lines of its
// keys: the shared line index keeps only the first table's.
func alertHeaders(src string) []alertHeader {
	var out []alertHeader
	lines := strings.Split(src, "\n")
	for n := 0; n < len(lines); n++ {
		s := strings.TrimSpace(lines[n])
		if !strings.HasPrefix(s, "[[") || strings.Join(splitKey(strings.Trim(strings.SplitN(s, "]]", 2)[0], "[ ")), ".") != "alerts" {
			continue
		}
		end := n + 1
		for end < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[end]), "[") {
			end++
		}
		keys := map[string]int{}
		for k, l := range keyLines(strings.Join(lines[n+1:end], "\n")) {
			keys[k] = l + n + 1
		}
		out = append(out, alertHeader{line: n + 1, keys: keys})
	}
	return out
}
