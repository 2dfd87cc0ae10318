package transfer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/tan"
	"konto/ui/uitest"
)

var account = api.Account{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500}

type harness struct {
	t    *testing.T
	flow *form.Flow
	pay  *uitest.Payments
	out  []tea.Msg
}

func newHarness(t *testing.T, build func(c *common.Common, env common.PaymentEnv) *form.Flow) *harness {
	h := &harness{t: t, pay: &uitest.Payments{}}
	c := uitest.Common(nil, 120, 40)
	h.flow = build(c, common.PaymentEnv{Payments: h.pay})
	h.flow.SetSize(100, 36)
	h.out = append(h.out, uitest.Drive(h.update, uitest.Collect(h.flow.Init())...)...)
	return h
}

func newTransfer(t *testing.T, known ...form.Counterparty) *harness {
	return newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return New(c, env, account, known) })
}

func (h *harness) update(msg tea.Msg) tea.Cmd {
	_, cmd := h.flow.Update(msg)
	return cmd
}

func (h *harness) send(msgs ...tea.Msg) { h.out = append(h.out, uitest.Drive(h.update, msgs...)...) }
func (h *harness) typ(s string)         { h.send(uitest.Type(s)...) }
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.send(uitest.Key(k))
	}
}
func (h *harness) view() string { return ansi.Strip(h.flow.View()) }
func (h *harness) value(i int) string {
	return h.flow.Form().Fields[i].Value()
}

func (h *harness) closed() bool {
	for _, m := range h.out {
		if _, ok := m.(common.CloseModalMsg); ok {
			return true
		}
	}
	return false
}

func (h *harness) notice() string {
	s := ""
	for _, m := range h.out {
		if n, ok := m.(common.NoticeMsg); ok {
			s = n.Text
		}
	}
	return s
}

func (h *harness) fill(recipient, iban, amount, note string) {
	h.typ(recipient)
	h.press("tab")
	h.typ(iban)
	h.press("tab")
	h.typ(amount)
	h.press("tab")
	h.typ(note)
}

func TestFormLayout(t *testing.T) {
	h := newTransfer(t)
	v := h.view()
	if !strings.Contains(v, "New transfer from DE06 …4444") {
		t.Errorf("the title does not name the paying account:\n%s", v)
	}
	labels := []string{"Recipient", "IBAN", "Amount", "Note", "End-to-end ID"}
	last := -1
	for _, l := range labels {
		i := strings.Index(v, l)
		if i < 0 || i < last {
			t.Fatalf("field %q missing or out of order:\n%s", l, v)
		}
		last = i
	}
	if h.flow.Form().Focused() != FieldRecipient {
		t.Errorf("the cursor starts in field %d", h.flow.Form().Focused())
	}
	for i, line := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
}

