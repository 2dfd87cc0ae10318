package common

import (
	"slices"
	"strings"
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

// An IBAN breaks between groups only, and never leaves one group alone.
func TestWrapIBAN(t *testing.T) {
	const iban = "DE84 7601 0085 0012 3456 78"
	for _, tc := range []struct {
		width int
		want  []string
	}{
		{40, []string{iban}},
		{27, []string{iban}},
		{26, []string{"DE84 7601 0085 0012", "3456 78"}},
		{24, []string{"DE84 7601 0085 0012", "3456 78"}}, // greedy would leave "78" alone
		{20, []string{"DE84 7601 0085 0012", "3456 78"}},
		{19, []string{"DE84 7601 0085 0012", "3456 78"}},
		{14, []string{"DE84 7601", "0085 0012", "3456 78"}},
		{9, []string{"DE84 7601", "0085 0012", "3456 78"}},
		{6, []string{"DE84", "7601", "0085", "0012", "3456", "78"}},
	} {
		got := WrapIBAN(iban, tc.width)
		if !slices.Equal(got, tc.want) {
			t.Errorf("WrapIBAN at %d = %q, want %q", tc.width, got, tc.want)
		}
	}
}

func TestWrapURL(t *testing.T) {
	const preview = "https://invoices.konto.example/2026-103/preview"
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{preview, 60, []string{preview}},
		{preview, 31, []string{"https://invoices.konto.example/", "2026-103/preview"}},
		// The host fits a line of its own: it is not broken.
		{preview, 30, []string{"https://", "invoices.konto.example/", "2026-103/preview"}},
		// "https://" alone is less than half a line and the host does not
		// fit one: a "." does better.
		{preview, 20, []string{"https://invoices.", "konto.example/", "2026-103/preview"}},
		// A file name that fits a line of its own stays whole.
		{"https://invoices.konto.example/2026-103/download.pdf", 20, []string{"https://invoices.", "konto.example/", "2026-103/", "download.pdf"}},
		{"https://x.example/a//b", 19, []string{"https://x.example/", "a//b"}},
		{"https://x.example/a//b", 20, []string{"https://x.example/", "a//b"}}, // "//" stays together
		{"https://x.example/doc?id=42&sig=abc", 25, []string{"https://x.example/doc?", "id=42&sig=abc"}},
		// A piece longer than the line is cut with "…" and the text goes on
		// at its next break.
		{"https://x.example/" + strings.Repeat("a", 30) + "/end", 20, []string{"https://x.example/", strings.Repeat("a", 19) + "…", "end"}},
	} {
		got := WrapURL(tc.in, tc.width)
		if !slices.Equal(got, tc.want) {
			t.Errorf("WrapURL(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > tc.width {
				t.Errorf("WrapURL(%q, %d): line %q is too wide", tc.in, tc.width, l)
			}
		}
	}
}

func TestLinkTarget(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://invoices.konto.example/2026-103/preview", "https://invoices.konto.example/2026-103/preview", true},
		{"HTTP://x.example/a?b=c&d=e#f", "http://x.example/a?b=c&d=e#f", true},
		{"https://x.example/a;b", "https://x.example/a%3Bb", true},
		{"https://x.example/Rechnung Nr 5", "https://x.example/Rechnung%20Nr%205", true},
		{"https://x.example/über", "https://x.example/%C3%BCber", true},
		{"https://x.example/\x1b]8;;https://evil.example\x07", "", false},
		{"https://x.example/\x07", "", false},
		{"https://x.example/\u009c", "", false},
		{"https://x.example/\u202e", "", false},
		{"javascript:alert(1)", "", false},
		{"file:///etc/passwd", "", false},
		{"//x.example/a", "", false},
		{"https://bank.example@evil.example/", "", false},
		{"invoice 42", "", false},
	} {
		got, ok := LinkTarget(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LinkTarget(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
