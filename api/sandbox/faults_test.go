package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"konto/api"
)

func TestParseFaults(t *testing.T) {
	spec := "latency=2s@1.0:/api/accounts/*/transactions,503@0.2:POST /api/accounts/*/transfer," +
		"429@0.1,drop-before@0.1,drop-after@0.5:PUT /api/accounts/*/transfer/*,malformed@0.05"
	rules, err := ParseFaults(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := []FaultRule{
		{Kind: "latency", Latency: 2 * time.Second, Rate: 1, Glob: "/api/accounts/*/transactions"},
		{Kind: "503", Rate: 0.2, Method: "POST", Glob: "/api/accounts/*/transfer"},
		{Kind: "429", Rate: 0.1},
		{Kind: "drop-before", Rate: 0.1},
		{Kind: "drop-after", Rate: 0.5, Method: "PUT", Glob: "/api/accounts/*/transfer/*"},
		{Kind: "malformed", Rate: 0.05},
	}
	if len(rules) != len(want) {
		t.Fatalf("%d rules, want %d", len(rules), len(want))
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Errorf("rule %d: %+v, want %+v", i, rules[i], want[i])
		}
	}
	if rules, err := ParseFaults(""); err != nil || rules != nil {
		t.Errorf("empty spec: %v %v", rules, err)
	}
	for _, bad := range []string{"boom@1", "503", "503@2", "503@x", "latency@1", "latency=fast@1", "503=1@1",
		"503@1:api/accounts", "503@1:FETCH /api", "503@1:/api/[", "429@0.1,,503@1"} {
		_, err := ParseFaults(bad)
		if err == nil {
			t.Errorf("ParseFaults(%q) accepted", bad)
			continue
		}
		if !strings.Contains(err.Error(), "fault rule") {
			t.Errorf("ParseFaults(%q): %v does not name the rule", bad, err)
		}
	}
}

func TestFaultRuleMatching(t *testing.T) {
	rules, _ := ParseFaults("500@1:PUT /api/accounts/*/transfer/*,500@1")
	if !rules[0].matches("PUT", "/api/accounts/4711/transfer/abcctrx") || rules[0].matches("POST", "/api/accounts/4711/transfer/abcctrx") ||
		rules[0].matches("PUT", "/api/accounts/4711/transfer") {
		t.Error("method and glob matching")
	}
	if !rules[1].matches("GET", "/api/accounts") || rules[1].matches("GET", "/sandbox/sms") {
		t.Error("a rule without a path covers /api/ only")
	}
}

func TestStatusFaults(t *testing.T) {
	tb := newTestBank(t, Options{Faults: "503@1:GET /api/accounts,429@1:/api/accounts/*/standing-orders,502@1"})
	tb.failed(tb.do("GET", "/api/accounts/", ""), 503, api.CodeServerError, "")
	r := tb.do("GET", "/api/accounts/4711/standing-orders", "")
	tb.failed(r, 429, api.CodeRateLimited, "")
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	tb.failed(tb.do("GET", "/api/accounts/4711/timed-orders", ""), 502, api.CodeServerError, "")
	// The sandbox endpoints stay reliable.
	tb.ok(tb.do("GET", "/sandbox/sms", "", "Authorization", ""), nil)
}

func TestDropAfterBooksWithoutAnswering(t *testing.T) {
	tb := newTestBank(t, Options{Faults: "drop-after@1:PUT /api/accounts/*/transfer/*"})
	before := tb.balance(4711)
	tr, sms := tb.createTransfer(transferBody)
	req, _ := http.NewRequest("PUT", tb.srv.URL+tr.Links.Self, strings.NewReader(confirmBody(sms.TAN)))
	req.Header.Set("Authorization", docBasic)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("answered %d, want a dropped connection", res.StatusCode)
	}
	if got := tb.balance(4711); got != before-1250 {
		t.Fatalf("balance %d, want %d: drop-after must book", got, before-1250)
	}
	reqs := tb.Requests()
	if last := reqs[len(reqs)-1]; last.Method != "PUT" || last.Status != 0 {
		t.Errorf("last request %+v, want a dropped PUT", last)
	}
}

