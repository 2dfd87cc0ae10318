package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Paths of the API.
const (
	pathRefreshToken = "/api/user/refresh-token"
	pathAuthToken    = "/api/user/auth-token"
	pathAccounts     = "/api/accounts"
	pathSandboxSMS   = "/sandbox/sms"
)

func accountPath(accountID int64, rest string) string {
	return pathAccounts + "/" + strconv.FormatInt(accountID, 10) + rest
}

// ---- JWT endpoints (no Authenticator) ----

// CreateRefreshToken logs in and returns a refresh token (valid 30 days).
func (c *Client) CreateRefreshToken(ctx context.Context, cred Credentials) (string, error) {
	var out TokenResponse
	err := c.do(ctx, request{method: http.MethodPost, url: c.endpoint(pathRefreshToken, nil), body: cred, noAuth: true}, &out)
	if err != nil {
		return "", fmt.Errorf("create refresh token: %w", err)
	}
	return requireToken("create refresh token", out)
}

// CreateAuthToken logs in and returns an auth token (valid 1 hour).
func (c *Client) CreateAuthToken(ctx context.Context, cred Credentials) (string, error) {
	var out TokenResponse
	err := c.do(ctx, request{method: http.MethodPost, url: c.endpoint(pathAuthToken, nil), body: cred, noAuth: true}, &out)
	if err != nil {
		return "", fmt.Errorf("create auth token: %w", err)
	}
	return requireToken("create auth token", out)
}

// AuthTokenFromRefresh trades a refresh token for a new auth token.
func (c *Client) AuthTokenFromRefresh(ctx context.Context, refreshToken string) (string, error) {
	if refreshToken == "" {
		return "", errors.New("auth token from refresh token: empty refresh token")
	}
	var out TokenResponse
	err := c.do(ctx, request{method: http.MethodPost, url: c.endpoint(pathAuthToken, nil), bearer: refreshToken}, &out)
	if err != nil {
		return "", fmt.Errorf("auth token from refresh token: %w", err)
	}
	return requireToken("auth token from refresh token", out)
}

// InvalidateAuthToken ends an auth token before it expires.
func (c *Client) InvalidateAuthToken(ctx context.Context, authToken string) error {
	if authToken == "" {
		return errors.New("invalidate auth token: empty token")
	}
	err := c.do(ctx, request{method: http.MethodDelete, url: c.endpoint(pathAuthToken, nil), bearer: authToken, idempotent: true}, nil)
	if err != nil {
		return fmt.Errorf("invalidate auth token: %w", err)
	}
	return nil
}

// InvalidateRefreshToken ends a refresh token; token is the refresh token
// itself or an auth token of the same session.
func (c *Client) InvalidateRefreshToken(ctx context.Context, token string) error {
	if token == "" {
		return errors.New("invalidate refresh token: empty token")
	}
	err := c.do(ctx, request{method: http.MethodDelete, url: c.endpoint(pathRefreshToken, nil), bearer: token, idempotent: true}, nil)
	if err != nil {
		return fmt.Errorf("invalidate refresh token: %w", err)
	}
	return nil
}

func requireToken(op string, out TokenResponse) (string, error) {
	if out.Token == "" {
		return "", fmt.Errorf("%s: %w (no token)", op, ErrBadAnswer)
	}
	return out.Token, nil
}

// ---- Data ----

func (c *Client) get(ctx context.Context, u *url.URL, accept string, out any) error {
	return c.do(ctx, request{method: http.MethodGet, url: u, accept: accept, idempotent: true}, out)
}

// Accounts lists the user's bank accounts with their balances.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	var out []Account
	if err := c.get(ctx, c.endpoint(pathAccounts, nil), "", &out); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// TransactionsPage fetches one page (from 1) of an account's transactions,
// newest first.
func (c *Client) TransactionsPage(ctx context.Context, accountID int64, page int) (*TransactionPage, error) {
	return c.transactionsPageInto(ctx, accountID, page, nil, nil)
}

// transactionsPageInto is TransactionsPage decoding the results into
// dst[:0] (a sync hands each page its place in the history), and what
// they point to into bufs unless nil (a streamed sync's, used again).
func (c *Client) transactionsPageInto(ctx context.Context, accountID int64, page int, dst []Transaction, bufs *pageBuffers) (*TransactionPage, error) {
	if page < 1 {
		return nil, fmt.Errorf("list transactions: page %d: pages count from 1", page)
	}
	u := c.endpoint(accountPath(accountID, "/transactions"), url.Values{"page": {strconv.Itoa(page)}})
	out, err := c.transactionList(ctx, u, dst, bufs)
	if err != nil {
		return nil, fmt.Errorf("list transactions page %d: %w", page, err)
	}
	return out, nil
}

