package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Wire types follow the JSON examples of kontist-api.md exactly, quirks included.
// No omitempty: every documented key is always present, as null when empty.

// Account is one bank account with its balance in euro cents.
type Account struct {
	ID          int64   `json:"id"`
	IBAN        string  `json:"iban"`
	Balance     int64   `json:"balance"`
	AccountType *string `json:"accountType"` // deprecated by the API; never relied on
}

// Transaction is one booking. Amount is in cents, negative for outgoing money.
type Transaction struct {
	ID                      int64   `json:"id"`
	Amount                  int64   `json:"amount"`
	Type                    *string `json:"type"`
	Category                *string `json:"category"`
	Name                    *string `json:"name"`
	IBAN                    *string `json:"iban"`
	Purpose                 *string `json:"purpose"`
	E2EID                   *string `json:"e2eId"`
	BookingDate             TxTime  `json:"bookingDate"`
	ValutaDate              *TxTime `json:"valutaDate"`
	BookingType             *string `json:"bookingType"`
	OriginalAmount          *string `json:"originalAmount"` // a string on the wire ("760")
	ForeignCurrency         *string `json:"foreignCurrency"`
	PaymentMethod           *string `json:"paymentMethod"`
	InvoiceNumber           *int64  `json:"invoiceNumber"`
	InvoicePreviewURL       *string `json:"invoicePreviewUrl"`
	InvoiceDownloadURL      *string `json:"invoiceDownloadUrl"`
	UserSelectedBookingDate *TxTime `json:"userSelectedBookingDate"`
	DocumentType            *string `json:"documentType"`
	MandateNumber           *string `json:"mandateNumber"`
}

// TransactionPage is one page of GET /api/accounts/{id}/transactions (v2.1).
// Next is a host-relative path ("/api/accounts/4711/transactions?page=2") or nil.
type TransactionPage struct {
	Next    *string       `json:"next"`
	Total   int           `json:"total"`
	Results []Transaction `json:"results"`
}

// Credentials is the body of the JWT endpoints when logging in.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// TokenResponse is the answer of the JWT endpoints.
type TokenResponse struct {
	Token string `json:"token"`
}

// TransferRequest is the body of POST /api/accounts/{id}/transfer. The confirm
// repeats it exactly, plus the TAN.
type TransferRequest struct {
	Recipient string  `json:"recipient"`
	IBAN      string  `json:"iban"`
	Amount    int64   `json:"amount"`
	Note      *string `json:"note"`
	E2EID     *string `json:"e2eId"`
}

// TransferConfirmRequest is the body of PUT {links.self}.
type TransferConfirmRequest struct {
	TransferRequest
	AuthorizationToken string `json:"authorizationToken"`
}

// TransferMeta carries the TAN length the bank expects.
type TransferMeta struct {
	AuthorizationTokenLength int `json:"authorizationTokenLength"`
}

// TransferLinks holds the path the confirmation is PUT to.
type TransferLinks struct {
	Self string `json:"self"`
}

// Transfer is the answer of transfer create ("confirmation_required") and
// confirm ("accepted").
type Transfer struct {
	Status    string        `json:"status"`
	Recipient string        `json:"recipient"`
	IBAN      string        `json:"iban"`
	Amount    int64         `json:"amount"`
	Note      *string       `json:"note"`
	Meta      TransferMeta  `json:"meta"`
	Links     TransferLinks `json:"links"`
}

// Transfer statuses as the wire spells them.
const (
	TransferConfirmationRequired = "confirmation_required"
	TransferAccepted             = "accepted"
)

// Standing order reoccurrences.
const (
	Monthly        = "MONTHLY"
	Quarterly      = "QUARTERLY"
	EverySixMonths = "EVERY_SIX_MONTHS"
	Annually       = "ANNUALLY"
)

// Order statuses as the wire spells them.
const (
	StatusConfirmationRequired = "CONFIRMATION_REQUIRED"
	StatusActive               = "ACTIVE"
	StatusCanceled             = "CANCELED"
	StatusScheduled            = "SCHEDULED"
)