func TestDropBeforeDoesNothing(t *testing.T) {
	tb := newTestBank(t, Options{Faults: "drop-before@1:POST /api/accounts/*/transfer"})
	req, _ := http.NewRequest("POST", tb.srv.URL+"/api/accounts/4711/transfer", strings.NewReader(transferBody))
	req.Header.Set("Authorization", docBasic)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("answered %d, want a dropped connection", res.StatusCode)
	}
	if n := len(tb.Outbox()); n != 0 {
		t.Errorf("%d SMS sent: drop-before must not act", n)
	}
}

func TestMalformedAndLatency(t *testing.T) {
	tb := newTestBank(t, Options{Faults: "malformed@1,latency=5ms@1:/api/accounts/*/transactions"})
	r := tb.do("GET", "/api/accounts/4711/transactions", "")
	var p api.TransactionPage
	if r.status != 200 || json.Unmarshal(r.body, &p) == nil {
		t.Errorf("malformed fault answered %d with valid JSON", r.status)
	}
	// Only GET answers are truncated.
	tb.ok(tb.do("POST", "/api/accounts/4711/transfer", transferBody), nil)
}

func TestFaultsAreDeterministic(t *testing.T) {
	statuses := func() []int {
		tb := newTestBank(t, Options{Faults: "503@0.5"})
		var out []int
		for range 30 {
			out = append(out, tb.do("GET", "/api/accounts", "").status)
		}
		return out
	}
	a, b := statuses(), statuses()
	var failed int
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("run 1 %v, run 2 %v", a, b)
		}
		if a[i] == 503 {
			failed++
		}
	}
	if failed == 0 || failed == len(a) {
		t.Errorf("503@0.5 failed %d of %d", failed, len(a))
	}
}

// A slow bank: a confirm delayed past the client's timeout still books, in
// the bank's own time, so advancing the virtual clock ends the delay; a read
// the client gave up on is simply dropped.
func TestLatencyCarriesOutAPaymentTheClientGaveUpOn(t *testing.T) {
	tb := newTestBank(t, Options{Faults: "latency=2m@1:PUT /api/accounts/*/transfer/*,latency=1h@1:GET /api/accounts"})
	before := tb.balance(4711)
	tr, sms := tb.createTransfer(transferBody)
	req, _ := http.NewRequest("PUT", tb.srv.URL+tr.Links.Self, strings.NewReader(confirmBody(sms.TAN)))
	req.Header.Set("Authorization", docBasic)
	impatient := &http.Client{Timeout: 50 * time.Millisecond}
	if res, err := impatient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("answered %d within the client's timeout", res.StatusCode)
	}
	if got := tb.balance(4711); got != before {
		t.Fatalf("booked before the delay was over (balance %d, was %d)", got, before)
	}
	if n := tb.Busy(); n != 1 {
		t.Fatalf("Busy() = %d while the confirm waits, want 1", n)
	}
	tb.Advance(2 * time.Minute) // the bank takes its two minutes, not the test
	deadline := time.Now().Add(20 * time.Second)
	for tb.balance(4711) != before-1250 {
		if time.Now().After(deadline) {
			t.Fatalf("the delayed confirm was never carried out: balance %d, want %d", tb.balance(4711), before-1250)
		}
		time.Sleep(5 * time.Millisecond)
	}
	for tb.Busy() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the delayed confirm never ended")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := len(tb.page(4711, 1).Results); n == 0 || api.Str(tb.page(4711, 1).Results[0].Name) != "Karl Brenner" {
		t.Errorf("the newest booking is not the transfer")
	}

	// A read the client gave up on ends with it, without waiting an hour.
	get, _ := http.NewRequest("GET", tb.srv.URL+"/api/accounts", nil)
	get.Header.Set("Authorization", docBasic)
	if res, err := impatient.Do(get); err == nil {
		res.Body.Close()
		t.Fatal("the slow read answered")
	}
	for {
		reqs := tb.Requests()
		if last := reqs[len(reqs)-1]; last.Method == "GET" && last.Path == "/api/accounts" && last.Status == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the abandoned read was not dropped")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
