package api

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"time"
)

// Settling a payment whose outcome is unknown. Every payment konto sends
// carries an end-to-end id that konto made unique (NewE2EID) unless the user
// gave one; when a confirmation's outcome is unknown, the payment is kept as a
// PendingPayment and CheckPayment looks for that id, and only that id, in the
// bank's own lists until it shows up (booked) or CheckWindow has passed
// without it (not booked). Nothing here resends anything: it only reads.

// PaymentKind is what a payment creates at the bank.
type PaymentKind string

// The payment kinds konto sends.
const (
	KindTransfer      PaymentKind = "transfer"
	KindStandingOrder PaymentKind = "standing order"
	KindTimedOrder    PaymentKind = "timed order"
)

// PendingPayment is a payment whose confirmation was sent but whose outcome
// is unknown: the connection failed, the client gave up waiting, or the
// bank's answer could not be read. It is what konto keeps (in the offline
// cache, so a restart resumes the check) until the bank's lists settle it.
type PendingPayment struct {
	Kind      PaymentKind `json:"kind"`
	AccountID int64       `json:"accountId"` // the account it is paid from
	// E2EID is the payment's end-to-end id, the one thing it is recognised by.
	E2EID     string `json:"e2eId"`
	Recipient string `json:"recipient"`
	IBAN      string `json:"iban"`   // normalised
	Amount    int64  `json:"amount"` // cents, positive
	// SentAt is when the confirmation was sent: CheckWindow runs from it.
	SentAt time.Time `json:"sentAt"`
	// UnknownSince is when the outcome became unknown (the client gave
	// up, the connection failed): the backoff between checks runs from it.
	// Zero means SentAt.
	UnknownSince time.Time `json:"unknownSince,omitzero"`

	// Standing orders: the interval and the first execution day.
	Reoccurrence   string    `json:"reoccurrence,omitempty"`
	FirstExecution time.Time `json:"firstExecution,omitzero"`
	// Timed orders: the execution day and the order id of the create answer.
	ExecuteOn time.Time `json:"executeOn,omitzero"`
	OrderID   string    `json:"orderId,omitempty"`
}

// CheckWindow is how long after sending konto keeps looking for a payment
// whose outcome is unknown. A bank books or refuses a transfer within
// seconds; what has not shown up after half an hour was not carried out, and
// may be sent again.
const CheckWindow = 30 * time.Minute

// The backoff between checks: the first soon after sending, then doubling,
// at most a minute apart.
const (
	FirstCheckDelay = 2 * time.Second
	MaxCheckDelay   = time.Minute
)

// NextCheckDelay is the wait before the next check of a payment whose
// outcome has been unknown for age: as long as that, so checks come about
// 2, 4, 8, 16, 32 s after it became unknown and then once a minute. It
// depends on the age alone, so a check resumed after a restart needs nothing
// remembered but UnknownSince (see PendingPayment.CheckAge).
func NextCheckDelay(age time.Duration) time.Duration {
	return min(max(age, FirstCheckDelay), MaxCheckDelay)
}

// CheckAge is how long the payment's outcome has been unknown at now, for
// NextCheckDelay.
func (p PendingPayment) CheckAge(now time.Time) time.Duration {
	since := p.UnknownSince
	if since.IsZero() {
		since = p.SentAt
	}
	return now.Sub(since)
}

// Verdict is what a check found.
type Verdict int

const (
	// StillUnknown: not in the bank's lists yet, and the window is still
	// open: check again later.
	StillUnknown Verdict = iota
	// Booked: the bank carried it out (the booking or the order is there).
	Booked
	// NotBooked: the window has passed and the bank's lists do not hold it:
	// it was not carried out, and may be sent again.
	NotBooked
)

func (v Verdict) String() string {
	switch v {
	case Booked:
		return "booked"
	case NotBooked:
		return "not booked"
	}
	return "pending check"
}

// OutcomeReader is what a check reads: the bank's own lists, never a cache
// (a cache cannot know what the bank did). *Client satisfies it.
type OutcomeReader interface {
	TransactionsPage(ctx context.Context, accountID int64, page int) (*TransactionPage, error)
	StandingOrders(ctx context.Context, accountID int64) ([]StandingOrder, error)
	TimedOrders(ctx context.Context, accountID int64) ([]TimedOrderListItem, error)
}

