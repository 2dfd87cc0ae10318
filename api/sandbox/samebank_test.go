package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"konto/api"
	"konto/api/sepa"
)

// Money sent to an IBAN of the sandbox bank arrives there: these tests move
// money between accounts of the bank and check both sides of every booking.

// aladdinHolder is the account holder's name of the doc's user, as the
// recipient of their money sees it.
const aladdinHolder = "Aladdin Sommer"

const jasmine = "jasmine@example.com"

var twoUsers = []User{{DefaultLogin, DefaultPassword}, {jasmine, "Tiger"}}

func basicAuth(login, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+password))
}

func paymentJSON(recipient, iban string, amount int64, note, e2e string, extra ...any) string {
	m := map[string]any{"recipient": recipient, "iban": iban, "amount": amount, "note": note, "e2eId": e2e}
	if e2e == "" {
		m["e2eId"] = nil
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// sendTransfer creates and confirms a transfer from one of Aladdin's accounts.
func (tb *testBank) sendTransfer(from int64, body string) api.Transfer {
	tb.t.Helper()
	var created api.Transfer
	tb.ok(tb.do("POST", "/api/accounts/"+itoa(from)+"/transfer", body), &created)
	sms := tb.smsFor(created.Links.Self)
	confirm := strings.TrimSuffix(body, "}") + `,"authorizationToken":"` + sms.TAN + `"}`
	var done api.Transfer
	tb.ok(tb.do("PUT", created.Links.Self, confirm), &done)
	if done.Status != api.TransferAccepted {
		tb.t.Fatalf("confirm answered %+v", done)
	}
	return done
}

// smsFor finds the SMS of a request by the end of its path (its request id),
// so concurrent payments each confirm with their own TAN.
func (tb *testBank) smsFor(path string) api.SMS {
	tb.t.Helper()
	for _, sms := range tb.Outbox() {
		if strings.HasSuffix(path, sms.RequestID) {
			return sms
		}
	}
	tb.t.Fatalf("no SMS for %s", path)
	return api.SMS{}
}

func (tb *testBank) iban(login string, id int64) string {
	tb.t.Helper()
	for _, a := range tb.Accounts(login) {
		if a.ID == id {
			return a.IBAN
		}
	}
	tb.t.Fatalf("%s has no account %d", login, id)
	return ""
}

// totalBalance is the sum of every account's balance over all the bank's users.
func (tb *testBank) totalBalance(users []User) int64 {
	var sum int64
	for _, u := range users {
		for _, a := range tb.Accounts(u.Login) {
			sum += a.Balance
		}
	}
	return sum
}

// checkBooks asserts that every account's balance is the sum of its bookings
// (the opening deposit is the first booking, so the opening balance is zero),
// that its list is newest first with ids falling, and that total matches.
func (tb *testBank) checkBooks(users []User) {
	tb.t.Helper()
	for _, u := range users {
		auth := basicAuth(u.Login, u.Password)
		for _, a := range tb.Accounts(u.Login) {
			var all []api.Transaction
			total := -1
			for n := 1; ; n++ {
				var p api.TransactionPage
				tb.ok(tb.do("GET", "/api/accounts/"+itoa(a.ID)+"/transactions?page="+itoa(int64(n)), "", "Authorization", auth), &p)
				if total >= 0 && p.Total != total {
					tb.t.Fatalf("account %d: total moved from %d to %d between pages", a.ID, total, p.Total)
				}
				total = p.Total
				all = append(all, p.Results...)
				if p.Next == nil {
					break
				}
			}
			if len(all) != total {
				tb.t.Errorf("account %d: %d bookings listed, total says %d", a.ID, len(all), total)
			}
			var sum int64
			for i, tx := range all {
				sum += tx.Amount
				if i > 0 && (tx.ID >= all[i-1].ID || tx.BookingDate.After(all[i-1].BookingDate.Time)) {
					tb.t.Errorf("account %d: booking %d (%s) listed after %d (%s): not newest first",
						a.ID, tx.ID, tx.BookingDate, all[i-1].ID, all[i-1].BookingDate)
				}
			}
			if sum != a.Balance {
				tb.t.Errorf("account %d: balance %d, sum of bookings %d", a.ID, a.Balance, sum)
			}
		}
	}
}

// assertCredit checks the receiving side of a payment: the same instant, the
// sender's name and IBAN, the same purpose and e2eId, the amount positive.
func assertCredit(t *testing.T, credit, debit api.Transaction, senderIBAN string) {
	t.Helper()
	if credit.ID == debit.ID || credit.ID == 0 {
		t.Errorf("credit id %d, debit id %d: want an id of its own", credit.ID, debit.ID)
	}
	if credit.Amount != -debit.Amount || credit.Amount <= 0 {
		t.Errorf("credit amount %d for a debit of %d", credit.Amount, debit.Amount)
	}
	if api.Str(credit.Name) != aladdinHolder || api.Str(credit.IBAN) != senderIBAN {
		t.Errorf("credit from %q %q, want %q %q", api.Str(credit.Name), api.Str(credit.IBAN), aladdinHolder, senderIBAN)
	}
	if api.Str(credit.Purpose) != api.Str(debit.Purpose) || api.Str(credit.E2EID) != api.Str(debit.E2EID) ||
		(credit.E2EID == nil) != (debit.E2EID == nil) {
		t.Errorf("credit purpose %q e2eId %v, debit %q %v", api.Str(credit.Purpose), credit.E2EID, api.Str(debit.Purpose), debit.E2EID)
	}
	if api.Str(credit.BookingType) != "SEPA_CREDIT_TRANSFER" || api.Str(credit.PaymentMethod) != "bank_account" {
		t.Errorf("credit type %q method %q", api.Str(credit.BookingType), api.Str(credit.PaymentMethod))
	}
	if !credit.BookingDate.Equal(debit.BookingDate.Time) || credit.ValutaDate == nil || debit.ValutaDate == nil ||
		!credit.ValutaDate.Equal(debit.ValutaDate.Time) {
		t.Errorf("credit booked %s valuta %v, debit %s valuta %v", credit.BookingDate, credit.ValutaDate, debit.BookingDate, debit.ValutaDate)
	}
	if credit.MandateNumber != nil || credit.OriginalAmount != nil || credit.InvoiceNumber != nil {
		t.Errorf("credit carries fields of another kind of booking: %+v", credit)
	}
}

func TestTransferToOwnSecondAccountCreditsIt(t *testing.T) {
	tb := newTestBank(t, Options{})
	mainIBAN, reserveIBAN := tb.iban(DefaultLogin, 4711), tb.iban(DefaultLogin, 4712)
	mainBefore, reserveBefore := tb.balance(4711), tb.balance(4712)
	reserveTotal := tb.page(4712, 1).Total

	// The IBAN as a person types it: lower case, in groups.
	typed := strings.ToLower(reserveIBAN[:4] + " " + reserveIBAN[4:8] + " " + reserveIBAN[8:])
	tb.sendTransfer(4711, paymentJSON(aladdinHolder, typed, 150000, "Rücklage Steuern 11/2026", "RL-2026-11"))

	if got := tb.balance(4711); got != mainBefore-150000 {
		t.Errorf("main balance %d, want %d", got, mainBefore-150000)
	}
	if got := tb.balance(4712); got != reserveBefore+150000 {
		t.Fatalf("Account 2 balance %d, want %d: the money never arrived", got, reserveBefore+150000)
	}
	debit := tb.page(4711, 1).Results[0]
	p := tb.page(4712, 1)
	if p.Total != reserveTotal+1 {
		t.Fatalf("Account 2 total %d, want %d", p.Total, reserveTotal+1)
	}
	credit := p.Results[0]
	assertCredit(t, credit, debit, mainIBAN)
	if credit.ID <= debit.ID {
		t.Errorf("credit id %d not after the debit's %d", credit.ID, debit.ID)
	}
	if api.Str(credit.E2EID) != "RL-2026-11" || api.Str(credit.Purpose) != "Rücklage Steuern 11/2026" {
		t.Errorf("credit %+v", credit)
	}
	var byID api.Transaction
	tb.ok(tb.do("GET", "/api/accounts/4712/transactions/"+itoa(credit.ID), ""), &byID)
	if byID.ID != credit.ID || byID.Amount != 150000 {
		t.Errorf("credit by id: %+v", byID)
	}
	tb.failed(tb.do("GET", "/api/accounts/4711/transactions/"+itoa(credit.ID), ""), 404, api.CodeNotFound, "")

	// Back again, without an e2eId, from Account 2: the credit carries none either.
	tb.sendTransfer(4712, paymentJSON(aladdinHolder, mainIBAN, 2500, "zurück", ""))
	back, backDebit := tb.page(4711, 1).Results[0], tb.page(4712, 1).Results[0]
	assertCredit(t, back, backDebit, reserveIBAN)
	if back.E2EID != nil {
		t.Errorf("credit e2eId %q for a transfer without one", *back.E2EID)
	}
	if tb.balance(4711)+tb.balance(4712) != mainBefore+reserveBefore {
		t.Error("money appeared or vanished between the two accounts")
	}
	tb.checkBooks([]User{{DefaultLogin, DefaultPassword}})
}

func TestTransferToAnotherUserCreditsThem(t *testing.T) {
	tb := newTestBank(t, Options{Users: twoUsers})
	jasmineAuth := basicAuth(jasmine, "Tiger")
	jasmineIBAN := tb.iban(jasmine, 4713)
	before := tb.totalBalance(twoUsers)
	jasmineBefore := tb.Accounts(jasmine)[0].Balance

	tb.sendTransfer(4711, paymentJSON("Jasmine", jasmineIBAN, 4200, "Invoice 2026-118", "INV-2026-118"))
	if got := tb.Accounts(jasmine)[0].Balance; got != jasmineBefore+4200 {
		t.Fatalf("Jasmine's balance %d, want %d", got, jasmineBefore+4200)
	}
	var p api.TransactionPage
	tb.ok(tb.do("GET", "/api/accounts/4713/transactions", "", "Authorization", jasmineAuth), &p)
	assertCredit(t, p.Results[0], tb.page(4711, 1).Results[0], tb.iban(DefaultLogin, 4711))
	if got := tb.totalBalance(twoUsers); got != before {
		t.Errorf("sum of all balances %d, want %d", got, before)
	}

	// A foreign IBAN behaves as before: the money leaves the bank.
	tb.sendTransfer(4711, transferBody)
	if got := tb.totalBalance(twoUsers); got != before-1250 {
		t.Errorf("sum of all balances %d after 12,50 € abroad, want %d", got, before-1250)
	}
	if got := tb.Accounts(jasmine)[0].Balance; got != jasmineBefore+4200 {
		t.Errorf("Jasmine's balance moved on a transfer to someone else: %d", got)
	}
	tb.checkBooks(twoUsers)
}

func TestOrdersToOwnSecondAccountCreditIt(t *testing.T) {
	tb := newTestBank(t, Options{})
	mainIBAN, reserveIBAN := tb.iban(DefaultLogin, 4711), tb.iban(DefaultLogin, 4712)
	reserveBefore, reserveTotal := tb.balance(4712), tb.page(4712, 1).Total

	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", paymentJSON(aladdinHolder, reserveIBAN, 50000, "Rücklage monatlich", "",
		"reoccurrence", "MONTHLY", "firstExecutionDate", "2026-11-27T00:00:00.000Z", "lastExecutionDate", "2026-12-31T00:00:00.000Z")), &pending)
	order := tb.confirmStanding(pending.RequestID)

	var timed api.TimedOrder
	tb.ok(tb.do("POST", "/api/accounts/4711/timed-orders", paymentJSON(aladdinHolder, reserveIBAN, 7700, "Einmalig", "T-1",
		"date", "2026-12-02T09:00:00.000Z")), &timed)
	tb.ok(tb.do("POST", "/api/accounts/4711/timed-orders/"+timed.ID+"/confirm", `{"token":"`+tb.lastTAN().TAN+`"}`), nil)

	tb.ok(tb.do("POST", "/sandbox/clock", `{"advance":"960h"}`, "Authorization", ""), nil) // 40 days, to 4 Jan
	if got, want := tb.balance(4712), reserveBefore+2*50000+7700; got != want {
		t.Fatalf("Account 2 balance %d, want %d (two standing-order runs and a timed order)", got, want)
	}
	p := tb.page(4712, 1)
	if p.Total != reserveTotal+3 {
		t.Fatalf("Account 2 has %d new bookings, want 3", p.Total-reserveTotal)
	}
	debits := map[int64][]api.Transaction{} // by amount
	for _, tx := range allTransactions(tb, 4711)[:20] {
		if api.Str(tx.IBAN) == reserveIBAN {
			debits[-tx.Amount] = append(debits[-tx.Amount], tx)
		}
	}
	for i, want := range []struct {
		at     string
		amount int64
		debit  int
	}{{"2026-12-27", 50000, 0}, {"2026-12-02", 7700, 0}, {"2026-11-27", 50000, 1}} {
		credit := p.Results[i]
		if credit.BookingDate.Format(time.DateOnly) != want.at || credit.Amount != want.amount {
			t.Errorf("credit %d: %d on %s, want %d on %s", i, credit.Amount, credit.BookingDate.Format(time.DateOnly), want.amount, want.at)
			continue
		}
		if len(debits[want.amount]) <= want.debit {
			t.Fatalf("no debit of %d on the main account", want.amount)
		}
		assertCredit(t, credit, debits[want.amount][want.debit], mainIBAN)
	}
	if api.Str(p.Results[0].E2EID) != api.Str(order.E2EID) || api.Str(p.Results[1].E2EID) != "T-1" {
		t.Errorf("e2eIds %v %v, want the order's %v and T-1", p.Results[0].E2EID, p.Results[1].E2EID, order.E2EID)
	}
	tb.checkBooks([]User{{DefaultLogin, DefaultPassword}})
}

