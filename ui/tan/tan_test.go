package tan

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/form/formtest"
)

type harness struct {
	t   *testing.T
	m   *Model
	pay *formtest.Payments
	out []tea.Msg // messages for the dialog's owner: FinishedMsg, PaymentsChangedMsg, notices
}

func newHarness(t *testing.T, demo bool, mod func(*Request)) *harness {
	t.Helper()
	h := &harness{t: t, pay: &formtest.Payments{}}
	c := formtest.Common(nil)
	req := Request{
		ID: "req1", AccountID: 4711, What: "transfer",
		Summary: []string{"Transfer 12,50 € to Karl Brenner"},
		Length:  6,
		Created: formtest.Now(),
		Confirm: func(ctx context.Context, tan string) (string, error) {
			_, err := h.pay.ConfirmStandingOrder(ctx, 4711, "req1", tan)
			return "sent 12,50 € to Karl Brenner", err
		},
	}
	if mod != nil {
		mod(&req)
	}
	h.m = New(c, common.PaymentEnv{Payments: h.pay, Demo: demo}, req)
	h.m.SetSize(80, 30)
	return h
}

// send gives msg to the dialog and runs what it asks for, feeding the
// dialog's own messages back, until nothing is left.
func (h *harness) send(msgs ...tea.Msg) {
	for len(msgs) > 0 {
		msg := msgs[0]
		msgs = msgs[1:]
		_, cmd := h.m.Update(msg)
		for _, out := range formtest.Run(cmd) {
			switch out.(type) {
			case confirmedMsg, checkedMsg, smsMsg, smsPollMsg, tickMsg:
				msgs = append(msgs, out)
			default:
				h.out = append(h.out, out)
			}
		}
	}
}

func (h *harness) typ(s string) { h.send(formtest.Type(s)...) }
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.send(formtest.Key(k))
	}
}

func (h *harness) finished() (FinishedMsg, bool) {
	for _, m := range h.out {
		if f, ok := m.(FinishedMsg); ok {
			return f, true
		}
	}
	return FinishedMsg{}, false
}

func (h *harness) refreshed() bool {
	for _, m := range h.out {
		if r, ok := m.(common.PaymentsChangedMsg); ok && r.AccountID == 4711 {
			return true
		}
	}
	return false
}

func TestDigitsOnlyUpToTheLength(t *testing.T) {
	h := newHarness(t, false, nil)
	h.typ("12a3-45 6789")
	if got := h.m.TAN(); got != "123456" {
		t.Errorf("typed TAN = %q, want 123456 (digits only, six at most)", got)
	}
	h.press("backspace")
	if got := h.m.TAN(); got != "12345" {
		t.Errorf("after backspace %q", got)
	}
	h.press("ctrl+u")
	h.send(tea.PasteMsg{Content: "98x7"})
	if got := h.m.TAN(); got != "987" {
		t.Errorf("pasted %q", got)
	}

	h8 := newHarness(t, false, func(r *Request) { r.Length = 8 })
	h8.typ("0123456789")
	if got := h8.m.TAN(); got != "01234567" {
		t.Errorf("8-digit TAN = %q", got)
	}
	if d := newHarness(t, false, func(r *Request) { r.Length = 0 }); d.m.Request().Length != DefaultLength {
		t.Errorf("default length %d", d.m.Request().Length)
	}
}

func TestEnterNeedsAllDigits(t *testing.T) {
	h := newHarness(t, false, nil)
	h.typ("123")
	h.press("enter")
	if h.pay.Count("Confirm") != 0 {
		t.Error("a short TAN was sent")
	}
	if !strings.Contains(h.m.Message(), "enter all 6 digits") {
		t.Errorf("message %q", h.m.Message())
	}
}

func TestWrongTANThenRight(t *testing.T) {
	h := newHarness(t, false, nil)
	h.typ("000000")
	h.press("enter")
	if h.m.State() != Entering || h.m.TAN() != "" {
		t.Fatalf("after a wrong TAN: state %v, input %q; want entering, cleared", h.m.State(), h.m.TAN())
	}
	if h.m.Message() != "wrong TAN, 2 tries left" {
		t.Errorf("message %q", h.m.Message())
	}
	if !strings.Contains(h.m.View(), "wrong TAN, 2 tries left") {
		t.Error("the wrong TAN is not reported in the dialog")
	}
	if _, done := h.finished(); done {
		t.Fatal("the dialog finished after a wrong TAN")
	}
	h.typ(formtest.TAN)
	h.press("enter")
	f, done := h.finished()
	if !done || f.Outcome != OutcomeConfirmed || f.Notice != "sent 12,50 € to Karl Brenner" {
		t.Fatalf("finished %v %+v", done, f)
	}
	if !h.refreshed() {
		t.Error("success did not ask for a refresh")
	}
	if n := h.pay.Count("Confirm"); n != 2 {
		t.Errorf("%d confirms, want 2", n)
	}
}

