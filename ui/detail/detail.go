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
	"konto/theme"
	"konto/ui/common"
)

// Field is one labelled line of the details.
type Field struct {
	Label, Value string
	// Money is drawn in the credit/debit colour of Amount.
	Money  bool
	Amount int64
	// Kind says how a value too long for its line wraps.
	Kind Kind
}

// Kind is what a field's value is, for wrapping and links.
type Kind uint8

const (
	// Text wraps at spaces (a value without any fills each line).
	Text Kind = iota
	// IBAN is grouped by four and breaks only between groups.
	IBAN
	// URL breaks after "/" and the like, and is a terminal hyperlink when
	// it is an http or https address.
	URL
)

// Fields lists every non-empty field of tx, in reading order. Strings are
// expected to be sanitised already (they are, on arrival).
func Fields(c *common.Common, tx *api.Transaction) []Field {
	var fs []Field
	add := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			fs = append(fs, Field{Label: label, Value: value})
		}
	}
	add("Counterparty", cutNote(api.Str(tx.Name), api.MaxNameLen))
	fs = addIBAN(c, fs, api.Str(tx.IBAN))
	fs = append(fs, Field{Label: "Amount", Value: c.Money(tx.Amount) + " €", Money: true, Amount: tx.Amount})
	add("Purpose", cutNote(api.Str(tx.Purpose), api.MaxTextLen))
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
	if fa := c.ForeignAmount(tx); fa != "" {
		add("Foreign amount", fa)
	} else {
		if orig := api.Str(tx.OriginalAmount); c.Privacy && strings.TrimSpace(orig) != "" {
			add("Original amount", common.Masked)
		} else {
			add("Original amount", orig)
		}
		add("Currency", api.Str(tx.ForeignCurrency))
	}
	add("Category", api.Str(tx.Category))
	add("Type", api.Str(tx.Type))
	if tx.InvoiceNumber != nil {
		add("Invoice number", strconv.FormatInt(*tx.InvoiceNumber, 10))
	}
	for _, u := range []struct{ label, url string }{
		{"Invoice preview", api.Str(tx.InvoicePreviewURL)},
		{"Invoice download", api.Str(tx.InvoiceDownloadURL)},
	} {
		if strings.TrimSpace(u.url) != "" {
			fs = append(fs, Field{Label: u.label, Value: u.url, Kind: URL})
		}
	}
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
	add("Recipient", cutNote(o.Name, api.MaxNameLen))
	fs = addIBAN(c, fs, o.IBAN)
	fs = append(fs, Field{Label: "Amount", Value: c.Money(-o.Amount) + " €", Money: true, Amount: -o.Amount})
	add("Note", cutNote(api.Str(o.Description), api.MaxTextLen))
	add("Every", words(o.Reoccurrence))
	if o.NextOccurrence != nil && o.Status == api.StatusActive { // a cancelled order runs no more
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
	add("Recipient", cutNote(o.RecipientName, api.MaxNameLen))
	fs = addIBAN(c, fs, o.RecipientIBAN)
	fs = append(fs, Field{Label: "Amount", Value: c.Money(o.Amount) + " €", Money: true, Amount: o.Amount})
	add("Date", common.FormatFullDate(o.Date.Time, c.Loc))
	add("Purpose", cutNote(api.Str(o.Purpose), api.MaxTextLen))
	add("End-to-end ID", api.Str(o.E2EID))
	add("Order ID", o.ID)
	return fs
}

// cutNote says that konto cut a text the bank sent longer than max
// characters (api.Cut), so nobody takes the cut text for all there is.
func cutNote(v string, max int) string {
	if api.WasCut(v, max) {
		return v + " (cut: the bank sent more than " + strconv.Itoa(max) + " characters)"
	}
	return v
}

// addIBAN adds the IBAN field, grouped by four (masked in privacy mode),
// unless iban is empty.
func addIBAN(c *common.Common, fs []Field, iban string) []Field {
	if grouped := c.IBAN(iban); strings.TrimSpace(grouped) != "" {
		fs = append(fs, Field{Label: "IBAN", Value: grouped, Kind: IBAN})
	}
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

	// rendered caches content() for renderedFor (the width and theme).
	rendered    []string
	renderedFor renderKey
}

// renderKey is what the rendered lines depend on besides the fields.
type renderKey struct {
	width   int
	styles  *theme.Styles
	privacy bool
}

// New returns an empty details view.
func New(c *common.Common) *Model { return &Model{c: c, hint: DefaultHint} }

// SetTransaction shows tx (nil shows a hint).
func (m *Model) SetTransaction(tx *api.Transaction) { m.SetBooking(Booking{Tx: tx}) }

