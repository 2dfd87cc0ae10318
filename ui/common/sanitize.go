package common

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
)

// Limits for escape sequences. A CSI longer than maxCSI bytes or a string
// sequence (OSC, DCS, SOS, PM, APC) longer than maxStringSeq bytes without a
// terminator is cut there: a real terminal would swallow the rest, but a purpose
// field must not be able to hide a whole screen of text behind one ESC.
const (
	maxCSI       = 64
	maxStringSeq = 4096
	// maxMarksPerBase caps runs of combining marks ("Zalgo" text), which
	// otherwise grow a cell upwards and downwards over its neighbours.
	maxMarksPerBase = 2
)

// Sanitize makes bank-supplied text safe to draw: it removes every escape
// sequence (7-bit and 8-bit CSI, OSC, DCS, SOS, PM, APC and two-byte escapes,
// unterminated ones too), every C0 and C1 control and DEL, bidi controls,
// zero-width and other format characters (ZWJ too), emoji variation selectors
// and skin tones (terminals disagree on their width),
// leading orphan combining marks and combining marks beyond two per base.
// Newlines and tabs become a single space; invalid UTF-8 becomes U+FFFD.
// Widths measured after Sanitize match what a terminal draws.
// Text that needs no change (plain ASCII, umlauts, emoji …) is returned
// as it is, without allocating: the copy starts at the first change.
func Sanitize(s string) string {
	if isPlainASCII(s) {
		return s
	}
	// b stays nil while everything written equals s[:i]; the first change
	// copies that prefix into it.
	var b []byte
	changed := func(i int) {
		if b == nil {
			b = make([]byte, i, len(s))
			copy(b, s[:i])
		}
	}
	// marks counts combining marks after the last base written; -1 means no
	// base yet (a mark there would be an orphan).
	marks := -1
	lastSpace := false // the last rune written is a space
	wrote := false     // something was written
	keep := func(i, size int, r rune) {
		if b != nil {
			b = append(b, s[i:i+size]...)
		}
		lastSpace, wrote = r == ' ', true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		invalid := r == utf8.RuneError && size == 1
		if invalid {
			// A raw byte 0x80–0x9F is a C1 control in 8-bit terminals: treat it
			// as one (so a raw 0x9B starts a CSI). Anything else invalid is U+FFFD.
			if c := s[i]; c >= 0x80 && c <= 0x9f {
				r, invalid = rune(c), false
			}
		}
		switch {
		case r == 0x1b:
			changed(i)
			i = skipEscape(s, i+size)
			continue
		case r == 0x9b: // 8-bit CSI
			changed(i)
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // OSC, DCS, SOS, PM, APC
			changed(i)
			i = skipString(s, i+size, r == 0x9d)
			continue
		case r == '\n' || r == '\t' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			changed(i)
			if !lastSpace && wrote {
				b = append(b, ' ')
				lastSpace = true
				marks = 0
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			// other controls (\r, \b, BEL, NUL, …) carry no text
			changed(i)
		case r == 0x200d || r == 0xfe0e || r == 0xfe0f || (r >= 0x1f3fb && r <= 0x1f3ff):
			// ZWJ, variation selectors and skin-tone modifiers: widths disagree
			// on them. Bubble Tea measures cells with wcwidth unless the
			// terminal answers mode 2027 (tmux does not), where 👩‍💻 is 4 cells
			// and 👍🏽 4, but lipgloss pads by grapheme (2 each), so the row
			// is cut and its border lost; ❤️ is 2 by grapheme, 1 in wcwidth
			// and tmux. Without them every emoji is as wide everywhere.
			changed(i)
		case isInvisible(r):
			// bidi controls, zero-width spaces, BOM, soft hyphen, tags …
			changed(i)
		case unicode.In(r, unicode.Mn, unicode.Me):
			if marks >= 0 && marks < maxMarksPerBase {
				keep(i, size, r)
				marks++
			} else {
				changed(i)
			}
		case invalid:
			changed(i)
			b = utf8.AppendRune(b, utf8.RuneError)
			lastSpace, wrote = false, true
			marks = 0
		default:
			keep(i, size, r)
			marks = 0
		}
		i += size
	}
	if b == nil {
		return s
	}
	return string(b)
}

// isPlainASCII reports whether s is printable ASCII only (the fast path).
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// isInvisible reports format characters (Unicode category Cf: bidi controls
// U+200E/F, U+202A–E, U+2066–9, U+061C; zero-width U+200B–C, U+2060; BOM
// U+FEFF; soft hyphen; tag characters) and other characters of no width that
// terminals disagree about.
func isInvisible(r rune) bool {
	switch r {
	case 0x200b, 0x200c, 0x200e, 0x200f, 0x2060, 0xfeff, 0x061c, 0x180e, 0x034f:
		return true
	}
	if r >= 0xd800 && r <= 0xdfff {
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// skipEscape returns the index after the sequence that an ESC at i-1 starts.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']':
		return skipString(s, i+1, true)
	case 'P', 'X', '^', '_':
		return skipString(s, i+1, false)
	}
	// ESC, intermediates 0x20–0x2F, final 0x30–0x7E (ESC 7, ESC ( B, ESC c …).
	for j := i; j < len(s) && j < i+maxCSI; j++ {
		c := s[j]
		switch {
		case c >= 0x20 && c <= 0x2f:
			continue
		case c >= 0x30 && c <= 0x7e:
			return j + 1
		default:
			return j // malformed: drop the ESC and what it consumed
		}
	}
	return min(len(s), i+maxCSI)
}

// skipCSI returns the index after a control sequence whose introducer ends
// at i: parameters 0x30–0x3F, intermediates 0x20–0x2F, a final 0x40–0x7E.
// Any other byte ends a malformed sequence there.
func skipCSI(s string, i int) int {
	for j := i; j < len(s); j++ {
		if j >= i+maxCSI {
			return j
		}
		c := s[j]
		switch {
		case c >= 0x20 && c <= 0x3f:
			continue
		case c >= 0x40 && c <= 0x7e:
			return j + 1
		default:
			return j
		}
	}
	return len(s)
}

// skipString returns the index after a string sequence (OSC, DCS, SOS, PM,
// APC) whose introducer ends at i: up to ST (ESC \ or 8-bit 0x9C, raw or
// UTF-8 encoded), or BEL for OSC. Unterminated, it runs to the end of s or
// maxStringSeq bytes.
func skipString(s string, i int, bel bool) int {
	end := min(len(s), i+maxStringSeq)
	for j := i; j < end; j++ {
		switch c := s[j]; {
		case c == 0x07 && bel:
			return j + 1
		case c == 0x9c:
			return j + 1
		case c == 0xc2 && j+1 < len(s) && s[j+1] == 0x9c:
			return j + 2
		case c == 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			// An ESC that is not ST aborts the string in real terminals; the
			// escape starting here is skipped by the caller's next round.
			return j
		}
	}
	return end
}

// sanitizePtr returns p when its string is clean (nothing writes through
// the pointers of a booking, so sharing it is safe and costs nothing), a
// new pointer to the sanitised string otherwise, or nil.
func sanitizePtr(p *string) *string {
	if p == nil {
		return nil
	}
	v := Sanitize(*p)
	if len(v) == len(*p) && unsafe.StringData(v) == unsafe.StringData(*p) {
		return p
	}
	return api.Ptr(v)
}

// SanitizeTransaction returns a copy of tx with every text field sanitised.
// The input, including the strings its pointers point to, is not modified;
// the pointers to clean text and to dates and numbers are shared, so a
// clean booking costs no allocation (a history is sanitised once, when it
// enters the list, and a million bookings must not double its memory).
func SanitizeTransaction(tx api.Transaction) api.Transaction {
	out := tx
	out.Type = sanitizePtr(tx.Type)
	out.Category = sanitizePtr(tx.Category)
	out.Name = sanitizePtr(tx.Name)
	out.IBAN = sanitizePtr(tx.IBAN)
	out.Purpose = sanitizePtr(tx.Purpose)
	out.E2EID = sanitizePtr(tx.E2EID)
	out.BookingType = sanitizePtr(tx.BookingType)
	out.OriginalAmount = sanitizePtr(tx.OriginalAmount)
	out.ForeignCurrency = sanitizePtr(tx.ForeignCurrency)
	out.PaymentMethod = sanitizePtr(tx.PaymentMethod)
	out.InvoicePreviewURL = sanitizePtr(tx.InvoicePreviewURL)
	out.InvoiceDownloadURL = sanitizePtr(tx.InvoiceDownloadURL)
	out.DocumentType = sanitizePtr(tx.DocumentType)
	out.MandateNumber = sanitizePtr(tx.MandateNumber)
	return out
}

// SanitizeStandingOrder returns a copy of o with every text field sanitised.
func SanitizeStandingOrder(o api.StandingOrder) api.StandingOrder {
	out := o
	out.Status = Sanitize(o.Status)
	out.Name = Sanitize(o.Name)
	out.IBAN = Sanitize(o.IBAN)
	out.Reoccurrence = Sanitize(o.Reoccurrence)
	out.Description = sanitizePtr(o.Description)
	out.E2EID = sanitizePtr(o.E2EID)
	if o.LastExecutionDate != nil {
		v := *o.LastExecutionDate
		out.LastExecutionDate = &v
	}
	if o.NextOccurrence != nil {
		v := *o.NextOccurrence
		out.NextOccurrence = &v
	}
	return out
}

// SanitizeTimedOrder returns a copy of o with every text field sanitised.
func SanitizeTimedOrder(o api.TimedOrderListItem) api.TimedOrderListItem {
	out := o
	out.ID = Sanitize(o.ID)
	out.RecipientName = Sanitize(o.RecipientName)
	out.RecipientIBAN = Sanitize(o.RecipientIBAN)
	out.Purpose = sanitizePtr(o.Purpose)
	out.E2EID = sanitizePtr(o.E2EID)
	out.Status = Sanitize(o.Status)
	out.Type = Sanitize(o.Type)
	return out
}

// ellipsis ends a truncated string.
const ellipsis = "…"

// Truncate cuts s to at most width terminal cells (emoji and CJK take two),
// ending with "…" when something was cut. It never returns a wider string.
// s should be sanitised already.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	if width == 1 {
		return ellipsis
	}
	return ansi.Truncate(s, width, ellipsis)
}

// PadRight truncates or pads s with spaces on the right to exactly width cells.
func PadRight(s string, width int) string {
	t := Truncate(s, width)
	if gap := width - ansi.StringWidth(t); gap > 0 {
		return t + strings.Repeat(" ", gap)
	}
	return t
}

// PadLeft truncates or pads s with spaces on the left to exactly width cells.
func PadLeft(s string, width int) string {
	t := Truncate(s, width)
	if gap := width - ansi.StringWidth(t); gap > 0 {
		return strings.Repeat(" ", gap) + t
	}
	return t
}