func TestDoubleSubmitGuard(t *testing.T) {
	h := newHarness(t, false, nil)
	h.typ(formtest.TAN)
	_, first := h.m.Update(formtest.Key("enter"))
	_, second := h.m.Update(formtest.Key("enter"))
	_, third := h.m.Update(formtest.Key("enter"))
	if first == nil {
		t.Fatal("the first enter sent nothing")
	}
	if second != nil || third != nil {
		t.Error("further enters while a confirm is on its way returned a Cmd")
	}
	if h.m.State() != Confirming {
		t.Errorf("state %v, want Confirming", h.m.State())
	}
	formtest.Run(first)
	if n := h.pay.Count("Confirm"); n != 1 {
		t.Errorf("%d confirms sent, want exactly 1", n)
	}
}

func TestVoidedOffersStartOver(t *testing.T) {
	for name, err := range map[string]error{"voided": formtest.Voided(), "expired": formtest.Expired()} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, false, nil)
			h.pay.ConfirmErrs = []error{err}
			h.typ("111111")
			h.press("enter")
			if h.m.State() != Dead {
				t.Fatalf("state %v, want Dead", h.m.State())
			}
			if !strings.Contains(h.m.View(), "start over") {
				t.Errorf("no offer to start over:\n%s", h.m.View())
			}
			h.typ("222222")
			h.press("enter")
			f, done := h.finished()
			if !done || f.Outcome != OutcomeStartOver {
				t.Errorf("enter: finished %v %+v, want start over", done, f)
			}
			if n := h.pay.Count("Confirm"); n != 1 {
				t.Errorf("%d confirms", n)
			}
		})
	}
}

func TestExpiresOnTheClock(t *testing.T) {
	h := newHarness(t, false, func(r *Request) { r.Created = formtest.Now().Add(-time.Second) })
	if !strings.Contains(h.m.View(), "expires in 4:59") {
		t.Errorf("no countdown:\n%s", h.m.View())
	}
	h2 := newHarness(t, false, func(r *Request) { r.Created = formtest.Now().Add(-Lifetime - time.Second) })
	h2.typ(formtest.TAN)
	h2.send(tickMsg{dialog: h2.m})
	if h2.m.State() != Dead || !strings.Contains(h2.m.Message(), "expired") {
		t.Errorf("after expiry: state %v, message %q", h2.m.State(), h2.m.Message())
	}
	h2.press("enter")
	if h2.pay.Count("Confirm") != 0 {
		t.Error("an expired TAN was sent")
	}
}

func TestEscAborts(t *testing.T) {
	h := newHarness(t, false, nil)
	h.typ("123")
	h.press("esc")
	f, done := h.finished()
	if !done || f.Outcome != OutcomeAborted {
		t.Fatalf("esc: %v %+v", done, f)
	}
	if h.pay.Count("Confirm") != 0 {
		t.Error("esc confirmed")
	}
}

func TestOutcomeUnknownIsCheckedNeverResent(t *testing.T) {
	checks := 0
	found := false
	h := newHarness(t, false, func(r *Request) {
		r.Check = func(context.Context) (bool, error) {
			checks++
			return found, nil
		}
	})
	h.pay.ConfirmErrs = []error{formtest.Unknown()}
	h.typ(formtest.TAN)
	_, cmd := h.m.Update(formtest.Key("enter"))
	var confirmed tea.Msg
	for _, m := range formtest.Run(cmd) {
		confirmed = m
	}
	_, cmd = h.m.Update(confirmed)
	if h.m.State() != Checking || !strings.Contains(h.m.View(), "the outcome is unknown — checking the bank…") {
		t.Fatalf("state %v, view:\n%s", h.m.State(), h.m.View())
	}
	var checked tea.Msg
	for _, m := range formtest.Run(cmd) {
		switch m.(type) {
		case checkedMsg:
			checked = m
		default:
			h.out = append(h.out, m)
		}
	}
	if !h.refreshed() {
		t.Error("an unknown outcome did not refresh the transactions")
	}
	h.press("enter", "enter") // impatient user: must not resend
	h.send(checked)
	if h.m.State() != CheckedNone || !strings.Contains(h.m.Message(), "no trace") {
		t.Fatalf("not booked: state %v, message %q", h.m.State(), h.m.Message())
	}
	found = true
	h.press("c")
	if h.m.State() != CheckedDone || !strings.Contains(h.m.Message(), "carried out the transfer") {
		t.Fatalf("booked: state %v, view:\n%s", h.m.State(), h.m.View())
	}
	h.press("enter")
	if f, done := h.finished(); !done || f.Outcome != OutcomeConfirmed {
		t.Errorf("closing after the check: %v %+v", done, f)
	}
	if n := h.pay.Count("Confirm"); n != 1 {
		t.Errorf("%d confirms sent, want 1: an unknown outcome must never be resent", n)
	}
	if checks != 2 {
		t.Errorf("%d checks, want 2", checks)
	}
}