func TestTransferFromFormToTAN(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "de89 3704 0044 0532 0130 00", "1.234,56", "Thank you for lunch")
	h.press("enter") // to the end-to-end id
	if h.flow.Step() != form.Editing || h.flow.Form().Focused() != FieldE2EID {
		t.Fatalf("enter did not move to the last field")
	}
	h.press("enter") // last field: review
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("step %v, want review; view:\n%s", h.flow.Step(), h.view())
	}
	v := h.view()
	for _, want := range []string{"Review", "Karl Brenner", "DE89 3704 0044 0532 0130 00", "1.234,56 €",
		"one thousand two hundred thirty-four euros and fifty-six cents", "Thank you for lunch",
		"DE06 1101 0100 1000 0044 44", "Balance after", "16.090,44 €"} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	if h.pay.Count("Create") != 0 {
		t.Fatal("the review sent something")
	}
	h.press("enter")
	if h.flow.Step() != form.Confirming || h.flow.TAN() == nil {
		t.Fatalf("step %v after submit, want the TAN dialog", h.flow.Step())
	}
	got := h.pay.Transfers[0]
	want := api.TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 123456, Note: api.Ptr("Thank you for lunch")}
	if got.Recipient != want.Recipient || got.IBAN != want.IBAN || got.Amount != want.Amount || api.Str(got.Note) != *want.Note || !strings.HasPrefix(api.Str(got.E2EID), api.E2EIDPrefix) {
		t.Errorf("request %+v, want %+v", got, want)
	}
	if r := h.flow.TAN().Request(); r.ID != "f55641811042b9e85989bd57c3718346ctrx" || r.Length != 6 {
		t.Errorf("TAN request id %q length %d", r.ID, r.Length)
	}
	if !strings.Contains(h.view(), "Transfer 1.234,56 € to Karl Brenner") {
		t.Errorf("the TAN dialog does not say what is confirmed:\n%s", h.view())
	}
	h.typ("000000")
	h.press("enter")
	if !strings.Contains(h.view(), "wrong TAN, 2 tries left") || h.closed() {
		t.Fatalf("wrong TAN:\n%s", h.view())
	}
	h.typ(uitest.TAN)
	h.press("enter")
	if !h.closed() || h.notice() != "sent 1.234,56 € to Karl Brenner" {
		t.Errorf("after the right TAN: closed %v, notice %q", h.closed(), h.notice())
	}
	refreshes := 0
	for _, m := range h.out {
		if r, ok := m.(common.PaymentsChangedMsg); ok && r.AccountID == 4711 {
			refreshes++
		}
	}
	// One reload: a second would fetch accounts, history and orders again.
	if refreshes != 1 {
		t.Errorf("success asked the root to refresh %d times, want 1", refreshes)
	}
	if h.pay.Count("CreateTransfer") != 1 || h.pay.Count("ConfirmTransfer") != 2 {
		t.Errorf("calls %v", h.pay.Calls)
	}
}

func TestReviewEscKeepsEverything(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "DE89370400440532013000", "12,5", "Lunch")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("ctrl+s did not review")
	}
	h.press("esc")
	if h.flow.Step() != form.Editing {
		t.Fatalf("esc on review: step %v", h.flow.Step())
	}
	for i, want := range []string{"Karl Brenner", "DE89 3704 0044 0532 0130 00", "12,5", "Lunch"} {
		if got := h.value(i); got != want {
			t.Errorf("field %d = %q after review, want %q", i, got, want)
		}
	}
}

func TestRefusedSubmit(t *testing.T) {
	h := newTransfer(t)
	h.typ("Karl Brenner")
	h.press("tab")
	h.typ("DE89370400440532013001")
	h.press("tab")
	h.typ("20.000,00")
	h.press("tab", "tab")
	h.press("ctrl+s")
	if h.flow.Step() != form.Editing {
		t.Fatal("a form with errors was reviewed")
	}
	if h.flow.Form().Focused() != FieldIBAN {
		t.Errorf("cursor in field %d, want the IBAN (first in error)", h.flow.Form().Focused())
	}
	v := h.view()
	for _, want := range []string{"invalid IBAN: check digits do not match", "more than the balance of 17.325,00 €"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q:\n%s", want, v)
		}
	}
	if h.value(FieldAmount) != "20.000,00" {
		t.Error("typed text lost")
	}
	if h.pay.Count("") != 0 {
		t.Error("something was sent")
	}
	empty := newTransfer(t)
	empty.press("ctrl+s")
	if empty.flow.Form().Focused() != FieldRecipient || !strings.Contains(empty.view(), "enter the recipient's name") {
		t.Errorf("empty submit:\n%s", empty.view())
	}
}

