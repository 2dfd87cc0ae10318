package api_test

// Contract tests: the api.Client against the sandbox bank over real HTTP. Each
// documented response example (testdata/doc, copied verbatim from the API doc)
// is compared by shape — field names and JSON types — with what the sandbox
// answers, and the client must decode every answer. The payment flows check
// that money moves exactly once.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
)

const basicAladdin = "Basic QWxhZGRpbjpPcGVuU2VzYW1l" // the doc's own example

type bankServer struct {
	bank *sandbox.Bank
	srv  *httptest.Server
}

func startBank(t testing.TB, opts sandbox.Options) *bankServer {
	t.Helper()
	if opts.Now == nil {
		opts.Now = apitest.Clock(t)
	}
	if opts.BasicPerMinute == 0 {
		opts.BasicPerMinute = -1 // the contract tests make many Basic requests
	}
	bank, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	return &bankServer{bank: bank, srv: srv}
}

func (b *bankServer) client(t testing.TB, opts ...api.Option) *api.Client {
	t.Helper()
	c, err := api.New(b.srv.URL, api.BasicAuth("Aladdin", "OpenSesame"), opts...)
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	return c
}

// raw sends a request as the doc's curl lines do and returns status and body.
func (b *bankServer) raw(t testing.TB, method, path, body string, header ...string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, b.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", basicAladdin)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// lastTAN is the TAN of the newest sandbox SMS.
func (b *bankServer) lastTAN(t testing.TB) string {
	t.Helper()
	out := b.bank.Outbox()
	if len(out) == 0 {
		t.Fatal("no SMS in the sandbox outbox")
	}
	return out[len(out)-1].TAN
}

func docExample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "doc", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// nullableTx are the transaction keys the design says may be null although
// the doc's examples show values.
var nullableTx = []string{"type", "category", "name", "iban", "purpose", "e2eId", "valutaDate", "bookingType",
	"originalAmount", "foreignCurrency", "paymentMethod", "invoiceNumber", "invoicePreviewUrl", "invoiceDownloadUrl",
	"userSelectedBookingDate", "documentType", "mandateNumber",
	// orders: the note and end date are optional
	"description", "lastExecutionDate", "purpose", "e2eId", "end_to_end_id", "batch_id", "executed_at"}

// expectShape compares an answer with the doc example and checks that the
// client's type decodes it.
func expectShape(t *testing.T, example string, status int, body []byte, into any) {
	t.Helper()
	if status != http.StatusOK {
		t.Fatalf("%s: status %d, body %s", example, status, body)
	}
	apitest.SameShapeNullable(t, docExample(t, example), body, nullableTx...)
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s: decode %T: %v", example, into, err)
		}
	}
}

func wrongTAN(right string) string {
	if right == "000000" {
		return "111111"
	}
	return "000000"
}

// future is the bank's now plus days, as the API writes times.
func (b *bankServer) future(days int) string {
	return b.bank.Now().UTC().AddDate(0, 0, days).Format("2006-01-02T15:04:05.000Z")
}

