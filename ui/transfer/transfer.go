// Package transfer is the new-transfer form ("t", and "R" to pay a booking
// again): recipient with autocomplete from past counterparties, IBAN grouped
// as it is typed, amount, note and end-to-end id, each checked as typed; then
// the review and the TAN dialog (see form.Flow). Every transfer carries an
// end-to-end id, made by konto when the field is left empty, by which an
// unknown outcome is settled (ui/pending).
package transfer

import (
	"context"
	"path"
	"strings"

	"konto/api"
	"konto/api/sepa"
	"konto/store/forecast"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/tan"
)

// Field indexes, in the order the form shows them.
const (
	FieldRecipient = iota
	FieldIBAN
	FieldAmount
	FieldNote
	FieldE2EID
)

// Prefill is what a new form starts with.
type Prefill struct {
	Recipient, IBAN, Amount, Note, E2EID string
	// PayBack is set when the form pays back money received from Recipient
	// ("R" on an incoming booking): the title says so and Received (cents)
	// is named beside the amount, which is left for the user to type.
	PayBack  bool
	Received int64
	// Respelled are the characters of the booking's name that SEPA does
	// not allow and were written differently ("é written as e").
	Respelled []sepa.Replacement
}

// FromTransaction pre-fills a form to pay a booking again. An outgoing one
// is repeated: same recipient, IBAN, amount and note (a new end-to-end id: it
// is a new payment). An incoming one is paid back (a refund) to its sender,
// recipient and IBAN only: its amount is typed, so the money received is not
// sent back whole by an enter too many, and its note was the sender's.
//
// A name or note holding characters SEPA does not allow (a French payee's
// "Lumière") is written as banks pass it on ("Lumiere"), so the form is
// ready to send; Respelled says what changed. The end-to-end id is never
// copied: the bank tells payments apart by it.
func FromTransaction(tx api.Transaction) Prefill {
	name, respelled := sepa.FieldRecipient.Transliterate(api.Str(tx.Name))
	p := Prefill{Recipient: name, IBAN: api.Str(tx.IBAN), Respelled: respelled}
	if tx.Amount > 0 {
		p.PayBack, p.Received = true, tx.Amount
		return p
	}
	p.Note, _ = sepa.FieldNote.Transliterate(api.Str(tx.Purpose))
	if tx.Amount < 0 {
		p.Amount = sepa.FormatAmount(-tx.Amount)
	}
	return p
}

// maxTitleName is the most of a recipient's name the pay-back title shows:
// the account and balance after it stay in sight.
const maxTitleName = 30

// New returns the new-transfer flow paying from account; known feeds the
// recipient autocomplete (form.Counterparties of the account's history).
// Open it with common.OpenModal and run its Init.
func New(c *common.Common, env common.PaymentEnv, account api.Account, known []form.Counterparty) *form.Flow {
	return NewWith(c, env, account, known, Prefill{})
}

// PayAgain returns the flow pre-filled from tx ("R" on a booking): the same
// payment again for money that went out, a pay-back form without an amount
// for money that came in (see FromTransaction).
func PayAgain(c *common.Common, env common.PaymentEnv, account api.Account, tx api.Transaction, known []form.Counterparty) *form.Flow {
	return NewWith(c, env, account, known, FromTransaction(tx))
}

// NewWith returns the flow with its fields pre-filled.
func NewWith(c *common.Common, env common.PaymentEnv, account api.Account, known []form.Counterparty, pre Prefill) *form.Flow {
	limit := max(account.Balance, 0)
	recipient := form.NewField("Recipient", "name of the person or company", form.TextLimit, form.Recipient)
	iban := form.NewField("IBAN", "e.g. DE89 3704 0044 0532 0130 00", 42, form.RecipientIBAN(account.IBAN))
	iban.Regroup = sepa.FormatIBAN
	iban.Hint = form.IBANProgress
	iban.Partial = form.IBANPartial
	amountPlaceholder := "e.g. 12,50"
	if pre.PayBack {
		amountPlaceholder = "how much to pay back"
	}
	amount := form.NewField("Amount (€)", amountPlaceholder, 20, func(s string) error {
		_, err := form.Amount(s, limit)
		return err
	})
	amount.Partial = form.AmountPartial
	amount.Hint = func(s string) string {
		if cents, err := form.Amount(s, limit); err == nil && sepa.FormatAmount(cents) != strings.TrimSpace(s) {
			return sepa.FormatEuro(cents)
		}
		if pre.PayBack && pre.Received > 0 && strings.TrimSpace(s) == "" {
			return "you received " + sepa.FormatEuro(pre.Received) + " from them"
		}
		return ""
	}
	note := form.NewField("Note", "purpose, on both statements (optional)", form.TextLimit, form.Note)
	note.Hint = form.NoteCounter
	e2e := form.NewField("End-to-end ID", "invoice number or reference (optional)", form.TextLimit, form.E2EID)
	e2e.Hint = func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "empty: konto makes one to recognise the payment"
		}
		return ""
	}

	form.Autocomplete(recipient, iban, known, account.IBAN)
	if len(pre.Respelled) > 0 {
		suggest := recipient.Hint
		recipient.Hint = func(s string) string {
			if h := suggest(s); h != "" {
				return h
			}
			if s == pre.Recipient {
				return form.Respelled(pre.Respelled)
			}
			return ""
		}
	}
	// The id konto sends when the field is left empty: one per form, so
	// the review, the create and the confirm all carry the same.
	auto := api.NewE2EID()

	f := form.New(recipient, iban, amount, note, e2e)
	for i, v := range []string{pre.Recipient, pre.IBAN, pre.Amount, pre.Note, pre.E2EID} {
		if v != "" {
			f.Fields[i].SetValue(v)
		}
	}
	f.MarkClean() // pre-filled is not typed: esc leaves without asking

	title := "New transfer from " + c.ShortIBAN(account.IBAN) + " · " + c.Balance(account.Balance)
	if pre.PayBack {
		who := common.Truncate(strings.TrimSpace(pre.Recipient), maxTitleName)
		if who == "" {
			who = "the sender"
		}
		title = "Pay back " + who + " from " + c.ShortIBAN(account.IBAN) + " · " + c.Balance(account.Balance)
	}
	first := 0
	if pre.PayBack && pre.Recipient != "" && pre.IBAN != "" {
		first = FieldAmount // who is known: how much is the question
	}
	return form.NewFlow(c, env, form.Spec{
		Title:      title,
		Form:       f,
		SubmitHelp: "send for TAN",
		What:       "transfer",
		AccountID:  account.ID,
		FirstField: first,
		Prepare: func() (form.Submission, error) {
			return prepare(c, env, account, f, auto, pre.PayBack)
		},
	})
}

