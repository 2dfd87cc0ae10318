package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// recordedSleeps replaces the client's sleep so retry tests run instantly and
// can assert the waits.
type recordedSleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recordedSleeps) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *recordedSleeps) all() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

// newTestClient starts srv's handler and returns a client for it whose
// sleeps are recorded, not slept.
func newTestClient(t *testing.T, h http.Handler, auth Authenticator, opts ...Option) (*Client, *recordedSleeps) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, auth, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rec := &recordedSleeps{}
	c.sleep = rec.sleep
	return c, rec
}

func docExample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "doc", name+".json"))
	if err != nil {
		t.Fatalf("read doc example: %v", err)
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func TestNewRefusesPlainHTTPUnlessLoopback(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"http://api.kontist.com", false},
		{"http://10.0.0.1:8080", false},
		{"http://localhost.evil.com", false},
		{"ftp://localhost", false},
		{"api.kontist.com", false},
		{"http://user:pw@127.0.0.1", false},
		{"https://api.kontist.com", true},
		{"https://api.kontist.com/", true},
		{"http://127.0.0.1:8080", true},
		{"http://127.1.2.3", true},
		{"http://localhost:1", true},
		{"http://LOCALHOST:1/", true},
		{"http://[::1]:2", true},
	} {
		_, err := New(tc.url, nil)
		if (err == nil) != tc.ok {
			t.Errorf("New(%q): err = %v, want ok=%v", tc.url, err, tc.ok)
		}
	}
}

func TestBaseURLTrailingSlashTolerated(t *testing.T) {
	var gotPath atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath.Store(r.URL.Path)
		writeJSON(w, 200, `[]`)
	}))
	defer srv.Close()
	c, err := New(srv.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != srv.URL {
		t.Errorf("BaseURL = %q, want %q", c.BaseURL(), srv.URL)
	}
	if _, err := c.Accounts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := gotPath.Load(); p != "/api/accounts" {
		t.Errorf("path = %q, want /api/accounts", p)
	}
}

func TestHeaders(t *testing.T) {
	type seen struct{ method, path, accept, ctype, ua, idem, auth string }
	var mu sync.Mutex
	var reqs []seen
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, seen{r.Method, r.URL.Path, r.Header.Get("Accept"), r.Header.Get("Content-Type"),
			r.Header.Get("User-Agent"), r.Header.Get("Idempotency-Key") + r.Header.Get("X-Idempotency-Key"), r.Header.Get("Authorization")})
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/transactions"):
			writeJSON(w, 200, `{"next":null,"total":0,"results":[]}`)
		case strings.HasSuffix(r.URL.Path, "/transfer"):
			writeJSON(w, 200, string(docExample(t, "transfer_create")))
		default:
			writeJSON(w, 200, `[]`)
		}
	})
	c, _ := newTestClient(t, h, BasicAuth("Aladdin", "OpenSesame"), WithUserAgent("konto/1.2.3"))
	ctx := context.Background()
	if _, err := c.TransactionsPage(ctx, 4711, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateTransfer(ctx, 4711, TransferRequest{Recipient: "K", IBAN: "DE89370400440532013000", Amount: 1250}); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 3 {
		t.Fatalf("got %d requests", len(reqs))
	}
	if reqs[0].accept != "application/vnd.kontist.transactionlist.v2.1+json" {
		t.Errorf("transaction list Accept = %q", reqs[0].accept)
	}
	if reqs[1].accept != "application/json" {
		t.Errorf("accounts Accept = %q", reqs[1].accept)
	}
	if reqs[2].ctype != "application/json" {
		t.Errorf("POST Content-Type = %q", reqs[2].ctype)
	}
	for _, r := range reqs {
		if r.ua != "konto/1.2.3" {
			t.Errorf("%s %s: User-Agent %q", r.method, r.path, r.ua)
		}
		if r.idem != "" {
			t.Errorf("%s %s: idempotency key set", r.method, r.path)
		}
		if r.auth != "Basic QWxhZGRpbjpPcGVuU2VzYW1l" {
			t.Errorf("%s %s: Authorization %q", r.method, r.path, r.auth)
		}
	}
}

// callByMethod makes one request of each method through the public API.
var callByMethod = map[string]func(ctx context.Context, c *Client) error{
	http.MethodGet: func(ctx context.Context, c *Client) error {
		_, err := c.Accounts(ctx)
		return err
	},
	http.MethodPost: func(ctx context.Context, c *Client) error {
		_, err := c.CreateTransfer(ctx, 4711, TransferRequest{Recipient: "K", IBAN: "DE89370400440532013000", Amount: 1})
		return err
	},
	http.MethodPut: func(ctx context.Context, c *Client) error {
		p := &PendingTransfer{AccountID: 4711, Transfer: Transfer{Links: TransferLinks{Self: "/api/accounts/4711/transfer/abcctrx"}}}
		_, err := c.ConfirmTransfer(ctx, p, "012345")
		return err
	},
	http.MethodPatch: func(ctx context.Context, c *Client) error {
		_, err := c.CancelStandingOrder(ctx, 4711, 20)
		return err
	},
	http.MethodDelete: func(ctx context.Context, c *Client) error {
		return c.InvalidateAuthToken(ctx, "some-auth-token")
	},
}

