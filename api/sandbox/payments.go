package sandbox

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"time"

	"konto/api"
	"konto/api/sepa"
)

// pendingKind is what a TAN confirms.
type pendingKind int

const (
	kindTransfer pendingKind = iota
	kindStandingCreate
	kindStandingUpdate
	kindStandingCancel
	kindTimed
)

// pending is a request awaiting its TAN. Once confirmed it keeps its answer,
// so a repeated confirm (a client retrying after a dropped connection) gets
// the same result and nothing is booked twice.
type pending struct {
	id        string
	kind      pendingKind
	account   *account
	tan       string
	expires   time.Time
	triesLeft int
	voided    bool
	done      bool
	result    any

	payment paymentInput   // transfer, standing-order create
	draft   standingDraft  // standing-order create
	order   *standingOrder // standing-order update and cancel
	update  standingUpdate // standing-order update
	timed   *timedOrder    // timed order
}

// newPending registers a request and sends its TAN by SMS. The caller holds b.mu.
func (b *Bank) newPending(id string, kind pendingKind, acc *account, now time.Time, what string) *pending {
	p := &pending{
		id:        id,
		kind:      kind,
		account:   acc,
		tan:       tan(b.rng),
		expires:   now.Add(tanLifetime),
		triesLeft: tanTries,
	}
	b.pending[id] = p
	text := fmt.Sprintf("your TAN for %s is %s", what, p.tan)
	b.outbox = append(b.outbox, api.SMS{To: acc.owner.login, Text: text, TAN: p.tan, RequestID: id, CreatedAt: now.Truncate(time.Millisecond)})
	// The one log line allowed to carry a TAN: it stands in for the phone.
	b.logf("SMS to %s: %s", acc.owner.login, text)
	return p
}

// replay answers a confirm of an already confirmed request: the same result
// for the same TAN, 409 otherwise.
func (p *pending) replay(given string) (any, *failure) {
	if subtle.ConstantTimeCompare([]byte(given), []byte(p.tan)) == 1 {
		return p.result, nil
	}
	return nil, fail(http.StatusConflict, api.CodeConflict, "this request is already confirmed")
}

// checkTAN decides a confirm of a request that is not done yet: voided (403),
// expired (410), missing TAN (400, no try used), wrong TAN (400 with
// meta.triesLeft; the third voids the request with 403), or nil to go ahead.
func (p *pending) checkTAN(given, field string, now time.Time) *failure {
	switch {
	case p.voided:
		return voided()
	case now.After(p.expires):
		return fail(http.StatusGone, api.CodeExpired, "the TAN has expired: start the request again")
	case given == "":
		return invalid(field, field+" (the TAN) is required")
	}
	if subtle.ConstantTimeCompare([]byte(given), []byte(p.tan)) == 1 {
		return nil
	}
	p.triesLeft--
	if p.triesLeft <= 0 {
		p.voided = true
		return voided()
	}
	tries := "tries"
	if p.triesLeft == 1 {
		tries = "try"
	}
	f := fail(http.StatusBadRequest, api.CodeInvalidTAN, fmt.Sprintf("wrong TAN, %d %s left", p.triesLeft, tries))
	f.field = field
	f.meta = map[string]any{"triesLeft": p.triesLeft}
	return f
}

func voided() *failure {
	return fail(http.StatusForbidden, api.CodeVoided, "too many wrong TANs: this request is void")
}

func insufficientFunds(acc *account) *failure {
	f := fail(http.StatusUnprocessableEntity, api.CodeInsufficientFunds,
		"the account balance of "+sepa.FormatEuro(acc.balance)+" does not cover this payment")
	f.field = "amount"
	return f
}

// POST /api/accounts/{id}/transfer
func (b *Bank) createTransfer(q *call) (any, *failure) {
	acc, _, pay, bad := paymentCall(q)
	if bad != nil {
		return nil, bad
	}
	if pay.amount > acc.balance {
		return nil, insufficientFunds(acc)
	}
	id := hex32(b.rng) + "ctrx"
	p := b.newPending(id, kindTransfer, acc, q.now,
		fmt.Sprintf("transfer of %s to %s", sepa.FormatEuro(pay.amount), pay.recipient))
	p.payment = pay
	return transferAnswer(pay, api.TransferConfirmationRequired, transferPath(acc, id)), nil
}