// cancelSeededOrders cancels a user's standing and timed orders so that no
// money leaves the bank while the clock runs.
func (tb *testBank) cancelSeededOrders(u User, accountID int64) {
	tb.t.Helper()
	auth := basicAuth(u.Login, u.Password)
	base := "/api/accounts/" + itoa(accountID)
	var standing []api.StandingOrder
	tb.ok(tb.do("GET", base+"/standing-orders", "", "Authorization", auth), &standing)
	for _, o := range standing {
		if o.Status != api.StatusActive {
			continue
		}
		var c api.StandingOrderCancelPending
		tb.ok(tb.do("PATCH", base+"/standing-orders/"+itoa(o.ID)+"/cancel", "", "Authorization", auth), &c)
		tb.ok(tb.do("POST", base+"/standing-orders/confirm", `{"requestId":"`+c.RequestID+`","authorizationToken":"`+tb.lastTAN().TAN+`"}`,
			"Authorization", auth), nil)
	}
	var timed []api.TimedOrderListItem
	tb.ok(tb.do("GET", base+"/timed-orders", "", "Authorization", auth), &timed)
	for _, o := range timed {
		tb.ok(tb.do("PATCH", base+"/timed-orders/"+o.ID+"/cancel", "", "Authorization", auth), nil)
	}
}