// How far back a check reads the bookings: a bank may date a booking by the
// day (the doc's bookingDate is a midnight), so the scan goes two days back
// from sending, over at most maxCheckPages pages.
const (
	bookingSlack  = 48 * time.Hour
	maxCheckPages = 20
)

// CheckPayment looks for p in the bank's lists at now, matching on its
// end-to-end id alone (never on name, amount and time: an identical payment
// made minutes before is another payment). A transfer is looked for among
// the account's newest bookings, a standing order in the standing-order
// list, a timed order in the timed-order list (and among the bookings once
// its day has come). Found: Booked. Not found: StillUnknown while
// now < SentAt+window, NotBooked after. A read that fails settles nothing:
// the verdict is StillUnknown with the error, whatever the time.
func CheckPayment(ctx context.Context, r OutcomeReader, p PendingPayment, now time.Time, window time.Duration) (Verdict, error) {
	if p.E2EID == "" {
		return StillUnknown, fmt.Errorf("check %s: no end-to-end id to look for", p.Kind)
	}
	found, err := lookFor(ctx, r, p, now)
	switch {
	case err != nil:
		return StillUnknown, fmt.Errorf("check %s: %w", p.Kind, err)
	case found:
		return Booked, nil
	case now.Sub(p.SentAt) >= window:
		return NotBooked, nil
	}
	return StillUnknown, nil
}

func lookFor(ctx context.Context, r OutcomeReader, p PendingPayment, now time.Time) (bool, error) {
	switch p.Kind {
	case KindStandingOrder:
		orders, err := r.StandingOrders(ctx, p.AccountID)
		if err != nil {
			return false, err
		}
		for _, o := range orders {
			if Str(o.E2EID) == p.E2EID {
				return true, nil
			}
		}
		return false, nil
	case KindTimedOrder:
		orders, err := r.TimedOrders(ctx, p.AccountID)
		if err != nil {
			return false, err
		}
		for _, o := range orders {
			if Str(o.E2EID) == p.E2EID {
				return true, nil
			}
		}
		// The list holds scheduled orders only: one whose day has come
		// leaves it for the bookings.
		if now.Before(p.ExecuteOn.Add(-24 * time.Hour)) {
			return false, nil
		}
	}
	return findBooking(ctx, r, p.AccountID, p.E2EID, p.SentAt)
}

// findBooking pages through an account's bookings, newest first, for money
// out with end-to-end id e2eID, until the bookings are older than sentAt
// allows.
func findBooking(ctx context.Context, r OutcomeReader, accountID int64, e2eID string, sentAt time.Time) (bool, error) {
	cutoff := sentAt.Add(-bookingSlack)
	read := 0
	for page := 1; page <= maxCheckPages; page++ {
		p, err := r.TransactionsPage(ctx, accountID, page)
		if err != nil {
			return false, err
		}
		for _, tx := range p.Results {
			if tx.Amount < 0 && Str(tx.E2EID) == e2eID {
				return true, nil
			}
		}
		read += len(p.Results)
		if len(p.Results) == 0 || p.Next == nil || read >= p.Total ||
			p.Results[len(p.Results)-1].BookingDate.Before(cutoff) {
			return false, nil
		}
	}
	return false, fmt.Errorf("the bookings since %s fill more than %d pages", sentAt.UTC().Format(time.RFC3339), maxCheckPages)
}

// Twin returns the payment among pending that a new payment of kind to iban
// of amount cents would repeat: one of the same kind to the same IBAN with
// the same amount, whose outcome is not known yet. Sending the new one before
// it is settled may pay twice.
func Twin(pending []PendingPayment, kind PaymentKind, iban string, amount int64) (PendingPayment, bool) {
	for _, p := range pending {
		if p.Kind == kind && p.IBAN == iban && p.Amount == amount {
			return p, true
		}
	}
	return PendingPayment{}, false
}

// E2EIDPrefix starts the end-to-end ids konto makes.
const E2EIDPrefix = "KONTO-"

// NewE2EID returns a new end-to-end id for a payment the user gave none:
// "KONTO-" and 20 random base32 characters (100 bits from crypto/rand), 26
// characters of the SEPA basic set, so no two payments share one and a check
// of an unknown outcome can tell this payment from every other.
func NewE2EID() string {
	b := make([]byte, 13)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return E2EIDPrefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)[:20]
}
