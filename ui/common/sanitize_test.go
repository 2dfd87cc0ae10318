package common

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"konto/api"
)

// hostile holds the kinds of text a card network or a foreign bank may send.
var hostile = map[string]string{
	"osc52 clipboard":     "pay \x1b]52;c;ZXZpbA==\x07 now",
	"osc title BEL":       "\x1b]0;pwned\x07Rent",
	"osc title ST":        "\x1b]2;pwned\x1b\\Rent",
	"osc 8-bit ST":        "\x1b]2;pwned\u009cRent",
	"osc unterminated":    "Rent\x1b]0;pwned forever",
	"csi colour":          "\x1b[31mred\x1b[0m",
	"csi clear screen":    "a\x1b[2J\x1b[Hb",
	"csi private":         "\x1b[?1049hX\x1b[?25l",
	"csi unterminated":    "tail\x1b[12;",
	"8-bit csi raw":       "\x9b31mred",
	"8-bit csi utf8":      "\u009b31mred",
	"8-bit osc utf8":      "\u009d0;t\u0007ok",
	"dcs":                 "\x1bP1$r0m\x1b\\ok",
	"apc":                 "\x1b_Gf=100;AAAA\x1b\\img",
	"pm sos":              "\x1b^pm\x1b\\\x1bXsos\x1b\\ok",
	"esc two byte":        "\x1b7\x1b(0q\x1b8\x1bc",
	"lone esc":            "end\x1b",
	"cr bs":               "\r\bX",
	"overwrite":           "Amazon\rEvil Corp",
	"nul bel del":         "a\x00b\x07c\x7fd",
	"c1 controls":         "a\u0085b\u0090c\u008dd",
	"newline tab":         "line1\nline2\t\tend",
	"bidi override":       "\u202egnp.exe",
	"bidi isolates":       "a\u2066b\u2067c\u2068d\u2069e\u200e\u200f\u061c",
	"zero width":          "in\u200bvi\ufeffsi\u2060ble",
	"soft hyphen":         "Ab\u00adcd",
	"zalgo":               "Z\u0351\u0352\u0353\u0354a\u0300\u0301\u0302\u0303lgo",
	"orphan marks":        "\u0301\u0302abc",
	"emoji zwj family":    "fam 👨\u200d👩\u200d👧\u200d👦 ily",
	"stray zwj":           "a\u200db",
	"emoji flags":         "🇩🇪 ok ✅",
	"cjk":                 "東京タワー 支払い",
	"invalid utf8":        "ab\xff\xfecd",
	"mixed accents":       "Café Zürich Müller ß",
	"300 chars":           strings.Repeat("Lorem ipsum ", 25),
	"everything":          "\x1b]52;c;ZXZpbA==\x07\u202e\x9b2J\r\b東\u200b👍\x00Z\u0300\u0301\u0302",
	"esc inside osc":      "\x1b]0;a\x1b[31mred",
	"utf8 st inside":      "\x1bPq\u009cafter",
	"tab only":            "\t",
	"combining after tab": "a\t\u0301b",
}

// mustBeClean fails when s holds anything that could drive a terminal.
func mustBeClean(t *testing.T, name, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8 %q", name, s)
	}
	for _, r := range s {
		switch {
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			t.Errorf("%s: control %U in %q", name, r, s)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			t.Errorf("%s: bidi control %U in %q", name, r, s)
		case r == 0x200b || r == 0xfeff || r == 0x2060:
			t.Errorf("%s: zero-width %U in %q", name, r, s)
		}
	}
}