// SetBooking shows a booking with what konto knows of it (nil Tx shows a
// hint). The scroll position is kept while it stays the same.
func (m *Model) SetBooking(b Booking) {
	if b.Tx == nil {
		m.SetEmpty(DefaultHint)
		return
	}
	fields := BookingFields(m.c, b)
	// The same booking drawn the same: its fields are every value it
	// shows (a copy read anew from the history has pointers of its own).
	if m.tx != nil && b.Tx.ID == m.tx.ID && slices.EqualFunc(fields, m.lines, func(a, b Field) bool { return a == b }) {
		m.tx = b.Tx
		return
	}
	m.show(fields, api.Str(b.Tx.IBAN))
	m.tx = b.Tx
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
	m.rendered = nil
}

func (m *Model) show(fields []Field, iban string) {
	m.tx, m.lines, m.iban, m.offset = nil, fields, sepa.NormalizeIBAN(iban), 0
	m.rendered = nil
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
	l := m.c.Keys.List
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
	case key.Matches(k, l.Down):
		m.scroll(1)
	case key.Matches(k, l.Up):
		m.scroll(-1)
	case key.Matches(k, l.PageDown, l.HalfPageDown):
		m.scroll(max(m.height-1, 1))
	case key.Matches(k, l.PageUp, l.HalfPageUp):
		m.scroll(-max(m.height-1, 1))
	case key.Matches(k, l.Top):
		m.offset = 0
	case key.Matches(k, l.Bottom):
		m.scroll(len(m.content()))
	}
	return nil
}

// scroll moves the first line shown by d lines, within the content.
func (m *Model) scroll(d int) {
	m.offset = max(min(m.offset+d, m.maxOffset()), 0)
}

// maxOffset is the last useful scroll position: the last line at the bottom.
func (m *Model) maxOffset() int { return max(len(m.content())-m.height, 0) }

// Scrollable reports whether the fields take more lines than the height, so
// some are out of sight.
func (m *Model) Scrollable() bool { return m.height > 0 && len(m.content()) > m.height }

// ContentHeight is the number of lines the fields take at the current width
// (values wrapped): the height that shows them all.
func (m *Model) ContentHeight() int { return len(m.content()) }

// Position returns the scroll position: lines above the view, the last line
// shown (1-based) and the number of lines in all.
func (m *Model) Position() (above, last, total int) {
	total = len(m.content())
	m.offset = max(min(m.offset, total-m.height), 0)
	return m.offset, min(m.offset+m.height, total), total
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
	var out []string
	if len(m.lines) == 0 {
		out = common.StateLines(m.c.Styles, m.hint, false, m.height)
	} else {
		all := m.content()
		m.offset = max(min(m.offset, len(all)-m.height), 0)
		// FitBlock rewrites its lines in place: keep the cache intact.
		out = slices.Clone(all[m.offset:min(m.offset+m.height, len(all))])
	}
	return common.FitBlock(out, m.width, m.height)
}

// content is every line of the fields at the current width, values
// wrapped, before any scrolling or cutting to the height.
func (m *Model) content() []string {
	if len(m.lines) == 0 || m.width <= 0 {
		return nil
	}
	st := m.c.Styles
	if k := (renderKey{m.width, st, m.c.Privacy}); m.rendered != nil && m.renderedFor == k {
		return m.rendered
	}
	var out []string
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
		// Every line of a link is a link of its own, so each is clickable.
		target, link := "", false
		if f.Kind == URL {
			target, link = common.LinkTarget(f.Value)
		}
		draw := func(v string) string {
			if link {
				return common.Hyperlink(target, style.Render(v))
			}
			return style.Render(v)
		}
		if stacked {
			out = append(out, " "+st.Label.Render(common.Truncate(f.Label, m.width-1)))
			for _, v := range wrap(f, valueW) {
				out = append(out, "  "+draw(v))
			}
			continue
		}
		for i, v := range wrap(f, valueW) {
			label := ""
			if i == 0 {
				label = common.Truncate(f.Label, labelW)
			}
			out = append(out, " "+st.Label.Render(common.PadRight(label, labelW))+" "+draw(v))
		}
	}
	m.rendered, m.renderedFor = out, renderKey{m.width, st, m.c.Privacy}
	return out
}

// wrap breaks a field's sanitised value into lines of at most width
// cells, at most 6.
func wrap(f Field, width int) []string {
	s := f.Value
	var lines []string
	switch {
	case f.Kind == IBAN:
		lines = common.WrapIBAN(s, width)
	case f.Kind == URL && !strings.ContainsRune(s, ' '):
		lines = common.WrapURL(s, width)
	case strings.ContainsRune(s, ' '):
		lines = strings.Split(ansi.Wrap(s, width, "/"), "\n")
	default:
		// A value without spaces (an end-to-end ID) fills each line:
		// ansi.Wrap always breaks after "-", which strands the "E-" of an ID.
		lines = strings.Split(ansi.Hardwrap(s, width, true), "\n")
	}
	if len(lines) > 6 {
		lines = lines[:6]
		lines[5] = common.Truncate(lines[5]+" …", width)
	}
	return lines
}