func TestContractAuthTokens(t *testing.T) {
	b := startBank(t, sandbox.Options{})
	status, body := b.raw(t, "POST", "/api/user/refresh-token", `{"email":"Aladdin","password":"OpenSesame"}`)
	var refresh api.TokenResponse
	expectShape(t, "token", status, body, &refresh)

	status, body = b.raw(t, "POST", "/api/user/auth-token", `{"email":"Aladdin","password":"OpenSesame"}`)
	expectShape(t, "token", status, body, &api.TokenResponse{})

	req, _ := http.NewRequest("POST", b.srv.URL+"/api/user/auth-token", nil)
	req.Header.Set("Authorization", "Bearer "+refresh.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	expectShape(t, "token", resp.StatusCode, body, &api.TokenResponse{})

	// The client's JWT endpoints, then invalidation: the refresh token stops working.
	c, err := api.New(b.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt, err := c.CreateRefreshToken(ctx, api.Credentials{Email: "Aladdin", Password: "OpenSesame"})
	if err != nil {
		t.Fatalf("CreateRefreshToken: %v", err)
	}
	at, err := c.AuthTokenFromRefresh(ctx, rt)
	if err != nil {
		t.Fatalf("AuthTokenFromRefresh: %v", err)
	}
	if _, err := c.CreateAuthToken(ctx, api.Credentials{Email: "Aladdin", Password: "wrong"}); !errors.Is(err, api.ErrUnauthorized) {
		t.Fatalf("wrong password: got %v, want ErrUnauthorized", err)
	}
	if err := c.InvalidateAuthToken(ctx, at); err != nil {
		t.Fatalf("InvalidateAuthToken: %v", err)
	}
	if err := c.InvalidateRefreshToken(ctx, rt); err != nil {
		t.Fatalf("InvalidateRefreshToken: %v", err)
	}
	if _, err := c.AuthTokenFromRefresh(ctx, rt); !errors.Is(err, api.ErrUnauthorized) {
		t.Fatalf("revoked refresh token: got %v, want ErrUnauthorized", err)
	}
}

func TestContractAccountsAndTransactions(t *testing.T) {
	b := startBank(t, sandbox.Options{})
	for _, path := range []string{"/api/accounts", "/api/accounts/"} {
		status, body := b.raw(t, "GET", path, "")
		var accounts []api.Account
		expectShape(t, "accounts", status, body, &accounts)
		if len(accounts) < 2 || accounts[0].ID != 4711 {
			t.Fatalf("%s: want at least two accounts, the first 4711; got %+v", path, accounts)
		}
	}

	status, body := b.raw(t, "GET", "/api/accounts/4711/transactions/", "", "Accept", "application/vnd.kontist.transactionlist.v2.1+json")
	var page api.TransactionPage
	expectShape(t, "transactions", status, body, &page)
	if page.Next == nil || *page.Next != "/api/accounts/4711/transactions?page=2" {
		t.Fatalf("next = %v, want the doc's root-relative path", api.Str(page.Next))
	}
	if len(page.Results) != 50 || page.Total <= 50 {
		t.Fatalf("page 1: %d results of %d, want 50 of more", len(page.Results), page.Total)
	}

	id := page.Results[0].ID
	status, body = b.raw(t, "GET", fmt.Sprintf("/api/accounts/4711/transactions/%d", id), "")
	expectShape(t, "transaction", status, body, nil)

	c := b.client(t)
	ctx := context.Background()
	one, err := c.Transaction(ctx, 4711, id)
	if err != nil || one.ID != id {
		t.Fatalf("Transaction(%d) = %+v, %v", id, one, err)
	}
	if _, err := c.Transaction(ctx, 4711, 1); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("unknown transaction: got %v, want ErrNotFound", err)
	}
	if _, err := c.Accounts(ctx); err != nil {
		t.Fatalf("Accounts: %v", err)
	}
	if _, err := c.TransactionsPage(ctx, 999999, 1); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("foreign account: got %v, want ErrNotFound", err)
	}
	last := (page.Total + 49) / 50
	p, err := c.TransactionsPage(ctx, 4711, last+1)
	if err != nil || len(p.Results) != 0 || p.Next != nil {
		t.Fatalf("page past the end = %+v, %v; want empty with next null", p, err)
	}
}

