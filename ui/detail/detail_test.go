package detail

import (
	"context"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"konto/api"
	"konto/ui/common"
	"konto/ui/uitest"
)

func TestEveryNonEmptyFieldIsShown(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(2, 1)[1] // a card payment in CHF
	tx.E2EID = api.Ptr("E-123")
	tx.InvoiceNumber = api.Ptr(int64(42))
	tx.InvoiceDownloadURL = api.Ptr("https://example.com/inv/42.pdf")
	tx.MandateNumber = api.Ptr("MNDT-77")
	tx.BookingType = api.Ptr("SEPA_DIRECT_DEBIT")
	m := New(c)
	m.SetSize(70, 30)
	m.SetTransaction(&tx)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"Counterparty", "Café Zürich", "DE89 3704 0044 0532 0130 00", "Amount", "E-123",
		"Booked", "Value date", "SEPA direct debit", "credit card", "CHF 7,60", "42", "https://example.com/inv/42.pdf", "MNDT-77"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "Category") {
		t.Fatalf("an empty field is shown:\n%s", plain)
	}
}

func TestCopyIBANAndClose(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(1, 1)[0]
	d := NewModal(c, &tx)
	d.SetSize(76, 20)
	_, cmd := d.Update(uitest.Key("y"))
	msgs := uitest.Collect(cmd)
	notice := false
	for _, m := range msgs {
		if n, ok := m.(common.NoticeMsg); ok && n.Text == "IBAN copied" {
			notice = true
		}
	}
	// Two messages: the notice and the OSC 52 clipboard write.
	if !notice || len(msgs) != 2 {
		t.Fatalf("y: %v", msgs)
	}
	_, cmd = d.Update(uitest.Key("esc"))
	if _, ok := cmd().(common.CloseModalMsg); !ok {
		t.Fatalf("esc did not close")
	}
}

// A narrow pane puts each label above its value, so values read in one
// piece; an end-to-end ID is not broken after its "E-".
func TestNarrowPaneStacksLabels(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(1, 1)[0]
	tx.E2EID = api.Ptr("E-37c4e3cdd4abe66f3c9065ddad8268fa")
	m := New(c)
	m.SetSize(32, 30)
	m.SetTransaction(&tx)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"SEPA credit transfer", "DE89 3704 0044 0532 0130 00", "E-37c4e3cdd4abe66f3c9065ddad82"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("missing %q in one piece:\n%s", want, plain)
		}
	}
}

func TestOrderFieldsAndCopy(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	so := StandingOrderFields(c, bank.Standing[0])
	to := TimedOrderFields(c, bank.Timed[0])
	m := New(c)
	m.SetSize(60, 20)
	m.SetFields(so, bank.Standing[0].IBAN)
	plain := ansi.Strip(m.View())
	for _, want := range []string{"John Doe", "DE35 1203 0000 1012 7652 35", "−1,00 €", "Donation", "monthly", "01.12.2026"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("standing order: missing %q:\n%s", want, plain)
		}
	}
	if m.Transaction() != nil {
		t.Fatalf("an order is shown as a transaction")
	}
	msgs := uitest.Collect(m.Update(uitest.Key("y")))
	if len(msgs) != 2 || !hasNotice(msgs, "IBAN copied") {
		t.Fatalf("y on an order: %v", msgs)
	}
	d := NewFieldsModal(c, "Timed order", to, bank.Timed[0].RecipientIBAN)
	d.SetSize(70, 20)
	plain = ansi.Strip(d.View())
	for _, want := range []string{"Timed order", "John Smith", "−120,12 €", "Bill payment", "26.12.2026"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("timed order: missing %q:\n%s", want, plain)
		}
	}
}

func hasNotice(msgs []tea.Msg, text string) bool {
	for _, m := range msgs {
		if n, ok := m.(common.NoticeMsg); ok && n.Text == text {
			return true
		}
	}
	return false
}

// shortHelp is the dialog's help bar as text.
func shortHelp(d *Modal) string {
	var parts []string
	for _, b := range d.KeyMap().ShortHelp() {
		parts = append(parts, b.Help().Key+" "+b.Help().Desc)
	}
	return strings.Join(parts, " • ")
}

// checkBox checks the dialog is exactly w×h cells.
func checkBox(t *testing.T, what, view string, w, h int) []string {
	t.Helper()
	lines := strings.Split(ansi.Strip(view), "\n")
	if len(lines) != h {
		t.Fatalf("%s: %d lines, want %d:\n%s", what, len(lines), h, ansi.Strip(view))
	}
	for i, l := range strings.Split(view, "\n") {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%s: line %d is %d wide, want %d:\n%s", what, i, got, w, ansi.Strip(view))
		}
	}
	return lines
}