func TestMoneyMovedInsideTheBankKeepsEveryCent(t *testing.T) {
	tb := newTestBank(t, Options{Users: twoUsers})
	tb.cancelSeededOrders(twoUsers[0], 4711)
	tb.cancelSeededOrders(twoUsers[1], 4713)
	before := tb.totalBalance(twoUsers)
	reserveIBAN, jasmineIBAN := tb.iban(DefaultLogin, 4712), tb.iban(jasmine, 4713)

	tb.sendTransfer(4711, paymentJSON(aladdinHolder, reserveIBAN, 123456, "Rücklage", ""))
	tb.sendTransfer(4712, paymentJSON("Jasmine", jasmineIBAN, 1999, "Geschenk", "G-1"))
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", paymentJSON(aladdinHolder, reserveIBAN, 33333, "Rücklage monatlich", "",
		"reoccurrence", "MONTHLY", "firstExecutionDate", "2026-11-26T00:00:00.000Z", "lastExecutionDate", nil)), &pending)
	tb.confirmStanding(pending.RequestID)
	var timed api.TimedOrder
	tb.ok(tb.do("POST", "/api/accounts/4711/timed-orders", paymentJSON("Jasmine", jasmineIBAN, 8800, "Miete Anteil", "",
		"date", "2026-12-10T00:00:00.000Z")), &timed)
	tb.ok(tb.do("POST", "/api/accounts/4711/timed-orders/"+timed.ID+"/confirm", `{"token":"`+tb.lastTAN().TAN+`"}`), nil)

	tb.ok(tb.do("POST", "/sandbox/clock", `{"advance":"2400h"}`, "Authorization", ""), nil) // 100 days: 4 standing-order runs
	if got := tb.totalBalance(twoUsers); got != before {
		t.Errorf("sum of all balances %d, want %d (%+d cents)", got, before, got-before)
	}
	tb.checkBooks(twoUsers)
}

