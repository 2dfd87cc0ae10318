package uitest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
)

// TAN is the TAN the fake "texts".
const TAN = "123456"

// Payments is a fake common.Payments.
type Payments struct {
	mu sync.Mutex
	// Calls names each call in order ("CreateTransfer", "ConfirmTransfer 123456" …).
	Calls []string
	// CreateErr fails every create.
	CreateErr error
	// ConfirmErrs answers confirms in order; past its end confirms succeed
	// when the TAN is right and fail with a wrong-TAN error otherwise.
	ConfirmErrs []error
	// ReadErrs fails the reads (TransactionsPage, StandingOrders,
	// TimedOrders) in order; past its end they answer from Set.
	ReadErrs []error
	// Transfers, Standing, Updates and Timed hold the requests received;
	// Confirms the transfer payloads confirms repeated.
	Transfers []api.TransferRequest
	Confirms  []api.TransferRequest
	Standing  []api.StandingOrderRequest
	Updates   []api.StandingOrderUpdate
	Timed     []api.TimedOrderRequest
	// SMS is what SandboxSMS returns.
	SMS []api.SMS
	// Gate, when set, makes confirms wait until it is closed.
	Gate chan struct{}

	bank paymentsBook // what the reads answer (Set)
}

func (p *Payments) call(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Calls = append(p.Calls, s)
}

// Count counts calls whose name starts with prefix.
func (p *Payments) Count(prefix string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.Calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (p *Payments) confirm(tan string) error {
	if p.Gate != nil {
		Hold(p.Gate)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ConfirmErrs) > 0 {
		err := p.ConfirmErrs[0]
		p.ConfirmErrs = p.ConfirmErrs[1:]
		return err
	}
	if tan != TAN {
		return WrongTAN(2)
	}
	return nil
}

// WrongTAN is the bank's answer to a wrong TAN.
func WrongTAN(triesLeft int) error {
	return fmt.Errorf("confirm: %w", &api.Error{Status: 400, Code: api.CodeInvalidTAN, TriesLeft: triesLeft})
}

// Voided is the bank's answer once a request is void.
func Voided() error {
	return fmt.Errorf("confirm: %w", &api.Error{Status: 403, Code: api.CodeVoided})
}

// Expired is the bank's answer to a TAN that expired.
func Expired() error {
	return fmt.Errorf("confirm: %w", &api.Error{Status: 410, Code: api.CodeExpired})
}

// Unknown is a confirm whose connection dropped.
func Unknown() error {
	return fmt.Errorf("confirm: %w", &api.OutcomeUnknownError{Err: fmt.Errorf("EOF")})
}

func (p *Payments) CreateTransfer(ctx context.Context, accountID int64, req api.TransferRequest) (*api.PendingTransfer, error) {
	p.call("CreateTransfer")
	p.mu.Lock()
	p.Transfers = append(p.Transfers, req)
	p.mu.Unlock()
	if p.CreateErr != nil {
		return nil, p.CreateErr
	}
	return &api.PendingTransfer{
		AccountID: accountID, Request: req,
		Transfer: api.Transfer{Status: api.TransferConfirmationRequired, Recipient: req.Recipient, IBAN: req.IBAN, Amount: req.Amount,
			Meta:  api.TransferMeta{AuthorizationTokenLength: 6},
			Links: api.TransferLinks{Self: fmt.Sprintf("/api/accounts/%d/transfer/f55641811042b9e85989bd57c3718346ctrx", accountID)}},
	}, nil
}

func (p *Payments) ConfirmTransfer(ctx context.Context, pt *api.PendingTransfer, tan string) (*api.Transfer, error) {
	p.call("ConfirmTransfer " + tan)
	p.mu.Lock()
	p.Confirms = append(p.Confirms, pt.Request)
	p.mu.Unlock()
	if err := p.confirm(tan); err != nil {
		return nil, err
	}
	t := pt.Transfer
	t.Status = api.TransferAccepted
	return &t, nil
}

func (p *Payments) CreateStandingOrder(ctx context.Context, accountID int64, req api.StandingOrderRequest) (*api.StandingOrderPending, error) {
	p.call("CreateStandingOrder")
	p.mu.Lock()
	p.Standing = append(p.Standing, req)
	p.mu.Unlock()
	if p.CreateErr != nil {
		return nil, p.CreateErr
	}
	return &api.StandingOrderPending{RequestID: "so-create", Status: api.StatusConfirmationRequired, Amount: req.Amount}, nil
}

func (p *Payments) UpdateStandingOrder(ctx context.Context, accountID, orderID int64, upd api.StandingOrderUpdate) (*api.StandingOrderPending, error) {
	p.call(fmt.Sprintf("UpdateStandingOrder %d", orderID))
	p.mu.Lock()
	p.Updates = append(p.Updates, upd)
	p.mu.Unlock()
	if p.CreateErr != nil {
		return nil, p.CreateErr
	}
	return &api.StandingOrderPending{RequestID: "so-update", Status: api.StatusConfirmationRequired}, nil
}

func (p *Payments) CancelStandingOrder(ctx context.Context, accountID, orderID int64) (*api.StandingOrderCancelPending, error) {
	p.call(fmt.Sprintf("CancelStandingOrder %d", orderID))
	if p.CreateErr != nil {
		return nil, p.CreateErr
	}
	return &api.StandingOrderCancelPending{RequestID: "so-cancel", Status: api.StatusConfirmationRequired}, nil
}

func (p *Payments) ConfirmStandingOrder(ctx context.Context, accountID int64, requestID, tan string) (*api.StandingOrder, error) {
	p.call("ConfirmStandingOrder " + requestID + " " + tan)
	if err := p.confirm(tan); err != nil {
		return nil, err
	}
	return &api.StandingOrder{ID: 20, Status: api.StatusActive}, nil
}

func (p *Payments) CreateTimedOrder(ctx context.Context, accountID int64, req api.TimedOrderRequest) (*api.TimedOrder, error) {
	p.call("CreateTimedOrder")
	p.mu.Lock()
	p.Timed = append(p.Timed, req)
	p.mu.Unlock()
	if p.CreateErr != nil {
		return nil, p.CreateErr
	}
	return &api.TimedOrder{ID: "9939482a-new", ExecuteAt: req.Date, Status: api.StatusConfirmationRequired}, nil
}

func (p *Payments) ConfirmTimedOrder(ctx context.Context, accountID int64, orderID, tan string) (*api.TimedOrder, error) {
	p.call("ConfirmTimedOrder " + orderID + " " + tan)
	if err := p.confirm(tan); err != nil {
		return nil, err
	}
	return &api.TimedOrder{ID: orderID, Status: api.StatusScheduled}, nil
}

func (p *Payments) CancelTimedOrder(ctx context.Context, accountID int64, orderID string) (*api.TimedOrder, error) {
	p.call("CancelTimedOrder " + orderID)
	if p.CreateErr != nil {
		return nil, p.CreateErr
	}
	return &api.TimedOrder{ID: orderID, Status: api.StatusCanceled}, nil
}

func (p *Payments) SandboxSMS(ctx context.Context) ([]api.SMS, error) {
	p.call("SandboxSMS")
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]api.SMS(nil), p.SMS...), nil
}