// KeyMap is the details' help: the scroll keys too when some fields are
// out of sight.
func (m *Model) KeyMap() help.KeyMap { return keyMap{m.c, m.Scrollable()} }

type keyMap struct {
	c      *common.Common
	scroll bool
}

func (k keyMap) ShortHelp() []key.Binding {
	b := []key.Binding{k.c.Keys.Detail.Close, k.c.Keys.Detail.CopyIBAN}
	if k.scroll {
		b = append(b, scrollBindings(k.c)...)
	}
	return b
}
func (k keyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// scrollBindings are the list's up and down keys (as configured), named for
// what they do here.
func scrollBindings(c *common.Common) []key.Binding {
	var out []key.Binding
	for _, b := range []struct {
		k    key.Binding
		desc string
	}{{c.Keys.List.Down, "scroll down"}, {c.Keys.List.Up, "scroll up"}} {
		if b.k.Enabled() && len(b.k.Keys()) > 0 {
			out = append(out, key.NewBinding(key.WithKeys(b.k.Keys()...), key.WithHelp(b.k.Help().Key, b.desc)))
		}
	}
	return out
}

// Modal wraps the details as a dialog for narrow terminals (and the stacked
// layout): exactly as tall as its wrapped fields, at most the room given;
// when they do not fit, the bottom border says how far down the view is.
type Modal struct {
	m     *Model
	title string
}

// NewModal returns the details of tx as a modal.
func NewModal(c *common.Common, tx *api.Transaction) *Modal {
	return NewBookingModal(c, Booking{Tx: tx})
}

// NewBookingModal is NewModal with what konto knows of the booking.
func NewBookingModal(c *common.Common, b Booking) *Modal {
	m := New(c)
	m.SetBooking(b)
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

// maxModalWidth is the dialog's widest: beyond it lines get hard to follow.
const maxModalWidth = 72

// SetSize fits the dialog into w×h: as wide as allowed (up to
// maxModalWidth), as tall as the wrapped fields plus the border.
func (d *Modal) SetSize(w, h int) {
	w = min(w, maxModalWidth)
	d.m.SetSize(w-2, 0) // the width decides how the values wrap
	h = min(h, d.m.ContentHeight()+2)
	d.m.SetSize(w-2, h-2)
}

// Size is the dialog's outer size, border included.
func (d *Modal) Size() (w, h int) { return d.m.width + 2, d.m.height + 2 }

// View draws the dialog with its border; when the fields do not all fit,
// the bottom border shows where the view is ("↓ more 14/22").
func (d *Modal) View() string {
	st := d.m.c.Styles
	w, h := d.Size()
	box := common.Box(st, d.title, strings.Split(d.m.View(), "\n"), w, h, true)
	if box == "" || !d.m.Scrollable() {
		return box
	}
	cut := strings.LastIndexByte(box, '\n')
	if cut < 0 {
		return box
	}
	return box[:cut+1] + d.bottomBorder(w)
}

// bottomBorder is the bottom edge carrying the scroll position at its right.
func (d *Modal) bottomBorder(w int) string {
	return common.BottomBorder(d.m.c.Styles, d.m.ScrollLabel(w-6), w, true)
}

// ScrollLabel says where the view is when the fields do not all fit: "↓ more
// 14/22" at the top, "↑↓ more 18/22" midway, "↑ 22/22" at the end (lines
// shown so far of all), shortened to fit width cells; "" when everything
// shows (or nothing fits).
func (m *Model) ScrollLabel(width int) string {
	if !m.Scrollable() {
		return ""
	}
	above, last, total := m.Position()
	arrows := ""
	if above > 0 {
		arrows += "↑"
	}
	pos := fmt.Sprintf("%d/%d", last, total)
	candidates := []string{arrows + " " + pos, arrows}
	if last < total {
		arrows += "↓"
		candidates = []string{arrows + " more " + pos, arrows + " " + pos, arrows}
	}
	for _, l := range candidates {
		if ansi.StringWidth(l) <= width {
			return l
		}
	}
	return ""
}

// KeyMap is the dialog's help.
func (d *Modal) KeyMap() help.KeyMap { return d.m.KeyMap() }

// Transaction is the booking shown.
func (d *Modal) Transaction() *api.Transaction { return d.m.tx }

// words turns ACTIVE or EVERY_SIX_MONTHS into "active", "every six months".
func words(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", " ") }