func TestUnknownNotFoundClosesWithWarning(t *testing.T) {
	h := newHarness(t, false, func(r *Request) {
		r.Check = func(context.Context) (bool, error) { return false, nil }
	})
	h.pay.ConfirmErrs = []error{formtest.Unknown()}
	h.typ(formtest.TAN)
	h.press("enter")
	if h.m.State() != CheckedNone {
		t.Fatalf("state %v", h.m.State())
	}
	h.press("esc")
	if f, done := h.finished(); !done || f.Outcome != OutcomeUnknown || !strings.Contains(f.Notice, "unknown") {
		t.Errorf("esc: %v %+v", done, f)
	}
}

func TestSandboxSMSInDemoOnly(t *testing.T) {
	h := newHarness(t, true, nil)
	h.pay.SMS = []api.SMS{
		{RequestID: "req1", TAN: "999999"},
		{RequestID: "other", TAN: "111111"},
		{RequestID: "req1", TAN: "654321"},
	}
	h.send(formtest.Run(h.m.Init())...)
	if h.m.SMS() != "654321" {
		t.Errorf("SMS TAN %q, want the newest for this request", h.m.SMS())
	}
	if !strings.Contains(h.m.View(), "sandbox SMS: your TAN is 654321") {
		t.Errorf("no sandbox notice:\n%s", h.m.View())
	}

	real := newHarness(t, false, nil)
	real.send(formtest.Run(real.m.Init())...)
	if real.pay.Count("SandboxSMS") != 0 || strings.Contains(real.m.View(), "sandbox") {
		t.Error("the sandbox outbox was read outside demo mode")
	}
}

func TestMessagesOfAnotherDialogAreIgnored(t *testing.T) {
	a := newHarness(t, false, nil)
	b := newHarness(t, false, nil)
	a.send(confirmedMsg{dialog: b.m, err: nil})
	if a.m.State() != Entering {
		t.Errorf("dialog a took b's answer: %v", a.m.State())
	}
}

// What is being confirmed is shown whole: a long recipient wraps instead of
// being cut off at the dialog's edge.
func TestSummaryWraps(t *testing.T) {
	long := "Timed order of 99,99 € to Steuerberatung Falkenried und Partner mbB Wirtschaftsprüfer on 26.11.2026"
	h := newHarness(t, false, func(r *Request) { r.Summary = []string{long} })
	v := ansi.Strip(h.m.View())
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
	if !strings.Contains(flat, long) || strings.Contains(v, "…") {
		t.Errorf("the summary was cut:\n%s", v)
	}
}

// TestRefusalTextIsSanitised: the bank's words for a refusal reach the
// dialog without its escape sequences.
func TestRefusalTextIsSanitised(t *testing.T) {
	h := newHarness(t, false, nil)
	h.pay.ConfirmErrs = []error{&api.Error{Status: 409, Title: "Conflict", Detail: "state \x1b]52;c;ZXZpbA==\x07changed\x1b[2J"}}
	h.typ(formtest.TAN)
	h.press("enter")
	if strings.ContainsAny(h.m.Message(), "\x1b\x07") || strings.ContainsAny(h.m.View(), "\x07") || strings.Contains(h.m.View(), "]52;") {
		t.Fatalf("the bank's control characters reach the dialog: %q", h.m.Message())
	}
	if !strings.Contains(h.m.Message(), "changed") {
		t.Errorf("message %q lost the bank's words", h.m.Message())
	}
}