func transferPath(acc *account, id string) string {
	return fmt.Sprintf("/api/accounts/%d/transfer/%s", acc.id, id)
}

func transferAnswer(pay paymentInput, status, self string) api.Transfer {
	return api.Transfer{
		Status:    status,
		Recipient: pay.recipient,
		IBAN:      pay.iban,
		Amount:    pay.amount,
		Note:      pay.note,
		Meta:      api.TransferMeta{AuthorizationTokenLength: tanLength},
		Links:     api.TransferLinks{Self: self},
	}
}

// PUT /api/accounts/{id}/transfer/{request}: the create's payload plus the TAN.
func (b *Bank) confirmTransfer(q *call) (any, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, bad
	}
	p := b.pending[q.params[1]]
	if p == nil || p.kind != kindTransfer || p.account != acc {
		return nil, notFound("transfer request")
	}
	f, bad := parseObject(q.body, false)
	if bad != nil {
		return nil, bad
	}
	if p.voided {
		return nil, voided()
	}
	pay, bad := f.payment()
	if bad != nil {
		return nil, bad
	}
	if field := p.payment.differs(pay); field != "" {
		return nil, invalid(field, field+" differs from the request the TAN was sent for")
	}
	given, bad := f.str("authorizationToken", false)
	if bad != nil {
		return nil, bad
	}
	if p.done {
		return p.replay(api.Str(given))
	}
	if bad := p.checkTAN(api.Str(given), "authorizationToken", q.now); bad != nil {
		return nil, bad
	}
	if p.payment.amount > acc.balance {
		return nil, insufficientFunds(acc)
	}
	b.bookTransfer(acc, p.payment, q.now)
	p.done = true
	p.result = transferAnswer(p.payment, api.TransferAccepted, transferPath(acc, p.id))
	return p.result, nil
}

// bookTransfer books an outgoing SEPA credit transfer at the given time (or
// just after the newest booking of either side, to keep the lists in order).
// When the IBAN is an account of this bank, of the same user or another, the
// money arrives there in the same step: a booking with the sender's name and
// IBAN, the same purpose, e2eId and dates, and the balance raised. Both happen
// under b.mu, which the caller holds, so no one sees the money on neither
// account (or on both).
func (b *Bank) bookTransfer(acc *account, pay paymentInput, at time.Time) api.Transaction {
	to := b.byIBAN[pay.iban]
	for _, side := range []*account{acc, to} {
		if side == nil {
			continue
		}
		if txs := side.txs.all(); len(txs) > 0 && txs[0].BookingDate.After(at) {
			at = txs[0].BookingDate.Time
		}
	}
	recipient, iban := pay.recipient, pay.iban
	// The value date is a day, as on the seeded bookings.
	valuta := api.TxTime{Time: day(at)}
	debit := b.book(acc, api.Transaction{
		Amount:        -pay.amount,
		Name:          &recipient,
		IBAN:          &iban,
		Purpose:       pay.note,
		E2EID:         pay.e2eID,
		BookingDate:   api.TxTime{Time: at},
		ValutaDate:    &valuta,
		BookingType:   api.Ptr(bookingCreditTransfer),
		PaymentMethod: api.Ptr(methodBankAccount),
	})
	if to != nil {
		sender, senderIBAN := acc.owner.name, acc.iban
		b.book(to, api.Transaction{
			Amount:        pay.amount,
			Name:          &sender,
			IBAN:          &senderIBAN,
			Purpose:       pay.note,
			E2EID:         pay.e2eID,
			BookingDate:   debit.BookingDate,
			ValutaDate:    &valuta,
			BookingType:   api.Ptr(bookingCreditTransfer),
			PaymentMethod: api.Ptr(methodBankAccount),
		})
	}
	return debit
}

// Wire words of bookings.
const (
	bookingCreditTransfer = "SEPA_CREDIT_TRANSFER"
	bookingDirectDebit    = "SEPA_DIRECT_DEBIT"
	bookingDebitReturn    = "SEPA_DIRECT_DEBIT_RETURN"
	methodBankAccount     = "bank_account"
	methodCreditCard      = "credit_card"
)