func TestRetryOnlyIdempotentRequests(t *testing.T) {
	for _, status := range []int{502, 503, 504, 429} {
		for method, call := range callByMethod {
			var count atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				count.Add(1)
				writeJSON(w, status, `{"errors":[{"title":"busy"}]}`)
			})
			c, rec := newTestClient(t, h, nil, WithRetryPolicy(RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond}))
			err := call(context.Background(), c)
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Status != status {
				t.Errorf("%s %d: err = %v, want *Error with that status", method, status, err)
			}
			want := int32(1)
			if method == http.MethodGet || method == http.MethodDelete {
				want = 4
			}
			if got := count.Load(); got != want {
				t.Errorf("%s answered %d: %d requests, want %d", method, status, got, want)
			}
			for _, d := range rec.all() {
				if d < 0 || d > 300*time.Millisecond {
					t.Errorf("%s %d: backoff %v outside [0, cap]", method, status, d)
				}
			}
			if n := len(rec.all()); n != int(want)-1 {
				t.Errorf("%s %d: %d waits, want %d", method, status, n, want-1)
			}
		}
	}
}

func TestRetrySucceedsAfterTransientFailure(t *testing.T) {
	var count atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) < 3 {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, string(docExample(t, "accounts")))
	})
	c, _ := newTestClient(t, h, nil)
	accts, err := c.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(accts) != 1 || accts[0].ID != 4711 || count.Load() != 3 {
		t.Errorf("accounts %+v after %d requests", accts, count.Load())
	}
}

