// Package orderform holds the forms that change orders: create and edit a
// standing order, create a timed order, and the cancellations (a standing
// order's after the question and a TAN, a timed order's after the same
// question alone, as the API asks no TAN for it). Each is a form.Flow or a
// small Modal.
package orderform

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"konto/api"
	"konto/api/sepa"
	"konto/store/forecast"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/tan"
)

// Reoccurrences returns the intervals a standing order may have, in the
// order the form offers them.
func Reoccurrences() []string {
	return []string{api.Monthly, api.Quarterly, api.EverySixMonths, api.Annually}
}

// Standing-order create field indexes.
const (
	SORecipient = iota
	SOIBAN
	SOAmount
	SONote
	SOE2EID
	SOReoccurrence
	SOFirst
	SOLast
)

// Standing-order edit field indexes.
const (
	EditAmount = iota
	EditNote
	EditE2EID
	EditReoccurrence
	EditLast
)

// paymentFields are the fields every new order starts with, paid from
// account: the recipient with the transfer form's autocomplete from known,
// an IBAN that is not the account's own, the amount, note and end-to-end id.
func paymentFields(account api.Account, known []form.Counterparty) (recipient, iban, amount, note, e2e *form.Field) {
	recipient = form.NewField("Recipient", "name of the person or company", form.TextLimit, form.Recipient)
	iban = form.NewField("IBAN", "e.g. DE89 3704 0044 0532 0130 00", 42, form.RecipientIBAN(account.IBAN))
	iban.Regroup = sepa.FormatIBAN
	iban.Hint = form.IBANProgress
	iban.Partial = form.IBANPartial
	form.Autocomplete(recipient, iban, known, account.IBAN)
	amount = amountField()
	note = form.NewField("Note", "purpose (optional)", form.TextLimit, form.Note)
	note.Hint = form.NoteCounter
	e2e = form.NewField("End-to-end ID", "reference (optional)", form.TextLimit, form.E2EID)
	e2e.Hint = func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "empty: konto makes one to recognise the order"
		}
		return ""
	}
	return
}

// withE2EID is the end-to-end id an order is sent with: the one typed, or
// auto (made by konto for the form); and the review's line for it.
func withE2EID(typed *string, auto string) (*string, form.Line) {
	if typed != nil {
		return typed, form.Line{Label: "End-to-end ID", Value: *typed}
	}
	return &auto, form.Line{Label: "End-to-end ID", Value: auto + " (made by konto to recognise this order)"}
}

func amountField() *form.Field {
	f := form.NewField("Amount (€)", "e.g. 12,50", 20, func(s string) error {
		_, err := form.Amount(s, -1)
		return err
	})
	f.Hint = func(s string) string {
		if cents, err := form.Amount(s, -1); err == nil && sepa.FormatAmount(cents) != strings.TrimSpace(s) {
			return sepa.FormatEuro(cents)
		}
		return ""
	}
	f.Partial = form.AmountPartial
	return f
}

// dateField is a date input: DD.MM.YYYY or YYYY-MM-DD, checked by check,
// its meaning spelled out below it as it is typed.
func dateField(label, placeholder string, check func(string) error) *form.Field {
	f := form.NewField(label, placeholder, 10, check)
	f.Partial = form.DatePartial
	return f
}

// dateHint shows the day a valid date means, so 03.04. is never misread.
func dateHint(loc *time.Location) func(string) string {
	return func(s string) string {
		if t, err := form.Date(s, loc); err == nil {
			return t.Format("Monday, 2 January 2006")
		}
		return "DD.MM.YYYY or YYYY-MM-DD"
	}
}

