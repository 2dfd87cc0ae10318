// Package detail shows every non-empty field of one transaction or order, as
// a pane (wide terminals) or as a modal (narrow ones); `y` copies the IBAN.
package detail

import (
	"fmt"
	"slices"
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

// StandingOrderFields lists every non-empty field of a standing order. The
// API gives its amount as a positive number; it is money going out, so it is
// drawn with a minus sign, as in the list.
func StandingOrderFields(c *common.Common, o api.StandingOrder) []Field {
	var fs []Field
	add := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			fs = append(fs, Field{Label: label, Value: value})
		}
	}
	add("Status", words(o.Status))
	add("Recipient", o.Name)
	add("IBAN", sepa.FormatIBAN(o.IBAN))
	fs = append(fs, Field{Label: "Amount", Value: common.Signed(-o.Amount) + " €", Money: true, Amount: -o.Amount})
	add("Note", api.Str(o.Description))
	add("Every", words(o.Reoccurrence))
	if o.NextOccurrence != nil {
		add("Next", common.FormatFullDate(o.NextOccurrence.Time, c.Loc))
	}
	if o.LastExecutionDate != nil {
		add("Last execution", common.FormatFullDate(o.LastExecutionDate.Time, c.Loc))
	}
	add("End-to-end ID", api.Str(o.E2EID))
	add("Order ID", fmt.Sprint(o.ID))
	return fs
}

// TimedOrderFields lists every non-empty field of a timed order (its amount
// is already negative in the API's list).
func TimedOrderFields(c *common.Common, o api.TimedOrderListItem) []Field {
	var fs []Field
	add := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			fs = append(fs, Field{Label: label, Value: value})
		}
	}
	add("Status", words(o.Status))
	add("Recipient", o.RecipientName)
	add("IBAN", sepa.FormatIBAN(o.RecipientIBAN))
	fs = append(fs, Field{Label: "Amount", Value: common.Signed(o.Amount) + " €", Money: true, Amount: o.Amount})
	add("Date", common.FormatFullDate(o.Date.Time, c.Loc))
	add("Purpose", api.Str(o.Purpose))
	add("End-to-end ID", api.Str(o.E2EID))
	add("Order ID", o.ID)
	return fs
}

// DefaultHint is what the pane says when nothing is selected.
const DefaultHint = "select a booking to see its details"

// Model is the details view of one transaction or order.
type Model struct {
	c             *common.Common
	tx            *api.Transaction // nil when an order (or nothing) is shown
	width, height int
	offset        int // first line shown, when the fields do not fit
	lines         []Field
	iban          string // what y copies, normalised; "" when there is none
	hint          string // shown when lines is empty
}

// New returns an empty details view.
func New(c *common.Common) *Model { return &Model{c: c, hint: DefaultHint} }

// SetTransaction shows tx (nil shows a hint).
func (m *Model) SetTransaction(tx *api.Transaction) {
	if tx == nil {
		m.SetEmpty(DefaultHint)
		return
	}
	if m.tx != nil && (tx == m.tx || (tx.ID == m.tx.ID && *tx == *m.tx)) {
		return
	}
	m.show(Fields(m.c, tx), api.Str(tx.IBAN))
	m.tx = tx
}

// SetFields shows fields (an order's, say), with iban as what y copies. The
// scroll position is kept while the fields stay the same, so the root can
// call this after every message.
func (m *Model) SetFields(fields []Field, iban string) {
	iban = sepa.NormalizeIBAN(iban)
	if m.tx == nil && len(m.lines) > 0 && slices.Equal(fields, m.lines) && iban == m.iban {
		return
	}
	m.show(fields, iban)
}

// SetEmpty shows hint instead of fields.
func (m *Model) SetEmpty(hint string) {
	if m.tx == nil && m.lines == nil && m.hint == hint {
		return
	}
	m.tx, m.lines, m.iban, m.hint, m.offset = nil, nil, "", hint, 0
}

func (m *Model) show(fields []Field, iban string) {
	m.tx, m.lines, m.iban, m.offset = nil, fields, sepa.NormalizeIBAN(iban), 0
}

// Transaction is the transaction shown, or nil.
func (m *Model) Transaction() *api.Transaction { return m.tx }