// Request builds the wire request from a valid form.
func Request(f *form.Form, balance int64) (api.TransferRequest, error) {
	cents, err := form.Amount(f.Fields[FieldAmount].Value(), max(balance, 0))
	if err != nil {
		return api.TransferRequest{}, err
	}
	req := api.TransferRequest{
		Recipient: strings.TrimSpace(f.Fields[FieldRecipient].Value()),
		IBAN:      sepa.NormalizeIBAN(f.Fields[FieldIBAN].Value()),
		Amount:    cents,
	}
	if n := strings.TrimSpace(f.Fields[FieldNote].Value()); n != "" {
		req.Note = &n
	}
	if e := strings.TrimSpace(f.Fields[FieldE2EID].Value()); e != "" {
		req.E2EID = &e
	}
	return req, nil
}

func prepare(c *common.Common, env common.PaymentEnv, account api.Account, f *form.Form, auto string, refund bool) (form.Submission, error) {
	req, err := Request(f, account.Balance)
	if err != nil {
		return form.Submission{}, err
	}
	review := form.PaymentLines(req.Recipient, req.IBAN, req.Amount, req.Note)
	if req.E2EID != nil {
		review = append(review, form.Line{Label: "End-to-end ID", Value: *req.E2EID})
	} else {
		req.E2EID = &auto
		review = append(review, form.Line{Label: "End-to-end ID", Value: auto + " (made by konto to recognise this payment)"})
	}
	review = append(review,
		form.Line{Label: "From", Value: c.IBAN(account.IBAN)},
		form.Line{Label: "Balance after", Value: c.Balance(account.Balance - req.Amount)},
	)
	payment := &api.PendingPayment{Kind: api.KindTransfer, AccountID: account.ID, E2EID: *req.E2EID,
		Recipient: req.Recipient, IBAN: req.IBAN, Amount: req.Amount}
	ahead := forecast.TransferPayment(account.ID, req)
	ahead.Refund = refund
	return form.Submission{Review: review, Create: create(c, env, account.ID, req, *payment), Payment: payment,
		Lookahead: &ahead, Guard: true}, nil
}

// create returns the Cmd body that registers the transfer and builds its
// TAN request; req and payment are copies, safe to use off the UI goroutine.
// A confirm whose outcome is unknown leaves payment to the background
// check, which looks for its end-to-end id among the account's bookings.
func create(c *common.Common, env common.PaymentEnv, accountID int64, req api.TransferRequest, payment api.PendingPayment) func(context.Context) (*tan.Request, string, error) {
	pay, now := env.Payments, c.Now
	return func(ctx context.Context) (*tan.Request, string, error) {
		pending, err := pay.CreateTransfer(ctx, accountID, req)
		if err != nil {
			return nil, "", err
		}
		what := sepa.FormatEuro(req.Amount) + " to " + req.Recipient
		return &tan.Request{
			ID:        path.Base(pending.Transfer.Links.Self),
			AccountID: accountID,
			What:      "transfer",
			Summary: []string{
				"Transfer " + what,
				"IBAN " + sepa.FormatIBAN(req.IBAN),
			},
			Length:  pending.TANLength(),
			Created: now(),
			Confirm: func(ctx context.Context, tan string) (string, error) {
				if _, err := pay.ConfirmTransfer(ctx, pending, tan); err != nil {
					return "", err
				}
				return "sent " + what, nil
			},
			Track: &payment,
		}, "", nil
	}
}
