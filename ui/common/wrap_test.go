package common

import (
	"slices"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapWords(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"wrong TAN, 2 tries left", 40, []string{"wrong TAN, 2 tries left"}},
		{"the bank cannot be reached: check the address", 20, []string{"the bank cannot be", "reached: check the", "address"}},
		{"東京都 渋谷区 東京都 渋谷区", 14, []string{"東京都 渋谷区", "東京都 渋谷区"}},
		{"short", 5, []string{"short"}},
		{"", 20, nil},
	} {
		got := WrapWords(tc.in, tc.width)
		if !slices.Equal(got, tc.want) {
			t.Errorf("WrapWords(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		for _, l := range got {
			if tc.width >= 10 && ansi.StringWidth(l) > tc.width && len(got) > 1 {
				t.Errorf("line %q is wider than %d", l, tc.width)
			}
		}
	}
}
