package apitest

import (
	"strings"
	"testing"
)

func TestShapeDiff(t *testing.T) {
	for _, tc := range []struct {
		name      string
		want, got string
		diff      string // substring of the first difference; "" = same shape
	}{
		{"same", `{"a":1,"b":"x","c":true,"d":{"e":[1]}}`, `{"d":{"e":[7,8]},"c":false,"b":"y","a":2}`, ""},
		{"null matches anything", `{"a":null,"b":null,"c":null}`, `{"a":1,"b":{"x":1},"c":[]}`, ""},
		{"null in got needs null in want", `{"a":1}`, `{"a":null}`, "$.a: want number, got null"},
		{"missing key", `{"a":1,"b":2}`, `{"a":1}`, `$: missing key "b"`},
		{"unexpected key", `{"a":1}`, `{"a":1,"to":2}`, `$: unexpected key "to"`},
		{"type mismatch", `{"originalAmount":"760"}`, `{"originalAmount":760}`, "$.originalAmount: want string, got number"},
		{"nested", `{"meta":{"n":6}}`, `{"meta":{"n":"6"}}`, "$.meta.n: want number, got string"},
		{"array first element", `[{"id":1}]`, `[{"id":"x"}]`, "$[0].id: want number, got string"},
		{"array of objects keys", `{"results":[{"id":1,"name":"a"}]}`, `{"results":[{"id":1}]}`, `$.results[0]: missing key "name"`},
		{"empty arrays match", `[]`, `[{"id":1}]`, ""},
		{"empty got array matches", `{"r":[{"id":1}]}`, `{"r":[]}`, ""},
		{"array vs object", `[]`, `{}`, "$: want array, got object"},
		{"bad got", `{}`, `{`, "got: not JSON"},
		{"bad want", `{`, `{}`, "want: not JSON"},
		{"trailing data", `{}`, `{} {}`, "got: not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diffs := ShapeDiff([]byte(tc.want), []byte(tc.got))
			switch {
			case tc.diff == "" && len(diffs) > 0:
				t.Errorf("unexpected differences: %v", diffs)
			case tc.diff != "" && len(diffs) == 0:
				t.Errorf("no difference, want %q", tc.diff)
			case tc.diff != "" && !strings.Contains(diffs[0], tc.diff):
				t.Errorf("first difference %q, want %q", diffs[0], tc.diff)
			}
		})
	}
}

// fakeTB records failures so SameShape itself can be tested.
type fakeTB struct {
	testing.TB
	errors []string
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Error(args ...any)     { f.errors = append(f.errors, args[0].(string)) }
func (f *fakeTB) Errorf(string, ...any) { f.errors = append(f.errors, "errorf") }

func TestSameShapeReportsEachDifference(t *testing.T) {
	tb := &fakeTB{TB: t}
	SameShape(tb, []byte(`{"a":1,"b":"x"}`), []byte(`{"a":"1","c":1}`))
	if len(tb.errors) != 3 { // missing b, unexpected c, a's type
		t.Errorf("reported %v", tb.errors)
	}
	tb = &fakeTB{TB: t}
	SameShape(tb, []byte(`{"a":null}`), []byte(`{"a":"x"}`))
	if len(tb.errors) != 0 {
		t.Errorf("reported %v", tb.errors)
	}
}