func TestRetryNotOnOtherStatuses(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 500} {
		var count atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			count.Add(1)
			writeJSON(w, status, `{}`)
		})
		c, _ := newTestClient(t, h, nil)
		if _, err := c.Accounts(context.Background()); err == nil {
			t.Errorf("%d: no error", status)
		}
		if count.Load() != 1 {
			t.Errorf("%d: %d requests, want 1", status, count.Load())
		}
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var count atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, `{"errors":[{"status":429,"code":"rate_limited","title":"Too Many Requests"}]}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c, rec := newTestClient(t, h, nil)
	if _, err := c.Accounts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waits := rec.all(); len(waits) != 1 || waits[0] != 7*time.Second {
		t.Errorf("waits = %v, want [7s]", waits)
	}
}

func TestRetryAfterBeyondCapIsReturned(t *testing.T) {
	var count atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		w.Header().Set("Retry-After", "600")
		writeJSON(w, 429, `{}`)
	})
	c, rec := newTestClient(t, h, nil)
	_, err := c.Accounts(context.Background())
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrRateLimited) || apiErr.RetryAfter != 600 {
		t.Fatalf("err = %v, want 429 with RetryAfter 600", err)
	}
	if count.Load() != 1 || len(rec.all()) != 0 {
		t.Errorf("%d requests, waits %v; want 1 request, no wait", count.Load(), rec.all())
	}
}

func TestCancelStopsBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		writeJSON(w, 503, `{}`)
		cancel() // the client is now about to wait an hour
	}))
	defer srv.Close()
	c, err := New(srv.URL, nil, WithRetryPolicy(RetryPolicy{MaxAttempts: 5, BaseDelay: time.Hour, MaxDelay: time.Hour}))
	if err != nil {
		t.Fatal(err)
	}
	// Real sleeps here (no recorder): the wait must end with the context,
	// not the timer.
	done := make(chan error, 1)
	go func() { _, err := c.Accounts(ctx); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the backoff did not stop on cancel")
	}
	if count.Load() != 1 {
		t.Errorf("%d requests, want 1", count.Load())
	}
}

// hijackClose reads the request body, then drops the connection without an
// answer: the bank got the request, the client never learns what happened.
func hijackClose(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func TestConnectionDropRetriedForGet(t *testing.T) {
	var count atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) == 1 {
			hijackClose(w, r)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c, _ := newTestClient(t, h, nil)
	if _, err := c.Accounts(context.Background()); err != nil {
		t.Fatalf("err = %v", err)
	}
	if count.Load() != 2 {
		t.Errorf("%d requests, want 2", count.Load())
	}
}

func TestConnectionDropAfterWriteIsOutcomeUnknown(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch} {
		var count atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			count.Add(1)
			hijackClose(w, r)
		})
		c, rec := newTestClient(t, h, nil)
		err := callByMethod[method](context.Background(), c)
		if !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%s: err = %v, want ErrOutcomeUnknown", method, err)
		}
		if errors.Unwrap(err) == nil {
			t.Errorf("%s: the cause is not wrapped", method)
		}
		if count.Load() != 1 || len(rec.all()) != 0 {
			t.Errorf("%s: %d requests, %d waits; want 1 and none", method, count.Load(), len(rec.all()))
		}
		if strings.Contains(err.Error(), "012345") {
			t.Errorf("%s: the TAN leaked into %q", method, err)
		}
	}
}

func TestDeadlineWhileWaitingIsOutcomeUnknown(t *testing.T) {
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c, _ := newTestClient(t, h, nil)
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := callByMethod[http.MethodPut](ctx, c)
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want ErrOutcomeUnknown wrapping DeadlineExceeded", err)
	}
}

func TestDialFailureIsNotOutcomeUnknown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := New("http://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = callByMethod[http.MethodPost](context.Background(), c)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("err = %v, want a plain connection error", err)
	}
}

// countingAuth hands out token-N and counts refreshes.
type countingAuth struct {
	mu        sync.Mutex
	gen       int
	refreshes int
	fail      error
}

func (a *countingAuth) Authorize(_ context.Context, req *http.Request) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	req.Header.Set("Authorization", "Bearer token-"+string(rune('0'+a.gen)))
	return nil
}

func (a *countingAuth) Refresh(context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshes++
	if a.fail != nil {
		return a.fail
	}
	a.gen++
	return nil
}

func TestUnauthorizedRefreshesOnceAndResendsOnce(t *testing.T) {
	for method, call := range callByMethod {
		if method == http.MethodDelete {
			continue // token endpoints bring their own bearer
		}
		var count atomic.Int32
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			count.Add(1)
			if r.Header.Get("Authorization") != "Bearer token-1" {
				writeJSON(w, 401, `{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}`)
				return
			}
			switch method {
			case http.MethodGet:
				writeJSON(w, 200, `[]`)
			case http.MethodPatch:
				writeJSON(w, 200, string(docExample(t, "standing_order_cancel")))
			default:
				writeJSON(w, 200, string(docExample(t, "transfer_confirm")))
			}
		})
		auth := &countingAuth{}
		c, _ := newTestClient(t, h, auth)
		if err := call(context.Background(), c); err != nil {
			t.Errorf("%s: %v", method, err)
		}
		if count.Load() != 2 || auth.refreshes != 1 {
			t.Errorf("%s: %d requests, %d refreshes; want 2 and 1", method, count.Load(), auth.refreshes)
		}
	}
}

func TestUnauthorizedTwiceGivesUp(t *testing.T) {
	var count atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		writeJSON(w, 401, `{}`)
	})
	auth := &countingAuth{}
	c, _ := newTestClient(t, h, auth)
	err := callByMethod[http.MethodPost](context.Background(), c)
	if !errors.Is(err, ErrUnauthorized) || count.Load() != 2 || auth.refreshes != 1 {
		t.Errorf("err %v, %d requests, %d refreshes; want 401, 2, 1", err, count.Load(), auth.refreshes)
	}
}

func TestUnauthorizedRefreshFailureNeedsLogin(t *testing.T) {
	var count atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		writeJSON(w, 401, `{}`)
	})
	auth := &countingAuth{fail: errors.Join(ErrLoginNeeded)}
	c, _ := newTestClient(t, h, auth)
	_, err := c.Accounts(context.Background())
	if !errors.Is(err, ErrLoginNeeded) || !errors.Is(err, ErrUnauthorized) || count.Load() != 1 {
		t.Errorf("err %v after %d requests; want ErrLoginNeeded and ErrUnauthorized after 1", err, count.Load())
	}
}

func TestBasicAuthRefreshNeedsLogin(t *testing.T) {
	a := BasicAuth("Aladdin", "OpenSesame")
	if err := a.Refresh(context.Background()); !errors.Is(err, ErrLoginNeeded) {
		t.Errorf("Refresh = %v", err)
	}
	for _, s := range []string{fmtV(a), fmtPlusV(a), fmtSharpV(a)} {
		if strings.Contains(s, "OpenSesame") {
			t.Errorf("password printed: %s", s)
		}
	}
}

func TestErrorAnswersThroughClient(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"errors":[{"id":"x","status":400,"code":"invalid_tan","title":"Invalid TAN","detail":"The TAN is wrong","source":{"field":"authorizationToken"},"meta":{"triesLeft":2}}]}`)
	})
	c, _ := newTestClient(t, h, BasicAuth("Aladdin", "OpenSesame"))
	p := &PendingTransfer{Transfer: Transfer{Links: TransferLinks{Self: "/api/accounts/4711/transfer/xctrx"}}}
	_, err := c.ConfirmTransfer(context.Background(), p, "987654")
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *Error", err)
	}
	want := Error{Status: 400, Code: "invalid_tan", Title: "Invalid TAN", Detail: "The TAN is wrong", Field: "authorizationToken", TriesLeft: 2}
	if *apiErr != want {
		t.Errorf("got %+v, want %+v", *apiErr, want)
	}
	if !errors.Is(err, ErrInvalidTAN) {
		t.Error("not ErrInvalidTAN")
	}
	for _, secret := range []string{"987654", "OpenSesame", "QWxhZGRpbjpPcGVuU2VzYW1l", "Authorization"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains %q", err, secret)
		}
	}
	if got := Message(err); got != "wrong TAN, 2 tries left" {
		t.Errorf("Message = %q", got)
	}
}

