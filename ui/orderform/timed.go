package orderform

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sepa"
	"konto/store/forecast"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/tan"
)

// Timed-order field indexes.
const (
	TORecipient = iota
	TOIBAN
	TOAmount
	TONote
	TOE2EID
	TODate
)

// NewTimed returns the flow that schedules a one-off transfer for a day
// after today; known feeds the recipient autocomplete.
func NewTimed(c *common.Common, env common.PaymentEnv, account api.Account, known []form.Counterparty) *form.Flow {
	recipient, iban, amount, note, e2e := paymentFields(account, known)
	date := dateField("On", "DD.MM.YYYY", func(s string) error {
		_, err := form.Future(s, c.Now(), c.Loc)
		return err
	})
	date.Hint = dateHint(c.Loc)
	f := form.New(recipient, iban, amount, note, e2e, date)
	auto := api.NewE2EID() // one per form: the review, create and check agree
	return form.NewFlow(c, env, form.Spec{
		Title:      "New timed order from " + c.ShortIBAN(account.IBAN),
		Form:       f,
		SubmitHelp: "send for TAN",
		What:       "timed order",
		AccountID:  account.ID,
		Prepare: func() (form.Submission, error) {
			req, err := TimedRequest(f, c.Now(), c.Loc)
			if err != nil {
				return form.Submission{}, err
			}
			var idLine form.Line
			req.E2EID, idLine = withE2EID(req.E2EID, auto)
			review := append(form.PaymentLines(req.Recipient, req.IBAN, req.Amount, req.Note),
				idLine,
				form.Line{Label: "On", Value: common.FormatFullDate(req.Date.Time, c.Loc)},
				form.Line{Label: "From", Value: c.IBAN(account.IBAN)},
			)
			payment := &api.PendingPayment{Kind: api.KindTimedOrder, AccountID: account.ID, E2EID: *req.E2EID,
				Recipient: req.Recipient, IBAN: req.IBAN, Amount: req.Amount, ExecuteOn: req.Date.Time}
			ahead := forecast.TimedPayment(account.ID, req)
			return form.Submission{Review: review, Create: createTimed(c, env, account.ID, req, *payment), Payment: payment, Lookahead: &ahead}, nil
		},
	})
}

// TimedRequest builds the create request from a valid form.
func TimedRequest(f *form.Form, now time.Time, loc *time.Location) (api.TimedOrderRequest, error) {
	v := func(i int) string { return strings.TrimSpace(f.Fields[i].Value()) }
	cents, err := form.Amount(v(TOAmount), -1)
	if err != nil {
		return api.TimedOrderRequest{}, err
	}
	day, err := form.Future(v(TODate), now, loc)
	if err != nil {
		return api.TimedOrderRequest{}, fmt.Errorf("date: %w", err)
	}
	return api.TimedOrderRequest{
		Recipient: v(TORecipient),
		IBAN:      sepa.NormalizeIBAN(v(TOIBAN)),
		Amount:    cents,
		Note:      optional(v(TONote)),
		E2EID:     optional(v(TOE2EID)),
		Date:      api.ZTime{Time: form.WireDay(day)},
	}, nil
}

// createTimed registers the order and builds its TAN request. A confirm
// whose outcome is unknown leaves payment to the background check, which
// looks for its end-to-end id in the timed-order list (and among the
// bookings once its day has come).
func createTimed(c *common.Common, env common.PaymentEnv, accountID int64, req api.TimedOrderRequest, payment api.PendingPayment) func(context.Context) (*tan.Request, string, error) {
	pay, now, loc := env.Payments, c.Now, c.Loc
	return func(ctx context.Context) (*tan.Request, string, error) {
		o, err := pay.CreateTimedOrder(ctx, accountID, req)
		if err != nil {
			return nil, "", err
		}
		day := common.FormatFullDate(req.Date.Time, loc)
		what := sepa.FormatEuro(req.Amount) + " to " + req.Recipient + " on " + day
		id := o.ID
		payment.OrderID = id
		r := &tan.Request{
			ID: id, AccountID: accountID, What: "timed order", Created: now(),
			Summary: []string{"Timed order of " + what},
			Confirm: func(ctx context.Context, t string) (string, error) {
				if _, err := pay.ConfirmTimedOrder(ctx, accountID, id, t); err != nil {
					return "", err
				}
				return "timed order scheduled: " + what, nil
			},
			Track: &payment,
		}
		return r, "", nil
	}
}

