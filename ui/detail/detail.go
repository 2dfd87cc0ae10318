// Package detail shows every non-empty field of one transaction, as a pane
// (wide terminals) or as a modal (narrow ones); `y` copies the IBAN.
package detail

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
)

// Field is one labelled line of the details.
type Field struct {
	Label, Value string
	// Money is drawn in the credit/debit colour of Amount.
	Money  bool
	Amount int64
}

// Fields lists every non-empty field of tx, in reading order. Strings are
// expected to be sanitised already (they are, on arrival).
func Fields(c *common.Common, tx *api.Transaction) []Field {
	var fs []Field
	add := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			fs = append(fs, Field{Label: label, Value: value})
		}
	}
	add("Counterparty", api.Str(tx.Name))
	if iban := api.Str(tx.IBAN); iban != "" {
		add("IBAN", sepa.FormatIBAN(iban))
	}
	fs = append(fs, Field{Label: "Amount", Value: common.Signed(tx.Amount) + " €", Money: true, Amount: tx.Amount})
	add("Purpose", api.Str(tx.Purpose))
	add("End-to-end ID", api.Str(tx.E2EID))
	add("Booked", common.FormatFullDate(tx.BookingDate.Time, c.Loc))
	if tx.ValutaDate != nil {
		add("Value date", common.FormatFullDate(tx.ValutaDate.Time, c.Loc))
	}
	if tx.UserSelectedBookingDate != nil {
		add("Chosen date", common.FormatFullDate(tx.UserSelectedBookingDate.Time, c.Loc))
	}
	add("Booking type", common.BookingTypeWords(api.Str(tx.BookingType)))
	add("Payment method", common.BookingTypeWords(api.Str(tx.PaymentMethod)))
	if fa := common.ForeignAmount(tx); fa != "" {
		add("Foreign amount", fa)
	} else {
		add("Original amount", api.Str(tx.OriginalAmount))
		add("Currency", api.Str(tx.ForeignCurrency))
	}
	add("Category", api.Str(tx.Category))
	add("Type", api.Str(tx.Type))
	if tx.InvoiceNumber != nil {
		add("Invoice number", strconv.FormatInt(*tx.InvoiceNumber, 10))
	}
	add("Invoice preview", api.Str(tx.InvoicePreviewURL))
	add("Invoice download", api.Str(tx.InvoiceDownloadURL))
	add("Document type", api.Str(tx.DocumentType))
	add("Mandate number", api.Str(tx.MandateNumber))
	add("Transaction ID", strconv.FormatInt(tx.ID, 10))
	return fs
}

// Model is the details view of one transaction.
type Model struct {
	c             *common.Common
	tx            *api.Transaction
	width, height int
	offset        int // first line shown, when the fields do not fit
	lines         []Field
}

// New returns an empty details view.
func New(c *common.Common) *Model { return &Model{c: c} }

// SetTransaction shows tx (nil shows a hint).
func (m *Model) SetTransaction(tx *api.Transaction) {
	if tx == m.tx || (tx != nil && m.tx != nil && tx.ID == m.tx.ID && *tx == *m.tx) {
		return
	}
	m.tx, m.offset = tx, 0
	m.lines = nil
	if tx != nil {
		m.lines = Fields(m.c, tx)
	}
}

// Transaction is the transaction shown, or nil.
func (m *Model) Transaction() *api.Transaction { return m.tx }

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update handles y (copy IBAN) and scrolling.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || m.tx == nil {
		return nil
	}
	switch {
	case key.Matches(k, m.c.Keys.Detail.CopyIBAN):
		iban := sepa.NormalizeIBAN(api.Str(m.tx.IBAN))
		if iban == "" {
			return common.Notice(common.NoticeWarning, "this booking has no IBAN")
		}
		return tea.Batch(tea.SetClipboard(iban), common.Notice(common.NoticeInfo, "IBAN copied"))
	case key.Matches(k, m.c.Keys.List.Down):
		m.offset++
	case key.Matches(k, m.c.Keys.List.Up):
		m.offset = max(m.offset-1, 0)
	}
	return nil
}

// View draws the fields: label column, then the value wrapped to the width.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	var out []string
	if m.tx == nil {
		out = common.StateLines(st, "select a booking to see its details", false, m.height)
	} else {
		// The label column fits the longest label shown, but never takes more
		// than about half the pane: values matter more than their names.
		labelW := 0
		for _, f := range m.lines {
			labelW = max(labelW, ansi.StringWidth(f.Label))
		}
		labelW = min(labelW, max(m.width/2-1, 8))
		valueW := max(m.width-labelW-2, 8)
		for _, f := range m.lines {
			vs := wrap(f.Value, valueW)
			for i, v := range vs {
				label := ""
				if i == 0 {
					label = common.Truncate(f.Label, labelW)
				}
				style := st.Text
				if f.Money {
					style = st.Debit
					if f.Amount >= 0 {
						style = st.Credit
					}
				}
				out = append(out, " "+st.Label.Render(common.PadRight(label, labelW))+" "+style.Render(v))
			}
		}
		m.offset = min(m.offset, max(len(out)-m.height, 0))
		out = out[m.offset:]
	}
	if len(out) > m.height {
		out = out[:m.height]
	}
	for len(out) < m.height {
		out = append(out, "")
	}
	for i := range out {
		out[i] = common.FitLine(out[i], m.width)
	}
	return strings.Join(out, "\n")
}

// wrap breaks a sanitised value into lines of at most width cells, at most 6.
func wrap(s string, width int) []string {
	w := ansi.Wrap(s, width, " /-")
	lines := strings.Split(w, "\n")
	if len(lines) > 6 {
		lines = lines[:6]
		lines[5] = common.Truncate(lines[5]+" …", width)
	}
	return lines
}

// KeyMap is the details' help.
func (m *Model) KeyMap() help.KeyMap { return keyMap{m.c} }

type keyMap struct{ c *common.Common }

func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.c.Keys.Detail.Close, k.c.Keys.Detail.CopyIBAN}
}
func (k keyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Modal wraps the details as a dialog for narrow terminals.
type Modal struct{ m *Model }

// NewModal returns the details of tx as a modal.
func NewModal(c *common.Common, tx *api.Transaction) *Modal {
	m := New(c)
	m.SetTransaction(tx)
	return &Modal{m: m}
}

// Update closes on esc (or enter) and otherwise acts like the pane.
func (d *Modal) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if key.Matches(k, d.m.c.Keys.Detail.Close, d.m.c.Keys.List.Open) {
			return d, common.CloseModal
		}
	}
	return d, d.m.Update(msg)
}

// SetSize fits the dialog into w×h.
func (d *Modal) SetSize(w, h int) {
	w = min(w, 72)
	h = min(h, len(d.m.lines)+4)
	d.m.SetSize(w-2, h-2)
}

// View draws the dialog with its border.
func (d *Modal) View() string {
	return common.Box(d.m.c.Styles, "Details", strings.Split(d.m.View(), "\n"), d.m.width+2, d.m.height+2, true)
}

// KeyMap is the dialog's help.
func (d *Modal) KeyMap() help.KeyMap { return d.m.KeyMap() }

// Transaction is the booking shown.
func (d *Modal) Transaction() *api.Transaction { return d.m.tx }