func TestEscAsksBeforeDiscarding(t *testing.T) {
	h := newTransfer(t)
	h.press("esc")
	if !h.closed() {
		t.Error("esc on an empty form did not close it")
	}
	h = newTransfer(t)
	h.typ("Karl")
	h.press("esc")
	// The question every destructive dialog asks, worded alike.
	if h.closed() || h.flow.Step() != form.Discarding || !strings.Contains(h.view(), "Discard what you typed?  y discard · n/esc keep editing") {
		t.Fatalf("esc with input: closed %v, step %v\n%s", h.closed(), h.flow.Step(), h.view())
	}
	h.press("n")
	if h.flow.Step() != form.Editing || h.value(FieldRecipient) != "Karl" {
		t.Fatal("n lost the form")
	}
	h.press("esc", "enter") // enter alone does nothing: the question stays
	if h.closed() || h.flow.Step() != form.Discarding || h.value(FieldRecipient) != "Karl" {
		t.Fatalf("enter on the question: closed %v, step %v", h.closed(), h.flow.Step())
	}
	h.press("esc") // esc keeps, as n does
	if h.closed() || h.flow.Step() != form.Editing || h.value(FieldRecipient) != "Karl" {
		t.Fatalf("esc on the question: closed %v, step %v", h.closed(), h.flow.Step())
	}
	h.press("esc", "y")
	if !h.closed() {
		t.Error("y did not discard")
	}
}

func TestAutocomplete(t *testing.T) {
	known := []form.Counterparty{{Name: "Karl Brenner", IBAN: "DE89370400440532013000"}, {Name: "Katrin Weiss", IBAN: "GB82WEST12345698765432"}}
	h := newTransfer(t, known...)
	h.typ("kar")
	if !strings.Contains(h.view(), "Karl Brenner") {
		t.Errorf("no suggestion shown:\n%s", h.view())
	}
	h.press("tab")
	if strings.Contains(h.view(), "press →") {
		t.Errorf("the → hint stays after leaving the field:\n%s", h.view())
	}
	h.press("shift+tab", "right")
	if h.value(FieldRecipient) != "Karl Brenner" || h.value(FieldIBAN) != "DE89 3704 0044 0532 0130 00" {
		t.Errorf("→ gave %q / %q", h.value(FieldRecipient), h.value(FieldIBAN))
	}
	if h.flow.Form().Focused() != FieldRecipient {
		t.Error("→ moved the cursor to another field")
	}

	h = newTransfer(t, known...)
	h.typ("Kat")
	h.press("tab")
	if h.value(FieldRecipient) != "Kat" || h.value(FieldIBAN) != "" || h.flow.Form().Focused() != FieldIBAN {
		t.Errorf("tab accepted the suggestion: %q %q", h.value(FieldRecipient), h.value(FieldIBAN))
	}

	// → in the middle of the text just moves the cursor.
	h = newTransfer(t, known...)
	h.typ("Kar")
	h.press("left", "right")
	if h.value(FieldRecipient) != "Kar" {
		t.Errorf("→ inside the text accepted: %q", h.value(FieldRecipient))
	}
}

func TestPayAgain(t *testing.T) {
	tx := api.Transaction{ID: 1, Amount: -50433, Name: api.Ptr("Karl Lagerfeld"), IBAN: api.Ptr("DE89370400440532013000"),
		Purpose: api.Ptr("Invoice 12"), E2EID: api.Ptr("E-old")}
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
	for i, want := range []string{"Karl Lagerfeld", "DE89 3704 0044 0532 0130 00", "504,33", "Invoice 12", ""} {
		if got := h.value(i); got != want {
			t.Errorf("field %d = %q, want %q", i, got, want)
		}
	}
	if h.flow.Form().Focused() != FieldRecipient {
		t.Error("pay again does not start in the recipient")
	}
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Errorf("a pre-filled form did not validate:\n%s", h.view())
	}
}

