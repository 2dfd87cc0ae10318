package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"konto/api"
	"konto/ui/uitest"
)

// withInvoice gives the newest booking an IBAN and invoice links, as the
// demo's newest incoming invoice has: the details pane's longest lines.
func withInvoice(bank *uitest.Bank) {
	tx := &bank.Txs[4711][0]
	tx.Name = api.Ptr("Fotostudio Blende Acht")
	tx.IBAN = api.Ptr("DE84760100850012345678")
	tx.BookingType = api.Ptr("SEPA_CREDIT_TRANSFER")
	tx.InvoicePreviewURL = api.Ptr("https://invoices.konto.example/2026-103/preview")
	tx.InvoiceDownloadURL = api.Ptr("https://invoices.konto.example/2026-103/download.pdf")
}

// emulate draws a rendered screen in a terminal emulator, to read its cells.
func emulate(screen string, w, h int) *vt.Emulator {
	emu := vt.NewEmulator(w, h)
	_, _ = emu.Write([]byte("\x1b[H" + strings.ReplaceAll(screen, "\n", "\r\n")))
	return emu
}

// checkDialogBackground checks the screen with a dialog open against the
// screen before it: every pane border beside the dialog is still there,
// drawn as before, and of a pane the dialog cuts, nothing but blanks is
// left between the dialog and that pane's border (no scrap of a word or a
// URL that reads as part of the dialog).
func checkDialogBackground(t *testing.T, what string, m *Model, before string) {
	t.Helper()
	w, h := m.c.Width, m.c.Height
	box := strings.Split(m.topModal().View(), "\n")
	bw := 0
	for _, l := range box {
		bw = max(bw, ansi.StringWidth(l))
	}
	x0, y0 := max((w-bw)/2, 0), max((h-len(box))/2, 1)
	x1, y1 := x0+bw, y0+len(box) // exclusive
	after := m.Render()
	screen(t, m)
	was, is := emulate(before, w, h), emulate(after, w, h)
	row := func(e *vt.Emulator, y int) string {
		var b strings.Builder
		for x := range w {
			if c := e.CellAt(x, y); c != nil && c.Content != "" {
				b.WriteString(c.Content)
			} else if c == nil || c.Width != 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	for y := y0; y < min(y1, h); y++ {
		for x := range w {
			if x >= x0 && x < x1 {
				continue
			}
			old, now := was.CellAt(x, y), is.CellAt(x, y)
			if old == nil || now == nil {
				continue
			}
			if boxDrawing(old.Content) && (now.Content != old.Content || !now.Style.Equal(&old.Style)) {
				t.Fatalf("%s: row %d cell %d: the border %q beside the dialog became %q (style %v, was %v)\nbefore: %q\nafter:  %q",
					what, y, x, old.Content, now.Content, now.Style, old.Style, row(was, y), row(is, y))
			}
		}
		// From the dialog outwards, blanks up to the first border.
		for _, side := range []struct{ from, step int }{{x0 - 1, -1}, {x1, 1}} {
			for x := side.from; x >= 0 && x < w; x += side.step {
				c := is.CellAt(x, y)
				if c == nil {
					break
				}
				if boxDrawing(c.Content) {
					break
				}
				if strings.TrimSpace(c.Content) != "" {
					t.Fatalf("%s: row %d cell %d: %q left of a pane the dialog cuts: %q", what, y, x, c.Content, row(is, y))
				}
			}
		}
	}
}

// boxDrawing reports a pane border's or rule's character.
func boxDrawing(s string) bool {
	r := []rune(s)
	return len(r) == 1 && r[0] >= 0x2500 && r[0] <= 0x257f
}

func TestDialogsKeepPaneBorders(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {140, 40}, {200, 60}} {
		w, h := size[0], size[1]
		what := fmt.Sprintf("help at %d×%d", w, h)
		bank := uitest.NewBank(300)
		withInvoice(bank)
		m := startOn(t, bank, nil, w, h)
		before := m.Render()
		keys(m, "?")
		checkDialogBackground(t, what, m, before)
	}

	// The details dialog at 80×24 and 100×30.
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		w, h := size[0], size[1]
		bank := uitest.NewBank(300)
		withInvoice(bank)
		m := startOn(t, bank, nil, w, h)
		before := m.Render()
		keys(m, "enter")
		checkDialogBackground(t, fmt.Sprintf("details at %d×%d", w, h), m, before)
	}

	// The transfer form beside the details pane.
	for _, size := range [][2]int{{120, 40}, {200, 60}, {80, 24}} {
		w, h := size[0], size[1]
		bank := uitest.NewBank(300)
		withInvoice(bank)
		m := startOn(t, bank, &uitest.Payments{}, w, h)
		before := m.Render()
		keys(m, "t")
		checkDialogBackground(t, fmt.Sprintf("transfer form at %d×%d", w, h), m, before)
	}
}

// startOn opens the dashboard on bank at w×h, with payments if pay is set.
func startOn(t *testing.T, bank *uitest.Bank, pay *uitest.Payments, w, h int) *Model {
	t.Helper()
	c := uitest.Common(bank, w, h)
	if pay != nil {
		c.Payments = pay
	}
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: w, Height: h})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	return m
}
