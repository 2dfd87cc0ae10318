package ui

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/orderform"
	"konto/ui/transactions"
	"konto/ui/transfer"
	"konto/ui/uitest"
)

// startPaying opens the dashboard with a payments client.
func startPaying(t *testing.T, readOnly bool) (*Model, *uitest.Bank, *uitest.Payments) {
	t.Helper()
	bank := uitest.NewBank(60)
	pay := &uitest.Payments{}
	c := uitest.Common(bank, 120, 40)
	c.Payments, c.ReadOnly = pay, readOnly
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	return m, bank, pay
}

func noticeOf(seen []tea.Msg) string {
	s := ""
	for _, msg := range seen {
		if n, ok := msg.(common.NoticeMsg); ok {
			s = n.Text
		}
	}
	return s
}

func TestTransferKeyOpensTheForm(t *testing.T) {
	m, _, _ := startPaying(t, false)
	lines := strings.Split(screen(t, m), "\n")
	if bar := lines[len(lines)-1]; !strings.Contains(bar, "t transfer") || !strings.Contains(bar, "R pay again") {
		t.Errorf("help bar lacks the payment keys: %q", bar)
	}
	keys(m, "t")
	f, ok := m.topModal().(*form.Flow)
	if !ok {
		t.Fatalf("t opened %T", m.topModal())
	}
	s := screen(t, m)
	if !strings.Contains(s, "New transfer from DE06 …4444") || !strings.Contains(s, "Recipient") {
		t.Errorf("form not drawn:\n%s", s)
	}
	keys(m, "q") // typed into the recipient, not quitting
	if f.Form().Fields[transfer.FieldRecipient].Value() != "q" {
		t.Errorf("q did not reach the form")
	}
	if !strings.Contains(screen(t, m), "enter next / review") {
		t.Error("the help bar does not show the form's keys")
	}
}

func TestPayAgainPrefills(t *testing.T) {
	m, _, _ := startPaying(t, false)
	tx := m.txs.Selected()
	if tx == nil {
		t.Fatal("no selected booking")
	}
	keys(m, "R")
	f, ok := m.topModal().(*form.Flow)
	if !ok {
		t.Fatalf("R opened %T", m.topModal())
	}
	if got := f.Form().Fields[transfer.FieldRecipient].Value(); got != *tx.Name {
		t.Errorf("recipient %q, want %q", got, *tx.Name)
	}
}

func TestOrderKeys(t *testing.T) {
	m, _, _ := startPaying(t, false)
	keys(m, "2", "n")
	if f, ok := m.topModal().(*form.Flow); !ok || !strings.Contains(screen(t, m), "New standing order") {
		t.Fatalf("n on tab 2 opened %T", f)
	}
	send(m, common.CloseModalMsg{})
	keys(m, "e")
	if !strings.Contains(screen(t, m), "Change standing order to John Doe") {
		t.Errorf("e did not open the edit form:\n%s", screen(t, m))
	}
	send(m, common.CloseModalMsg{})
	keys(m, "x")
	if !strings.Contains(screen(t, m), "Cancel this standing order?") {
		t.Errorf("x did not open the cancellation")
	}
	send(m, common.CloseModalMsg{})
	keys(m, "3", "x")
	if _, ok := m.topModal().(*orderform.CancelTimed); !ok {
		t.Errorf("x on tab 3 opened %T", m.topModal())
	}
	send(m, common.CloseModalMsg{})
	keys(m, "n")
	if !strings.Contains(screen(t, m), "New timed order") {
		t.Errorf("n on tab 3 did not open the timed form")
	}
}

func TestReadOnly(t *testing.T) {
	m, _, pay := startPaying(t, true)
	if !strings.Contains(strings.Split(screen(t, m), "\n")[0], "read-only") {
		t.Errorf("top line does not say read-only")
	}
	for _, k := range []string{"t", "R"} {
		seen := keys(m, k)
		if m.topModal() != nil || !strings.Contains(noticeOf(seen), "read-only") {
			t.Errorf("%s in read-only mode: modal %T, notice %q", k, m.topModal(), noticeOf(seen))
		}
	}
	keys(m, "2")
	if keys(m, "n"); m.topModal() != nil {
		t.Error("n opened a form in read-only mode")
	}
	lines := strings.Split(screen(t, m), "\n")
	if bar := lines[len(lines)-1]; strings.Contains(bar, "transfer") || strings.Contains(bar, "n new") {
		t.Errorf("payment keys in the help bar in read-only mode: %q", bar)
	}
	if pay.Count("") != 0 {
		t.Error("read-only mode called the bank's payment methods")
	}
}