// NewStanding returns the flow that sets up a standing order on account;
// known feeds the recipient autocomplete.
func NewStanding(c *common.Common, env common.PaymentEnv, account api.Account, known []form.Counterparty) *form.Flow {
	recipient, iban, amount, note, e2e := paymentFields(account, known)
	reo := form.NewChoice("Every", Reoccurrences(), 0)
	reo.Show = words
	first := dateField("First on", "DD.MM.YYYY", func(s string) error {
		_, err := form.NotPast(s, c.Now(), c.Loc)
		return err
	})
	first.Hint = dateHint(c.Loc)
	last := dateField("Last on", "optional: DD.MM.YYYY", nil)
	last.Check = func(s string) error {
		_, err := lastDate(s, first.Value(), c)
		return err
	}
	last.Hint = func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "empty: until cancelled"
		}
		return dateHint(c.Loc)(s)
	}
	f := form.New(recipient, iban, amount, note, e2e, reo, first, last)
	auto := api.NewE2EID() // one per form: the review, create and check agree
	return form.NewFlow(c, env, form.Spec{
		Title:      "New standing order from " + c.ShortIBAN(account.IBAN),
		Form:       f,
		SubmitHelp: "send for TAN",
		What:       "standing order",
		AccountID:  account.ID,
		Prepare: func() (form.Submission, error) {
			req, err := StandingRequest(f, c.Now(), c.Loc)
			if err != nil {
				return form.Submission{}, err
			}
			var idLine form.Line
			req.E2EID, idLine = withE2EID(req.E2EID, auto)
			review := append(form.PaymentLines(req.Recipient, req.IBAN, req.Amount, req.Note),
				idLine,
				form.Line{Label: "Every", Value: words(req.Reoccurrence)},
				form.Line{Label: "First on", Value: common.FormatFullDate(req.FirstExecutionDate.Time, c.Loc)},
				form.Line{Label: "Last on", Value: lastWords(req.LastExecutionDate, c.Loc)},
				form.Line{Label: "From", Value: c.IBAN(account.IBAN)},
			)
			payment := &api.PendingPayment{Kind: api.KindStandingOrder, AccountID: account.ID, E2EID: *req.E2EID,
				Recipient: req.Recipient, IBAN: req.IBAN, Amount: req.Amount,
				Reoccurrence: req.Reoccurrence, FirstExecution: req.FirstExecutionDate.Time}
			ahead := forecast.StandingPayment(account.ID, req)
			return form.Submission{Review: review, Create: createStanding(c, env, account.ID, req, *payment), Payment: payment,
				Lookahead: &ahead, Guard: true}, nil
		},
	})
}

// lastDate reads the optional last execution date: empty is none; else a
// real, not past day not before first (when first is valid).
func lastDate(s, first string, c *common.Common) (*time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	t, err := form.NotPast(s, c.Now(), c.Loc)
	if err != nil {
		return nil, err
	}
	if f, ferr := form.Date(first, c.Loc); first != "" && ferr == nil && t.Before(f) {
		return nil, errors.New("the last date is before the first")
	}
	return &t, nil
}

