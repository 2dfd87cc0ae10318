package amount

import (
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in     string
		lo, hi int64
		canon  string
	}{
		{">100", 10001, math.MaxInt64, ">100,00"},
		{">=10", 1000, math.MaxInt64, ">=10,00"},
		{"<-50", math.MinInt64, -5001, "<-50,00"},
		{"<=5", math.MinInt64, 500, "<=5,00"},
		{"=12,50", 1250, 1250, "=12,50"},
		{"12.5", 1250, 1250, "=12,50"},
		{"-100..-10", -10000, -1000, "-100,00..-10,00"},
		{"-10..-100", -10000, -1000, "-100,00..-10,00"},
		{"1.000..5.000", 100000, 500000, "1000,00..5000,00"},
		{"−7,60", -760, -760, "=-7,60"},
	}
	for _, c := range cases {
		r, canon, err := Parse(c.in)
		if err != nil || r != (Range{c.lo, c.hi}) || canon != c.canon {
			t.Errorf("Parse(%q) = %+v %q %v, want %d..%d %q", c.in, r, canon, err, c.lo, c.hi, c.canon)
		}
		again, _, err := Parse(canon)
		if err != nil || again != r {
			t.Errorf("canonical %q reads back as %+v, %v", canon, again, err)
		}
	}
	for _, bad := range []string{"", "abc", ">abc", "5..x", "1,2,3", "99999999999999", ">"} {
		if _, _, err := Parse(bad); !errors.Is(err, ErrNotAmount) {
			t.Errorf("Parse(%q) = %v, want ErrNotAmount", bad, err)
		}
	}
}

func TestUnfinished(t *testing.T) {
	for _, s := range []string{"", ">", ">=", "-", "12,", "10..", "10..-", "1.234."} {
		if !Unfinished(s) {
			t.Errorf("Unfinished(%q) = false", s)
		}
	}
	for _, s := range []string{"abc", "5..x", "1...", "99999999999999"} {
		if Unfinished(s) {
			t.Errorf("Unfinished(%q) = true", s)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{">100", "-100..-10", "1.234,56", "=−7,60"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, canon, err := Parse(s)
		if err != nil {
			return
		}
		again, canon2, err := Parse(canon)
		if err != nil || again != r || canon2 != canon {
			t.Fatalf("Parse(%q) = %+v %q; canonical reads back as %+v %q %v", s, r, canon, again, canon2, err)
		}
	})
}