// A payment's confirm whose 2xx answer cannot be read — cut short, or over
// the size limit — is an unknown outcome: the bank took it. The dialog
// never says "wrong TAN" nor lets the TAN be sent again; it hands the
// payment to the background check ("pending check") and shows the result
// if it comes while the dialog is open.
func TestUnreadableConfirmIsPendingCheckNeverResent(t *testing.T) {
	for name, err := range map[string]error{
		"too large":            fmt.Errorf("confirm transfer: PUT /x: %w", &api.OutcomeUnknownError{Err: fmt.Errorf("%w: larger than 8 MiB", api.ErrAnswerTooLarge)}),
		"cut short":            fmt.Errorf("confirm transfer: PUT /x: %w", &api.OutcomeUnknownError{Err: &api.BadAnswerError{}}),
		"too large, unwrapped": fmt.Errorf("confirm transfer: %w: larger than 8 MiB", api.ErrAnswerTooLarge),
		"dropped":              formtest.Unknown(),
		"5xx":                  fmt.Errorf("confirm: %w", &api.Error{Status: 503}),
	} {
		t.Run(name, func(t *testing.T) {
			track := api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-ABC", Recipient: "Karl Brenner",
				IBAN: "DE89370400440532013000", Amount: 1250}
			h := newHarness(t, false, func(r *Request) { r.Track = &track })
			h.pay.ConfirmErrs = []error{err}
			h.typ(formtest.TAN)
			h.press("enter")
			if h.m.State() != Tracking || strings.Contains(h.m.Message(), "wrong TAN") || strings.Contains(h.m.View(), "type the TAN") {
				t.Fatalf("state %v:\n%s", h.m.State(), h.m.View())
			}
			var tracked []api.PendingPayment
			for _, m := range h.out {
				if tr, ok := m.(common.TrackPaymentMsg); ok {
					tracked = append(tracked, tr.Payment)
				}
			}
			want := track
			want.SentAt, want.UnknownSince = formtest.Now(), formtest.Now()
			if len(tracked) != 1 || tracked[0] != want {
				t.Fatalf("handed over %+v, want %+v", tracked, want)
			}
			h.typ(formtest.TAN) // typed again: nothing is sent
			if n := h.pay.Count("Confirm"); n != 1 || h.m.TAN() != formtest.TAN {
				t.Fatalf("%d confirms (TAN now %q): the TAN must not be sent again", n, h.m.TAN())
			}
			h.send(common.PaymentSettledMsg{Payment: api.PendingPayment{E2EID: "KONTO-OTHER"}, Verdict: api.Booked})
			if h.m.State() != Tracking {
				t.Fatal("another payment's result was taken for this one")
			}
			h.send(common.PaymentSettledMsg{Payment: want, Verdict: api.Booked})
			if h.m.State() != TrackedBooked || !strings.Contains(h.m.Message(), "the bank booked the transfer") {
				t.Fatalf("state %v, message %q", h.m.State(), h.m.Message())
			}
			h.press("enter")
			if f, done := h.finished(); !done || f.Outcome != OutcomeConfirmed {
				t.Errorf("closing: %v %+v", done, f)
			}
		})
	}
}

// Closed while the check goes on, the dialog says the payment is pending
// check; nothing is claimed.
func TestTrackedClosesPendingCheck(t *testing.T) {
	h := newHarness(t, false, func(r *Request) {
		r.Track = &api.PendingPayment{Kind: api.KindTransfer, E2EID: "KONTO-ABC", Amount: 1250}
	})
	h.pay.ConfirmErrs = []error{formtest.Unknown()}
	h.typ(formtest.TAN)
	h.press("enter", "esc")
	if f, done := h.finished(); !done || f.Outcome != OutcomeUnknown || !strings.Contains(f.Notice, "pending check") {
		t.Errorf("esc: %v %+v", done, f)
	}
	if h.m.InFlight() {
		t.Error("a payment left to the background check holds up quitting")
	}
}

// The bank wanted a new login when the TAN was sent: once the login went
// through, the dialog no longer says to log in, and the TAN can be sent.
func TestLogInAgainMessageUpdatesOnceLoggedIn(t *testing.T) {
	h := newHarness(t, false, nil)
	h.pay.ConfirmErrs = []error{fmtLoginNeeded()}
	h.typ(formtest.TAN)
	h.press("enter")
	if !strings.Contains(h.m.Message(), "log in again") {
		t.Fatalf("message %q, want it to ask for a login", h.m.Message())
	}
	h.send(common.SessionRenewedMsg{})
	if strings.Contains(h.m.Message(), "log in again") || !strings.Contains(h.m.Message(), "logged in again") {
		t.Fatalf("after the login: message %q", h.m.Message())
	}
	if !strings.Contains(ansi.Strip(h.m.View()), "logged in again") {
		t.Errorf("the dialog does not show it:\n%s", ansi.Strip(h.m.View()))
	}
	h.press("enter")
	if f, done := h.finished(); !done || f.Outcome != OutcomeConfirmed {
		t.Fatalf("the TAN was not sent after the login: %v %+v", done, f)
	}
}

func fmtLoginNeeded() error { return &loginNeeded{} }

type loginNeeded struct{}

func (*loginNeeded) Error() string { return "confirm: auth token: login needed" }

func (*loginNeeded) Unwrap() error { return api.ErrLoginNeeded }