// StandingRequest builds the create request from a valid form.
func StandingRequest(f *form.Form, now time.Time, loc *time.Location) (api.StandingOrderRequest, error) {
	v := func(i int) string { return strings.TrimSpace(f.Fields[i].Value()) }
	cents, err := form.Amount(v(SOAmount), -1)
	if err != nil {
		return api.StandingOrderRequest{}, err
	}
	first, err := form.NotPast(v(SOFirst), now, loc)
	if err != nil {
		return api.StandingOrderRequest{}, fmt.Errorf("first date: %w", err)
	}
	req := api.StandingOrderRequest{
		Recipient:          v(SORecipient),
		IBAN:               sepa.NormalizeIBAN(v(SOIBAN)),
		Amount:             cents,
		Note:               optional(v(SONote)),
		E2EID:              optional(v(SOE2EID)),
		Reoccurrence:       v(SOReoccurrence),
		FirstExecutionDate: api.ZTime{Time: form.WireDay(first)},
	}
	if s := v(SOLast); s != "" {
		last, err := form.Date(s, loc)
		if err != nil {
			return api.StandingOrderRequest{}, fmt.Errorf("last date: %w", err)
		}
		if last.Before(first) {
			return api.StandingOrderRequest{}, errors.New("the last date is before the first")
		}
		req.LastExecutionDate = &api.ZTime{Time: form.WireDay(last)}
	}
	return req, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func lastWords(t *api.ZTime, loc *time.Location) string {
	if t == nil {
		return "until cancelled"
	}
	return common.FormatFullDate(t.Time, loc)
}

// words turns EVERY_SIX_MONTHS into "every six months".
func words(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", " ") }

func standingConfirm(pay common.Payments, accountID int64, requestID, notice string) func(context.Context, string) (string, error) {
	return func(ctx context.Context, t string) (string, error) {
		if _, err := pay.ConfirmStandingOrder(ctx, accountID, requestID, t); err != nil {
			return "", err
		}
		return notice, nil
	}
}

// createStanding registers the order and builds its TAN request. A confirm
// whose outcome is unknown leaves payment to the background check, which
// looks for its end-to-end id in the standing-order list.
func createStanding(c *common.Common, env common.PaymentEnv, accountID int64, req api.StandingOrderRequest, payment api.PendingPayment) func(context.Context) (*tan.Request, string, error) {
	pay, now, loc := env.Payments, c.Now, c.Loc
	return func(ctx context.Context) (*tan.Request, string, error) {
		p, err := pay.CreateStandingOrder(ctx, accountID, req)
		if err != nil {
			return nil, "", err
		}
		what := sepa.FormatEuro(req.Amount) + " " + words(req.Reoccurrence) + " to " + req.Recipient
		return &tan.Request{
			ID: p.RequestID, AccountID: accountID, What: "standing order", Created: now(),
			Summary: []string{"Standing order of " + what, "first on " + common.FormatFullDate(req.FirstExecutionDate.Time, loc)},
			Confirm: standingConfirm(pay, accountID, p.RequestID, "standing order set up: "+what),
			Track:   &payment,
		}, "", nil
	}
}

// EditStanding returns the flow that changes an ACTIVE standing order: only
// what the API allows (amount, note, end-to-end id, interval, last date);
// only changed fields are sent. It returns an error for an order that is
// not active.
func EditStanding(c *common.Common, env common.PaymentEnv, account api.Account, o api.StandingOrder) (*form.Flow, error) {
	if o.Status != api.StatusActive {
		// Short: it is shown in the top line, which has ~40 cells at 80 columns.
		return nil, fmt.Errorf("%s orders cannot be changed", words(o.Status))
	}
	amount := amountField()
	// The order's note and id as the bank keeps them pass as they are (they
	// are not sent unless changed): another app may have set up what konto's
	// rules would refuse, and that must not block a change of the amount.
	note := form.NewField("Note", "purpose (optional)", form.TextLimit, unlessUnchanged(api.Str(o.Description), form.Note))
	note.Hint = form.NoteCounter
	e2e := form.NewField("End-to-end ID", "reference (optional)", form.TextLimit, unlessUnchanged(api.Str(o.E2EID), form.E2EID))
	pick := 0
	for i, r := range Reoccurrences() {
		if r == o.Reoccurrence {
			pick = i
		}
	}
	reo := form.NewChoice("Every", Reoccurrences(), pick)
	reo.Show = words
	last := dateField("Last on", "optional: DD.MM.YYYY", nil)
	last.Check = func(s string) error {
		_, err := lastDate(s, "", c)
		return err
	}
	last.Hint = func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "empty: until cancelled"
		}
		return dateHint(c.Loc)(s)
	}
	f := form.New(amount, note, e2e, reo, last)
	amount.SetValue(sepa.FormatAmount(o.Amount))
	note.SetValue(api.Str(o.Description))
	e2e.SetValue(api.Str(o.E2EID))
	if o.LastExecutionDate != nil && !o.LastExecutionDate.IsZero() {
		last.SetValue(common.FormatFullDate(o.LastExecutionDate.Time, c.Loc))
	}
	f.MarkClean() // the order as it is: esc leaves without asking
	return form.NewFlow(c, env, form.Spec{
		Title:      "Change standing order to " + o.Name,
		Form:       f,
		SubmitHelp: "send for TAN",
		What:       "change of the standing order",
		AccountID:  account.ID,
		Prepare: func() (form.Submission, error) {
			upd, review, err := StandingUpdate(f, o, c.Now(), c.Loc)
			if err != nil {
				return form.Submission{}, err
			}
			return form.Submission{Review: review, Create: updateStanding(c, env, account.ID, o, upd, review)}, nil
		},
	}), nil
}