func TestSanitizeExact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain ASCII text 123", "plain ASCII text 123"},
		{"", ""},
		{"pay \x1b]52;c;ZXZpbA==\x07 now", "pay  now"},
		{"\x1b]0;pwned\x07Rent", "Rent"},
		{"\x1b]2;pwned\x1b\\Rent", "Rent"},
		{"Rent\x1b]0;pwned forever", "Rent"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x9b31mred", "red"},
		{"\u009b31mred", "red"},
		{"\x1bP1$r0m\x1b\\ok", "ok"},
		{"\x1b_Gf=100;AAAA\x1b\\img", "img"},
		{"\x1b7\x1b(0q\x1b8\x1bc", "q"},
		{"end\x1b", "end"},
		{"\r\bX", "X"},
		{"Amazon\rEvil Corp", "AmazonEvil Corp"},
		{"a\x00b\x07c\x7fd", "abcd"},
		{"a\u0085b", "a b"},
		{"line1\nline2\t\tend", "line1 line2 end"},
		{"\u202egnp.exe", "gnp.exe"},
		{"in\u200bvi\ufeffsi\u2060ble", "invisible"},
		{"Z\u0351\u0352\u0353\u0354", "Z\u0351\u0352"},
		{"\u0301\u0302abc", "abc"},
		{"👨\u200d👩\u200d👧", "👨👩👧"}, // no ZWJ: wcwidth and grapheme widths must agree
		{"a\u200db", "ab"},
		{"ab\xff\xfecd", "ab\ufffd\ufffdcd"},
		{"Café Zürich", "Café Zürich"},
		{"東京", "東京"},
		{"\x1b]0;a\x1b[31mred", "red"},
		{"\x1bPq\u009cafter", "after"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSanitizeUnterminatedIsBounded(t *testing.T) {
	// An OSC without terminator may not hide more than maxStringSeq bytes.
	in := "\x1b]0;" + strings.Repeat("x", maxStringSeq+100)
	got := Sanitize(in)
	if len(got) == 0 || len(got) > 200 {
		t.Errorf("unterminated OSC: kept %d bytes, want a little over 100", len(got))
	}
	mustBeClean(t, "unterminated", got)
}

func TestSanitizeHostileIsClean(t *testing.T) {
	for name, in := range hostile {
		got := Sanitize(in)
		mustBeClean(t, name, got)
		if again := Sanitize(got); again != got {
			t.Errorf("%s: not idempotent: %q then %q", name, got, again)
		}
	}
}

// TestSanitizeWidthMatchesTerminal writes each sanitised string into a
// terminal emulator: the cursor must move exactly ansi.StringWidth cells and
// the row must read back as the text, so columns computed with StringWidth
// line up on screen.
func TestSanitizeWidthMatchesTerminal(t *testing.T) {
	for name, in := range hostile {
		got := Sanitize(in)
		checkOnTerminal(t, name, got)
	}
}

func checkOnTerminal(t *testing.T, name, s string) {
	t.Helper()
	const cols = 1000
	em := vt.NewEmulator(cols, 2)
	if _, err := em.WriteString(s); err != nil {
		t.Fatalf("%s: write to emulator: %v", name, err)
	}
	want := ansi.StringWidth(s)
	pos := em.CursorPosition()
	if pos.Y != 0 || pos.X != want {
		t.Errorf("%s: cursor at %d,%d after %q, want 0,%d", name, pos.X, pos.Y, s, want)
	}
	var row strings.Builder
	for x := 0; x < want; x++ {
		c := em.CellAt(x, 0)
		if c == nil || c.Width == 0 { // the second half of a wide character
			continue
		}
		row.WriteString(c.Content)
	}
	if row.String() != s {
		t.Errorf("%s: screen reads %q, wrote %q", name, row.String(), s)
	}
	if c := em.CellAt(want, 0); c != nil && c.Content != "" && c.Content != " " {
		t.Errorf("%s: text spilled past %d cells: %q", name, want, c.Content)
	}
}

func TestSanitizePlainASCIIDoesNotAllocate(t *testing.T) {
	s := "REWE Markt GmbH, Kartenzahlung 12/25"
	allocs := testing.AllocsPerRun(100, func() { _ = Sanitize(s) })
	if allocs != 0 {
		t.Errorf("Sanitize of plain ASCII allocated %.0f times", allocs)
	}
}

func TestSanitizeTransactionCoversEveryTextField(t *testing.T) {
	const evil = "\x1b]0;pwned\x07A\u202eB\r"
	var tx api.Transaction
	v := reflect.ValueOf(&tx).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Type() == reflect.TypeOf((*string)(nil)) {
			s := evil
			f.Set(reflect.ValueOf(&s))
		}
	}
	num := int64(7)
	tx.InvoiceNumber = &num
	before := reflect.ValueOf(tx)
	orig := map[string]*string{}
	for i := 0; i < v.NumField(); i++ {
		if p, ok := v.Field(i).Interface().(*string); ok {
			orig[v.Type().Field(i).Name] = p
		}
	}

	out := SanitizeTransaction(tx)
	ov := reflect.ValueOf(out)
	for i := 0; i < ov.NumField(); i++ {
		name := ov.Type().Field(i).Name
		p, ok := ov.Field(i).Interface().(*string)
		if !ok {
			continue
		}
		if p == nil || *p != "AB" {
			t.Errorf("%s = %v, want sanitised \"AB\"", name, p)
		}
		if p == orig[name] {
			t.Errorf("%s shares its pointer with the input", name)
		}
		if *orig[name] != evil {
			t.Errorf("%s: input modified to %q", name, *orig[name])
		}
	}
	if *out.InvoiceNumber != 7 {
		t.Errorf("InvoiceNumber not kept")
	}
	_ = before
	nilOut := SanitizeTransaction(api.Transaction{ID: 1})
	if nilOut.Name != nil || nilOut.Purpose != nil || nilOut.ID != 1 {
		t.Errorf("nil fields must stay nil: %+v", nilOut)
	}
}

func TestSanitizeOrders(t *testing.T) {
	note := "Miete\x1b[2J"
	so := api.StandingOrder{Name: "\u202eVermieter", IBAN: "DE12\r", Description: &note, Status: "ACTIVE"}
	got := SanitizeStandingOrder(so)
	if got.Name != "Vermieter" || got.IBAN != "DE12" || *got.Description != "Miete" || got.Status != "ACTIVE" {
		t.Errorf("SanitizeStandingOrder = %+v", got)
	}
	if note != "Miete\x1b[2J" || got.Description == so.Description {
		t.Errorf("input modified or pointer shared")
	}
	purpose := "\x9b31mRent"
	to := api.TimedOrderListItem{RecipientName: "Bob\x07", Purpose: &purpose, Type: "TIMED_ORDER"}
	gt := SanitizeTimedOrder(to)
	if gt.RecipientName != "Bob" || *gt.Purpose != "Rent" || gt.Type != "TIMED_ORDER" {
		t.Errorf("SanitizeTimedOrder = %+v", gt)
	}
	if purpose != "\x9b31mRent" {
		t.Errorf("input modified")
	}
}

func TestTruncateAndPad(t *testing.T) {
	cases := []struct {
		in    string
		width int
		trunc string
	}{
		{"hello", 10, "hello"},
		{"hello", 5, "hello"},
		{"hello world", 5, "hell…"},
		{"hello", 1, "…"},
		{"hello", 0, ""},
		{"hello", -3, ""},
		{"東京タワー", 5, "東京…"}, // 2+2+1
		{"東京タワー", 4, "東…"},  // a wide char never straddles the edge
		{"👍👍👍", 4, "👍…"},    // emoji are 2 cells
		{"Café Zürich", 6, "Café …"},
		{"Z\u0300\u0301algo", 3, "Z\u0300\u0301a…"[:len("Z\u0300\u0301a")] + "…"},
	}
	for _, c := range cases {
		got := Truncate(c.in, c.width)
		if got != c.trunc {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.width, got, c.trunc)
		}
		if w := ansi.StringWidth(got); w > max(c.width, 0) {
			t.Errorf("Truncate(%q, %d) is %d cells wide", c.in, c.width, w)
		}
		for _, pad := range []func(string, int) string{PadRight, PadLeft} {
			p := pad(c.in, c.width)
			if w := ansi.StringWidth(p); w != max(c.width, 0) {
				t.Errorf("pad(%q, %d) = %q is %d cells wide", c.in, c.width, p, w)
			}
		}
	}
	if got := PadRight("ab", 4); got != "ab  " {
		t.Errorf("PadRight = %q", got)
	}
	if got := PadLeft("ab", 4); got != "  ab" {
		t.Errorf("PadLeft = %q", got)
	}
	if got := PadLeft("東京タワー", 5); got != "東京…" {
		t.Errorf("PadLeft wide = %q", got)
	}
	if got := PadRight("東京タワー", 4); got != "東… " {
		t.Errorf("PadRight wide = %q", got)
	}
}

func TestSanitizeCleanDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"Bäckerei Müller, Größe 12 €", "日本語 テキスト", "café 👍", "e\u0301"} {
		if got := Sanitize(s); got != s {
			t.Fatalf("Sanitize(%q) = %q: clean text changed", s, got)
		}
		if allocs := testing.AllocsPerRun(100, func() { _ = Sanitize(s) }); allocs != 0 {
			t.Errorf("Sanitize(%q) allocated %.0f times", s, allocs)
		}
	}
	name, purpose := "Bäckerei", "Rechnung 12"
	num := int64(3)
	tx := api.Transaction{ID: 1, Name: &name, Purpose: &purpose, InvoiceNumber: &num}
	if allocs := testing.AllocsPerRun(100, func() { _ = SanitizeTransaction(tx) }); allocs != 0 {
		t.Errorf("SanitizeTransaction of a clean booking allocated %.0f times", allocs)
	}
}

// sanitizeBefore is Sanitize as it was before it learnt to return clean
// input untouched: the fuzz target holds the two to the same output.
func sanitizeBefore(s string) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	// marks counts combining marks after the last base written; -1 means no
	// base yet (a mark there would be an orphan).
	marks := -1
	lastSpace := false // the last rune written is a space
	write := func(r rune) {
		b.WriteRune(r)
		lastSpace = r == ' '
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// A raw byte 0x80–0x9F is a C1 control in 8-bit terminals: treat it
			// as one (so a raw 0x9B starts a CSI). Anything else invalid is U+FFFD.
			if c := s[i]; c >= 0x80 && c <= 0x9f {
				r = rune(c)
			}
		}
		switch {
		case r == 0x1b:
			i = skipEscape(s, i+size)
			continue
		case r == 0x9b: // 8-bit CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size, r == 0x9d)
			continue
		case r == '\n' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			if !lastSpace && b.Len() > 0 {
				write(' ')
				marks = 0
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			// other controls (\r, \b, BEL, NUL, …) carry no text
		case r == 0x200d || r == 0xfe0e || r == 0xfe0f || (r >= 0x1f3fb && r <= 0x1f3ff):
			// ZWJ, variation selectors and skin-tone modifiers: widths disagree
			// on them. Bubble Tea measures cells with wcwidth unless the
			// terminal answers mode 2027 (tmux does not), where 👩‍💻 is 4 cells
			// and 👍🏽 4, but lipgloss pads by grapheme (2 each), so the row
			// is cut and its border lost; ❤️ is 2 by grapheme, 1 in wcwidth
			// and tmux. Without them every emoji is as wide everywhere.
		case isInvisible(r):
			// bidi controls, zero-width spaces, BOM, soft hyphen, tags …
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks >= 0 && marks < maxMarksPerBase {
				write(r)
				marks++
			}
		default:
			write(r)
			marks = 0
		}
		i += size
	}
	return b.String()
}

func FuzzSanitize(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("\x1b")
	f.Add("\x9d\x9c")
	f.Fuzz(func(t *testing.T, in string) {
		got := Sanitize(in)
		if want := sanitizeBefore(in); got != want {
			t.Fatalf("Sanitize(%q) = %q, the copying version gave %q", in, got, want)
		}
		mustBeClean(t, "fuzz", got)
		if again := Sanitize(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, got, again)
		}
		if strings.ContainsRune(got, 0x1b) {
			t.Fatalf("ESC survived in %q", got)
		}
		for _, w := range []int{0, 1, 3, 10} {
			if tw := ansi.StringWidth(Truncate(got, w)); tw > w {
				t.Fatalf("Truncate(%q, %d) is %d wide", got, w, tw)
			}
		}
	})
}