// Nobody may observe the money gone from one account and not yet on the
// other: readers of GET /api/accounts see the same sum throughout.
func TestConcurrentTransfersBetweenAccountsKeepTheSum(t *testing.T) {
	tb := newTestBank(t, Options{})
	reserveIBAN := tb.iban(DefaultLogin, 4712)
	sum := tb.balance(4711) + tb.balance(4712)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 3 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var accounts []api.Account
				r := tb.do("GET", "/api/accounts", "")
				if err := json.Unmarshal(r.body, &accounts); err != nil || len(accounts) != 2 {
					t.Errorf("accounts: %v %s", err, r.body)
					return
				}
				if got := accounts[0].Balance + accounts[1].Balance; got != sum {
					t.Errorf("a reader saw %d, want %d", got, sum)
					return
				}
			}
		}()
	}
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				tb.sendTransfer(4711, paymentJSON(aladdinHolder, reserveIBAN, int64(100+i*10+j), "parallel", ""))
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	if got := tb.balance(4711) + tb.balance(4712); got != sum {
		t.Errorf("sum %d after the transfers, want %d", got, sum)
	}
	tb.checkBooks([]User{{DefaultLogin, DefaultPassword}})
}

func TestPaymentToTheSendingAccountIsRefused(t *testing.T) {
	tb := newTestBank(t, Options{})
	mainIBAN, reserveIBAN := tb.iban(DefaultLogin, 4711), tb.iban(DefaultLogin, 4712)
	before, total := tb.balance(4711), tb.page(4711, 1).Total
	spaced := strings.ToLower(mainIBAN[:4] + " " + mainIBAN[4:])
	for _, c := range []struct{ path, body string }{
		{"/api/accounts/4711/transfer", paymentJSON(aladdinHolder, mainIBAN, 100, "", "")},
		{"/api/accounts/4711/transfer", paymentJSON(aladdinHolder, spaced, 100, "", "")},
		{"/api/accounts/4712/transfer", paymentJSON(aladdinHolder, reserveIBAN, 100, "", "")},
		{"/api/accounts/4711/standing-orders", paymentJSON(aladdinHolder, mainIBAN, 100, "", "",
			"reoccurrence", "MONTHLY", "firstExecutionDate", "2026-11-27T00:00:00.000Z")},
		{"/api/accounts/4711/timed-orders", paymentJSON(aladdinHolder, mainIBAN, 100, "", "", "date", "2026-12-02T00:00:00.000Z")},
	} {
		item := tb.failed(tb.do("POST", c.path, c.body), 400, api.CodeValidation, "iban")
		if !strings.Contains(item.Detail, "account it is sent from") {
			t.Errorf("%s: detail %q", c.path, item.Detail)
		}
	}
	if n := len(tb.Outbox()); n != 0 {
		t.Errorf("%d SMS sent for refused payments", n)
	}
	if tb.balance(4711) != before || tb.page(4711, 1).Total != total {
		t.Error("a refused payment booked")
	}
	// To the other account of the same user is fine.
	tb.sendTransfer(4712, paymentJSON(aladdinHolder, mainIBAN, 100, "", ""))
}
func TestHolderNameIsARealisticName(t *testing.T) {
	for login, want := range map[string]string{
		DefaultLogin:             aladdinHolder,
		"jane.doe@example.com":   "Jane Doe",
		"max_müller":             "Max Müller",
		"evil\a\u202e!":          "Evil " + strings.Fields(holderName("evil\a\u202e!"))[1],
		"1234":                   holderName("1234"),
		"jasmine@example.com":    "Jasmine " + strings.Fields(holderName(jasmine))[1],
		strings.Repeat("a.", 80): "",
	} {
		got := holderName(login)
		if want != "" && got != want {
			t.Errorf("holderName(%q) = %q, want %q", login, got, want)
		}
		if f := strings.Fields(got); len(f) < 2 || sepa.ValidateText(got, sepa.MaxRecipientLen) != nil {
			t.Errorf("holderName(%q) = %q: not a first and last name of printable text within 70 characters", login, got)
		}
	}
	// The seeded history names the holder the same way.
	tb := newTestBank(t, Options{})
	reserve := allTransactions(tb, 4712)
	if oldest := reserve[len(reserve)-1]; api.Str(oldest.Name) != aladdinHolder {
		t.Errorf("opening deposit from %q, want %q", api.Str(oldest.Name), aladdinHolder)
	}
	for _, tx := range reserve {
		if strings.HasPrefix(api.Str(tx.Purpose), "Rücklage") && api.Str(tx.Name) != aladdinHolder {
			t.Errorf("reserve booking from %q, want %q", api.Str(tx.Name), aladdinHolder)
			break
		}
	}
}