// The dialog is as tall as its fields and its border: no blank rows below
// the last field, and no scroll keys or marks when everything shows.
func TestModalFitsShortContent(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(1, 1)[0]
	d := NewModal(c, &tx)
	d.SetSize(76, 30)
	n := len(Fields(c, &tx))
	lines := checkBox(t, "short booking", d.View(), 72, n+2)
	for i, l := range lines[1 : len(lines)-1] {
		if strings.TrimSpace(strings.Trim(l, "│")) == "" {
			t.Fatalf("blank row %d:\n%s", i+1, strings.Join(lines, "\n"))
		}
	}
	if !strings.Contains(lines[n], "Transaction ID") {
		t.Fatalf("the last field is not on the last row:\n%s", strings.Join(lines, "\n"))
	}
	if bottom := lines[len(lines)-1]; strings.Trim(bottom, "╰─╯") != "" {
		t.Fatalf("a scroll mark on a dialog that shows everything: %q", bottom)
	}
	if h := shortHelp(d); strings.Contains(h, "scroll") || !strings.Contains(h, "esc close") || !strings.Contains(h, "y copy IBAN") {
		t.Fatalf("help %q", h)
	}

	// An order's dialog too: exactly its fields, wrapped.
	bank := uitest.NewBank(1)
	fields := TimedOrderFields(c, bank.Timed[0])
	od := NewFieldsModal(c, "Timed order", fields, bank.Timed[0].RecipientIBAN)
	od.SetSize(76, 30)
	checkBox(t, "timed order", od.View(), 72, len(fields)+2)
}

// Long values wrap: the dialog grows with the wrapped lines up to the room
// it has; beyond that the bottom border says there is more, the help lists
// the scroll keys, and scrolling reaches the last field.
func TestModalLongContentScrolls(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	tx := uitest.Generate(1, 1)[0]
	tx.Name = api.Ptr("Sehr Lange Firmierung Gesellschaft für Überweisungen mit beschränkter Haftung & Co. KG")
	tx.Purpose = api.Ptr(strings.Repeat("Rechnungen 2026-001 bis 2026-099, vielen Dank! ", 5))
	d := NewModal(c, &tx)

	// Room enough: every wrapped line shows, nothing more.
	d.SetSize(76, 40)
	want := d.m.ContentHeight() + 2
	if want <= len(Fields(c, &tx))+2 {
		t.Fatalf("the values did not wrap: %d lines", want)
	}
	lines := checkBox(t, "roomy", d.View(), 72, want)
	if !strings.Contains(lines[len(lines)-2], "Transaction ID") || strings.Contains(shortHelp(d), "scroll") {
		t.Fatalf("all fit but not all shown:\n%s", strings.Join(lines, "\n"))
	}

	// Capped: the last fields are out of sight and the border says so.
	d.SetSize(76, 12)
	lines = checkBox(t, "capped", d.View(), 72, 12)
	plain := strings.Join(lines, "\n")
	if strings.Contains(plain, "Transaction ID") {
		t.Fatalf("the last field fits in a capped dialog?\n%s", plain)
	}
	if bottom := lines[11]; !strings.Contains(bottom, "↓ more") || !strings.Contains(bottom, "/") {
		t.Fatalf("no sign of more below: %q", bottom)
	}
	h := shortHelp(d)
	for _, k := range []string{"esc close", "y copy IBAN", "↓/j scroll down", "↑/k scroll up"} {
		if !strings.Contains(h, k) {
			t.Fatalf("help %q lacks %q", h, k)
		}
	}

	// j scrolls to the end (and no further); the last field shows and the
	// mark says there is more above only.
	for range want {
		d.Update(uitest.Key("j"))
	}
	lines = checkBox(t, "scrolled", d.View(), 72, 12)
	plain = strings.Join(lines, "\n")
	if !strings.Contains(lines[10], "Transaction ID") {
		t.Fatalf("the last field is not at the bottom after scrolling:\n%s", plain)
	}
	if bottom := lines[11]; !strings.Contains(bottom, "↑") || strings.Contains(bottom, "↓") {
		t.Fatalf("bottom border at the end: %q", bottom)
	}
	// One k goes one line back up, whatever j was pressed too often.
	d.Update(uitest.Key("k"))
	lines = checkBox(t, "one up", d.View(), 72, 12)
	if strings.Contains(strings.Join(lines, "\n"), "Transaction ID") || !strings.Contains(lines[11], "↑↓ more") {
		t.Fatalf("k after the end:\n%s", strings.Join(lines, "\n"))
	}
	// y and esc still work on a scrolled dialog.
	if msgs := uitest.Collect(func() tea.Cmd { _, cmd := d.Update(uitest.Key("y")); return cmd }()); !hasNotice(msgs, "IBAN copied") {
		t.Fatalf("y: %v", msgs)
	}
	if _, cmd := d.Update(uitest.Key("esc")); cmd == nil {
		t.Fatal("esc did nothing")
	} else if _, ok := cmd().(common.CloseModalMsg); !ok {
		t.Fatal("esc did not close")
	}

	// A very small dialog still has its exact size.
	for _, size := range [][2]int{{30, 5}, {24, 3}} {
		d.SetSize(size[0], size[1])
		checkBox(t, "small", d.View(), size[0], size[1])
	}
}