// unlessUnchanged is check for any value but the bank's own.
func unlessUnchanged(bank string, check func(string) error) func(string) error {
	return func(s string) error {
		if bank != "" && strings.TrimSpace(s) == bank {
			return nil
		}
		return check(s)
	}
}

// ErrNothingChanged refuses an edit that changes nothing.
var ErrNothingChanged = errors.New("nothing changed: edit a field or press esc")

// StandingUpdate compares the edit form with the order and returns the
// PATCH body with only the changed fields, and the review of the changes.
func StandingUpdate(f *form.Form, o api.StandingOrder, now time.Time, loc *time.Location) (api.StandingOrderUpdate, []form.Line, error) {
	v := func(i int) string { return strings.TrimSpace(f.Fields[i].Value()) }
	var upd api.StandingOrderUpdate
	var review []form.Line
	change := func(label, from, to string) {
		review = append(review, form.Line{Label: label, Value: orDash(from) + " → " + orDash(to)})
	}
	cents, err := form.Amount(v(EditAmount), -1)
	if err != nil {
		return upd, nil, err
	}
	if cents != o.Amount {
		upd.Amount = api.Some(cents)
		change("Amount", sepa.FormatEuro(o.Amount), sepa.FormatEuro(cents))
	}
	if n := v(EditNote); n != api.Str(o.Description) {
		upd.Note = optionalOpt(n)
		change("Note", api.Str(o.Description), n)
	}
	if e := v(EditE2EID); e != api.Str(o.E2EID) {
		upd.E2EID = optionalOpt(e)
		change("End-to-end ID", api.Str(o.E2EID), e)
	}
	if r := v(EditReoccurrence); r != o.Reoccurrence {
		upd.Reoccurrence = api.Some(r)
		change("Every", words(o.Reoccurrence), words(r))
	}
	oldLast := ""
	if o.LastExecutionDate != nil && !o.LastExecutionDate.IsZero() {
		oldLast = common.FormatFullDate(o.LastExecutionDate.Time, loc)
	}
	if s := v(EditLast); s == "" && oldLast != "" {
		upd.LastExecutionDate = api.Null[api.ZTime]()
		change("Last on", oldLast, "until cancelled")
	} else if s != "" {
		last, err := form.NotPast(s, now, loc)
		if err != nil {
			return upd, nil, fmt.Errorf("last date: %w", err)
		}
		if newLast := common.FormatFullDate(last, loc); newLast != oldLast {
			upd.LastExecutionDate = api.Some(api.ZTime{Time: form.WireDay(last)})
			change("Last on", oldLast, newLast)
		}
	}
	if len(review) == 0 {
		return upd, nil, ErrNothingChanged
	}
	review = append([]form.Line{{Label: "Standing order", Value: o.Name + " · " + sepa.FormatIBAN(o.IBAN)}}, review...)
	return upd, review, nil
}

func optionalOpt(s string) api.Opt[string] {
	if s == "" {
		return api.Null[string]()
	}
	return api.Some(s)
}