func TestContractTransferFlow(t *testing.T) {
	b := startBank(t, sandbox.Options{})
	c := b.client(t)
	ctx := context.Background()
	before := balance(t, c, 4711)

	// The doc's curl payload, raw, compared with the doc's answers.
	payload := `{"recipient":"Karl Brenner","iban":"DE89370400440532013000","amount":1250,"note":"Thank you for paying my lunch","e2eId":null}`
	status, body := b.raw(t, "POST", "/api/accounts/4711/transfer", payload)
	var created api.Transfer
	expectShape(t, "transfer_create", status, body, &created)
	if created.Status != api.TransferConfirmationRequired || created.Amount != 1250 || created.Meta.AuthorizationTokenLength != 6 {
		t.Fatalf("create answered %+v", created)
	}
	if !strings.HasPrefix(created.Links.Self, "/api/accounts/4711/transfer/") || !strings.HasSuffix(created.Links.Self, "ctrx") {
		t.Fatalf("links.self = %q", created.Links.Self)
	}
	tan := b.lastTAN(t)

	// A payload that differs is refused, naming the field, without voiding.
	status, body = b.raw(t, "PUT", created.Links.Self, strings.Replace(payload, "1250", "1251", 1)[:len(payload)-1]+`,"authorizationToken":"`+tan+`"}`)
	if status != http.StatusBadRequest || !bytes.Contains(body, []byte(`"amount"`)) {
		t.Fatalf("mismatched confirm: %d %s", status, body)
	}
	confirm := payload[:len(payload)-1] + `,"authorizationToken":"` + tan + `"}`
	status, body = b.raw(t, "PUT", created.Links.Self, confirm)
	var accepted api.Transfer
	expectShape(t, "transfer_confirm", status, body, &accepted)
	if accepted.Status != api.TransferAccepted || accepted.Amount != 1250 {
		t.Fatalf("confirm answered %+v", accepted)
	}
	// Replay: same answer, nothing booked twice.
	status, body2 := b.raw(t, "PUT", created.Links.Self, confirm)
	if status != http.StatusOK || !bytes.Equal(body, body2) {
		t.Fatalf("replayed confirm: %d %s, want the same answer", status, body2)
	}
	if got := balance(t, c, 4711); got != before-1250 {
		t.Fatalf("balance %d, want %d (booked exactly once)", got, before-1250)
	}
	page, err := c.TransactionsPage(ctx, 4711, 1)
	if err != nil {
		t.Fatal(err)
	}
	newest := page.Results[0]
	if newest.Amount != -1250 || api.Str(newest.Name) != "Karl Brenner" || api.Str(newest.BookingType) != "SEPA_CREDIT_TRANSFER" {
		t.Fatalf("newest booking %+v", newest)
	}
	if page.Results[1].Amount == -1250 && api.Str(page.Results[1].Name) == "Karl Brenner" {
		t.Fatal("the transfer was booked twice")
	}

	// The client keeps the payload: the caller gives only the TAN.
	p, err := c.CreateTransfer(ctx, 4711, api.TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 700, Note: api.Ptr("Lunch")})
	if err != nil {
		t.Fatalf("CreateTransfer: %v", err)
	}
	if p.TANLength() != 6 {
		t.Fatalf("TANLength = %d", p.TANLength())
	}
	right := b.lastTAN(t)
	_, err = c.ConfirmTransfer(ctx, p, wrongTAN(right))
	var apiErr *api.Error
	if !errors.Is(err, api.ErrInvalidTAN) || !errors.As(err, &apiErr) || apiErr.TriesLeft != 2 {
		t.Fatalf("wrong TAN: got %v, want ErrInvalidTAN with 2 tries left", err)
	}
	if msg := api.Message(err); msg != "wrong TAN, 2 tries left" {
		t.Fatalf("message %q", msg)
	}
	if _, err := c.ConfirmTransfer(ctx, p, right); err != nil {
		t.Fatalf("ConfirmTransfer: %v", err)
	}
	if got := balance(t, c, 4711); got != before-1250-700 {
		t.Fatalf("balance %d, want %d", got, before-1950)
	}
}

func TestContractTANExpiryAndVoiding(t *testing.T) {
	b := startBank(t, sandbox.Options{})
	c := b.client(t)
	ctx := context.Background()
	req := api.TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 100}

	p, err := c.CreateTransfer(ctx, 4711, req)
	if err != nil {
		t.Fatal(err)
	}
	tan := b.lastTAN(t)
	b.bank.Advance(6 * time.Minute)
	if _, err := c.ConfirmTransfer(ctx, p, tan); !errors.Is(err, api.ErrExpired) {
		t.Fatalf("expired TAN: got %v, want ErrExpired", err)
	}

	p, err = c.CreateTransfer(ctx, 4711, req)
	if err != nil {
		t.Fatal(err)
	}
	tan = b.lastTAN(t)
	for i := 0; i < 2; i++ {
		if _, err := c.ConfirmTransfer(ctx, p, wrongTAN(tan)); !errors.Is(err, api.ErrInvalidTAN) {
			t.Fatalf("wrong TAN %d: %v", i+1, err)
		}
	}
	if _, err := c.ConfirmTransfer(ctx, p, wrongTAN(tan)); !errors.Is(err, api.ErrVoided) {
		t.Fatalf("third wrong TAN: got %v, want ErrVoided", err)
	}
	if _, err := c.ConfirmTransfer(ctx, p, tan); !errors.Is(err, api.ErrVoided) {
		t.Fatalf("right TAN after voiding: got %v, want ErrVoided", err)
	}

	// Insufficient funds is refused.
	huge := req
	huge.Amount = 1 << 50
	if _, err := c.CreateTransfer(ctx, 4711, huge); !errors.Is(err, api.ErrInsufficientFunds) {
		t.Fatalf("huge transfer: got %v, want ErrInsufficientFunds", err)
	}
}