func TestParseErrorShapes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header string
		body   string
		want   Error
	}{
		{"solaris", 422, "", `{"errors":[{"status":422,"code":"insufficient_funds","title":"Unprocessable","detail":"Not enough money","source":{"field":"amount"}}]}`,
			Error{Status: 422, Code: "insufficient_funds", Title: "Unprocessable", Detail: "Not enough money", Field: "amount"}},
		{"solaris no source", 404, "", `{"errors":[{"status":404,"code":"not_found","title":"Not Found"},{"title":"second"}]}`,
			Error{Status: 404, Code: "not_found", Title: "Not Found"}},
		{"tries left as string", 400, "", `{"errors":[{"code":"invalid_tan","title":"t","meta":{"triesLeft":"1"}}]}`,
			Error{Status: 400, Code: "invalid_tan", Title: "t", TriesLeft: 1}},
		{"top-level title", 403, "", `{"title":"Forbidden thing","detail":"not yours"}`,
			Error{Status: 403, Title: "Forbidden thing", Detail: "not yours"}},
		{"top-level message", 400, "", `{"message":"Bad things"}`,
			Error{Status: 400, Title: "Bad things"}},
		{"plain text", 502, "", `<html>Bad Gateway from nginx</html>`,
			Error{Status: 502, Title: "Bad Gateway"}},
		{"empty", 500, "", ``, Error{Status: 500, Title: "Internal Server Error"}},
		{"empty errors list", 409, "", `{"errors":[]}`, Error{Status: 409, Title: "Conflict"}},
		{"retry-after seconds", 429, "12", `{}`, Error{Status: 429, Title: "Too Many Requests", RetryAfter: 12}},
		{"retry-after garbage", 429, "soon", `{}`, Error{Status: 429, Title: "Too Many Requests"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set("Retry-After", tc.header)
			}
			got := parseError(tc.status, h, []byte(tc.body))
			if *got != tc.want {
				t.Errorf("got %+v, want %+v", *got, tc.want)
			}
		})
	}
}

func TestParseErrorClipsLongText(t *testing.T) {
	long := strings.Repeat("ä", 1000)
	got := parseError(400, http.Header{}, []byte(`{"title":"`+long+`"}`))
	if len(got.Title) > maxErrorText+len("…") || !strings.HasSuffix(got.Title, "…") {
		t.Errorf("title of %d bytes not clipped", len(got.Title))
	}
	if !strings.HasPrefix(got.Title, "ää") || strings.ContainsRune(got.Title, '\uFFFD') {
		t.Error("clip broke a rune")
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if got := retryAfterSeconds(now.Add(90*time.Second).Format(http.TimeFormat), now); got != 90 {
		t.Errorf("got %d, want 90", got)
	}
	if got := retryAfterSeconds(now.Add(-time.Minute).Format(http.TimeFormat), now); got != 0 {
		t.Errorf("past date: got %d, want 0", got)
	}
}

func TestMalformedAnswer(t *testing.T) {
	for _, body := range []string{`{"id": "SECRET-LOOKING-VALUE"`, `[{"id":"SECRET-LOOKING-VALUE"}]`, ``} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
		c, _ := newTestClient(t, h, nil)
		_, err := c.Accounts(context.Background())
		if !errors.Is(err, ErrBadAnswer) {
			t.Errorf("%q: err = %v, want ErrBadAnswer", body, err)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "could not be read") {
			t.Errorf("%q: message %q", body, err)
		}
		if Message(err) != "the bank's answer could not be read: try again" {
			t.Errorf("Message = %q", Message(err))
		}
	}
}