func TestDetailsSayATextWasCut(t *testing.T) {
	c := common.New(context.Background(), nil)
	name := api.Cut(strings.Repeat("Karl ", 1000), api.MaxNameLen)
	fs := Fields(c, &api.Transaction{ID: 1, Name: &name, Purpose: api.Ptr("Lunch")})
	if !strings.HasSuffix(fs[0].Value, "(cut: the bank sent more than 140 characters)") {
		t.Errorf("counterparty %q does not say it was cut", fs[0].Value)
	}
	for _, f := range fs[1:] {
		if strings.Contains(f.Value, "cut:") {
			t.Errorf("%s %q says cut", f.Label, f.Value)
		}
	}
}

// invoiceBooking is like the demo's newest incoming invoice: an IBAN and
// two invoice links, sanitised as on arrival.
func invoiceBooking() api.Transaction {
	tx := uitest.Generate(1, 1)[0]
	tx.Name = api.Ptr("Fotostudio Blende Acht")
	tx.IBAN = api.Ptr("DE84760100850012345678")
	tx.InvoicePreviewURL = api.Ptr(invoicePreview)
	tx.InvoiceDownloadURL = api.Ptr("https://invoices.konto.example/2026-103/download.pdf")
	return common.SanitizeTransaction(tx)
}

const invoicePreview = "https://invoices.konto.example/2026-103/preview"

// values reads the value lines of every field off the view, side by side
// (" Label···· value") or stacked (" Label", then "  value" lines).
func values(m *Model) map[string][]string {
	out := map[string][]string{}
	cur := ""
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		l = strings.TrimSpace(l)
		for _, f := range m.Fields() {
			if rest, ok := strings.CutPrefix(l, f.Label); ok {
				cur, l = f.Label, strings.TrimSpace(rest)
				break
			}
		}
		if l != "" && cur != "" {
			out[cur] = append(out[cur], l)
		}
	}
	return out
}

// An IBAN too long for its line breaks between groups of four, and never
// leaves its last two characters alone ("…3456" / "78" at 160 columns).
func TestIBANBreaksBetweenGroupsOnly(t *testing.T) {
	c := uitest.Common(nil, 200, 60)
	tx := invoiceBooking()
	const whole = "DE84 7601 0085 0012 3456 78"
	for w := 24; w <= 90; w++ {
		m := New(c)
		m.SetSize(w, 40)
		m.SetTransaction(&tx)
		got := values(m)["IBAN"]
		if strings.Join(got, "|") != whole && strings.Join(got, "|") != "DE84 7601 0085 0012|3456 78" {
			t.Fatalf("width %d: IBAN drawn as %q:\n%s", w, got, ansi.Strip(m.View()))
		}
	}
	// The dialog of the stacked layout and an order's details too.
	d := NewModal(c, &tx)
	d.SetSize(28, 40)
	if got := values(d.m)["IBAN"]; strings.Join(got, "|") != "DE84 7601 0085 0012|3456 78" {
		t.Fatalf("dialog: IBAN drawn as %q", got)
	}
	o := uitest.NewBank(1).Standing[0]
	o.IBAN = "DE84760100850012345678"
	m := New(c)
	m.SetSize(35, 20) // a 24-cell value column
	m.SetFields(StandingOrderFields(c, o), o.IBAN)
	if got := values(m)["IBAN"]; strings.Join(got, "|") != "DE84 7601 0085 0012|3456 78" {
		t.Fatalf("standing order: IBAN drawn as %q", got)
	}
}

