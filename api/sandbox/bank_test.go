package sandbox

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"konto/api"
	"konto/api/sepa"
)

func TestAccountsAsInTheDoc(t *testing.T) {
	tb := newTestBank(t, Options{})
	for _, path := range []string{"/api/accounts/", "/api/accounts"} {
		var accounts []api.Account
		tb.ok(tb.do("GET", path, ""), &accounts)
		if len(accounts) < 2 || accounts[0].ID != 4711 || accounts[1].ID != 4712 {
			t.Fatalf("%s: accounts %+v, want 4711 and 4712", path, accounts)
		}
		for _, a := range accounts {
			if err := sepa.ValidateIBAN(a.IBAN); err != nil {
				t.Errorf("account %d IBAN %s: %v", a.ID, a.IBAN, err)
			}
			if api.Str(a.AccountType) == "" {
				t.Errorf("account %d: accountType missing", a.ID)
			}
		}
	}
}

func TestBalanceMatchesHistory(t *testing.T) {
	tb := newTestBank(t, Options{})
	for _, id := range []int64{4711, 4712} {
		var sum, running int64
		var all []api.Transaction
		for n := 1; ; n++ {
			p := tb.page(id, n)
			all = append(all, p.Results...)
			if p.Next == nil {
				break
			}
		}
		for i := len(all) - 1; i >= 0; i-- { // oldest first
			running += all[i].Amount
			if running < 0 {
				t.Fatalf("account %d: balance below zero after booking %d", id, all[i].ID)
			}
		}
		for _, tx := range all {
			sum += tx.Amount
		}
		if got := tb.balance(id); got != sum {
			t.Errorf("account %d: balance %d, sum of bookings %d", id, got, sum)
		}
	}
}

func TestTransactionPages(t *testing.T) {
	tb := newTestBank(t, Options{Transactions: 120})
	p1 := tb.page(4711, 1)
	if p1.Total != 120 || len(p1.Results) != 50 || p1.Next == nil || *p1.Next != "/api/accounts/4711/transactions?page=2" {
		t.Fatalf("page 1: total %d, %d results, next %v", p1.Total, len(p1.Results), p1.Next)
	}
	p3 := tb.page(4711, 3)
	if len(p3.Results) != 20 || p3.Next != nil {
		t.Fatalf("page 3: %d results, next %v; want 20 and null", len(p3.Results), p3.Next)
	}
	past := tb.do("GET", "/api/accounts/4711/transactions/?page=4", "")
	if !strings.Contains(string(past.body), `"results":[]`) || !strings.Contains(string(past.body), `"next":null`) {
		t.Errorf("past the end: %s", past.body)
	}
	// Without ?page the first page; newest first throughout.
	var p api.TransactionPage
	tb.ok(tb.do("GET", "/api/accounts/4711/transactions", "", "Accept", "*/*"), &p)
	if p.Results[0].ID != p1.Results[0].ID {
		t.Errorf("no page parameter did not give page 1")
	}
	all := append(append(p1.Results, tb.page(4711, 2).Results...), p3.Results...)
	for i := 1; i < len(all); i++ {
		if all[i].BookingDate.After(all[i-1].BookingDate.Time) || all[i].ID >= all[i-1].ID {
			t.Fatalf("not newest first at %d: %d (%s) after %d (%s)", i, all[i].ID, all[i].BookingDate, all[i-1].ID, all[i-1].BookingDate)
		}
	}
	for _, bad := range []string{"0", "-1", "x", "1.5"} {
		tb.failed(tb.do("GET", "/api/accounts/4711/transactions?page="+bad, ""), 400, api.CodeValidation, "page")
	}
	huge := tb.page(4711, 1<<40)
	if len(huge.Results) != 0 || huge.Next != nil {
		t.Errorf("huge page: %+v", huge)
	}
}