// StandingOrderRequest is the body of POST /api/accounts/{id}/standing-orders.
type StandingOrderRequest struct {
	Recipient          string  `json:"recipient"`
	IBAN               string  `json:"iban"`
	Amount             int64   `json:"amount"`
	Note               *string `json:"note"`
	E2EID              *string `json:"e2eId"`
	Reoccurrence       string  `json:"reoccurrence"`
	FirstExecutionDate ZTime   `json:"firstExecutionDate"`
	LastExecutionDate  *ZTime  `json:"lastExecutionDate"`
}

// StandingOrderUpdate is the body of PATCH …/standing-orders/{id}. Each field
// has three states (absent, null, value); absent fields are left out.
type StandingOrderUpdate struct {
	Amount            Opt[int64]  `json:"amount,omitzero"`
	Note              Opt[string] `json:"note,omitzero"`
	E2EID             Opt[string] `json:"e2eId,omitzero"`
	Reoccurrence      Opt[string] `json:"reoccurrence,omitzero"`
	LastExecutionDate Opt[ZTime]  `json:"lastExecutionDate,omitzero"`
}

// StandingOrderPending answers create and update: a request awaiting its TAN.
type StandingOrderPending struct {
	RequestID string  `json:"requestId"`
	Status    string  `json:"status"`
	Amount    int64   `json:"amount"`
	Recipient string  `json:"recipient"`
	IBAN      string  `json:"iban"`
	E2EID     *string `json:"e2eId"`
}

// StandingOrderCancelPending answers PATCH …/standing-orders/{id}/cancel.
type StandingOrderCancelPending struct {
	RequestID string `json:"requestId"`
	Status    string `json:"status"`
}

// StandingOrderConfirmRequest is the body of POST …/standing-orders/confirm.
type StandingOrderConfirmRequest struct {
	RequestID          string `json:"requestId"`
	AuthorizationToken string `json:"authorizationToken"`
}

// StandingOrder is one standing order as listed and as confirmed.
type StandingOrder struct {
	ID                int64      `json:"id"`
	Status            string     `json:"status"`
	Name              string     `json:"name"`
	IBAN              string     `json:"iban"`
	Amount            int64      `json:"amount"`
	Description       *string    `json:"description"`
	LastExecutionDate *OrderTime `json:"lastExecutionDate"`
	Reoccurrence      string     `json:"reoccurrence"`
	E2EID             *string    `json:"e2eId"`
	NextOccurrence    *OrderTime `json:"nextOccurrence"`
}

// TimedOrderRequest is the body of POST /api/accounts/{id}/timed-orders.
type TimedOrderRequest struct {
	Recipient string  `json:"recipient"`
	IBAN      string  `json:"iban"`
	Amount    int64   `json:"amount"`
	Note      *string `json:"note"`
	E2EID     *string `json:"e2eId"`
	Date      ZTime   `json:"date"`
}

// TimedOrderConfirmRequest is the body of POST …/timed-orders/{id}/confirm.
type TimedOrderConfirmRequest struct {
	Token string `json:"token"`
}

// Money is the snake_case amount object of timed orders.
type Money struct {
	Value    int64  `json:"value"`
	Currency string `json:"currency"`
	Unit     string `json:"unit"`
}

// ScheduledTransaction is the transfer inside a timed order (snake_case).
type ScheduledTransaction struct {
	ID            string  `json:"id"`
	Status        string  `json:"status"`
	Reference     string  `json:"reference"`
	Description   *string `json:"description"`
	RecipientIBAN string  `json:"recipient_iban"`
	RecipientName string  `json:"recipient_name"`
	RecipientBIC  string  `json:"recipient_bic"`
	EndToEndID    *string `json:"end_to_end_id"`
	BatchID       *string `json:"batch_id"`
	CreatedAt     ZTime   `json:"created_at"`
	Amount        Money   `json:"amount"`
}