// cancelledMsg answers a timed-order cancellation.
type cancelledMsg struct {
	dialog *CancelTimed
	err    error
}

// CancelTimed asks "Cancel this timed order?" the way every destructive
// question is asked (common.ConfirmKeys) and cancels it (the API asks no TAN
// for that). It implements common.Modal.
type CancelTimed struct {
	c       *common.Common
	env     common.PaymentEnv
	account int64
	order   api.TimedOrderListItem
	sending bool // y pressed: the request is on its way, further keys wait
	errText string
	width   int
	height  int
	keys    common.ConfirmKeys
}

// NewCancelTimed returns the question for order o of account.
func NewCancelTimed(c *common.Common, env common.PaymentEnv, accountID int64, o api.TimedOrderListItem) *CancelTimed {
	return &CancelTimed{c: c, env: env, account: accountID, order: o, width: 60, height: 10,
		keys: common.NewConfirmKeys(c.Keys.Dialog, "cancel it", "keep it")}
}

// Sending reports that the cancellation is on its way.
func (m *CancelTimed) Sending() bool { return m.sending }

// InFlight is Sending under the name the root asks about before quitting.
func (m *CancelTimed) InFlight() bool { return m.sending }

// Error is why the last cancellation failed ("" if none).
func (m *CancelTimed) Error() string { return m.errText }

// Update handles the question's keys and the bank's answer.
func (m *CancelTimed) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case cancelledMsg:
		if msg.dialog != m {
			return m, nil
		}
		m.sending = false
		if msg.err != nil {
			m.errText = common.ErrorText(msg.err)
			return m, common.PaymentsChanged(m.account)
		}
		return m, tea.Batch(common.CloseModal, common.PaymentsChanged(m.account),
			common.Notice(common.NoticeInfo, "timed order to "+m.order.RecipientName+" cancelled"))
	case tea.KeyPressMsg:
		if m.sending {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Yes):
			m.sending, m.errText = true, ""
			pay, ctx, account, id := m.env.Payments, m.c.Ctx, m.account, m.order.ID
			return m, func() tea.Msg {
				_, err := pay.CancelTimedOrder(ctx, account, id)
				return cancelledMsg{dialog: m, err: err}
			}
		case key.Matches(msg, m.keys.Keep):
			return m, tea.Batch(common.CloseModal, common.Notice(common.NoticeInfo, "kept the timed order to "+m.order.RecipientName))
		}
	}
	return m, nil
}

// SetSize gives the largest box the dialog may draw.
func (m *CancelTimed) SetSize(w, h int) { m.width, m.height = w, h }

// View draws the question.
func (m *CancelTimed) View() string {
	st := m.c.Styles
	o := m.order
	amount := o.Amount
	if amount < 0 {
		amount = -amount
	}
	lines := []string{
		"",
		" " + st.Label.Render("Recipient") + "  " + o.RecipientName,
		" " + st.Label.Render("IBAN     ") + "  " + m.c.IBAN(o.RecipientIBAN),
		" " + st.Label.Render("Amount   ") + "  " + m.c.Balance(amount),
		" " + st.Label.Render("On       ") + "  " + common.FormatFullDate(o.Date.Time, m.c.Loc),
		"",
	}
	switch {
	case m.sending:
		lines = append(lines, " "+st.Muted.Render("cancelling…"))
	case m.errText != "":
		lines = append(lines, " "+st.Error.Render("not cancelled: "+m.errText), " "+st.Warning.Render(m.keys.Question("Try again?")))
	default:
		lines = append(lines, " "+st.Warning.Render(m.keys.Question("Cancel this timed order?")))
	}
	w := min(m.width, 64)
	return common.Box(st, "Cancel timed order", lines, w, min(len(lines)+2, max(m.height, 6)), true)
}

// KeyMap is the question's help.
func (m *CancelTimed) KeyMap() help.KeyMap {
	if m.sending {
		return noKeys{} // nothing to press until the bank answers
	}
	return m.keys
}

type noKeys struct{}

func (noKeys) ShortHelp() []key.Binding  { return nil }
func (noKeys) FullHelp() [][]key.Binding { return nil }