// Fields is what is shown (nil when the hint is).
func (m *Model) Fields() []Field { return m.lines }

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update handles y (copy IBAN) and scrolling.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || len(m.lines) == 0 {
		return nil
	}
	switch {
	case key.Matches(k, m.c.Keys.Detail.CopyIBAN):
		if m.iban == "" {
			what := "this order"
			if m.tx != nil {
				what = "this booking"
			}
			return common.Notice(common.NoticeWarning, what+" has no IBAN")
		}
		return tea.Batch(tea.SetClipboard(m.iban), common.Notice(common.NoticeInfo, "IBAN copied"))
	case key.Matches(k, m.c.Keys.List.Down):
		m.offset++
	case key.Matches(k, m.c.Keys.List.Up):
		m.offset = max(m.offset-1, 0)
	}
	return nil
}

// minValueWidth is the narrowest value column worth having beside the labels
// ("SEPA credit transfer", a grouped IBAN in two lines).
const minValueWidth = 20

// View draws the fields: label column, then the value wrapped to the width
// (or, in a narrow pane, each label above its value).
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	var out []string
	if len(m.lines) == 0 {
		out = common.StateLines(st, m.hint, false, m.height)
	} else {
		// The label column fits the longest label shown, but never takes more
		// than about half the pane: values matter more than their names.
		labelW := 0
		for _, f := range m.lines {
			labelW = max(labelW, ansi.StringWidth(f.Label))
		}
		labelW = min(labelW, max(m.width/2-1, 8))
		valueW := max(m.width-labelW-2, 8)
		// A narrow pane would break most values over several lines: then
		// each label goes above its value, as a bank app lists them.
		stacked := valueW < minValueWidth
		if stacked {
			valueW = max(m.width-2, 1)
		}
		for _, f := range m.lines {
			style := st.Text
			if f.Money {
				style = st.Debit
				if f.Amount >= 0 {
					style = st.Credit
				}
			}
			if stacked {
				out = append(out, " "+st.Label.Render(common.Truncate(f.Label, m.width-1)))
				for _, v := range wrap(f.Value, valueW) {
					out = append(out, "  "+style.Render(v))
				}
				continue
			}
			for i, v := range wrap(f.Value, valueW) {
				label := ""
				if i == 0 {
					label = common.Truncate(f.Label, labelW)
				}
				out = append(out, " "+st.Label.Render(common.PadRight(label, labelW))+" "+style.Render(v))
			}
		}
		m.offset = min(m.offset, max(len(out)-m.height, 0))
		out = out[m.offset:]
	}
	return common.FitBlock(out, m.width, m.height)
}

// wrap breaks a sanitised value into lines of at most width cells, at most 6.
func wrap(s string, width int) []string {
	// A value without spaces (an end-to-end ID, a URL) fills each line:
	// ansi.Wrap always breaks after "-", which strands the "E-" of an ID.
	var w string
	if strings.ContainsRune(s, ' ') {
		w = ansi.Wrap(s, width, "/")
	} else {
		w = ansi.Hardwrap(s, width, true)
	}
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
type Modal struct {
	m     *Model
	title string
}

// NewModal returns the details of tx as a modal.
func NewModal(c *common.Common, tx *api.Transaction) *Modal {
	m := New(c)
	m.SetTransaction(tx)
	return &Modal{m: m, title: "Details"}
}

// NewFieldsModal returns fields (an order's) as a modal titled title; y
// copies iban.
func NewFieldsModal(c *common.Common, title string, fields []Field, iban string) *Modal {
	m := New(c)
	m.SetFields(fields, iban)
	return &Modal{m: m, title: title}
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
	return common.Box(d.m.c.Styles, d.title, strings.Split(d.m.View(), "\n"), d.m.width+2, d.m.height+2, true)
}

// KeyMap is the dialog's help.
func (d *Modal) KeyMap() help.KeyMap { return d.m.KeyMap() }

// Transaction is the booking shown.
func (d *Modal) Transaction() *api.Transaction { return d.m.tx }

// words turns ACTIVE or EVERY_SIX_MONTHS into "active", "every six months".
func words(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", " ") }