func TestAnswerSizeLimited(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		io.WriteString(w, "[")
		chunk := strings.Repeat(`{"id":1,"iban":"x","balance":1,"accountType":null},`, 1000)
		for written := 0; written < maxAnswerBytes+len(chunk); written += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	c, _ := newTestClient(t, h, nil)
	_, err := c.Accounts(context.Background())
	if !errors.Is(err, ErrAnswerTooLarge) {
		t.Errorf("err = %v, want ErrAnswerTooLarge", err)
	}
}

func TestNextLinkResolvesAgainstHost(t *testing.T) {
	var gotURI atomic.Value
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotURI.Store(r.URL.RequestURI())
		writeJSON(w, 200, `{"next":null,"total":3,"results":[]}`)
	})
	c, _ := newTestClient(t, h, nil)
	page, err := c.TransactionsNext(context.Background(), "/api/accounts/4711/transactions?page=2")
	if err != nil {
		t.Fatal(err)
	}
	if gotURI.Load() != "/api/accounts/4711/transactions?page=2" || page.Total != 3 {
		t.Errorf("requested %v, total %d", gotURI.Load(), page.Total)
	}
	for _, bad := range []string{"https://evil.example/api", "//evil.example/api", "api/accounts", "http://127.0.0.1:1/x"} {
		if _, err := c.TransactionsNext(context.Background(), bad); err == nil {
			t.Errorf("link %q accepted", bad)
		}
	}
}

