package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/sandbox"
)

// Money the client sends to an IBAN of the same bank arrives there: the
// receiving account's list and balance, read through the client, show it.
func TestContractMoneyStaysInTheBank(t *testing.T) {
	start := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	b := startBank(t, sandbox.Options{Now: func() time.Time { return start }})
	c := b.client(t)
	ctx := context.Background()

	accounts, err := c.Accounts(ctx)
	if err != nil || len(accounts) < 2 {
		t.Fatalf("Accounts: %+v, %v", accounts, err)
	}
	main, reserve := accounts[0], accounts[1]
	sum := func() int64 {
		t.Helper()
		accounts, err := c.Accounts(ctx)
		if err != nil {
			t.Fatalf("Accounts: %v", err)
		}
		var s int64
		for _, a := range accounts {
			s += a.Balance
		}
		return s
	}
	// Nothing else may leave the bank while the clock runs.
	orders, err := c.StandingOrders(ctx, main.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		if o.Status == api.StatusActive {
			p, err := c.CancelStandingOrder(ctx, main.ID, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.ConfirmStandingOrder(ctx, main.ID, p.RequestID, b.lastTAN(t)); err != nil {
				t.Fatal(err)
			}
		}
	}
	timed, err := c.TimedOrders(ctx, main.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range timed {
		if _, err := c.CancelTimedOrder(ctx, main.ID, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	before, reserveBefore := sum(), balance(t, c, reserve.ID)

	p, err := c.CreateTransfer(ctx, main.ID, api.TransferRequest{Recipient: "Aladdin Sommer", IBAN: reserve.IBAN, Amount: 2500,
		Note: api.Ptr("Rücklage Steuern 11/2026"), E2EID: api.Ptr("RL-2026-11")})
	if err != nil {
		t.Fatalf("CreateTransfer: %v", err)
	}
	if _, err := c.ConfirmTransfer(ctx, p, b.lastTAN(t)); err != nil {
		t.Fatalf("ConfirmTransfer: %v", err)
	}
	debits, err := c.TransactionsPage(ctx, main.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	credits, err := c.TransactionsPage(ctx, reserve.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	debit, credit := debits.Results[0], credits.Results[0]
	if credit.ID == debit.ID || credit.Amount != 2500 || api.Str(credit.Name) != "Aladdin Sommer" || api.Str(credit.IBAN) != main.IBAN ||
		api.Str(credit.Purpose) != "Rücklage Steuern 11/2026" || api.Str(credit.E2EID) != "RL-2026-11" ||
		api.Str(credit.BookingType) != "SEPA_CREDIT_TRANSFER" || api.Str(credit.PaymentMethod) != "bank_account" ||
		!credit.BookingDate.Equal(debit.BookingDate.Time) {
		t.Fatalf("Account 2's newest booking: id %d, %d cents from %q %q, %q e2eId %q, %s %s at %s; the debit: id %d at %s",
			credit.ID, credit.Amount, api.Str(credit.Name), api.Str(credit.IBAN), api.Str(credit.Purpose), api.Str(credit.E2EID),
			api.Str(credit.BookingType), api.Str(credit.PaymentMethod), credit.BookingDate, debit.ID, debit.BookingDate)
	}
	if got, err := c.Transaction(ctx, reserve.ID, credit.ID); err != nil || got.Amount != 2500 {
		t.Fatalf("Transaction(%d): %+v, %v", credit.ID, got, err)
	}
	if s := sum(); s != before {
		t.Fatalf("sum of balances %d after the transfer, want %d", s, before)
	}

	// A standing order (two runs) and a timed order to Account 2, run by the clock.
	first, last := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC)
	sp, err := c.CreateStandingOrder(ctx, main.ID, api.StandingOrderRequest{Recipient: "Aladdin Sommer", IBAN: reserve.IBAN, Amount: 10000,
		Reoccurrence: api.Monthly, FirstExecutionDate: api.ZTime{Time: first}, LastExecutionDate: &api.ZTime{Time: last}})
	if err != nil {
		t.Fatalf("CreateStandingOrder: %v", err)
	}
	if _, err := c.ConfirmStandingOrder(ctx, main.ID, sp.RequestID, b.lastTAN(t)); err != nil {
		t.Fatalf("ConfirmStandingOrder: %v", err)
	}
	to, err := c.CreateTimedOrder(ctx, main.ID, api.TimedOrderRequest{Recipient: "Aladdin Sommer", IBAN: reserve.IBAN, Amount: 777,
		Date: api.ZTime{Time: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatalf("CreateTimedOrder: %v", err)
	}
	if _, err := c.ConfirmTimedOrder(ctx, main.ID, to.ID, b.lastTAN(t)); err != nil {
		t.Fatalf("ConfirmTimedOrder: %v", err)
	}
	if status, body := b.raw(t, "POST", "/sandbox/clock", `{"advance":"960h"}`); status != 200 {
		t.Fatalf("advance the clock: %d %s", status, body)
	}
	if got, want := balance(t, c, reserve.ID), reserveBefore+2500+2*10000+777; got != want {
		t.Fatalf("Account 2's balance %d, want %d", got, want)
	}
	if s := sum(); s != before {
		t.Fatalf("sum of balances %d after the orders ran, want %d", s, before)
	}
	all, err := c.SyncTransactions(ctx, reserve.ID, api.SyncOptions{})
	if err != nil {
		t.Fatalf("SyncTransactions: %v", err)
	}
	var booked int64
	for _, tx := range all {
		booked += tx.Amount
	}
	if got := balance(t, c, reserve.ID); booked != got {
		t.Errorf("Account 2: bookings sum to %d, balance %d", booked, got)
	}

	// To the account it is sent from: refused, naming the field, no TAN sent.
	sms := len(b.bank.Outbox())
	_, err = c.CreateTransfer(ctx, main.ID, api.TransferRequest{Recipient: "Aladdin Sommer", IBAN: strings.ToLower(main.IBAN), Amount: 100})
	var apiErr *api.Error
	if !errors.Is(err, api.ErrBadRequest) || !errors.As(err, &apiErr) || apiErr.Field != "iban" {
		t.Fatalf("transfer to the sending account: %v, want 400 naming iban", err)
	}
	if msg := api.Message(err); !strings.Contains(msg, "account it is sent from") {
		t.Errorf("message %q", msg)
	}
	if len(b.bank.Outbox()) != sms {
		t.Error("a TAN was sent for a refused transfer")
	}
}