func TestContractStandingOrders(t *testing.T) {
	b := startBank(t, sandbox.Options{})
	c := b.client(t)
	ctx := context.Background()

	create := fmt.Sprintf(`{"recipient":"John Smith","iban":"DE33100110012626008537","amount":12012,"note":"Regular payment","e2eId":null,"reoccurrence":"MONTHLY","firstExecutionDate":%q,"lastExecutionDate":null}`, b.future(3))
	status, body := b.raw(t, "POST", "/api/accounts/4711/standing-orders", create)
	var pending api.StandingOrderPending
	expectShape(t, "standing_order_create", status, body, &pending)

	status, body = b.raw(t, "POST", "/api/accounts/4711/standing-orders/confirm",
		fmt.Sprintf(`{"requestId":%q,"authorizationToken":%q}`, pending.RequestID, b.lastTAN(t)))
	var order api.StandingOrder
	expectShape(t, "standing_order_confirm", status, body, &order)
	if order.Status != api.StatusActive || order.Description == nil || *order.Description != "Regular payment" || !strings.HasPrefix(api.Str(order.E2EID), "E-") {
		t.Fatalf("confirmed order %+v", order)
	}

	update := fmt.Sprintf(`{"amount":500,"note":"Updated standing order","reoccurrence":"QUARTERLY","e2eId":"123456789","lastExecutionDate":%q}`, b.future(400))
	status, body = b.raw(t, "PATCH", fmt.Sprintf("/api/accounts/4711/standing-orders/%d", order.ID), update)
	expectShape(t, "standing_order_update", status, body, &pending)
	status, body = b.raw(t, "POST", "/api/accounts/4711/standing-orders/confirm",
		fmt.Sprintf(`{"requestId":%q,"authorizationToken":%q}`, pending.RequestID, b.lastTAN(t)))
	expectShape(t, "standing_order_update_confirm", status, body, &order)
	if order.Amount != 500 || order.Reoccurrence != api.Quarterly {
		t.Fatalf("updated order %+v", order)
	}

	status, body = b.raw(t, "PATCH", fmt.Sprintf("/api/accounts/4711/standing-orders/%d/cancel", order.ID), "")
	var cancel api.StandingOrderCancelPending
	expectShape(t, "standing_order_cancel", status, body, &cancel)
	status, body = b.raw(t, "POST", "/api/accounts/4711/standing-orders/confirm",
		fmt.Sprintf(`{"requestId":%q,"authorizationToken":%q}`, cancel.RequestID, b.lastTAN(t)))
	expectShape(t, "standing_order_cancel_confirm", status, body, &order)
	if order.Status != api.StatusCanceled {
		t.Fatalf("canceled order %+v", order)
	}

	status, body = b.raw(t, "GET", "/api/accounts/4711/standing-orders", "")
	expectShape(t, "standing_orders", status, body, &[]api.StandingOrder{})

	// The same through the client, with the PATCH's absent fields left out.
	first, _ := api.ParseTime(b.future(5))
	p, err := c.CreateStandingOrder(ctx, 4711, api.StandingOrderRequest{Recipient: "John Doe", IBAN: "DE89370400440532013000", Amount: 100, Reoccurrence: api.Monthly, FirstExecutionDate: api.ZTime{Time: first}})
	if err != nil {
		t.Fatalf("CreateStandingOrder: %v", err)
	}
	o, err := c.ConfirmStandingOrder(ctx, 4711, p.RequestID, b.lastTAN(t))
	if err != nil {
		t.Fatalf("ConfirmStandingOrder: %v", err)
	}
	up, err := c.UpdateStandingOrder(ctx, 4711, o.ID, api.StandingOrderUpdate{Amount: api.Some[int64](250)})
	if err != nil {
		t.Fatalf("UpdateStandingOrder: %v", err)
	}
	o2, err := c.ConfirmStandingOrder(ctx, 4711, up.RequestID, b.lastTAN(t))
	if err != nil || o2.Amount != 250 || o2.Reoccurrence != api.Monthly {
		t.Fatalf("after update: %+v, %v (reoccurrence must be kept)", o2, err)
	}
	cp, err := c.CancelStandingOrder(ctx, 4711, o.ID)
	if err != nil {
		t.Fatalf("CancelStandingOrder: %v", err)
	}
	if o3, err := c.ConfirmStandingOrder(ctx, 4711, cp.RequestID, b.lastTAN(t)); err != nil || o3.Status != api.StatusCanceled {
		t.Fatalf("cancel confirm: %+v, %v", o3, err)
	}
	list, err := c.StandingOrders(ctx, 4711)
	if err != nil || len(list) == 0 {
		t.Fatalf("StandingOrders: %d, %v", len(list), err)
	}
}