// ForRoot reports the messages a modal sends to the root rather than to
// itself: closing, notices, refreshes, opening another modal.
func ForRoot(msg tea.Msg) bool {
	switch msg.(type) {
	case common.CloseModalMsg, common.NoticeMsg, common.PaymentsChangedMsg, common.OpenModalMsg, common.TrackPaymentMsg:
		return true
	}
	return false
}

// Drive gives msgs to update and runs the Cmds it returns, feeding the
// modal's own messages back until nothing is left; it returns the messages
// meant for the root (see ForRoot).
func Drive(update func(tea.Msg) tea.Cmd, msgs ...tea.Msg) []tea.Msg {
	var out []tea.Msg
	for steps := 0; len(msgs) > 0 && steps < 1000; steps++ {
		msg := msgs[0]
		msgs = msgs[1:]
		for _, m := range Collect(update(msg)) {
			if ForRoot(m) {
				out = append(out, m)
			} else {
				msgs = append(msgs, m)
			}
		}
	}
	return out
}

// Pending is a fixed common.PendingPayments.
type Pending []api.PendingPayment

// Unresolved returns the list.
func (p Pending) Unresolved() []api.PendingPayment { return p }

// paymentsBook is what the Payments fake's reads answer.
type paymentsBook struct {
	mu       sync.Mutex
	Txs      []api.Transaction
	Standing []api.StandingOrder
	Timed    []api.TimedOrderListItem
}

// Set replaces the bank's bookings and orders.
func (p *Payments) Set(txs []api.Transaction, standing []api.StandingOrder, timed []api.TimedOrderListItem) {
	p.bank.mu.Lock()
	defer p.bank.mu.Unlock()
	p.bank.Txs, p.bank.Standing, p.bank.Timed = txs, standing, timed
}

// readErr takes the next of ReadErrs, if any.
func (p *Payments) readErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ReadErrs) == 0 {
		return nil
	}
	err := p.ReadErrs[0]
	p.ReadErrs = p.ReadErrs[1:]
	return err
}

func (p *Payments) TransactionsPage(ctx context.Context, accountID int64, page int) (*api.TransactionPage, error) {
	p.call("TransactionsPage")
	if err := p.readErr(); err != nil {
		return nil, err
	}
	p.bank.mu.Lock()
	defer p.bank.mu.Unlock()
	return &api.TransactionPage{Total: len(p.bank.Txs), Results: append([]api.Transaction(nil), p.bank.Txs...)}, nil
}

func (p *Payments) StandingOrders(ctx context.Context, accountID int64) ([]api.StandingOrder, error) {
	p.call("StandingOrders")
	if err := p.readErr(); err != nil {
		return nil, err
	}
	p.bank.mu.Lock()
	defer p.bank.mu.Unlock()
	return append([]api.StandingOrder(nil), p.bank.Standing...), nil
}

func (p *Payments) TimedOrders(ctx context.Context, accountID int64) ([]api.TimedOrderListItem, error) {
	p.call("TimedOrders")
	if err := p.readErr(); err != nil {
		return nil, err
	}
	p.bank.mu.Lock()
	defer p.bank.mu.Unlock()
	return append([]api.TimedOrderListItem(nil), p.bank.Timed...), nil
}