func TestPaymentsChangedReloads(t *testing.T) {
	m, bank, _ := startPaying(t, false)
	before := bank.CallCount("Accounts")
	send(m, common.PaymentsChangedMsg{AccountID: 4711})
	if bank.CallCount("Accounts") != before+1 {
		t.Errorf("accounts not reloaded after a payment")
	}
}

func TestCtrlCWhileConfirming(t *testing.T) {
	m, _, pay := startPaying(t, false)
	pay.Gate = make(chan struct{})
	defer close(pay.Gate)
	keys(m, "t")
	for _, msg := range uitest.Type("Karl Brenner") {
		send(m, msg)
	}
	keys(m, "tab")
	for _, msg := range uitest.Type("DE89370400440532013000") {
		send(m, msg)
	}
	keys(m, "tab")
	for _, msg := range uitest.Type("12,50") {
		send(m, msg)
	}
	send(m, uitest.Key("ctrl+s"))
	send(m, uitest.Key("enter"))
	for _, msg := range uitest.Type(uitest.TAN) {
		send(m, msg)
	}
	send(m, uitest.Key("enter")) // the confirm waits at the gate
	if !m.paymentInFlight() {
		t.Fatalf("no payment in flight:\n%s", screen(t, m))
	}
	seen := keys(m, "ctrl+c")
	if hasQuit(seen) || !strings.Contains(noticeOf(seen), "payment on its way") {
		t.Fatalf("first ctrl+c: %v", seen)
	}
	if !hasQuit(keys(m, "ctrl+c")) {
		t.Error("second ctrl+c did not quit")
	}
}

// R on a booking without an IBAN (a card payment) has nothing a transfer
// could repeat: a short notice says so instead of a half-filled form.
func TestPayAgainWithoutIBAN(t *testing.T) {
	bank := uitest.NewBank(60)
	bank.Txs[4711][0].IBAN = nil
	c := uitest.Common(bank, 80, 24)
	c.Payments = &uitest.Payments{}
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	seen := keys(m, "R")
	if m.topModal() != nil || noticeOf(seen) != transactions.NoIBANNotice {
		t.Fatalf("R on a booking without IBAN: modal %T, notice %q", m.topModal(), noticeOf(seen))
	}
	if top := strings.Split(screen(t, m), "\n")[0]; !strings.Contains(top, transactions.NoIBANNotice) {
		t.Errorf("the notice does not fit the top line at 80 columns: %q", top)
	}
}

// q while a confirm is on its way does not quit (nor reach the TAN dialog
// unseen): it says a payment is on its way; ctrl+c after that quits.
func TestQWhileConfirming(t *testing.T) {
	m, _, pay := startPaying(t, false)
	pay.Gate = make(chan struct{})
	defer close(pay.Gate)
	keys(m, "t")
	for _, s := range []string{"Karl Brenner", "\t", "DE89370400440532013000", "\t", "12,50"} {
		if s == "\t" {
			keys(m, "tab")
			continue
		}
		for _, msg := range uitest.Type(s) {
			send(m, msg)
		}
	}
	keys(m, "ctrl+s", "enter")
	for _, msg := range uitest.Type(uitest.TAN) {
		send(m, msg)
	}
	send(m, uitest.Key("enter"))
	if !m.paymentInFlight() {
		t.Fatal("no payment in flight")
	}
	for range 2 {
		seen := keys(m, "q")
		if hasQuit(seen) || !strings.Contains(noticeOf(seen), "payment on its way") {
			t.Fatalf("q in flight: quit %v, notice %q", hasQuit(seen), noticeOf(seen))
		}
	}
	if !hasQuit(keys(m, "ctrl+c")) {
		t.Error("ctrl+c after the warning did not quit")
	}
}