// R on an incoming booking pays the sender back: recipient and IBAN are
// filled, the amount (and the sender's note) are not, so the money received
// is not sent back whole by accident; the title says what the form does.
func TestPayAgainIncomingPaysBack(t *testing.T) {
	tx := api.Transaction{ID: 2, Amount: 13194, Name: api.Ptr("Lektorat Weber"), IBAN: api.Ptr("DE89370400440532013000"),
		Purpose: api.Ptr("Rechnung 2026-11"), E2EID: api.Ptr("E-in")}
	pre := FromTransaction(tx)
	if !pre.PayBack || pre.Received != 13194 || pre.Amount != "" || pre.Note != "" {
		t.Fatalf("prefill %+v", pre)
	}
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
	for i, want := range []string{"Lektorat Weber", "DE89 3704 0044 0532 0130 00", "", "", ""} {
		if got := h.value(i); got != want {
			t.Errorf("field %d = %q, want %q", i, got, want)
		}
	}
	v := h.view()
	if !strings.Contains(v, "Pay back Lektorat Weber") || strings.Contains(v, "New transfer") {
		t.Errorf("the title does not say it pays back:\n%s", v)
	}
	if !strings.Contains(v, "you received 131,94 € from them") || !strings.Contains(v, "how much to pay back") {
		t.Errorf("the amount does not ask how much to pay back:\n%s", v)
	}
	if h.flow.Form().Focused() != FieldAmount {
		t.Errorf("the cursor starts in field %d, not the amount", h.flow.Form().Focused())
	}
	// Nothing to review until an amount is typed.
	h.press("ctrl+s")
	if h.flow.Step() == form.Reviewing || h.flow.Form().Focused() != FieldAmount {
		t.Fatalf("reviewed without an amount (step %v, focus %d):\n%s", h.flow.Step(), h.flow.Form().Focused(), h.view())
	}
	h.typ("20")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewing:\n%s", h.view())
	}
	if v := h.view(); !strings.Contains(v, "20,00 €") || !strings.Contains(v, "Lektorat Weber") {
		t.Errorf("review:\n%s", v)
	}

	// Esc on the untouched form closes it, as for any pre-filled form.
	h = newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
	h.press("esc")
	if !h.closed() {
		t.Error("esc on an untouched pay-back form asks to discard")
	}

	// An outgoing booking is repeated as it was, under the usual title.
	tx.Amount = -13194
	if pre := FromTransaction(tx); pre.PayBack || pre.Amount != "131,94" || pre.Note != "Rechnung 2026-11" {
		t.Fatalf("outgoing prefill %+v", pre)
	}
	h = newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
	if v := h.view(); !strings.Contains(v, "New transfer from") || strings.Contains(v, "Pay back") {
		t.Errorf("outgoing title:\n%s", v)
	}
}

func TestSubmitCreatesOnce(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "")
	h.press("ctrl+s")
	_, first := h.flow.Update(uitest.Key("enter"))
	_, second := h.flow.Update(uitest.Key("enter"))
	if first == nil || second != nil {
		t.Fatalf("enter twice on the review: %v, %v", first != nil, second != nil)
	}
	uitest.Collect(first)
	if n := h.pay.Count("CreateTransfer"); n != 1 {
		t.Errorf("%d creates", n)
	}
}

func TestCreateRefusedKeepsTheForm(t *testing.T) {
	h := newTransfer(t)
	h.pay.CreateErr = errors.Join(errors.New("create transfer"), &api.Error{Status: 422, Code: api.CodeInsufficientFunds})
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "")
	h.press("ctrl+s", "enter")
	if h.flow.Step() != form.Reviewing || !strings.Contains(h.view(), "not enough money on the account") {
		t.Fatalf("step %v:\n%s", h.flow.Step(), h.view())
	}
	h.press("esc")
	if h.value(FieldRecipient) != "Karl Brenner" {
		t.Error("the form was lost")
	}
}

func TestVoidedStartsOverWithTheFormKept(t *testing.T) {
	h := newTransfer(t)
	h.pay.ConfirmErrs = []error{uitest.Voided()}
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "Lunch")
	h.press("ctrl+s", "enter")
	h.typ("111111")
	h.press("enter")
	if !strings.Contains(h.view(), "voided") {
		t.Fatalf("no voided message:\n%s", h.view())
	}
	h.press("enter") // start over
	if h.flow.Step() != form.Editing || h.value(FieldNote) != "Lunch" || h.closed() {
		t.Fatalf("start over: step %v, note %q", h.flow.Step(), h.value(FieldNote))
	}
	h.press("ctrl+s", "enter")
	if h.pay.Count("CreateTransfer") != 2 {
		t.Errorf("starting over did not ask for a new TAN: %v", h.pay.Calls)
	}
}

