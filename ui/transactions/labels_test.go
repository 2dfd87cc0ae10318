package transactions

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/uitest"
)

// root is the part of the dashboard the label keys need: it opens and
// closes the dialogs they send, hands keys to the open one, and every
// other message to the list and the dialog, as ui.Model does.
type root struct {
	m       *Model
	modal   common.Modal
	notices []string
}

func (r *root) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.OpenModalMsg:
		r.modal = msg.Modal
		r.modal.SetSize(80, 24)
		return nil
	case common.CloseModalMsg:
		r.modal = nil
		return nil
	case common.NoticeMsg:
		r.notices = append(r.notices, msg.Text)
		return nil
	case tea.KeyPressMsg:
		if r.modal != nil {
			var cmd tea.Cmd
			r.modal, cmd = r.modal.Update(msg)
			return cmd
		}
		return r.m.Update(msg)
	}
	cmds := []tea.Cmd{r.m.Update(msg)}
	if r.modal != nil {
		var cmd tea.Cmd
		r.modal, cmd = r.modal.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (r *root) keys(ks ...string) {
	for _, k := range ks {
		uitest.Pump(r.update, uitest.Key(k))
	}
}

func (r *root) typeText(s string) { uitest.Pump(r.update, uitest.Type(s)...) }

// labelled is a list of 200 bookings with labels kept in memory, its
// index built (so the rules have run).
func labelled(t *testing.T, w, h int) (*root, *uitest.Bank) {
	t.Helper()
	m, bank := loaded(t, 200, w, h)
	r := &root{m: m}
	uitest.Pump(r.update, m.loadLabels()) // what Load asked for, once more: a no-op
	return r, bank
}

func TestCategoryKeySetsTheCategoryAndOffersARule(t *testing.T) {
	r, bank := labelled(t, 120, 30)
	m := r.m
	sel := *m.Selected()
	r.keys("c")
	if _, ok := r.modal.(*categoryDialog); !ok {
		t.Fatalf("c opened %T", r.modal)
	}
	r.typeText("food")
	r.keys("enter")
	if got := m.SelectedBooking().Label; got.Category != "food" || !got.Manual {
		t.Fatalf("after enter the booking reads %+v, want food set by hand", got)
	}
	l, _ := m.c.LabelStore().LoadLabels()
	if l[sel.ID].Category != "food" {
		t.Fatalf("store holds %+v for the booking", l[sel.ID])
	}
	// The generated history repeats its names: the same counterparty's
	// other bookings in the same direction are offered.
	want := 0
	for _, tx := range bank.Txs[4711] {
		if tx.ID != sel.ID && api.Str(tx.Name) == api.Str(sel.Name) && (tx.Amount < 0) == (sel.Amount < 0) {
			want++
		}
	}
	d, ok := r.modal.(*categoryDialog)
	if !ok || !d.asking || d.others != want {
		t.Fatalf("after enter: modal %T asking=%v others=%d, want a question about %d", r.modal, d != nil && d.asking, d.others, want)
	}
	view := ansi.Strip(d.View())
	if !strings.Contains(view, "similar bookings and future ones") || !strings.Contains(view, "category = 'food'") {
		t.Fatalf("the question does not show the rule:\n%s", view)
	}
	r.keys("y")
	if r.modal != nil {
		t.Fatalf("y left the dialog open")
	}
	n := 0
	for i := range m.txs.Len() {
		if m.result(i).Category == "food" {
			n++
		}
	}
	if n != want+1 {
		t.Fatalf("%d bookings are food after the rule, want %d", n, want+1)
	}
	if len(r.notices) == 0 || !strings.Contains(r.notices[len(r.notices)-1], "for this run") {
		t.Fatalf("notices %q: want one saying the rule lasts for the run", r.notices)
	}
}

func TestCategoryRuleIsWrittenWithTheWriter(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	var written []rules.Rule
	r.m.c.WriteRule = func(rule rules.Rule) (*rules.Set, string, error) {
		written = append(written, rule)
		set, err := rules.New([]rules.Rule{rule}, true)
		return set, "config.toml:12", err
	}
	r.keys("c")
	r.typeText("travel")
	r.keys("enter", "y")
	if len(written) != 1 || written[0].Category != "travel" || written[0].Counterparty == "" {
		t.Fatalf("written %+v, want one rule by counterparty giving travel", written)
	}
	if !strings.Contains(r.notices[len(r.notices)-1], "config.toml:12") {
		t.Fatalf("notice %q does not say where the rule went", r.notices[len(r.notices)-1])
	}
}

func TestCategoryNoKeepsTheRuleUnwritten(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	r.m.c.WriteRule = func(rules.Rule) (*rules.Set, string, error) {
		t.Fatal("n wrote a rule")
		return nil, "", nil
	}
	r.keys("c")
	r.typeText("food")
	r.keys("enter", "n")
	if r.modal != nil {
		t.Fatal("n left the dialog open")
	}
	n := 0
	for i := range r.m.txs.Len() {
		if r.m.result(i).Category == "food" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d bookings are food, want the one set by hand", n)
	}
}

func TestCategoryRefusesABadNameAndKeepsTheText(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	r.keys("c")
	r.typeText("food; drinks")
	r.keys("enter")
	d, ok := r.modal.(*categoryDialog)
	if !ok || d.err == "" || d.input.Value() != "food; drinks" {
		t.Fatalf("modal %T: want the dialog open with an error and the text kept", r.modal)
	}
	if !strings.Contains(ansi.Strip(d.View()), "cannot hold") {
		t.Fatalf("the error is not shown:\n%s", ansi.Strip(d.View()))
	}
}

func TestCategoryCompletesKnownCategories(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	r.keys("c")
	r.typeText("ins")
	uitest.Pump(r.update, tea.KeyPressMsg{Code: tea.KeyRight})
	d := r.modal.(*categoryDialog)
	if d.input.Value() != "insurance:health" && d.input.CurrentSuggestion() != "insurance:health" {
		t.Fatalf("typing ins suggests %q (value %q), want insurance:health", d.input.CurrentSuggestion(), d.input.Value())
	}
}

func TestNoteKeyKeepsNoteAndTags(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	r.keys(";")
	if _, ok := r.modal.(*noteDialog); !ok {
		t.Fatalf("; opened %T", r.modal)
	}
	r.typeText("paid late #tax #q4")
	r.keys("enter")
	got := r.m.SelectedBooking().Label
	if got.Note != "paid late" || strings.Join(got.Tags, ",") != "tax,q4" {
		t.Fatalf("label %+v, want note \"paid late\" and tags tax, q4", got)
	}
	// The filter finds it by note and by tag.
	for _, q := range []string{`note:late`, `tag:q4`} {
		r.keys("/")
		r.typeText(q)
		r.keys("enter")
		if r.m.matchedLen() != 1 {
			t.Fatalf("%s matches %d, want 1", q, r.m.matchedLen())
		}
		r.keys("esc")
	}
	// ; again shows what is there, tags as #words.
	r.keys(";")
	if v := r.modal.(*noteDialog).input.Value(); v != "paid late #tax #q4" {
		t.Fatalf("the editor opens with %q", v)
	}
}

func TestMarkKeyTogglesTheMark(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	r.keys("m")
	if !r.m.SelectedBooking().Label.Marked {
		t.Fatal("m did not mark the booking")
	}
	if !strings.Contains(ansi.Strip(r.m.View()), "▸"+r.m.rowDate()+" • ") {
		t.Fatalf("the row does not show the mark:\n%s", ansi.Strip(r.m.View()))
	}
	r.keys("/")
	r.typeText("marked")
	r.keys("enter")
	if r.m.matchedLen() != 1 {
		t.Fatalf("marked matches %d, want 1", r.m.matchedLen())
	}
	r.keys("m")
	if r.m.SelectedBooking().Label.Marked {
		t.Fatal("a second m did not unmark it")
	}
	if r.m.matchedLen() != 0 {
		t.Fatalf("marked matches %d after unmarking, want 0", r.m.matchedLen())
	}
}

// failingLabels refuses every write.
type failingLabels struct{ common.MemoryLabels }

func (*failingLabels) UpdateLabel(int64, func(rules.Label) rules.Label) (rules.Label, error) {
	return rules.Label{}, errors.New("disk full")
}

func TestLabelSaveFailureIsSaid(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	r.m.c.Labels = &failingLabels{}
	r.keys("m")
	if r.m.SelectedBooking().Label.Marked {
		t.Fatal("a mark that was not saved shows")
	}
	if len(r.notices) == 0 || !strings.Contains(r.notices[0], "disk full") {
		t.Fatalf("notices %q", r.notices)
	}
}

func TestLabelsAreLoadedFromTheStore(t *testing.T) {
	bank := uitest.NewBank(50)
	c := uitest.Common(bank, 120, 30)
	id := bank.Txs[4711][0].ID
	store := &common.MemoryLabels{}
	store.UpdateLabel(id, func(l rules.Label) rules.Label { l.Category, l.Note = "rent", "\x1b[31mred\x1b[0m note"; return l })
	c.Labels = store
	m := New(c)
	m.SetSize(120, 30)
	m.SetFocused(true)
	uitest.Pump(m.Update, uitest.Collect(m.Load(4711))...)
	if got := m.SelectedBooking().Label; got.Category != "rent" {
		t.Fatalf("selected booking %+v, want rent from the store", got)
	}
	view := m.View()
	if !strings.Contains(ansi.Strip(view), "rent") {
		t.Fatalf("no category column at 120:\n%s", ansi.Strip(view))
	}
	var fields []string
	for _, f := range m.SelectedBookingFields() {
		fields = append(fields, f.Label+"="+f.Value)
	}
	all := strings.Join(fields, "\n")
	if strings.Contains(all, "\x1b") || !strings.Contains(all, "Note=") {
		t.Fatalf("the note is not shown sanitised:\n%q", all)
	}
}

func TestBalanceAfterInListAndDetails(t *testing.T) {
	r, bank := labelled(t, 200, 30)
	m := r.m
	m.SetAccounts(bank.Accts)
	balance := bank.Accts[0].Balance
	// Independently: the balance after booking i is the balance now less
	// every booking after it.
	after := balance
	for i, tx := range bank.Txs[4711][:20] {
		got := m.balanceAfterOf(t, i)
		if got != after {
			t.Fatalf("booking %d: balance after %d, want %d", i, got, after)
		}
		after -= tx.Amount
	}
	if !strings.Contains(ansi.Strip(m.View()), "17.325,00") {
		t.Fatalf("no balance column at 200 columns:\n%s", ansi.Strip(m.View()))
	}
	// A filter shows the account's balance at each booking, not a sum.
	r.keys("/")
	r.typeText("in")
	r.keys("enter")
	sel := m.SelectedBooking()
	idx := -1
	for i := range bank.Txs[4711] {
		if bank.Txs[4711][i].ID == sel.Tx.ID {
			idx = i
		}
	}
	want := balance
	for _, tx := range bank.Txs[4711][:idx] {
		want -= tx.Amount
	}
	if !sel.HasBalance || sel.Balance != want {
		t.Fatalf("filtered: balance after %d (%v), want %d", sel.Balance, sel.HasBalance, want)
	}
}

func TestCategoryColumnOnlyWhereItFits(t *testing.T) {
	for _, tc := range []struct {
		w        int
		cat, bal bool
	}{{60, false, false}, {78, true, false}, {116, true, true}, {198, true, true}} {
		r, bank := labelled(t, tc.w, 20)
		r.m.SetAccounts(bank.Accts)
		cols := r.m.columns()
		if (cols.category > 0) != tc.cat || (cols.balance > 0) != tc.bal {
			t.Errorf("width %d: columns %+v, want category %v balance %v", tc.w, cols, tc.cat, tc.bal)
		}
		for _, line := range strings.Split(r.m.View(), "\n") {
			if ansi.StringWidth(line) > tc.w {
				t.Errorf("width %d: a line of %d cells", tc.w, ansi.StringWidth(line))
			}
		}
	}
}

func TestPrivacyMasksEveryAmount(t *testing.T) {
	r, bank := labelled(t, 200, 30)
	r.m.SetAccounts(bank.Accts)
	r.m.c.Privacy = true
	view := ansi.Strip(r.m.View())
	for _, line := range strings.Split(view, "\n")[1:] {
		// Dates (dd.mm.) and purposes hold digits; amounts are at the end.
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		for _, f := range fields[len(fields)-2:] {
			if strings.ContainsAny(f, "0123456789") && strings.ContainsAny(f, ",") {
				t.Fatalf("an amount shows in privacy mode: %q in\n%s", f, view)
			}
		}
	}
	for _, f := range r.m.SelectedBookingFields() {
		if (f.Label == "Amount" || f.Label == "Balance after" || f.Label == "IBAN") && strings.ContainsAny(f.Value, "0123456789") {
			t.Fatalf("details show %s = %q in privacy mode", f.Label, f.Value)
		}
	}
}

func TestPeriodKeysStepTheList(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	m := r.m
	r.keys("[")
	p, ok := m.Period()
	if !ok || p.Label() != "November 2026" {
		t.Fatalf("[ shows %v %q, want this month (November 2026)", ok, p.Label())
	}
	r.keys("[")
	if p, _ = m.Period(); p.Label() != "October 2026" {
		t.Fatalf("[ again: %q, want October 2026", p.Label())
	}
	if h := ansi.Strip(m.headerLine()); !strings.HasPrefix(h, "October 2026 ‹ ›") {
		t.Fatalf("header %q", h)
	}
	for i := range m.matches {
		if got := m.txs.At(m.matches[i]).BookingDate.In(m.c.Loc).Month(); got != 10 {
			t.Fatalf("a booking of month %d shows in October", got)
		}
	}
	r.keys("}")
	if p, _ = m.Period(); p.Label() != "Q4 2026" {
		t.Fatalf("} gives %q, want Q4 2026", p.Label())
	}
	r.keys("}", "{", "{")
	// Back to a month of the quarter: the one holding today.
	if p, _ = m.Period(); p.Label() != "November 2026" {
		t.Fatalf("} { { gives %q, want November 2026", p.Label())
	}
	r.keys("[")
	// With a filter: both apply.
	r.keys("/")
	r.typeText("in")
	r.keys("enter")
	for _, i := range m.matches {
		if tx := m.txs.At(i); tx.Amount < 0 || tx.BookingDate.In(m.c.Loc).Month() != 10 {
			t.Fatalf("filter in + October shows %+v", tx)
		}
	}
	if h := ansi.Strip(m.headerLine()); !strings.Contains(h, "October 2026") {
		t.Fatalf("header %q does not name the period", h)
	}
	r.keys("esc")
	if _, ok := m.Period(); ok || !m.showAll {
		t.Fatal("esc did not show every booking again")
	}
}

func TestOpenInvoiceOpensOrCopies(t *testing.T) {
	r, _ := labelled(t, 120, 30)
	m := r.m
	// The selected booking with another invoice link: the history is a
	// snapshot, so the list gets a new one.
	at := int(m.row(m.list.Cursor()).idx)
	setInvoice := func(url string) {
		txs := m.txs.Slice()
		txs[at].InvoicePreviewURL = api.Ptr(url)
		m.setTransactions(history.Of(txs))
	}
	r.keys("o")
	if len(r.notices) == 0 || !strings.Contains(r.notices[0], "no invoice") {
		t.Fatalf("notices %q, want no invoice", r.notices)
	}
	setInvoice("https://invoices.example/x?id=1")
	var mu sync.Mutex
	var opened []string
	m.c.Open = func(u string) error { mu.Lock(); opened = append(opened, u); mu.Unlock(); return nil }
	r.keys("o")
	if len(opened) != 1 || opened[0] != "https://invoices.example/x?id=1" {
		t.Fatalf("opened %q", opened)
	}
	// Over SSH: copied, not opened.
	m.c.Open = nil
	msgs := uitest.Pump(r.update, uitest.Key("o"))
	copied := false
	for _, msg := range msgs {
		if strings.Contains(fmt.Sprintf("%T", msg), "setClipboardMsg") {
			copied = true
		}
	}
	if !copied || !strings.Contains(r.notices[len(r.notices)-1], "copied") {
		t.Fatalf("without an opener: copied %v, notices %q", copied, r.notices)
	}
	// A link that is no http(s) is neither opened nor copied.
	setInvoice("javascript:alert(1)")
	m.c.Open = func(u string) error { t.Fatalf("opened %q", u); return nil }
	r.keys("o")
}

// matchedLen is how many bookings the list shows.
func (m *Model) matchedLen() int {
	n := 0
	for _, r := range m.rows {
		if r.kind == rowTx {
			n++
		}
	}
	return n
}

// rowDate is the selected booking's date as the list writes it.
func (m *Model) rowDate() string {
	return common.FormatDay(m.Selected().BookingDate.Time, m.c.Loc)
}

func (m *Model) balanceAfterOf(t *testing.T, i int) int64 {
	t.Helper()
	b, ok := m.balanceAfter(i)
	if !ok {
		t.Fatal("no balance known")
	}
	return b
}

func (m *Model) SelectedBookingFields() []detail.Field {
	return detail.BookingFields(m.c, m.SelectedBooking())
}