func TestResolveLinkWithBasePrefix(t *testing.T) {
	c, err := New("https://bank.example/prefix/", nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.resolveLink("/api/accounts/4711/transactions?page=2")
	if err != nil {
		t.Fatal(err)
	}
	if u.String() != "https://bank.example/api/accounts/4711/transactions?page=2" {
		t.Errorf("resolved to %s", u)
	}
	if got := c.endpoint("/api/accounts", nil).String(); got != "https://bank.example/prefix/api/accounts" {
		t.Errorf("endpoint = %s", got)
	}
}

func TestTransactionsPageRejectsPageZero(t *testing.T) {
	c, _ := newTestClient(t, http.NotFoundHandler(), nil)
	if _, err := c.TransactionsPage(context.Background(), 4711, 0); err == nil {
		t.Error("page 0 accepted")
	}
}

// TestEndpoints checks method, path, body and decoding of every endpoint
// against the doc's examples.
func TestEndpoints(t *testing.T) {
	type call struct {
		name     string
		do       func(ctx context.Context, c *Client) (any, error)
		method   string
		uri      string
		body     string // expected request JSON ("" = no body)
		bearer   string
		noAuth   bool
		answer   string // doc example name
		check    func(t *testing.T, got any)
		noAnswer bool
	}
	note := Ptr("Thank you for paying my lunch")
	transferReq := TransferRequest{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: 1250, Note: note}
	first := time.Date(2019, 8, 27, 14, 32, 8, 604e6, time.UTC)
	calls := []call{
		{name: "refresh token", method: "POST", uri: "/api/user/refresh-token", noAuth: true, answer: "token",
			body: `{"email":"a@b.c","password":"pw"}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateRefreshToken(ctx, Credentials{Email: "a@b.c", Password: "pw"})
			},
			check: func(t *testing.T, got any) {
				if !strings.HasPrefix(got.(string), "eyJ") {
					t.Errorf("token %v", got)
				}
			}},
		{name: "auth token", method: "POST", uri: "/api/user/auth-token", noAuth: true, answer: "token",
			body: `{"email":"a@b.c","password":"pw"}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateAuthToken(ctx, Credentials{Email: "a@b.c", Password: "pw"})
			}},
		{name: "auth token from refresh", method: "POST", uri: "/api/user/auth-token", bearer: "REFRESH", answer: "token",
			do: func(ctx context.Context, c *Client) (any, error) { return c.AuthTokenFromRefresh(ctx, "REFRESH") }},
		{name: "invalidate auth", method: "DELETE", uri: "/api/user/auth-token", bearer: "AUTH", noAnswer: true,
			do: func(ctx context.Context, c *Client) (any, error) { return nil, c.InvalidateAuthToken(ctx, "AUTH") }},
		{name: "invalidate refresh", method: "DELETE", uri: "/api/user/refresh-token", bearer: "REFRESH", noAnswer: true,
			do: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.InvalidateRefreshToken(ctx, "REFRESH")
			}},
		{name: "accounts", method: "GET", uri: "/api/accounts", answer: "accounts",
			do: func(ctx context.Context, c *Client) (any, error) { return c.Accounts(ctx) },
			check: func(t *testing.T, got any) {
				if a := got.([]Account); len(a) != 1 || a[0].Balance != 17325 {
					t.Errorf("%+v", a)
				}
			}},
		{name: "transactions page", method: "GET", uri: "/api/accounts/4711/transactions?page=3", answer: "transactions",
			do: func(ctx context.Context, c *Client) (any, error) { return c.TransactionsPage(ctx, 4711, 3) },
			check: func(t *testing.T, got any) {
				p := got.(*TransactionPage)
				if p.Total != 3 || len(p.Results) != 2 || p.Results[1].Amount != -50433 || Str(p.Next) != "/api/accounts/4711/transactions?page=2" {
					t.Errorf("%+v", p)
				}
			}},
		{name: "transaction", method: "GET", uri: "/api/accounts/4711/transactions/905800", answer: "transaction",
			do: func(ctx context.Context, c *Client) (any, error) { return c.Transaction(ctx, 4711, 905800) },
			check: func(t *testing.T, got any) {
				if tx := got.(*Transaction); tx.ID != 905800 || tx.BookingDate.Format(time.RFC3339) != "2018-08-06T22:00:00Z" {
					t.Errorf("%+v", tx)
				}
			}},
		{name: "create transfer", method: "POST", uri: "/api/accounts/4711/transfer", answer: "transfer_create",
			body: `{"recipient":"Karl Brenner","iban":"DE89370400440532013000","amount":1250,"note":"Thank you for paying my lunch","e2eId":null}`,
			do:   func(ctx context.Context, c *Client) (any, error) { return c.CreateTransfer(ctx, 4711, transferReq) },
			check: func(t *testing.T, got any) {
				p := got.(*PendingTransfer)
				if p.TANLength() != 6 || p.Request != transferReq || p.AccountID != 4711 || p.Transfer.Status != TransferConfirmationRequired {
					t.Errorf("%+v", p)
				}
			}},
		{name: "confirm transfer", method: "PUT", uri: "/api/accounts/4711/transfer/f55641811042b9e85989bd57c3718346ctrx", answer: "transfer_confirm",
			body: `{"recipient":"Karl Brenner","iban":"DE89370400440532013000","amount":1250,"note":"Thank you for paying my lunch","e2eId":null,"authorizationToken":"012345"}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				var created Transfer
				json.Unmarshal(docExample(t, "transfer_create"), &created)
				return c.ConfirmTransfer(ctx, &PendingTransfer{Transfer: created, AccountID: 4711, Request: transferReq}, "012345")
			},
			check: func(t *testing.T, got any) {
				if tr := got.(*Transfer); tr.Status != TransferAccepted || tr.Amount != 1250 {
					t.Errorf("%+v", tr)
				}
			}},
		{name: "standing orders", method: "GET", uri: "/api/accounts/4711/standing-orders", answer: "standing_orders",
			do: func(ctx context.Context, c *Client) (any, error) { return c.StandingOrders(ctx, 4711) },
			check: func(t *testing.T, got any) {
				if so := got.([]StandingOrder); len(so) != 2 || so[1].ID != 6 || so[1].LastExecutionDate != nil {
					t.Errorf("%+v", so)
				}
			}},
		{name: "create standing order", method: "POST", uri: "/api/accounts/4711/standing-orders", answer: "standing_order_create",
			body: `{"recipient":"John Smith","iban":"DE33100110012626008537","amount":12012,"note":"Regular payment","e2eId":null,"reoccurrence":"MONTHLY","firstExecutionDate":"2019-08-27T14:32:08.604Z","lastExecutionDate":null}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateStandingOrder(ctx, 4711, StandingOrderRequest{Recipient: "John Smith", IBAN: "DE33100110012626008537", Amount: 12012,
					Note: Ptr("Regular payment"), Reoccurrence: Monthly, FirstExecutionDate: ZTime{first}})
			},
			check: func(t *testing.T, got any) {
				if p := got.(*StandingOrderPending); p.RequestID != "92bf42e2eb6405f3a61babab43d623b1" {
					t.Errorf("%+v", p)
				}
			}},
		{name: "update standing order", method: "PATCH", uri: "/api/accounts/4711/standing-orders/20", answer: "standing_order_update",
			body: `{"amount":500,"note":"Updated standing order","lastExecutionDate":null}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateStandingOrder(ctx, 4711, 20, StandingOrderUpdate{Amount: Some[int64](500), Note: Some("Updated standing order"), LastExecutionDate: Null[ZTime]()})
			},
			check: func(t *testing.T, got any) {
				if p := got.(*StandingOrderPending); p.RequestID != "1568357736285" || Str(p.E2EID) != "123456789" {
					t.Errorf("%+v", p)
				}
			}},
		{name: "cancel standing order", method: "PATCH", uri: "/api/accounts/4711/standing-orders/20/cancel", answer: "standing_order_cancel",
			do: func(ctx context.Context, c *Client) (any, error) { return c.CancelStandingOrder(ctx, 4711, 20) },
			check: func(t *testing.T, got any) {
				if p := got.(*StandingOrderCancelPending); p.RequestID != "1568357935921" || p.Status != StatusConfirmationRequired {
					t.Errorf("%+v", p)
				}
			}},
		{name: "confirm standing order", method: "POST", uri: "/api/accounts/4711/standing-orders/confirm", answer: "standing_order_confirm",
			body: `{"requestId":"92bf42e2eb6405f3a61babab43d623b1","authorizationToken":"749245"}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.ConfirmStandingOrder(ctx, 4711, "92bf42e2eb6405f3a61babab43d623b1", "749245")
			},
			check: func(t *testing.T, got any) {
				if so := got.(*StandingOrder); so.ID != 20 || so.Status != StatusActive || so.NextOccurrence == nil {
					t.Errorf("%+v", so)
				}
			}},
		{name: "timed orders", method: "GET", uri: "/api/accounts/4711/timed-orders", answer: "timed_orders",
			do: func(ctx context.Context, c *Client) (any, error) { return c.TimedOrders(ctx, 4711) },
			check: func(t *testing.T, got any) {
				if to := got.([]TimedOrderListItem); len(to) != 1 || to[0].Amount != -12012 {
					t.Errorf("%+v", to)
				}
			}},
		{name: "create timed order", method: "POST", uri: "/api/accounts/4711/timed-orders", answer: "timed_order_create",
			body: `{"recipient":"John Smith","iban":"DE33100110012626008537","amount":12012,"note":"Bill payment","e2eId":null,"date":"2019-08-27T14:32:08.604Z"}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateTimedOrder(ctx, 4711, TimedOrderRequest{Recipient: "John Smith", IBAN: "DE33100110012626008537", Amount: 12012, Note: Ptr("Bill payment"), Date: ZTime{first}})
			},
			check: func(t *testing.T, got any) {
				if to := got.(*TimedOrder); to.ID != "9939482a-b1a2-4cff-8b48-ae340e398659" || to.ScheduledTransaction.Amount.Value != 12012 {
					t.Errorf("%+v", to)
				}
			}},
		{name: "confirm timed order", method: "POST", uri: "/api/accounts/4711/timed-orders/9939482a-b1a2-4cff-8b48-ae340e398659/confirm", answer: "timed_order_confirm",
			body: `{"token":"931434"}`,
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.ConfirmTimedOrder(ctx, 4711, "9939482a-b1a2-4cff-8b48-ae340e398659", "931434")
			},
			check: func(t *testing.T, got any) {
				if to := got.(*TimedOrder); to.Status != StatusScheduled {
					t.Errorf("%+v", to)
				}
			}},
		{name: "cancel timed order", method: "PATCH", uri: "/api/accounts/4711/timed-orders/9939482a-b1a2-4cff-8b48-ae340e398659/cancel", answer: "timed_order_cancel",
			do: func(ctx context.Context, c *Client) (any, error) {
				return c.CancelTimedOrder(ctx, 4711, "9939482a-b1a2-4cff-8b48-ae340e398659")
			},
			check: func(t *testing.T, got any) {
				if to := got.(*TimedOrder); to.Status != StatusCanceled {
					t.Errorf("%+v", to)
				}
			}},
		{name: "timed order id escaped", method: "PATCH", uri: "/api/accounts/4711/timed-orders/a%2F..%2Fb/cancel", answer: "timed_order_cancel",
			do: func(ctx context.Context, c *Client) (any, error) { return c.CancelTimedOrder(ctx, 4711, "a/../b") }},
		{name: "sandbox sms", method: "GET", uri: "/sandbox/sms", noAuth: true,
			do: func(ctx context.Context, c *Client) (any, error) { return c.SandboxSMS(ctx) }},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			var gotMethod, gotURI, gotAuth, gotCType string
			var gotBody []byte
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotMethod, gotURI, gotAuth, gotCType = r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("Content-Type")
				gotBody, _ = io.ReadAll(r.Body)
				switch {
				case tc.noAnswer:
					w.WriteHeader(200)
				case tc.answer == "":
					writeJSON(w, 200, `[{"to":"+49","text":"TAN 123456","tan":"123456","requestId":"r","createdAt":"2026-11-25T10:00:00Z"}]`)
				default:
					writeJSON(w, 200, string(docExample(t, tc.answer)))
				}
			})
			c, _ := newTestClient(t, h, BasicAuth("Aladdin", "OpenSesame"))
			got, err := tc.do(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if gotMethod != tc.method || gotURI != tc.uri {
				t.Errorf("request %s %s, want %s %s", gotMethod, gotURI, tc.method, tc.uri)
			}
			switch {
			case tc.bearer != "":
				if gotAuth != "Bearer "+tc.bearer {
					t.Errorf("Authorization %q, want the bearer token", gotAuth)
				}
			case tc.noAuth:
				if gotAuth != "" {
					t.Errorf("Authorization %q, want none", gotAuth)
				}
			default:
				if !strings.HasPrefix(gotAuth, "Basic ") {
					t.Errorf("Authorization %q, want Basic", gotAuth)
				}
			}
			if tc.body == "" {
				if len(gotBody) != 0 {
					t.Errorf("body %s, want none", gotBody)
				}
			} else {
				if string(gotBody) != tc.body {
					t.Errorf("body\n %s\nwant\n %s", gotBody, tc.body)
				}
				if gotCType != "application/json" {
					t.Errorf("Content-Type %q", gotCType)
				}
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func TestMessageOutcomeUnknown(t *testing.T) {
	err := errors.New("x")
	wrapped := &OutcomeUnknownError{Err: err}
	if !errors.Is(wrapped, ErrOutcomeUnknown) || !errors.Is(wrapped, err) {
		t.Error("OutcomeUnknownError does not match both")
	}
	if !strings.Contains(Message(wrapped), "may or may not") {
		t.Errorf("Message = %q", Message(wrapped))
	}
}

func fmtV(v any) string      { return fmt.Sprintf("%v", v) }
func fmtPlusV(v any) string  { return fmt.Sprintf("%+v", v) }
func fmtSharpV(v any) string { return fmt.Sprintf("%#v", v) }

// A GET whose body arrives cut short is asked again, like one whose
// connection dropped; a POST never is.
func TestTruncatedReadIsRetried(t *testing.T) {
	var calls atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 200, `[{"id":4711,"iban":"DE89`)
			return
		}
		writeJSON(w, 200, `[{"id":4711,"iban":"DE89370400440532013000","balance":17325,"accountType":null}]`)
	})
	c, sleeps := newTestClient(t, h, nil)
	accs, err := c.Accounts(context.Background())
	if err != nil || len(accs) != 1 || accs[0].Balance != 17325 {
		t.Fatalf("Accounts = %v, %v; want the second answer", accs, err)
	}
	if calls.Load() != 2 || len(sleeps.all()) != 1 {
		t.Errorf("%d calls, %d backoffs; want 2 and 1", calls.Load(), len(sleeps.all()))
	}

	calls.Store(0)
	post := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 200, `{"status":"confirmation_requ`)
	})
	c, _ = newTestClient(t, post, nil)
	_, err = c.CreateTransfer(context.Background(), 4711, TransferRequest{Recipient: "Karl", IBAN: "DE89370400440532013000", Amount: 1250})
	if !errors.Is(err, ErrBadAnswer) || calls.Load() != 1 {
		t.Errorf("POST with a cut answer: err %v after %d calls; want ErrBadAnswer after 1", err, calls.Load())
	}
}

