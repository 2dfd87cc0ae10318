package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// FromTable reads one decoded [[rules]] table (as BurntSushi/toml decodes
// it into map[string]any). It returns every problem, each naming its key;
// unknown keys are problems too, so a typo never silently matches more.
func FromTable(table map[string]any) (Rule, []*FieldError) {
	var r Rule
	var errs []*FieldError
	fail := func(key, format string, args ...any) {
		errs = append(errs, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	str := func(key string, v any) string {
		s, ok := v.(string)
		if !ok {
			fail(key, "want text in quotes, got %s", describe(v))
		}
		return s
	}
	for key, v := range table {
		switch key {
		case "counterparty":
			r.Counterparty = str(key, v)
		case "counterparty_regex":
			r.CounterpartyRegex = str(key, v)
		case "iban":
			r.IBAN = str(key, v)
		case "purpose":
			r.Purpose = str(key, v)
		case "purpose_regex":
			r.PurposeRegex = str(key, v)
		case "type":
			r.Type = str(key, v)
		case "amount":
			switch a := v.(type) {
			case int64:
				r.Amount = strconv.FormatInt(a, 10) // amount = -950: exactly that
			default:
				r.Amount = str(key, v)
			}
		case "direction":
			r.Direction = str(key, v)
		case "foreign":
			b, ok := v.(bool)
			if !ok {
				fail(key, "want true or false, got %s", describe(v))
				continue
			}
			r.Foreign = &b
		case "category":
			r.Category = str(key, v)
		case "payee":
			r.Payee = str(key, v)
		case "tags":
			switch t := v.(type) {
			case string:
				r.Tags = []string{t}
			case []any:
				for _, item := range t {
					if s, ok := item.(string); ok {
						r.Tags = append(r.Tags, s)
					} else {
						fail(key, "want tags in quotes, e.g. [\"tax\", \"daily\"], got %s", describe(item))
					}
				}
			default:
				fail(key, "want a list of tags, e.g. [\"tax\", \"daily\"], got %s", describe(v))
			}
		default:
			fail(key, "unknown key (known: %s)", strings.Join(Keys, ", "))
		}
	}
	if len(errs) > 0 {
		return r, errs
	}
	return r, r.Validate()
}

func describe(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case int64, float64, bool:
		return fmt.Sprint(v)
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// TOML writes the rule as a [[rules]] table (header is the table's name:
// "rules" or "profiles.work.rules"), keys in the order of Keys.
func (r Rule) TOML(header string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[[%s]]\n", header)
	kv := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s = %s\n", key, tomlString(value))
		}
	}
	kv("counterparty", r.Counterparty)
	kv("counterparty_regex", r.CounterpartyRegex)
	kv("iban", r.IBAN)
	kv("purpose", r.Purpose)
	kv("purpose_regex", r.PurposeRegex)
	kv("type", r.Type)
	kv("amount", r.Amount)
	kv("direction", r.Direction)
	if r.Foreign != nil {
		fmt.Fprintf(&b, "foreign = %t\n", *r.Foreign)
	}
	kv("category", r.Category)
	kv("payee", r.Payee)
	if len(r.Tags) > 0 {
		quoted := make([]string, len(r.Tags))
		for i, t := range r.Tags {
			quoted[i] = tomlString(t)
		}
		fmt.Fprintf(&b, "tags = [%s]\n", strings.Join(quoted, ", "))
	}
	return b.String()
}

// tomlString quotes s as a TOML basic string: a literal string where that
// needs no escapes (regular expressions read better without doubled
// backslashes), else with every control character escaped.
func tomlString(s string) string {
	if !strings.ContainsAny(s, "'\n\r") && !hasControl(s) {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// ErrAppend matches the errors of AppendRule that leave the file as it was.
var ErrAppend = errors.New("cannot add the rule to the config file")

// AppendRule adds r to the config file at path, for profile ("" for the
// top-level [[rules]] every profile uses; else [[profiles.NAME.rules]]),
// after everything the file holds: comments, order and the user's spacing
// stay as they were. A missing file is created (mode 0600). The new text
// is checked to parse before it replaces the file (atomically, keeping the
// file's mode), so a file konto cannot extend safely (one that writes
// rules = [ … ] inline, or is not valid TOML) is left alone with an error
// matching ErrAppend. It returns the line the new table starts on.
func AppendRule(path, profile string, r Rule) (int, error) {
	if errs := r.Validate(); len(errs) > 0 {
		return 0, fmt.Errorf("%w: %v", ErrAppend, errs[0])
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real // replace the file a link points to, not the link
	}
	header := "rules"
	if profile != "" {
		header = "profiles." + tomlKey(profile) + ".rules"
	}
	old, err := os.ReadFile(path)
	mode := fs.FileMode(0o600)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return 0, fmt.Errorf("add a rule: %w", err)
	default:
		if info, err := os.Stat(path); err == nil {
			mode = info.Mode().Perm()
		}
	}
	var buf bytes.Buffer
	buf.Write(old)
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
		buf.WriteByte('\n')
	}
	if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n\n")) {
		buf.WriteByte('\n')
	}
	line := bytes.Count(buf.Bytes(), []byte("\n")) + 1
	buf.WriteString(r.TOML(header))
	if err := checkAppended(buf.Bytes(), profile, r); err != nil {
		return 0, fmt.Errorf("%w %s: %v", ErrAppend, path, err)
	}
	if err := writeAtomic(path, buf.Bytes(), mode); err != nil {
		return 0, fmt.Errorf("add a rule: %w", err)
	}
	return line, nil
}

// checkAppended makes sure the new text is TOML whose last rule of the
// table is r.
func checkAppended(text []byte, profile string, r Rule) error {
	var raw map[string]any
	if _, err := toml.Decode(string(text), &raw); err != nil {
		return fmt.Errorf("the file would not read back: %v", err)
	}
	table := raw
	if profile != "" {
		profiles, _ := raw["profiles"].(map[string]any)
		table, _ = profiles[profile].(map[string]any)
	}
	list, ok := table["rules"].([]map[string]any)
	if !ok || len(list) == 0 {
		return errors.New("the rules do not read back as [[rules]] tables")
	}
	got, errs := FromTable(list[len(list)-1])
	if len(errs) > 0 || got.TOML("x") != r.TOML("x") {
		return errors.New("the rule does not read back as written")
	}
	return nil
}

// tomlKey quotes a profile name if it needs it (profile names are letters,
// digits, '.', '_' and '-'; a dot needs quotes).
func tomlKey(s string) string {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return strconv.Quote(s)
		}
	}
	return s
}

func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // gone after the rename; cleans up after a failure
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}
