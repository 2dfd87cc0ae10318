package common

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"konto/api"
)

// Payments is the part of the API client the payment components use to send
// money and change orders; *api.Client satisfies it, tests use fakes. It is
// kept apart from Bank so a read-only session can be given none.
type Payments interface {
	CreateTransfer(ctx context.Context, accountID int64, req api.TransferRequest) (*api.PendingTransfer, error)
	ConfirmTransfer(ctx context.Context, p *api.PendingTransfer, tan string) (*api.Transfer, error)

	CreateStandingOrder(ctx context.Context, accountID int64, req api.StandingOrderRequest) (*api.StandingOrderPending, error)
	UpdateStandingOrder(ctx context.Context, accountID, orderID int64, upd api.StandingOrderUpdate) (*api.StandingOrderPending, error)
	CancelStandingOrder(ctx context.Context, accountID, orderID int64) (*api.StandingOrderCancelPending, error)
	ConfirmStandingOrder(ctx context.Context, accountID int64, requestID, tan string) (*api.StandingOrder, error)

	CreateTimedOrder(ctx context.Context, accountID int64, req api.TimedOrderRequest) (*api.TimedOrder, error)
	ConfirmTimedOrder(ctx context.Context, accountID int64, orderID, tan string) (*api.TimedOrder, error)
	CancelTimedOrder(ctx context.Context, accountID int64, orderID string) (*api.TimedOrder, error)

	// SandboxSMS reads the sandbox bank's TAN outbox; only called in demo mode.
	SandboxSMS(ctx context.Context) ([]api.SMS, error)

	// Reads that check an unknown outcome. They must reach the bank itself:
	// Common.Bank may answer from the offline cache, which cannot know.
	TransactionsPage(ctx context.Context, accountID int64, page int) (*api.TransactionPage, error)
	StandingOrders(ctx context.Context, accountID int64) ([]api.StandingOrder, error)
	TimedOrders(ctx context.Context, accountID int64) ([]api.TimedOrderListItem, error)
}

// PaymentEnv is what the payment components need beyond Common.
type PaymentEnv struct {
	Payments Payments
	// Demo says the bank is the sandbox, whose TAN outbox may be shown so a
	// newcomer can finish a payment.
	Demo bool
}

// PaymentsChangedMsg says a payment or an order change went through, or may
// have (an unknown outcome being checked): the root reloads the accounts and
// the account's transactions and orders, so the booking and the new balance
// show at once.
type PaymentsChangedMsg struct {
	AccountID int64
	// IBAN is where the money went, when known: one of the user's own
	// accounts has the credit at once too.
	IBAN string
}

// PaymentsChanged returns a Cmd that sends PaymentsChangedMsg.
func PaymentsChanged(accountID int64) tea.Cmd {
	return func() tea.Msg { return PaymentsChangedMsg{AccountID: accountID} }
}

// PaymentsChangedTo is PaymentsChanged for money sent to iban.
func PaymentsChangedTo(accountID int64, iban string) tea.Cmd {
	return func() tea.Msg { return PaymentsChangedMsg{AccountID: accountID, IBAN: iban} }
}
