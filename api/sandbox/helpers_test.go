package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"konto/api"
)

// testStart is the virtual clock's start in tests: a fixed day, so seeded
// history and dates in assertions are stable.
var testStart = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// docBasic is the Basic header of the API doc's examples (Aladdin:OpenSesame).
const docBasic = "Basic QWxhZGRpbjpPcGVuU2VzYW1l"

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testBank struct {
	*Bank
	t   testing.TB
	srv *httptest.Server
}

// newTestBank starts a bank over real HTTP. Basic auth is not rate limited
// unless the options ask for it.
func newTestBank(t testing.TB, opts Options) *testBank {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return testStart }
	}
	if opts.BasicPerMinute == 0 {
		opts.BasicPerMinute = -1
	}
	b, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return &testBank{Bank: b, t: t, srv: srv}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request like the doc's curl lines: the doc's Basic header unless
// headers give another Authorization ("" drops it).
func (tb *testBank) do(method, path, body string, headers ...string) resp {
	tb.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, tb.srv.URL+path, rd)
	if err != nil {
		tb.t.Fatal(err)
	}
	req.Header.Set("Authorization", docBasic)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		tb.t.Errorf("%s %s: redirected", method, path)
		return http.ErrUseLastResponse
	}}
	res, err := client.Do(req)
	if err != nil {
		tb.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		tb.t.Fatalf("%s %s: read: %v", method, path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: data}
}

// ok asserts a 200 and decodes the body into v (if not nil).
func (tb *testBank) ok(r resp, v any) {
	tb.t.Helper()
	if r.status != http.StatusOK {
		tb.t.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			tb.t.Fatalf("decode %s: %v", r.body, err)
		}
	}
}

// failed asserts an error answer in the Solaris shape and returns its item.
func (tb *testBank) failed(r resp, status int, code, field string) api.ErrorItem {
	tb.t.Helper()
	if r.status != status {
		tb.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var body api.ErrorBody
	if err := json.Unmarshal(r.body, &body); err != nil || len(body.Errors) != 1 {
		tb.t.Fatalf("not a Solaris error body (%v): %s", err, r.body)
	}
	item := body.Errors[0]
	if item.Status != status || item.Title == "" || item.ID == "" {
		tb.t.Errorf("error item incomplete: %+v", item)
	}
	if code != "" && item.Code != code {
		tb.t.Errorf("code %q, want %q: %s", item.Code, code, r.body)
	}
	gotField := ""
	if item.Source != nil {
		gotField = item.Source.Field
	}
	if gotField != field {
		tb.t.Errorf("field %q, want %q: %s", gotField, field, r.body)
	}
	return item
}

func (tb *testBank) balance(id int64) int64 {
	tb.t.Helper()
	for _, a := range tb.Accounts(DefaultLogin) {
		if a.ID == id {
			return a.Balance
		}
	}
	tb.t.Fatalf("no account %d", id)
	return 0
}

func (tb *testBank) page(id int64, n int) api.TransactionPage {
	tb.t.Helper()
	var p api.TransactionPage
	tb.ok(tb.do("GET", "/api/accounts/"+itoa(id)+"/transactions?page="+itoa(int64(n)), "",
		"Accept", transactionListV21), &p)
	return p
}

// lastTAN is the TAN of the newest SMS, read as a client would.
func (tb *testBank) lastTAN() api.SMS {
	tb.t.Helper()
	var sms []api.SMS
	tb.ok(tb.do("GET", "/sandbox/sms", "", "Authorization", ""), &sms)
	if len(sms) == 0 {
		tb.t.Fatal("no SMS sent")
	}
	return sms[len(sms)-1]
}

func itoa(n int64) string { return strings.TrimSpace(string(encodeJSON(n))) }

// wrongTAN is a TAN that is not tan.
func wrongTAN(tan string) string {
	if tan == "000000" {
		return "000001"
	}
	return "000000"
}