func updateStanding(c *common.Common, env common.PaymentEnv, accountID int64, o api.StandingOrder, upd api.StandingOrderUpdate, review []form.Line) func(context.Context) (*tan.Request, string, error) {
	pay, now := env.Payments, c.Now
	// The TAN dialog names the changes, not just the order: the TAN
	// confirms exactly these.
	summary := []string{"Change the standing order to " + o.Name}
	for _, l := range review {
		if l.Label != "Standing order" {
			summary = append(summary, l.Label+": "+l.Value)
		}
	}
	return func(ctx context.Context) (*tan.Request, string, error) {
		p, err := pay.UpdateStandingOrder(ctx, accountID, o.ID, upd)
		if err != nil {
			return nil, "", err
		}
		r := &tan.Request{
			ID: p.RequestID, AccountID: accountID, What: "change of the standing order", Created: now(),
			Summary: summary,
			Confirm: standingConfirm(pay, accountID, p.RequestID, "standing order to "+o.Name+" changed"),
		}
		r.Check = func(ctx context.Context) (bool, error) {
			os, err := pay.StandingOrders(ctx, accountID)
			if err != nil {
				return false, fmt.Errorf("check standing order: %w", err)
			}
			for _, got := range os {
				if got.ID == o.ID {
					return applied(got, upd), nil
				}
			}
			return false, nil
		}
		return r, "", nil
	}
}

// applied reports whether order o shows the changes of upd.
func applied(o api.StandingOrder, upd api.StandingOrderUpdate) bool {
	ok := true
	if upd.Amount.Set {
		ok = ok && o.Amount == upd.Amount.Value
	}
	if upd.Note.Set {
		ok = ok && api.Str(o.Description) == upd.Note.Value
	}
	if upd.Reoccurrence.Set {
		ok = ok && o.Reoccurrence == upd.Reoccurrence.Value
	}
	if upd.E2EID.Set && !upd.E2EID.Null {
		ok = ok && api.Str(o.E2EID) == upd.E2EID.Value
	}
	return ok
}

// CancelStanding returns the flow that cancels a standing order: the order
// and the question (y cancels, n/esc keeps it), then the TAN dialog.
func CancelStanding(c *common.Common, env common.PaymentEnv, account api.Account, o api.StandingOrder) (*form.Flow, error) {
	if o.Status != api.StatusActive {
		return nil, fmt.Errorf("this order is %s already", words(o.Status))
	}
	pay, now := env.Payments, c.Now
	accountID := account.ID
	review := []form.Line{
		{Label: "Recipient", Value: o.Name},
		{Label: "IBAN", Value: c.IBAN(o.IBAN)},
		{Label: "Amount", Value: c.Balance(o.Amount) + " " + words(o.Reoccurrence)},
		{Label: "Note", Value: orDash(api.Str(o.Description))},
	}
	if o.NextOccurrence != nil && !o.NextOccurrence.IsZero() {
		review = append(review, form.Line{Label: "Next", Value: common.FormatFullDate(o.NextOccurrence.Time, c.Loc)})
	}
	create := func(ctx context.Context) (*tan.Request, string, error) {
		p, err := pay.CancelStandingOrder(ctx, accountID, o.ID)
		if err != nil {
			return nil, "", err
		}
		r := &tan.Request{
			ID: p.RequestID, AccountID: accountID, What: "cancellation", Created: now(),
			Summary: []string{"Cancel the standing order of " + sepa.FormatEuro(o.Amount) + " to " + o.Name},
			Confirm: standingConfirm(pay, accountID, p.RequestID, "standing order to "+o.Name+" cancelled"),
		}
		r.Check = func(ctx context.Context) (bool, error) {
			os, err := pay.StandingOrders(ctx, accountID)
			if err != nil {
				return false, fmt.Errorf("check standing order: %w", err)
			}
			for _, got := range os {
				if got.ID == o.ID {
					return got.Status == api.StatusCanceled, nil
				}
			}
			return false, nil
		}
		return r, "", nil
	}
	return form.NewFlow(c, env, form.Spec{
		ReviewTitle: "Cancel standing order",
		Question:    "Cancel this standing order?",
		SubmitHelp:  "cancel it",
		Kept:        "kept the standing order to " + o.Name,
		What:        "cancellation",
		AccountID:   accountID,
		Prepare: func() (form.Submission, error) {
			return form.Submission{Review: review, Create: create}, nil
		},
	}), nil
}