func TestContractTimedOrders(t *testing.T) {
	b := startBank(t, sandbox.Options{})
	c := b.client(t)
	ctx := context.Background()
	before := balance(t, c, 4711)

	create := fmt.Sprintf(`{"recipient":"John Smith","iban":"DE33100110012626008537","amount":12012,"note":"Bill payment","e2eId":null,"date":%q}`, b.future(2))
	status, body := b.raw(t, "POST", "/api/accounts/4711/timed-orders", create)
	var order api.TimedOrder
	expectShape(t, "timed_order_create", status, body, &order)
	if order.Status != api.StatusConfirmationRequired {
		t.Fatalf("created %+v", order)
	}
	status, body = b.raw(t, "POST", "/api/accounts/4711/timed-orders/"+order.ID+"/confirm", fmt.Sprintf(`{"token":%q}`, b.lastTAN(t)))
	expectShape(t, "timed_order_confirm", status, body, &order)
	if order.Status != api.StatusScheduled {
		t.Fatalf("confirmed %+v", order)
	}
	status, body = b.raw(t, "GET", "/api/accounts/4711/timed-orders", "")
	var list []api.TimedOrderListItem
	expectShape(t, "timed_orders", status, body, &list)

	status, body = b.raw(t, "PATCH", "/api/accounts/4711/timed-orders/"+order.ID+"/cancel", "")
	expectShape(t, "timed_order_cancel", status, body, &order)
	if order.Status != api.StatusCanceled || order.ScheduledTransaction.Status != "canceled" {
		t.Fatalf("canceled %+v", order)
	}

	// Through the client: a timed order books at its date as the clock passes it.
	date, _ := api.ParseTime(b.future(2))
	created, err := c.CreateTimedOrder(ctx, 4711, api.TimedOrderRequest{Recipient: "John Smith", IBAN: "DE33100110012626008537", Amount: 4200, Date: api.ZTime{Time: date}})
	if err != nil {
		t.Fatalf("CreateTimedOrder: %v", err)
	}
	if _, err := c.ConfirmTimedOrder(ctx, 4711, created.ID, b.lastTAN(t)); err != nil {
		t.Fatalf("ConfirmTimedOrder: %v", err)
	}
	count := bookingCount(t, c, 4711)
	b.bank.Advance(72 * time.Hour)
	// The seeded standing orders may fall due in these three days too
	// (on the 1st of a month, say): the balance moves by what was booked.
	var sum int64
	timed := 0
	for _, tx := range bookings(t, c, 4711)[:bookingCount(t, c, 4711)-count] {
		sum += tx.Amount
		if tx.Amount == -4200 && tx.Name != nil && *tx.Name == "John Smith" {
			timed++
		}
	}
	if timed != 1 {
		t.Fatalf("the timed order was booked %d times, want once", timed)
	}
	if got := balance(t, c, 4711); got != before+sum {
		t.Fatalf("balance after the timed order's date: %d, want %d (%d booked)", got, before+sum, sum)
	}
	items, err := c.TimedOrders(ctx, 4711)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.ID == created.ID {
			t.Fatal("an executed timed order is still listed")
		}
	}
}