// An order due earlier today than the receiving account's newest booking is
// booked on both sides at that booking's time, so neither list runs out of order.
func TestCreditKeepsTheReceivingListInOrder(t *testing.T) {
	tb := newTestBank(t, Options{})
	mainIBAN, reserveIBAN := tb.iban(DefaultLogin, 4711), tb.iban(DefaultLogin, 4712)
	tb.sendTransfer(4712, transferBody) // Account 2's newest booking: now, 18:00
	newest := tb.page(4712, 1).Results[0]

	// Due at midnight today, executed at once on confirm.
	var pending api.StandingOrderPending
	tb.ok(tb.do("POST", "/api/accounts/4711/standing-orders", paymentJSON(aladdinHolder, reserveIBAN, 4000, "heute", "",
		"reoccurrence", "MONTHLY", "firstExecutionDate", "2026-11-25T00:00:00.000Z")), &pending)
	tb.confirmStanding(pending.RequestID)
	credit, debit := tb.page(4712, 1).Results[0], tb.page(4711, 1).Results[0]
	if credit.Amount != 4000 || debit.Amount != -4000 {
		t.Fatalf("newest bookings %d on Account 2 and %d on Main, want the order's", credit.Amount, debit.Amount)
	}
	if credit.BookingDate.Before(newest.BookingDate.Time) {
		t.Errorf("credit booked %s, before Account 2's newest booking at %s", credit.BookingDate, newest.BookingDate)
	}
	assertCredit(t, credit, debit, mainIBAN)
	tb.checkBooks([]User{{DefaultLogin, DefaultPassword}})
}
