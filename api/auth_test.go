package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var testSecret = []byte("test secret")

// mintToken signs an HS256 token issued now (seconds, as JWT has) living life.
func mintToken(t testing.TB, subject string, issued time.Time, life time.Duration) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": subject,
		"iat": issued.Unix(),
		"exp": issued.Add(life).Unix(),
	})
	s, err := tok.SignedString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenBank answers POST /api/user/auth-token with fresh tokens of the given
// life, or with the status fail() returns.
type tokenBank struct {
	t       testing.TB
	life    time.Duration
	refresh string
	count   atomic.Int32
	fail    func(n int32) int // status to answer instead, 0 = succeed
	release chan struct{}     // if set, answers wait for it
	gen     atomic.Int32
}

func (b *tokenBank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := b.count.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != "/api/user/auth-token" {
		writeJSON(w, 404, `{}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+b.refresh {
		writeJSON(w, 401, `{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}`)
		return
	}
	if b.release != nil {
		<-b.release
	}
	if b.fail != nil {
		if status := b.fail(n); status != 0 {
			writeJSON(w, status, `{}`)
			return
		}
	}
	g := b.gen.Add(1)
	writeJSON(w, 200, `{"token":"`+mintToken(b.t, "gen"+string(rune('0'+g%10)), time.Now(), b.life)+`"}`)
}

func newTokenBank(t *testing.T, life time.Duration) (*tokenBank, *httptest.Server, string) {
	refresh := mintToken(t, "refresh", time.Now(), 30*24*time.Hour)
	b := &tokenBank{t: t, life: life, refresh: refresh}
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return b, srv, refresh
}

// holdAnswers makes b's answers wait until the returned release is called;
// a failing test releases them itself so the server can close.
func holdAnswers(t *testing.T, b *tokenBank) (release func()) {
	b.release = make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(b.release) }) }
	t.Cleanup(release)
	return release
}

func newSource(t *testing.T, url, refresh string) *JWTSource {
	t.Helper()
	s, err := NewJWTSource(url, refresh, WithJWTRetryPolicy(RetryPolicy{BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// nextEvent waits for an event of kind, skipping others.
func nextEvent(t *testing.T, s *JWTSource, kind TokenEventKind) TokenEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.Events():
			if !ok {
				t.Fatalf("events closed while waiting for %v", kind)
			}
			if ev.Kind == kind {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v event", kind)
		}
	}
}

func TestTokenExpiry(t *testing.T) {
	issued := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	exp, life := tokenExpiry(mintToken(t, "x", issued, time.Hour), time.Now())
	if !exp.Equal(issued.Add(time.Hour)) || life != time.Hour {
		t.Errorf("exp %v life %v", exp, life)
	}
	now := time.Now()
	exp, life = tokenExpiry("not a jwt", now)
	if !exp.Equal(now.Add(time.Hour)) || life != time.Hour {
		t.Errorf("opaque token: exp %v life %v, want the doc's hour", exp, life)
	}
	// The doc's own refresh token: exp 1561045935.
	exp, _ = tokenExpiry("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NjYxYjIyZC01NzRmLTQwOWMtYjRlYy03ZmJhOTQ1ZGYwYjkiLCJzY29wZSI6InJlZnJlc2giLCJpYXQiOjE1NTg0NTM5MzUsImV4cCI6MTU2MTA0NTkzNX0.jXGbFGKxGciGGwNXhgJz6R0nd_swniBHFSOul6V4kjY", now)
	if exp.Unix() != 1561045935 {
		t.Errorf("doc token exp %v", exp.Unix())
	}
}

func TestTokenIsFetchedOnceAndCached(t *testing.T) {
	bank, srv, refresh := newTokenBank(t, time.Hour)
	s := newSource(t, srv.URL, refresh)
	a, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Token(context.Background())
	if err != nil || a != b || bank.count.Load() != 1 {
		t.Errorf("second Token: %v, same=%v, %d requests", err, a == b, bank.count.Load())
	}
	ev := nextEvent(t, s, TokenRefreshed)
	if d := time.Until(ev.Expires); d < 59*time.Minute || d > time.Hour {
		t.Errorf("event Expires in %v", d)
	}
	if s.RefreshToken() != refresh {
		t.Error("RefreshToken changed")
	}
}

func TestConcurrentRefreshesCoalesce(t *testing.T) {
	bank, srv, refresh := newTokenBank(t, time.Hour)
	release := holdAnswers(t, bank)
	s := newSource(t, srv.URL, refresh)
	const callers = 100
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() { errs <- s.Refresh(context.Background()) })
	}
	// Hold the one request until every caller shares it.
	waitFor(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.flight != nil && s.flight.waiters == callers
	})
	release()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := bank.count.Load(); n != 1 {
		t.Errorf("%d token requests for %d concurrent refreshes, want 1", n, callers)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRefreshCallerCancelDoesNotFailOthers(t *testing.T) {
	bank, srv, refresh := newTokenBank(t, time.Hour)
	release := holdAnswers(t, bank)
	s := newSource(t, srv.URL, refresh)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { first <- s.Refresh(ctx) }()
	waitFor(t, func() bool { return bank.count.Load() == 1 })
	second := make(chan error, 1)
	go func() { second <- s.Refresh(context.Background()) }()
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("first = %v, want canceled", err)
	}
	release()
	if err := <-second; err != nil {
		t.Errorf("second = %v", err)
	}
}

func TestBackgroundRefreshAtEightyPercent(t *testing.T) {
	// JWT times have whole seconds; a 2 s token is refreshed after ~1.6 s.
	bank, srv, refresh := newTokenBank(t, 2*time.Second)
	s := newSource(t, srv.URL, refresh)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	first := nextEvent(t, s, TokenRefreshed)
	tok1, _ := s.Token(context.Background())
	second := nextEvent(t, s, TokenRefreshed)
	if !second.Expires.After(first.Expires) && second.Expires != first.Expires {
		t.Errorf("second token expires %v, first %v", second.Expires, first.Expires)
	}
	tok2, _ := s.Token(context.Background())
	if tok1 == tok2 {
		t.Error("token unchanged after the background refresh")
	}
	if time.Now().After(first.Expires) {
		t.Error("refreshed only after the first token expired")
	}
	if n := bank.count.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestTransientRefreshFailureIsRetried(t *testing.T) {
	bank, srv, refresh := newTokenBank(t, time.Hour)
	bank.fail = func(n int32) int {
		if n <= 2 {
			return 503
		}
		return 0
	}
	s := newSource(t, srv.URL, refresh)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	failed := nextEvent(t, s, TokenRefreshFailed)
	if failed.Err == nil || strings.Contains(failed.Err.Error(), refresh) {
		t.Errorf("failure event err %v", failed.Err)
	}
	nextEvent(t, s, TokenRefreshed)
	if n := bank.count.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestRefreshRefusedNeedsLogin(t *testing.T) {
	bank, srv, _ := newTokenBank(t, time.Hour)
	revoked := mintToken(t, "revoked", time.Now(), time.Hour)
	s := newSource(t, srv.URL, revoked)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	ev := nextEvent(t, s, LoginNeeded)
	if !errors.Is(ev.Err, ErrLoginNeeded) || strings.Contains(ev.Err.Error(), revoked) {
		t.Errorf("event err %v", ev.Err)
	}
	if _, err := s.Token(context.Background()); !errors.Is(err, ErrLoginNeeded) {
		t.Errorf("Token = %v", err)
	}
	if err := s.Refresh(context.Background()); !errors.Is(err, ErrLoginNeeded) {
		t.Errorf("Refresh = %v", err)
	}
	req, _ := http.NewRequest("GET", "/", nil)
	if err := s.Authorize(context.Background(), req); !errors.Is(err, ErrLoginNeeded) || req.Header.Get("Authorization") != "" {
		t.Errorf("Authorize = %v", err)
	}
	if n := bank.count.Load(); n != 1 {
		t.Errorf("%d requests, want 1 (login needed is final)", n)
	}
}

func TestRefreshTokenExpiringEvent(t *testing.T) {
	_, srv, _ := newTokenBank(t, time.Hour)
	exp := time.Now().Add(48 * time.Hour).Truncate(time.Second)
	refresh := mintToken(t, "refresh", exp.Add(-30*24*time.Hour), 30*24*time.Hour)
	s := newSource(t, srv.URL, refresh)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	ev := nextEvent(t, s, RefreshTokenExpiring)
	if !ev.Expires.Equal(exp) {
		t.Errorf("Expires %v, want %v", ev.Expires, exp)
	}
}

func TestNoExpiringEventForFreshRefreshToken(t *testing.T) {
	_, srv, refresh := newTokenBank(t, time.Hour)
	s := newSource(t, srv.URL, refresh)
	s.Start(context.Background())
	nextEvent(t, s, TokenRefreshed)
	s.Close()
	for ev := range s.Events() {
		if ev.Kind == RefreshTokenExpiring {
			t.Error("RefreshTokenExpiring for a 30-day token")
		}
	}
}

func TestEventsNeverBlockAndKeepNewest(t *testing.T) {
	s, err := NewJWTSource("https://bank.example", "r")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for i := range 100 {
			s.emit(TokenEvent{Kind: TokenRefreshed, Expires: time.Unix(int64(i), 0)})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("emit blocked")
	}
	s.Close()
	var got []int64
	for ev := range s.Events() {
		got = append(got, ev.Expires.Unix())
	}
	if len(got) != eventBuffer || got[len(got)-1] != 99 || got[0] != 100-eventBuffer {
		t.Errorf("kept %v", got)
	}
	s.emit(TokenEvent{Kind: TokenRefreshed}) // after Close: dropped, no panic
}

func TestJWTSourceWithClientResendsAfter401(t *testing.T) {
	bank, srv, refresh := newTokenBank(t, time.Hour)
	var revokedFirst atomic.Value
	var apiCalls atomic.Int32
	mux := http.NewServeMux()
	mux.Handle("/api/user/auth-token", bank)
	mux.HandleFunc("/api/accounts", func(w http.ResponseWriter, r *http.Request) {
		apiCalls.Add(1)
		auth := r.Header.Get("Authorization")
		if revokedFirst.Load() == nil {
			revokedFirst.Store(auth) // the bank forgets the first token
		}
		if auth == revokedFirst.Load() {
			writeJSON(w, 401, `{}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	api := httptest.NewServer(mux)
	defer api.Close()
	_ = srv
	s := newSource(t, api.URL, refresh)
	c, err := New(api.URL, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if apiCalls.Load() != 2 || bank.count.Load() != 2 {
		t.Errorf("%d api calls, %d token requests; want 2 and 2", apiCalls.Load(), bank.count.Load())
	}
}

func TestTokenEventKindString(t *testing.T) {
	for k, want := range map[TokenEventKind]string{TokenRefreshed: "token refreshed", TokenRefreshFailed: "token refresh failed",
		RefreshTokenExpiring: "refresh token expiring", LoginNeeded: "login needed", 0: "TokenEventKind(0)"} {
		if k.String() != want {
			t.Errorf("%d: %q", int(k), k.String())
		}
	}
}