func TestEscInTANAborts(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "")
	h.press("ctrl+s", "enter", "esc")
	if !h.closed() || !strings.Contains(h.notice(), "not confirmed") {
		t.Errorf("esc in the TAN dialog: closed %v notice %q", h.closed(), h.notice())
	}
	if h.pay.Count("Confirm") != 0 {
		t.Error("esc confirmed")
	}
}

// flat is a view's text without the box and the line breaks.
func flat(v string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╭", " ", "╰", " ").Replace(v)), " ")
}

// tracked is the payment the flow handed to the background check.
func (h *harness) tracked() (api.PendingPayment, bool) {
	for _, m := range h.out {
		if tr, ok := m.(common.TrackPaymentMsg); ok {
			return tr.Payment, true
		}
	}
	return api.PendingPayment{}, false
}

var _ = tan.FinishedMsg{}

// A confirm whose connection dropped is handed to the background check with
// its end-to-end id; the dialog neither resends nor guesses, and the TAN is
// not offered again.
func TestUnknownOutcomeIsTrackedNotGuessed(t *testing.T) {
	h := newTransfer(t)
	h.pay.ConfirmErrs = []error{uitest.Unknown()}
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "Lunch")
	h.press("ctrl+s", "enter")
	h.typ(uitest.TAN)
	h.press("enter")
	p, ok := h.tracked()
	if !ok {
		t.Fatalf("nothing handed to the background check; dialog:\n%s", h.view())
	}
	sent := h.pay.Transfers[0]
	if p.Kind != api.KindTransfer || p.E2EID == "" || p.E2EID != api.Str(sent.E2EID) || p.IBAN != "DE89370400440532013000" ||
		p.Amount != 1250 || p.Recipient != "Karl Brenner" || p.AccountID != 4711 || !p.SentAt.Equal(uitest.Now) {
		t.Errorf("tracked %+v for request %+v", p, sent)
	}
	d := h.flow.TAN()
	if d.State() != tan.Tracking || !strings.Contains(d.Message(), "pending check") || strings.Contains(d.Message(), "carried out") {
		t.Errorf("state %v, message %q", d.State(), d.Message())
	}
	h.typ(uitest.TAN)
	h.press("enter") // closes: the TAN is never sent again
	if n := h.pay.Count("ConfirmTransfer"); n != 1 {
		t.Errorf("%d confirms, want 1", n)
	}
	if !h.closed() || !strings.Contains(h.notice(), "pending check") {
		t.Errorf("closed %v, notice %q", h.closed(), h.notice())
	}
}

// The filed case: the read before the create failed, and the same transfer
// (pay again) was booked two minutes before. The old check then matched any
// identical booking of the last 10 minutes and said "the bank has carried
// out the transfer" while nothing was booked. Now nothing is claimed: the
// payment is pending check, found by its own end-to-end id or not at all.
func TestUnknownOutcomeNeverTakesAnEarlierTwinForThisTransfer(t *testing.T) {
	h := newTransfer(t)
	h.pay.ConfirmErrs = []error{uitest.Unknown()}
	h.pay.ReadErrs = []error{errors.New("connection reset")}
	h.pay.Set([]api.Transaction{{Amount: -1250, Name: api.Ptr("Karl Brenner"), IBAN: api.Ptr("DE89370400440532013000"),
		Purpose: api.Ptr("Lunch"), E2EID: api.Ptr("KONTO-EARLIERPAYMENT0000"), BookingDate: api.TxTime{Time: uitest.Now.Add(-2 * time.Minute)}}}, nil, nil)
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "Lunch")
	h.press("ctrl+s", "enter")
	h.typ(uitest.TAN)
	h.press("enter")
	msg := h.flow.TAN().Message()
	if strings.Contains(msg, "carried out") || h.flow.TAN().State() == tan.CheckedDone {
		t.Fatalf("an earlier twin passed for this transfer: %q", msg)
	}
	p, ok := h.tracked()
	if !ok || p.E2EID == "KONTO-EARLIERPAYMENT0000" {
		t.Fatalf("tracked %+v, %v", p, ok)
	}
	// The background check, run now, does not find it either.
	h.pay.ReadErrs = nil
	if v, err := api.CheckPayment(context.Background(), h.pay, p, uitest.Now.Add(time.Second), api.CheckWindow); v != api.StillUnknown || err != nil {
		t.Errorf("check: %v, %v; want still unknown", v, err)
	}
}

