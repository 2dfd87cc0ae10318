package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// SameShape fails t unless got has the JSON shape of want: the same object
// keys at every level and the same JSON types. A null in want (the doc
// shows an empty field) matches any type; arrays compare the shape of their
// first element (an empty array on either side matches any array).
func SameShape(t testing.TB, want, got []byte) {
	t.Helper()
	for _, d := range ShapeDiff(want, got) {
		t.Error(d)
	}
}

// ShapeDiff returns the differences SameShape reports, one line each, with a
// JSON path ($.results[0].amount) naming where; nil when the shapes agree.
func ShapeDiff(want, got []byte) []string {
	return ShapeDiffNullable(want, got)
}

// SameShapeNullable is SameShape for answers whose fields may be null where
// the doc's example happens to show a value (a transaction's iban, purpose,
// invoice fields…): a null in got is accepted for the keys named in
// nullable. Every element of an array in got is compared with the doc's
// first element.
func SameShapeNullable(t testing.TB, want, got []byte, nullable ...string) {
	t.Helper()
	for _, d := range ShapeDiffNullable(want, got, nullable...) {
		t.Error(d)
	}
}

// ShapeDiffNullable returns the differences SameShapeNullable reports.
func ShapeDiffNullable(want, got []byte, nullable ...string) []string {
	var w, g any
	if err := decode(want, &w); err != nil {
		return []string{"want: " + err.Error()}
	}
	if err := decode(got, &g); err != nil {
		return []string{"got: " + err.Error()}
	}
	c := comparer{nullable: map[string]bool{}, all: len(nullable) > 0}
	for _, k := range nullable {
		c.nullable[k] = true
	}
	c.compare("$", "", w, g)
	return c.diffs
}

type comparer struct {
	nullable map[string]bool
	all      bool // compare every array element, not just the first
	diffs    []string
}

func decode(data []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("not JSON: trailing data after the value")
	}
	return nil
}

func (c *comparer) compare(path, key string, want, got any) {
	diffs := &c.diffs
	if want == nil || (got == nil && c.nullable[key]) {
		return
	}
	if kind(want) != kind(got) {
		*diffs = append(*diffs, fmt.Sprintf("%s: want %s, got %s", path, kind(want), kind(got)))
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for _, k := range sortedKeys(w) {
			if _, ok := g[k]; !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s: missing key %q", path, k))
			}
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s: unexpected key %q", path, k))
			}
		}
		for _, k := range sortedKeys(w) {
			if gv, ok := g[k]; ok {
				c.compare(path+"."+k, k, w[k], gv)
			}
		}
	case []any:
		g := got.([]any)
		if len(w) == 0 {
			return
		}
		for i, gv := range g {
			if i > 0 && !c.all {
				break
			}
			c.compare(fmt.Sprintf("%s[%d]", path, i), key, w[0], gv)
		}
	}
}

// kind names a decoded JSON value's type.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