// osc8 finds every hyperlink sequence konto writes (opening and closing).
var osc8 = regexp.MustCompile("\x1b\\]8;([^;\x07\x1b]*);([^\x07\x1b]*)\x07")

// A URL wraps after its "/" (never inside a word while a break point
// fits), and every line of it is a hyperlink to the whole URL.
func TestURLWrapsAtSlashesAndLinks(t *testing.T) {
	c := uitest.Common(nil, 200, 60)
	tx := invoiceBooking()
	for _, w := range []int{32, 38, 42, 44, 50, 70} {
		m := New(c)
		m.SetSize(w, 40)
		m.SetTransaction(&tx)
		lines := values(m)["Invoice preview"]
		if strings.Join(lines, "") != invoicePreview {
			t.Fatalf("width %d: the URL reads %q", w, lines)
		}
		for _, l := range lines[:len(lines)-1] {
			if !strings.ContainsAny(l[len(l)-1:], "/?&#-._=~+,;") {
				t.Fatalf("width %d: the URL breaks inside a word: %q", w, lines)
			}
		}
		view := m.View()
		opened := 0
		for _, g := range osc8.FindAllStringSubmatch(view, -1) {
			if g[2] == invoicePreview {
				opened++
			}
		}
		if opened != len(lines) {
			t.Fatalf("width %d: %d lines link to the preview, want all %d: %q", w, opened, len(lines), view)
		}
		if n := strings.Count(view, "\x1b]8;;\x07"); n != strings.Count(view, "\x1b]8;;http") {
			t.Fatalf("width %d: %d links closed, %d opened", w, n, strings.Count(view, "\x1b]8;;http"))
		}
		for i, l := range strings.Split(view, "\n") {
			if ansi.StringWidth(l) != w {
				t.Fatalf("width %d: line %d is %d cells", w, i, ansi.StringWidth(l))
			}
		}

		// A terminal records the link on every cell of the URL.
		emu := vt.NewEmulator(w, 40)
		_, _ = emu.Write([]byte(strings.ReplaceAll(view, "\n", "\r\n")))
		linked := 0
		for y := range 40 {
			for x := range w {
				if cell := emu.CellAt(x, y); cell != nil && cell.Link.URL == invoicePreview {
					linked++
				}
			}
		}
		if linked != len(invoicePreview) {
			t.Fatalf("width %d: %d cells link to the preview, want %d", w, linked, len(invoicePreview))
		}
	}
}

// Only http and https addresses become links, and nothing the bank sends
// can end the link's sequence early or start another one.
func TestHostileURLsAreNoLinks(t *testing.T) {
	c := uitest.Common(nil, 80, 24)
	for _, raw := range []string{
		"javascript:alert(1)",
		"file:///etc/passwd",
		"https://bank.example@evil.example/x",
		"https://x.example/\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
		"https://x.example/a\x07b\x1b\\c\u009cd;e",
	} {
		tx := invoiceBooking()
		tx.InvoicePreviewURL = api.Ptr(raw)
		tx.InvoiceDownloadURL = nil
		tx = common.SanitizeTransaction(tx)
		m := New(c)
		m.SetSize(60, 30)
		m.SetTransaction(&tx)
		view := m.View()
		rest := osc8.ReplaceAllString(view, "")
		if strings.Contains(rest, "\x1b]") || strings.Contains(rest, "\x07") {
			t.Fatalf("%q: a stray sequence: %q", raw, view)
		}
		for _, g := range osc8.FindAllStringSubmatch(view, -1) {
			target := g[2]
			if target == "" {
				continue
			}
			if !strings.HasPrefix(target, "https://x.example/") || strings.ContainsAny(target, "; \x1b\x07\\") {
				t.Fatalf("%q: links to %q", raw, target)
			}
		}
	}
}

// A cancelled standing order will not run again: its details name no next
// date, even when the bank still sends one.
func TestCancelledStandingOrderHasNoNextDate(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	o := bank.Standing[0]
	o.Status = api.StatusCanceled
	for _, f := range StandingOrderFields(c, o) {
		if f.Label == "Next" {
			t.Fatalf("a cancelled order shows Next %q", f.Value)
		}
	}
	o.Status = api.StatusActive
	found := false
	for _, f := range StandingOrderFields(c, o) {
		found = found || f.Label == "Next"
	}
	if !found {
		t.Fatal("an active order lost its next date")
	}
}