// Every transfer carries an end-to-end id: konto makes one when the field
// is left empty, shows it on the review, and the create and the confirm
// send the same one. One typed by the user is sent as typed.
func TestE2EIDMadeAndKeptThroughConfirm(t *testing.T) {
	h := newTransfer(t)
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "Lunch")
	h.press("ctrl+s")
	v := h.view()
	if !strings.Contains(v, "KONTO-") || !strings.Contains(flat(v), "made by konto to recognise this payment") {
		t.Errorf("the review does not show the id konto made:\n%s", v)
	}
	h.press("esc", "ctrl+s") // reviewed again: still the same id
	h.press("enter")
	h.typ(uitest.TAN)
	h.press("enter")
	if len(h.pay.Transfers) != 1 || len(h.pay.Confirms) != 1 {
		t.Fatalf("%d creates, %d confirms", len(h.pay.Transfers), len(h.pay.Confirms))
	}
	id := api.Str(h.pay.Transfers[0].E2EID)
	if !strings.HasPrefix(id, api.E2EIDPrefix) || len(id) != 26 || sepa.FieldE2EID.Validate(id) != nil {
		t.Fatalf("end-to-end id %q", id)
	}
	if !strings.Contains(v, id) || api.Str(h.pay.Confirms[0].E2EID) != id {
		t.Errorf("review %v, create %q, confirm %q: not one id", strings.Contains(v, id), id, api.Str(h.pay.Confirms[0].E2EID))
	}

	own := newTransfer(t)
	own.fill("Karl Brenner", "DE89370400440532013000", "12,50", "Lunch")
	own.press("tab")
	own.typ("INV-2026-11")
	own.press("ctrl+s", "enter")
	if got := api.Str(own.pay.Transfers[0].E2EID); got != "INV-2026-11" {
		t.Errorf("the user's id was sent as %q", got)
	}
}

// Pay again is a new payment: it never carries the old booking's id, and
// each form makes its own.
func TestPayAgainSendsAFreshE2EID(t *testing.T) {
	tx := api.Transaction{ID: 1, Amount: -1250, Name: api.Ptr("Karl Brenner"), IBAN: api.Ptr("DE89370400440532013000"),
		Purpose: api.Ptr("Lunch"), E2EID: api.Ptr("KONTO-OLDOLDOLDOLDOLDOLD")}
	var ids []string
	for range 2 {
		h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
		h.press("ctrl+s", "enter")
		if len(h.pay.Transfers) != 1 {
			t.Fatalf("not sent:\n%s", h.view())
		}
		ids = append(ids, api.Str(h.pay.Transfers[0].E2EID))
	}
	if ids[0] == api.Str(tx.E2EID) || ids[1] == api.Str(tx.E2EID) || ids[0] == ids[1] || !strings.HasPrefix(ids[0], api.E2EIDPrefix) {
		t.Errorf("ids %q after paying %q again", ids, api.Str(tx.E2EID))
	}
}