// TimedOrder answers timed-order create, confirm and cancel (snake_case).
type TimedOrder struct {
	ID                   string               `json:"id"`
	ExecuteAt            ZTime                `json:"execute_at"`
	ExecutedAt           *ZTime               `json:"executed_at"`
	Status               string               `json:"status"`
	ScheduledTransaction ScheduledTransaction `json:"scheduled_transaction"`
}

// TimedOrderListItem is one entry of GET …/timed-orders (camelCase; only
// scheduled orders; amount negative).
type TimedOrderListItem struct {
	ID            string  `json:"id"`
	RecipientName string  `json:"recipientName"`
	RecipientIBAN string  `json:"recipientIban"`
	Date          ZTime   `json:"date"`
	Purpose       *string `json:"purpose"`
	Amount        int64   `json:"amount"`
	E2EID         *string `json:"e2eId"`
	Status        string  `json:"status"`
	Type          string  `json:"type"`
}

// SMS is one entry of the sandbox's TAN outbox, GET /sandbox/sms (sandbox only).
type SMS struct {
	To        string    `json:"to"`
	Text      string    `json:"text"`
	TAN       string    `json:"tan"`
	RequestID string    `json:"requestId"`
	CreatedAt time.Time `json:"createdAt"`
}

// Opt is a PATCH field with three states: absent (zero value), null, or a value.
type Opt[T any] struct {
	Set   bool // the key is present
	Null  bool // the key is present and null
	Value T
}

// Some returns a present, non-null Opt.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, Value: v} }

// Null returns a present, null Opt.
func Null[T any]() Opt[T] { return Opt[T]{Set: true, Null: true} }

// IsZero reports an absent field, so `omitzero` leaves it out.
func (o Opt[T]) IsZero() bool { return !o.Set }

// MarshalJSON writes null or the value.
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.Set || o.Null {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// UnmarshalJSON is only called for a present key.
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		var zero T
		o.Value = zero
		return nil
	}
	o.Null = false
	return json.Unmarshal(b, &o.Value)
}

// Timestamps: the API writes three layouts. Each type reads any RFC 3339
// variant and writes its own layout, as the doc shows it.
const (
	txLayout    = "2006-01-02T15:04:05-07:00"     // 2018-08-08T16:26:52+00:00
	orderLayout = "2006-01-02T15:04:05.000-07:00" // 2019-08-27T00:00:00.000+00:00
	zLayout     = "2006-01-02T15:04:05.000Z"      // 2019-08-27T12:00:00.000Z (UTC)
)

// TxTime is a transaction timestamp (2018-08-08T16:26:52+00:00).
type TxTime struct{ time.Time }

// OrderTime is a standing-order timestamp (2019-08-27T00:00:00.000+00:00).
type OrderTime struct{ time.Time }

// ZTime is a UTC timestamp with milliseconds (2019-08-27T12:00:00.000Z), used
// by timed orders and by standing-order requests.
type ZTime struct{ time.Time }

func (t TxTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(txLayout) + `"`), nil
}
func (t OrderTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(orderLayout) + `"`), nil
}
func (t ZTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(zLayout) + `"`), nil
}

func (t *TxTime) UnmarshalJSON(b []byte) error    { return parseTime(b, &t.Time) }
func (t *OrderTime) UnmarshalJSON(b []byte) error { return parseTime(b, &t.Time) }
func (t *ZTime) UnmarshalJSON(b []byte) error     { return parseTime(b, &t.Time) }

// ParseTime reads any RFC 3339 variant (with or without fractions, Z or
// offset) and returns it in UTC.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
	}
	return t.UTC(), nil
}

func parseTime(b []byte, dst *time.Time) error {
	if bytes.Equal(b, []byte("null")) {
		*dst = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time: %w", err)
	}
	t, err := ParseTime(s)
	if err != nil {
		return err
	}
	*dst = t
	return nil
}

// Str returns the value of a nullable string, or "".
func Str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Ptr returns a pointer to v (for building requests with nullable fields).
func Ptr[T any](v T) *T { return &v }