func TestTransactionByIDAndAllKeys(t *testing.T) {
	tb := newTestBank(t, Options{})
	want := tb.page(4711, 2).Results[7]
	for _, path := range []string{"/api/accounts/4711/transactions/", "/api/accounts/4711/transactions/"} {
		r := tb.do("GET", path+itoa(want.ID), "")
		var got api.Transaction
		tb.ok(r, &got)
		if got.ID != want.ID || got.Amount != want.Amount || api.Str(got.Name) != api.Str(want.Name) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		var keys map[string]json.RawMessage
		json.Unmarshal(r.body, &keys)
		for _, k := range []string{"id", "amount", "type", "category", "name", "iban", "purpose", "e2eId",
			"bookingDate", "valutaDate", "bookingType", "originalAmount", "foreignCurrency", "paymentMethod",
			"invoiceNumber", "invoicePreviewUrl", "invoiceDownloadUrl", "userSelectedBookingDate", "documentType", "mandateNumber"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("key %q missing", k)
			}
		}
	}
	tb.failed(tb.do("GET", "/api/accounts/4711/transactions/1", ""), 404, api.CodeNotFound, "")
	tb.failed(tb.do("GET", "/api/accounts/4711/transactions/abc", ""), 404, api.CodeNotFound, "")
	// A booking of another account through this one is unknown.
	other := tb.page(4712, 1).Results[0]
	tb.failed(tb.do("GET", "/api/accounts/4711/transactions/"+itoa(other.ID), ""), 404, api.CodeNotFound, "")
}

func TestForeignAndUnknownAccounts(t *testing.T) {
	tb := newTestBank(t, Options{Users: []User{{"Aladdin", "OpenSesame"}, {"jasmine@example.com", "Tiger"}}})
	if ids := tb.Accounts("jasmine@example.com"); len(ids) != 2 || ids[0].ID != 4713 {
		t.Fatalf("second user's accounts: %+v", ids)
	}
	for _, path := range []string{"/api/accounts/4713/transactions", "/api/accounts/9999/transactions",
		"/api/accounts/4713/standing-orders", "/api/accounts/4713/timed-orders"} {
		tb.failed(tb.do("GET", path, ""), 404, api.CodeNotFound, "")
	}
	tb.failed(tb.do("POST", "/api/accounts/4713/transfer", transferBody), 404, api.CodeNotFound, "")
}

func TestRoutingErrorsInSolarisShape(t *testing.T) {
	tb := newTestBank(t, Options{})
	tb.failed(tb.do("GET", "/api/nothing-here", ""), 404, api.CodeNotFound, "")
	tb.failed(tb.do("GET", "/", ""), 404, api.CodeNotFound, "")
	r := tb.do("DELETE", "/api/accounts/", "")
	tb.failed(r, 405, api.CodeMethodNotAllowed, "")
	if r.header.Get("Allow") != "GET" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	tb.failed(tb.do("GET", "/api/accounts/4711/transfer", ""), 405, api.CodeMethodNotAllowed, "")
	tb.failed(tb.do("GET", "/api/accounts", "", "Accept", "text/html"), 406, api.CodeNotAcceptable, "")
	for _, accept := range []string{"application/json", "*/*", transactionListV21, "text/html, application/json;q=0.9", ""} {
		tb.ok(tb.do("GET", "/api/accounts", "", "Accept", accept), nil)
	}
	if ct := tb.do("GET", "/nope", "").header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("404 Content-Type %q", ct)
	}
}

func TestBasicAuthAndRateLimit(t *testing.T) {
	tb := newTestBank(t, Options{BasicPerMinute: 60})
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", ""), 401, api.CodeUnauthorized, "")
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", "Basic QWxhZGRpbjp3cm9uZw=="), 401, api.CodeUnauthorized, "")
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer not.a.token"), 401, api.CodeUnauthorized, "")
	var limited resp
	n := 0
	for ; n < 40; n++ {
		if limited = tb.do("GET", "/api/accounts", ""); limited.status != 200 {
			break
		}
	}
	if n < 19 || n > 21 {
		t.Errorf("rate limited after %d requests, want about 20", n)
	}
	tb.failed(limited, 429, api.CodeRateLimited, "")
	if limited.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	tb.Advance(time.Minute)
	tb.ok(tb.do("GET", "/api/accounts", ""), nil)
}