// The read-only refusal fits beside "read-only" in the top line at 80.
func TestReadOnlyNoticeFits80(t *testing.T) {
	bank := uitest.NewBank(60)
	c := uitest.Common(bank, 80, 24)
	c.Payments, c.ReadOnly = &uitest.Payments{}, true
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	uitest.Pump(update(m), uitest.Collect(m.Init())...)
	keys(m, "t")
	if top := strings.Split(screen(t, m), "\n")[0]; !strings.Contains(top, readOnlyNotice) {
		t.Errorf("the read-only notice is cut: %q", top)
	}
}

// stubDialog stands in for the login dialog: it closes on esc, or when it
// hears closeBelow, tells the root to close whoever sent that (anonymously).
type stubDialog struct{ text string }

type closeBelow struct{}

func (d *stubDialog) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "esc" {
		return d, common.CloseModal
	}
	return d, nil
}
func (d *stubDialog) View() string        { return d.text }
func (d *stubDialog) SetSize(int, int)    {}
func (d *stubDialog) KeyMap() help.KeyMap { return noKeys{} }

type noKeys struct{}

func (noKeys) ShortHelp() []key.Binding  { return nil }
func (noKeys) FullHelp() [][]key.Binding { return nil }

func TestALoginDialogOverAFormKeepsWhatWasTyped(t *testing.T) {
	m, _, _ := startPaying(t, false)
	keys(m, "t", "K", "a", "r", "l")
	form1, ok := m.topModal().(*form.Flow)
	if !ok {
		t.Fatalf("t opened %T", m.topModal())
	}
	dialog := &stubDialog{text: "Log in again"}
	send(m, common.OpenModalMsg{Modal: dialog})
	if m.topModal() != common.Modal(dialog) || !strings.Contains(screen(t, m), "Log in again") {
		t.Fatal("the dialog is not on top")
	}
	keys(m, "x") // keys go to the dialog, not the form
	if got := form1.Form().Fields[transfer.FieldRecipient].Value(); got != "Karl" {
		t.Fatalf("the form under the dialog got keys: recipient %q", got)
	}
	keys(m, "esc")
	if m.topModal() != common.Modal(form1) {
		t.Fatalf("after the dialog closed the top modal is %T, want the form", m.topModal())
	}
	if got := form1.Form().Fields[transfer.FieldRecipient].Value(); got != "Karl" {
		t.Fatalf("recipient %q after the dialog, want what was typed", got)
	}
	if !strings.Contains(screen(t, m), "Karl") {
		t.Error("the form is not drawn again")
	}
}

func TestAModalBelowClosesItselfNotTheOneAbove(t *testing.T) {
	m, _, _ := startPaying(t, false)
	below := &closingModal{}
	above := &stubDialog{text: "Log in again"}
	send(m, common.OpenModalMsg{Modal: below}, common.OpenModalMsg{Modal: above})
	send(m, closeBelow{}) // only the modal below acts on it, with an anonymous CloseModal
	if len(m.modals) != 1 || m.modals[0] != common.Modal(above) {
		t.Fatalf("modals after the lower one closed: %v, want only the dialog above", m.modals)
	}
}

type closingModal struct{ stubDialog }

func (c *closingModal) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	if _, ok := msg.(closeBelow); ok {
		return c, tea.Batch(common.CloseModal, common.Notice(common.NoticeInfo, "done"))
	}
	return c, nil
}

// Money sent to another of the user's accounts is booked there at once (the
// sandbox books both sides): that account's history shows it without
// waiting for the next poll.
func TestPaymentToOwnAccountShowsOnItAtOnce(t *testing.T) {
	m, bank, _ := startPaying(t, false)
	credit := api.Transaction{ID: 999999, Amount: 2500, Name: api.Ptr("Aladdin Sommer"), IBAN: api.Ptr("DE06110101001000004444"),
		Purpose: api.Ptr("to savings"), BookingDate: api.TxTime{Time: uitest.Now}}
	keys(m, "t")
	for _, msg := range uitest.Type("Savings") {
		send(m, msg)
	}
	keys(m, "tab")
	for _, msg := range uitest.Type("DE12 5001 0517 0648 4898 90") { // account 4712
		send(m, msg)
	}
	keys(m, "tab")
	for _, msg := range uitest.Type("25") {
		send(m, msg)
	}
	send(m, uitest.Key("ctrl+s"))
	send(m, uitest.Key("enter"))
	for _, msg := range uitest.Type(uitest.TAN) {
		send(m, msg)
	}
	bank.Txs[4712] = append([]api.Transaction{credit}, bank.Txs[4712]...) // booked with the confirm
	send(m, uitest.Key("enter"))
	if h := m.history[4712]; h.Len() == 0 || h.ID(0) != credit.ID {
		t.Fatalf("the receiving account's history lacks the credit")
	}
	keys(m, "shift+tab", "j", "enter") // to the accounts, the second one, its bookings
	if sel := m.txs.Selected(); m.txs.AccountID() != 4712 || sel == nil || sel.ID != credit.ID {
		t.Fatalf("account %d shows %+v first, want the credit", m.txs.AccountID(), sel)
	}
}