// Texts beyond any sane length are cut when decoded, whatever the answer.
func TestHugeTextsAreCut(t *testing.T) {
	huge := strings.Repeat("ä", 1_000_000)
	page := fmt.Sprintf(`{"next":null,"total":1,"results":[{"id":1,"amount":-5,"name":%q,"purpose":%q,"iban":%q,"e2eId":null,"bookingDate":"2026-11-25T10:00:00+00:00","invoicePreviewUrl":%q}]}`,
		huge, huge, huge, "https://x.example/"+huge)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, page) })
	c, _ := newTestClient(t, h, nil)
	p, err := c.TransactionsPage(context.Background(), 4711, 1)
	if err != nil {
		t.Fatal(err)
	}
	tx := p.Results[0]
	for _, f := range []struct {
		name string
		got  string
		max  int
	}{{"name", *tx.Name, MaxNameLen}, {"purpose", *tx.Purpose, MaxTextLen}, {"iban", *tx.IBAN, MaxCodeLen}, {"url", *tx.InvoicePreviewURL, MaxURLLen}} {
		if n := utf8.RuneCountInString(f.got); n != f.max+1 || !WasCut(f.got, f.max) {
			t.Errorf("%s: %d characters, WasCut %v; want %d and true", f.name, n, WasCut(f.got, f.max), f.max+1)
		}
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"Karl", 4, "Karl", false},
		{"Karla", 4, "Karl…", true},
		{"Käse!", 4, "Käse…", true},
		{"Kä…", 3, "Kä…", false}, // sent that way: not cut
		{"", 0, "", false},
	} {
		got := Cut(c.in, c.max)
		if got != c.want || WasCut(got, c.max) != c.cut {
			t.Errorf("Cut(%q, %d) = %q (WasCut %v); want %q (%v)", c.in, c.max, got, WasCut(got, c.max), c.want, c.cut)
		}
	}
}