func TestContractBackgroundRefresh(t *testing.T) {
	b := startBank(t, sandbox.Options{TokenTTL: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	plain, err := api.New(b.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := plain.CreateRefreshToken(ctx, api.Credentials{Email: "Aladdin", Password: "OpenSesame"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := api.NewJWTSource(b.srv.URL, rt)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	c, err := api.New(b.srv.URL, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts(ctx); err != nil {
		t.Fatalf("Accounts with a JWT: %v", err)
	}
	src.Start(ctx)
	refreshed := 0
	for refreshed < 2 {
		select {
		case ev := <-src.Events():
			if ev.Kind == api.TokenRefreshed {
				refreshed++
			}
		case <-ctx.Done():
			t.Fatalf("only %d background refreshes before the deadline", refreshed)
		}
	}
	// Well past the first token's life, requests still work without a 401 reaching us.
	if _, err := c.Accounts(ctx); err != nil {
		t.Fatalf("Accounts after refreshes: %v", err)
	}
}

func TestContractFullSync(t *testing.T) {
	b := startBank(t, sandbox.Options{Transactions: 10000})
	c := b.client(t)
	ctx := context.Background()

	txs, err := c.SyncTransactions(ctx, 4711, api.SyncOptions{})
	if err != nil {
		t.Fatalf("SyncTransactions: %v", err)
	}
	page, err := c.TransactionsPage(ctx, 4711, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkComplete(t, txs, page.Total)

	// A booking lands mid-sync: pages shift by one; the result must still be complete.
	booked := false
	var landed api.Transaction
	txs, err = c.SyncTransactions(ctx, 4711, api.SyncOptions{OnPage: func(n int, _ []api.Transaction, _ int) {
		if !booked && n >= 2 {
			booked = true
			landed = b.bank.Book(4711, api.Transaction{Amount: 99900, Name: api.Ptr("Mid-Sync Client GmbH"), BookingType: api.Ptr("SEPA_CREDIT_TRANSFER")})
		}
	}})
	if err != nil {
		t.Fatalf("SyncTransactions with a booking mid-sync: %v", err)
	}
	if !booked {
		t.Fatal("OnPage was never called for page 2")
	}
	checkComplete(t, txs, page.Total+1)
	found := false
	for _, tx := range txs {
		found = found || tx.ID == landed.ID
	}
	if !found {
		t.Fatal("the booking that landed mid-sync is missing")
	}
}

// collected is a Stream that keeps copies of what it takes.
type collected struct {
	txs   []api.Transaction
	taken bool
}

func (c *collected) Add(txs []api.Transaction) {
	for _, tx := range txs {
		c.txs = append(c.txs, deepCopy(tx))
	}
}

// deepCopy is tx with copies of everything it points to.
func deepCopy(tx api.Transaction) api.Transaction {
	for _, p := range []**string{&tx.Type, &tx.Category, &tx.Name, &tx.IBAN, &tx.Purpose, &tx.E2EID,
		&tx.BookingType, &tx.OriginalAmount, &tx.ForeignCurrency, &tx.PaymentMethod,
		&tx.InvoicePreviewURL, &tx.InvoiceDownloadURL, &tx.DocumentType, &tx.MandateNumber} {
		if *p != nil {
			*p = api.Ptr(strings.Clone(**p))
		}
	}
	for _, p := range []**api.TxTime{&tx.ValutaDate, &tx.UserSelectedBookingDate} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	if tx.InvoiceNumber != nil {
		tx.InvoiceNumber = api.Ptr(*tx.InvoiceNumber)
	}
	return tx
}

func (c *collected) Taken(yield func(api.Transaction)) {
	c.taken = true
	for _, tx := range c.txs {
		yield(tx)
	}
}

// A streamed sync of the sandbox is the sync's slice, page by page; with a
// booking landing mid-sync it comes back as a slice, complete.
func TestContractStreamedSync(t *testing.T) {
	b := startBank(t, sandbox.Options{Transactions: 10000})
	c := b.client(t)
	ctx := context.Background()
	want, err := c.SyncTransactions(ctx, 4711, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := &collected{}
	txs, err := c.SyncTransactions(ctx, 4711, api.SyncOptions{Stream: st})
	if err != nil || txs != nil {
		t.Fatalf("streamed sync: %d returned, %v", len(txs), err)
	}
	if !reflect.DeepEqual(st.txs, want) {
		t.Fatalf("streamed %d bookings, unlike the %d synced", len(st.txs), len(want))
	}

	booked := false
	st = &collected{}
	txs, err = c.SyncTransactions(ctx, 4711, api.SyncOptions{Stream: st, OnPage: func(n int, _ []api.Transaction, _ int) {
		if !booked && n >= 2 {
			booked = true
			b.bank.Book(4711, api.Transaction{Amount: 99900, Name: api.Ptr("Mid-Sync Client GmbH"), BookingType: api.Ptr("SEPA_CREDIT_TRANSFER")})
		}
	}})
	if err != nil || txs == nil {
		t.Fatalf("streamed sync with a booking mid-sync: %d, %v", len(txs), err)
	}
	checkComplete(t, txs, len(want)+1)
	again, err := c.SyncTransactions(ctx, 4711, api.SyncOptions{})
	if err != nil || !reflect.DeepEqual(txs, again) {
		t.Fatalf("the reconciled history is not the bank's: %d, %d, %v", len(txs), len(again), err)
	}
}

func checkComplete(t *testing.T, txs []api.Transaction, total int) {
	t.Helper()
	if len(txs) != total {
		t.Fatalf("synced %d transactions, want %d", len(txs), total)
	}
	seen := make(map[int64]bool, len(txs))
	for i, tx := range txs {
		if seen[tx.ID] {
			t.Fatalf("duplicate transaction %d", tx.ID)
		}
		seen[tx.ID] = true
		if i > 0 && tx.BookingDate.After(txs[i-1].BookingDate.Time) {
			t.Fatalf("not newest first at %d", i)
		}
	}
}

// countRequests counts the bank's requests by "METHOD path-prefix".
func countRequests(b *sandbox.Bank, method, prefix string) int {
	n := 0
	for _, r := range b.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func TestContractRetryRules(t *testing.T) {
	fast := api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 6, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	ctx := context.Background()
	req := api.TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 100}

	t.Run("GET is retried on 503", func(t *testing.T) {
		b := startBank(t, sandbox.Options{Faults: "503@0.6:GET /api/accounts", Seed: 7})
		c := b.client(t, fast)
		for i := 0; i < 10; i++ {
			if _, err := c.Accounts(ctx); err != nil && !errors.Is(err, api.ErrServer) {
				t.Fatalf("Accounts: %v", err)
			}
		}
		if n := countRequests(b.bank, "GET", "/api/accounts"); n <= 10 {
			t.Fatalf("%d GETs for 10 calls under 60%% 503s: retries did not happen", n)
		}
	})

	t.Run("POST, PUT and PATCH are never retried", func(t *testing.T) {
		b := startBank(t, sandbox.Options{Faults: "503@1:POST /api/accounts/*/transfer,503@1:PATCH /api/accounts/*/standing-orders/*/cancel"})
		c := b.client(t, fast)
		if _, err := c.CreateTransfer(ctx, 4711, req); !errors.Is(err, api.ErrServer) {
			t.Fatalf("CreateTransfer under 503: %v", err)
		}
		if n := countRequests(b.bank, "POST", "/api/accounts/4711/transfer"); n != 1 {
			t.Fatalf("%d POSTs reached the bank, want exactly 1", n)
		}
		orders, err := c.StandingOrders(ctx, 4711)
		if err != nil || len(orders) == 0 {
			t.Fatalf("StandingOrders: %v", err)
		}
		if _, err := c.CancelStandingOrder(ctx, 4711, orders[0].ID); err == nil {
			t.Fatal("cancel under 503 succeeded")
		}
		if n := countRequests(b.bank, "PATCH", "/api/accounts/4711/standing-orders/"); n != 1 {
			t.Fatalf("%d PATCHes reached the bank, want exactly 1", n)
		}
	})

	t.Run("a dropped confirm is never resent and books once", func(t *testing.T) {
		b := startBank(t, sandbox.Options{Faults: "drop-after@1:PUT /api/accounts/*/transfer/*"})
		c := b.client(t, fast)
		before := balance(t, c, 4711)
		p, err := c.CreateTransfer(ctx, 4711, req)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ConfirmTransfer(ctx, p, b.lastTAN(t))
		if !errors.Is(err, api.ErrOutcomeUnknown) {
			t.Fatalf("dropped confirm: got %v, want ErrOutcomeUnknown", err)
		}
		if n := countRequests(b.bank, "PUT", "/api/accounts/4711/transfer/"); n != 1 {
			t.Fatalf("%d PUTs reached the bank, want exactly 1", n)
		}
		if got := balance(t, c, 4711); got != before-100 {
			t.Fatalf("balance %d, want %d: the bank acted once", got, before-100)
		}
	})

	t.Run("429 with Retry-After on GET", func(t *testing.T) {
		b := startBank(t, sandbox.Options{Faults: "429@0.5:GET /api/accounts", Seed: 3})
		c := b.client(t, api.WithRetryPolicy(api.RetryPolicy{MaxAttempts: 8, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second}))
		if _, err := c.Accounts(ctx); err != nil {
			t.Fatalf("Accounts under 429s: %v", err)
		}
	})
}

// bookings are an account's bookings, newest first (the first page's worth
// is enough for what a test books).
func bookings(t testing.TB, c *api.Client, id int64) []api.Transaction {
	t.Helper()
	page, err := c.TransactionsPage(context.Background(), id, 1)
	if err != nil {
		t.Fatalf("TransactionsPage: %v", err)
	}
	return page.Results
}

// bookingCount is how many bookings an account has.
func bookingCount(t testing.TB, c *api.Client, id int64) int {
	t.Helper()
	page, err := c.TransactionsPage(context.Background(), id, 1)
	if err != nil {
		t.Fatalf("TransactionsPage: %v", err)
	}
	return page.Total
}

func balance(t testing.TB, c *api.Client, id int64) int64 {
	t.Helper()
	accounts, err := c.Accounts(context.Background())
	if err != nil {
		t.Fatalf("Accounts: %v", err)
	}
	for _, a := range accounts {
		if a.ID == id {
			return a.Balance
		}
	}
	t.Fatalf("no account %d", id)
	return 0
}

func benchmarkFullSync(b *testing.B, n int) {
	bs := startBank(b, sandbox.Options{Transactions: n})
	c := bs.client(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		txs, err := c.SyncTransactions(ctx, 4711, api.SyncOptions{})
		if err != nil || len(txs) < n {
			b.Fatalf("sync: %d, %v", len(txs), err)
		}
	}
}

// benchmarkStreamedSync is benchmarkFullSync into a Stream that drops
// each page once it has looked at it.
func benchmarkStreamedSync(b *testing.B, n int) {
	bs := startBank(b, sandbox.Options{Transactions: n})
	c := bs.client(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st := &counted{}
		txs, err := c.SyncTransactions(ctx, 4711, api.SyncOptions{Stream: st})
		if err != nil || txs != nil || st.n < n {
			b.Fatalf("sync: %d streamed, %d returned, %v", st.n, len(txs), err)
		}
	}
}

type counted struct{ n int }

func (c *counted) Add(txs []api.Transaction)   { c.n += len(txs) }
func (c *counted) Taken(func(api.Transaction)) {}

func BenchmarkStreamedSync100k(b *testing.B) { benchmarkStreamedSync(b, 100000) }

// BenchmarkStreamedSync1M runs only with KONTO_BENCH_1M=1.
func BenchmarkStreamedSync1M(b *testing.B) {
	if os.Getenv("KONTO_BENCH_1M") == "" {
		b.Skip("set KONTO_BENCH_1M=1 for the 1M benchmarks")
	}
	benchmarkStreamedSync(b, 1_000_000)
}

func BenchmarkFullSync10k(b *testing.B)  { benchmarkFullSync(b, 10000) }
func BenchmarkFullSync100k(b *testing.B) { benchmarkFullSync(b, 100000) }

// BenchmarkFullSync1M runs only with KONTO_BENCH_1M=1.
func BenchmarkFullSync1M(b *testing.B) {
	if os.Getenv("KONTO_BENCH_1M") == "" {
		b.Skip("set KONTO_BENCH_1M=1 for the 1M benchmarks")
	}
	benchmarkFullSync(b, 1_000_000)
}