// pendingStore is a common.PendingStore in memory.
type pendingStore struct{ items []api.PendingPayment }

func (s *pendingStore) LoadPendingPayments() ([]api.PendingPayment, error) { return s.items, nil }
func (s *pendingStore) UpdatePendingPayments(fn func([]api.PendingPayment) []api.PendingPayment) ([]api.PendingPayment, error) {
	s.items = fn(s.items)
	return s.items, nil
}

// Payments of unknown outcome kept by an earlier run are shown at the start
// — on the top line and above the bookings — and settled by the check: the
// booked one with a notice, the row gone and its booking in the list.
func TestPendingPaymentsShownAndSettled(t *testing.T) {
	bank := uitest.NewBank(60)
	pay := &uitest.Payments{}
	lunch := api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-LUNCH", Recipient: "Karl Brenner",
		IBAN: "DE89370400440532013000", Amount: 1250, SentAt: uitest.Now.Add(-time.Minute)}
	rent := api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-RENT", Recipient: "Hausverwaltung Kunz",
		IBAN: "DE89370400440532013000", Amount: 95000, SentAt: uitest.Now.Add(-2 * time.Minute)}
	store := &pendingStore{items: []api.PendingPayment{lunch, rent}}
	pay.Set([]api.Transaction{{ID: 5, Amount: -1250, Name: api.Ptr("Karl Brenner"), E2EID: api.Ptr("KONTO-LUNCH"),
		BookingDate: api.TxTime{Time: uitest.Now}}}, nil, nil)
	c := uitest.Common(bank, 120, 40)
	c.Payments, c.PendingStore = pay, store
	m := New(c)
	send(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	seen := uitest.Pump(update(m), uitest.Collect(m.Init())...)
	s := screen(t, m)
	lines := strings.Split(s, "\n")
	if !strings.Contains(lines[0], "◌ 1 payment pending check") {
		t.Errorf("top line %q", lines[0])
	}
	if body := strings.Join(lines[1:], "\n"); !strings.Contains(body, "Hausverwaltung Kunz") || strings.Count(body, "pending check") != 1 {
		t.Errorf("pending rows:\n%s", s)
	}
	found := false
	for _, msg := range seen {
		if n, ok := msg.(common.NoticeMsg); ok && n.Text == "the bank booked 12,50 € to Karl Brenner" {
			found = true
		}
	}
	if !found || len(store.items) != 1 || store.items[0].E2EID != "KONTO-RENT" {
		t.Errorf("booked notice %v, kept %+v", found, store.items)
	}
	// A new transfer to the same IBAN of the same amount waits for the check.
	keys(m, "t")
	for _, msg := range uitest.Type("Hausverwaltung Kunz") {
		send(m, msg)
	}
	keys(m, "tab")
	for _, msg := range uitest.Type("DE89370400440532013000") {
		send(m, msg)
	}
	keys(m, "tab")
	for _, msg := range uitest.Type("950") {
		send(m, msg)
	}
	send(m, uitest.Key("ctrl+s"))
	send(m, uitest.Key("enter"))
	if pay.Count("CreateTransfer") != 0 || !strings.Contains(screen(t, m), "still being checked") {
		t.Errorf("the twin was sent:\n%s", screen(t, m))
	}
	if bar := strings.Split(screen(t, m), "\n")[39]; !strings.Contains(bar, "ctrl+o send another anyway") {
		t.Errorf("help bar %q", bar)
	}
}