// While a transfer to an IBAN of an amount is pending check, the review of
// another one to the same IBAN and amount refuses enter and says why; the
// SendAnyway key (ctrl+o) sends it all the same.
func TestTwinOfAPendingTransferWaits(t *testing.T) {
	pending := uitest.Pending{{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-PENDING", Recipient: "Karl Brenner",
		IBAN: "DE89370400440532013000", Amount: 1250, SentAt: uitest.Now.Add(-3 * time.Minute)}}
	newTwin := func() *harness {
		return newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow {
			c.Pending = pending
			return New(c, env, account, nil)
		})
	}
	h := newTwin()
	h.fill("Karl Brenner", "DE89 3704 0044 0532 0130 00", "12,50", "Lunch again")
	h.press("ctrl+s")
	v := flat(h.view())
	for _, want := range []string{"a transfer of 12,50 € to Karl Brenner is still being checked (sent 09:57)", "ctrl+o to send another anyway"} {
		if !strings.Contains(v, want) {
			t.Errorf("the review lacks %q:\n%s", want, h.view())
		}
	}
	help := ""
	for _, b := range h.flow.KeyMap().ShortHelp() {
		help += b.Help().Key + " " + b.Help().Desc + " · "
	}
	if !strings.Contains(help, "ctrl+o send another anyway") {
		t.Errorf("help %q", help)
	}
	h.press("enter")
	if h.pay.Count("CreateTransfer") != 0 || h.flow.Step() != form.Reviewing {
		t.Fatalf("enter sent a twin of a pending transfer (step %v)", h.flow.Step())
	}
	h.press("ctrl+o")
	if h.pay.Count("CreateTransfer") != 1 || h.flow.Step() != form.Confirming {
		t.Fatalf("ctrl+o did not send: step %v, calls %v", h.flow.Step(), h.pay.Calls)
	}

	// Another amount is no twin; nor is ctrl+o a way to send without one.
	h = newTwin()
	h.fill("Karl Brenner", "DE89370400440532013000", "12,51", "")
	h.press("ctrl+s")
	if strings.Contains(h.view(), "still being checked") {
		t.Errorf("another amount counted as a twin:\n%s", h.view())
	}
	h.press("ctrl+o")
	if h.pay.Count("CreateTransfer") != 0 {
		t.Error("ctrl+o sent a payment that has no twin")
	}
	h.press("enter")
	if h.pay.Count("CreateTransfer") != 1 {
		t.Error("enter did not send")
	}
}

// Pay again on a booking whose name holds characters SEPA does not allow
// writes them as banks pass them on, and says so: the form is ready to send.
func TestPayAgainRespellsForSEPA(t *testing.T) {
	tx := api.Transaction{ID: 1, Amount: -84000, Name: api.Ptr("Atelier Lumière SARL"), IBAN: api.Ptr("FR1420041010050500013M02606"),
		Purpose: api.Ptr("Facture n° 2026-11 – Café")}
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
	if got := h.value(FieldRecipient); got != "Atelier Lumiere SARL" {
		t.Errorf("recipient %q", got)
	}
	if got := h.value(FieldNote); got != "Facture n° 2026-11 - Cafe" {
		t.Errorf("note %q", got)
	}
	if v := h.view(); !strings.Contains(v, "è written as e for SEPA") {
		t.Errorf("the form does not say what was respelled:\n%s", v)
	}
	// "°" has no SEPA spelling: it is named, as typed text would be.
	if v := h.view(); !strings.Contains(v, `"°" is not allowed`) {
		t.Errorf("the note's ° is not named:\n%s", v)
	}
	h.press("tab", "tab", "tab")
	h.send(uitest.Key("backspace"))
	for range 20 {
		h.send(uitest.Key("backspace"))
	}
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewing:\n%s", h.view())
	}
	if got := h.pay.Count("CreateTransfer"); got != 0 {
		t.Fatal("sent on review")
	}
}

// A name pasted longer than SEPA allows is kept whole, and the form says by
// how much it is too long: nothing typed is lost.
func TestLongRecipientIsKeptAndNamed(t *testing.T) {
	h := newTransfer(t)
	name := strings.Repeat("Lektorat Weber ", 5) + "und Partner" // 86 characters
	h.send(tea.PasteMsg{Content: name})
	if got := h.value(FieldRecipient); got != name {
		t.Fatalf("the field holds %d of the %d characters pasted", len([]rune(got)), len([]rune(name)))
	}
	h.press("tab")
	if v := h.view(); !strings.Contains(v, "86 of at most 70 characters") {
		t.Errorf("the form does not say it is too long:\n%s", v)
	}
}