func TestJWTFlow(t *testing.T) {
	tb := newTestBank(t, Options{TokenTTL: time.Hour, BasicPerMinute: 60})
	wall := time.Now()
	tb.wallClock = func() time.Time { return wall }
	creds := `{"email":"Aladdin","password":"OpenSesame"}`
	var refresh, auth, auth2 api.TokenResponse
	tb.ok(tb.do("POST", "/api/user/refresh-token", creds, "Authorization", ""), &refresh)
	tb.failed(tb.do("POST", "/api/user/refresh-token", `{"email":"Aladdin","password":"x"}`, "Authorization", ""), 401, api.CodeUnauthorized, "")
	tb.failed(tb.do("POST", "/api/user/refresh-token", `{"email":`, "Authorization", ""), 400, api.CodeMalformed, "")
	tb.ok(tb.do("POST", "/api/user/auth-token/", creds, "Authorization", ""), &auth)
	tb.ok(tb.do("POST", "/api/user/auth-token", "", "Authorization", "Bearer "+refresh.Token), &auth2)
	// A refresh token is no auth token, and the reverse.
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer "+refresh.Token), 401, api.CodeUnauthorized, "")
	tb.failed(tb.do("POST", "/api/user/auth-token", "", "Authorization", "Bearer "+auth.Token), 401, api.CodeUnauthorized, "")

	// Bearer requests are not rate limited.
	for range 30 {
		tb.ok(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer "+auth.Token), nil)
	}
	// Expiry on the wall clock.
	wall = wall.Add(time.Hour + time.Second)
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer "+auth.Token), 401, api.CodeUnauthorized, "")
	tb.ok(tb.do("POST", "/api/user/auth-token", "", "Authorization", "Bearer "+refresh.Token), &auth)
	tb.ok(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer "+auth.Token), nil)

	// DELETE auth-token revokes that token only.
	tb.ok(tb.do("DELETE", "/api/user/auth-token", "", "Authorization", "Bearer "+auth.Token), nil)
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer "+auth.Token), 401, api.CodeUnauthorized, "")

	// DELETE refresh-token with the refresh token itself.
	var other api.TokenResponse
	tb.ok(tb.do("POST", "/api/user/refresh-token", creds, "Authorization", ""), &other)
	tb.ok(tb.do("DELETE", "/api/user/refresh-token", "", "Authorization", "Bearer "+other.Token), nil)
	tb.failed(tb.do("POST", "/api/user/auth-token", "", "Authorization", "Bearer "+other.Token), 401, api.CodeUnauthorized, "")
	tb.ok(tb.do("POST", "/api/user/auth-token", "", "Authorization", "Bearer "+refresh.Token), &auth)

	// DELETE refresh-token with an auth token revokes all the user's refresh tokens.
	tb.ok(tb.do("DELETE", "/api/user/refresh-token", "", "Authorization", "Bearer "+auth.Token), nil)
	tb.failed(tb.do("POST", "/api/user/auth-token", "", "Authorization", "Bearer "+refresh.Token), 401, api.CodeUnauthorized, "")

	// Tokens of another bank do not verify here.
	otherBank := newTestBank(t, Options{})
	var foreign api.TokenResponse
	otherBank.ok(otherBank.do("POST", "/api/user/auth-token", creds, "Authorization", ""), &foreign)
	tb.failed(tb.do("GET", "/api/accounts", "", "Authorization", "Bearer "+foreign.Token), 401, api.CodeUnauthorized, "")
}

func TestSandboxEndpoints(t *testing.T) {
	tb := newTestBank(t, Options{})
	if r := tb.do("GET", "/sandbox/sms", "", "Authorization", ""); string(r.body) != "[]\n" {
		t.Errorf("empty outbox: %s", r.body)
	}
	var now clockAnswer
	tb.ok(tb.do("POST", "/sandbox/clock/", `{"advance":"72h"}`, "Authorization", ""), &now)
	got, err := time.Parse(time.RFC3339, now.Now)
	if err != nil || got.Before(testStart.Add(72*time.Hour)) || got.After(testStart.Add(73*time.Hour)) {
		t.Errorf("clock after advance: %q (%v)", now.Now, err)
	}
	tb.failed(tb.do("POST", "/sandbox/clock", `{"advance":"soon"}`, "Authorization", ""), 400, api.CodeValidation, "advance")
	tb.failed(tb.do("POST", "/sandbox/clock", `{"advance":"-1h"}`, "Authorization", ""), 400, api.CodeValidation, "advance")
	tb.ok(tb.do("GET", "/sandbox/clock", "", "Authorization", ""), nil)
}

func TestLogAndRequests(t *testing.T) {
	var log syncBuffer
	tb := newTestBank(t, Options{Log: &log})
	tb.do("GET", "/api/accounts", "")
	tb.do("GET", "/api/accounts/4711/transactions?page=2", "")
	tb.do("POST", "/api/accounts/4711/transfer", transferBody)
	sms := tb.lastTAN()
	tb.do("PUT", "/api/accounts/4711/transfer/"+sms.RequestID, confirmBody(sms.TAN))

	reqs := tb.Requests()
	if len(reqs) != 5 || reqs[1].Path != "/api/accounts/4711/transactions?page=2" || reqs[1].Status != 200 || reqs[4].Method != "PUT" {
		t.Fatalf("requests: %+v", reqs)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	line := regexp.MustCompile(`^2026-11-25T18:00:\d\dZ (GET|POST|PUT) /\S+ \d{3} \d+\.\dms$`)
	smsLine := "SMS to Aladdin: your TAN for transfer of 12,50 € to Karl Brenner is " + sms.TAN
	var requests, smsLines int
	for _, l := range lines {
		switch {
		case line.MatchString(l):
			requests++
			if strings.Contains(l, sms.TAN) {
				t.Errorf("request line carries the TAN: %q", l)
			}
		case l == smsLine:
			smsLines++
		default:
			t.Errorf("unexpected log line %q", l)
		}
	}
	if requests != 5 || smsLines != 1 {
		t.Errorf("%d request lines and %d SMS lines, want 5 and 1:\n%s", requests, smsLines, log.String())
	}
	for _, secret := range []string{"QWxhZGRpbjpPcGVuU2VzYW1l", "OpenSesame", "Authorization"} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("log carries %q", secret)
		}
	}
}

func TestBook(t *testing.T) {
	tb := newTestBank(t, Options{})
	before := tb.balance(4711)
	tx := tb.Book(4711, api.Transaction{Amount: 4200, Name: api.Ptr("Müller GmbH"), Purpose: api.Ptr("Invoice 2026-099")})
	if tx.ID == 0 || tb.balance(4711) != before+4200 {
		t.Fatalf("Book: %+v, balance %d → %d", tx, before, tb.balance(4711))
	}
	if got := tb.page(4711, 1).Results[0]; got.ID != tx.ID || !got.BookingDate.Equal(tx.BookingDate.Time) {
		t.Errorf("newest booking %+v, want %+v", got, tx)
	}
	if tx := tb.Book(1, api.Transaction{Amount: 1}); tx.ID != 0 {
		t.Errorf("Book on an unknown account: %+v", tx)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for _, opts := range []Options{
		{Users: []User{{"a:b", "x"}}},
		{Users: []User{{"", "x"}}},
		{Users: []User{{"a", ""}}},
		{Users: []User{{"a", "x"}, {"a", "y"}}},
		{Faults: "boom@1"},
		{Transactions: -1},
	} {
		if _, err := New(opts); err == nil {
			t.Errorf("New(%+v) accepted", opts)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	tb := newTestBank(t, Options{})
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 10 {
				switch (i + j) % 4 {
				case 0:
					tb.do("GET", "/api/accounts/4711/transactions?page=2", "")
				case 1:
					tb.do("POST", "/api/accounts/4711/transfer", transferBody)
				case 2:
					tb.Advance(time.Hour)
				case 3:
					tb.Book(4712, api.Transaction{Amount: 100, Name: api.Ptr("x")})
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	if n := len(tb.Outbox()); n != 20 {
		t.Errorf("%d SMS, want 20", n)
	}
	if n := len(tb.Requests()); n != 40 {
		t.Errorf("%d requests recorded, want 40", n)
	}
}