// TransactionsNext fetches the page a previous page's Next link names (a
// path on the bank's host).
func (c *Client) TransactionsNext(ctx context.Context, next string) (*TransactionPage, error) {
	u, err := c.resolveLink(next)
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	out, err := c.transactionList(ctx, u, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	return out, nil
}

func (c *Client) transactionList(ctx context.Context, u *url.URL, dst []Transaction, bufs *pageBuffers) (*TransactionPage, error) {
	pp := &pooledPage{TransactionPage: TransactionPage{Results: dst[:0]}, bufs: bufs}
	var into any = &pp.TransactionPage
	if bufs != nil {
		into = pp
	}
	if err := c.get(ctx, u, mediaTransactionList, into); err != nil {
		return nil, err
	}
	if pp.Total < 0 {
		return nil, fmt.Errorf("%w (negative total)", ErrBadAnswer)
	}
	return &pp.TransactionPage, nil
}

// Transaction fetches one booking.
func (c *Client) Transaction(ctx context.Context, accountID, transactionID int64) (*Transaction, error) {
	var out Transaction
	u := c.endpoint(accountPath(accountID, "/transactions/"+strconv.FormatInt(transactionID, 10)), nil)
	if err := c.get(ctx, u, "", &out); err != nil {
		return nil, fmt.Errorf("get transaction %d: %w", transactionID, err)
	}
	return &out, nil
}

// ---- Payments: never retried; the only resend is the one after a 401 ----

// PendingTransfer is a created transfer awaiting its TAN.
type PendingTransfer struct {
	Transfer  Transfer // the bank's answer
	AccountID int64
	Request   TransferRequest // kept for the confirm, which repeats it exactly
}

// TANLength is the TAN length the bank expects (meta.authorizationTokenLength),
// 6 when it did not say.
func (p *PendingTransfer) TANLength() int {
	if p == nil || p.Transfer.Meta.AuthorizationTokenLength <= 0 {
		return 6
	}
	return p.Transfer.Meta.AuthorizationTokenLength
}

// CreateTransfer registers a SEPA credit transfer; the bank sends a TAN.
func (c *Client) CreateTransfer(ctx context.Context, accountID int64, req TransferRequest) (*PendingTransfer, error) {
	var out Transfer
	u := c.endpoint(accountPath(accountID, "/transfer"), nil)
	if err := c.do(ctx, request{method: http.MethodPost, url: u, body: req}, &out); err != nil {
		return nil, fmt.Errorf("create transfer: %w", err)
	}
	return &PendingTransfer{Transfer: out, AccountID: accountID, Request: req}, nil
}

// ConfirmTransfer PUTs the exact create payload plus the TAN to links.self.
func (c *Client) ConfirmTransfer(ctx context.Context, p *PendingTransfer, tan string) (*Transfer, error) {
	if p == nil || p.Transfer.Links.Self == "" {
		return nil, errors.New("confirm transfer: no confirmation link from the bank")
	}
	u, err := c.resolveLink(p.Transfer.Links.Self)
	if err != nil {
		return nil, fmt.Errorf("confirm transfer: %w", err)
	}
	body := TransferConfirmRequest{TransferRequest: p.Request, AuthorizationToken: tan}
	var out Transfer
	if err := c.do(ctx, request{method: http.MethodPut, url: u, body: body}, &out); err != nil {
		return nil, fmt.Errorf("confirm transfer: %w", err)
	}
	return &out, nil
}

// StandingOrders lists the account's standing orders.
func (c *Client) StandingOrders(ctx context.Context, accountID int64) ([]StandingOrder, error) {
	var out []StandingOrder
	if err := c.get(ctx, c.endpoint(accountPath(accountID, "/standing-orders"), nil), "", &out); err != nil {
		return nil, fmt.Errorf("list standing orders: %w", err)
	}
	return out, nil
}

// CreateStandingOrder registers a standing order; the bank sends a TAN.
func (c *Client) CreateStandingOrder(ctx context.Context, accountID int64, req StandingOrderRequest) (*StandingOrderPending, error) {
	var out StandingOrderPending
	u := c.endpoint(accountPath(accountID, "/standing-orders"), nil)
	if err := c.do(ctx, request{method: http.MethodPost, url: u, body: req}, &out); err != nil {
		return nil, fmt.Errorf("create standing order: %w", err)
	}
	return &out, nil
}

// UpdateStandingOrder changes an active standing order (absent fields stay);
// the bank sends a TAN.
func (c *Client) UpdateStandingOrder(ctx context.Context, accountID, orderID int64, upd StandingOrderUpdate) (*StandingOrderPending, error) {
	var out StandingOrderPending
	u := c.endpoint(accountPath(accountID, "/standing-orders/"+strconv.FormatInt(orderID, 10)), nil)
	if err := c.do(ctx, request{method: http.MethodPatch, url: u, body: upd}, &out); err != nil {
		return nil, fmt.Errorf("update standing order %d: %w", orderID, err)
	}
	return &out, nil
}

// CancelStandingOrder asks to cancel a standing order; the bank sends a TAN.
func (c *Client) CancelStandingOrder(ctx context.Context, accountID, orderID int64) (*StandingOrderCancelPending, error) {
	var out StandingOrderCancelPending
	u := c.endpoint(accountPath(accountID, "/standing-orders/"+strconv.FormatInt(orderID, 10)+"/cancel"), nil)
	if err := c.do(ctx, request{method: http.MethodPatch, url: u}, &out); err != nil {
		return nil, fmt.Errorf("cancel standing order %d: %w", orderID, err)
	}
	return &out, nil
}

// ConfirmStandingOrder confirms a create, update or cancel request with its TAN.
func (c *Client) ConfirmStandingOrder(ctx context.Context, accountID int64, requestID, tan string) (*StandingOrder, error) {
	var out StandingOrder
	u := c.endpoint(accountPath(accountID, "/standing-orders/confirm"), nil)
	body := StandingOrderConfirmRequest{RequestID: requestID, AuthorizationToken: tan}
	if err := c.do(ctx, request{method: http.MethodPost, url: u, body: body}, &out); err != nil {
		return nil, fmt.Errorf("confirm standing order: %w", err)
	}
	return &out, nil
}

// TimedOrders lists the account's scheduled timed orders.
func (c *Client) TimedOrders(ctx context.Context, accountID int64) ([]TimedOrderListItem, error) {
	var out []TimedOrderListItem
	if err := c.get(ctx, c.endpoint(accountPath(accountID, "/timed-orders"), nil), "", &out); err != nil {
		return nil, fmt.Errorf("list timed orders: %w", err)
	}
	return out, nil
}

// CreateTimedOrder registers a one-off transfer for a date; the bank sends a TAN.
func (c *Client) CreateTimedOrder(ctx context.Context, accountID int64, req TimedOrderRequest) (*TimedOrder, error) {
	var out TimedOrder
	u := c.endpoint(accountPath(accountID, "/timed-orders"), nil)
	if err := c.do(ctx, request{method: http.MethodPost, url: u, body: req}, &out); err != nil {
		return nil, fmt.Errorf("create timed order: %w", err)
	}
	return &out, nil
}

// ConfirmTimedOrder confirms a timed order with its TAN.
func (c *Client) ConfirmTimedOrder(ctx context.Context, accountID int64, orderID, tan string) (*TimedOrder, error) {
	if orderID == "" {
		return nil, errors.New("confirm timed order: empty order id")
	}
	var out TimedOrder
	u := c.endpoint(accountPath(accountID, "/timed-orders/"+url.PathEscape(orderID)+"/confirm"), nil)
	if err := c.do(ctx, request{method: http.MethodPost, url: u, body: TimedOrderConfirmRequest{Token: tan}}, &out); err != nil {
		return nil, fmt.Errorf("confirm timed order: %w", err)
	}
	return &out, nil
}

// CancelTimedOrder cancels a scheduled timed order.
func (c *Client) CancelTimedOrder(ctx context.Context, accountID int64, orderID string) (*TimedOrder, error) {
	if orderID == "" {
		return nil, errors.New("cancel timed order: empty order id")
	}
	var out TimedOrder
	u := c.endpoint(accountPath(accountID, "/timed-orders/"+url.PathEscape(orderID)+"/cancel"), nil)
	if err := c.do(ctx, request{method: http.MethodPatch, url: u}, &out); err != nil {
		return nil, fmt.Errorf("cancel timed order: %w", err)
	}
	return &out, nil
}

// ---- Sandbox only ----

// SandboxSMS reads the sandbox bank's TAN outbox, newest last (no auth).
func (c *Client) SandboxSMS(ctx context.Context) ([]SMS, error) {
	var out []SMS
	err := c.do(ctx, request{method: http.MethodGet, url: c.endpoint(pathSandboxSMS, nil), noAuth: true, idempotent: true}, &out)
	if err != nil {
		return nil, fmt.Errorf("read sandbox SMS: %w", err)
	}
	return out, nil
}