// Pay again pre-fills the form; esc on it untouched closes it at once (there
// is nothing typed to lose), esc after a change asks.
func TestPayAgainEscWithoutChangesCloses(t *testing.T) {
	tx := api.Transaction{ID: 1, Amount: -50433, Name: api.Ptr("Karl Lagerfeld"), IBAN: api.Ptr("DE89370400440532013000"), Purpose: api.Ptr("Invoice 12")}
	again := func() *harness {
		return newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return PayAgain(c, env, account, tx, nil) })
	}
	h := again()
	h.press("esc")
	if !h.closed() || h.flow.Step() == form.Discarding {
		t.Errorf("esc on an untouched pre-filled form: closed %v, step %v", h.closed(), h.flow.Step())
	}
	h = again()
	h.press("tab", "tab", "backspace")
	h.press("esc")
	if h.closed() || h.flow.Step() != form.Discarding {
		t.Errorf("esc after a change: closed %v, step %v", h.closed(), h.flow.Step())
	}
}

// The review shows the whole note (up to 140 characters) and the amount in
// words, wrapped, never cut off: it is what the user checks before the TAN.
func TestReviewWrapsLongValues(t *testing.T) {
	note := strings.Repeat("abcdefghi ", 12) + "abcdefg END-OF-NOTE" // 139 characters
	rich := api.Account{ID: 4711, IBAN: account.IBAN, Balance: 10_000_000_00}
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow { return New(c, env, rich, nil) })
	h.flow.SetSize(80, 24)
	h.fill("Karl Brenner", "DE89370400440532013000", "57.213,77", note)
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewing:\n%s", h.view())
	}
	v := h.view()
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
	flat = strings.ReplaceAll(flat, "- ", "-") // a wrap after a hyphen
	for _, want := range []string{"abcdefg END-OF-NOTE", "fifty-seven thousand two hundred thirteen euros and seventy-seven cents"} {
		if !strings.Contains(flat, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "…") {
		t.Errorf("the review cut a value:\n%s", v)
	}
	for i, line := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
}

// TestCreateUnreachableIsNotCalledARefusal: a bank that cannot be reached
// did not refuse anything.
func TestCreateUnreachableIsNotCalledARefusal(t *testing.T) {
	h := newTransfer(t)
	h.pay.CreateErr = fmt.Errorf("create transfer: %w", errors.New("dial tcp: connection refused"))
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "")
	h.press("ctrl+s", "enter")
	v := h.view()
	if strings.Contains(v, "refused") || !strings.Contains(v, "cannot be reached") {
		t.Fatalf("step %v:\n%s", h.flow.Step(), v)
	}
}

// The bank wanted a new login when the transfer was sent: once the login
// dialog went through, the review says so, and enter sends it.
func TestReviewAfterLoginNeededUpdatesOnceLoggedIn(t *testing.T) {
	h := newTransfer(t)
	h.pay.CreateErr = fmt.Errorf("create transfer: %w", api.ErrLoginNeeded)
	h.fill("Karl Brenner", "DE89370400440532013000", "12,50", "")
	h.press("ctrl+s", "enter")
	if v := h.view(); !strings.Contains(v, "log in again") {
		t.Fatalf("the review does not ask for a login:\n%s", v)
	}
	h.send(common.SessionRenewedMsg{})
	if v := h.view(); strings.Contains(v, "log in again") || !strings.Contains(v, "logged in again") {
		t.Fatalf("after the login the review says:\n%s", v)
	}
	h.pay.CreateErr = nil
	h.press("enter")
	if h.flow.Step() != form.Confirming {
		t.Fatalf("step %v after enter, want the TAN dialog:\n%s", h.flow.Step(), h.view())
	}
}
