package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// swapBank answers auth-token requests: Bearer "new" gets a token, anything
// else 401 (a bank that forgot the old session).
func swapBank(t *testing.T) (url string, requests *atomic.Int32) {
	t.Helper()
	requests = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/api/user/auth-token" || r.Header.Get("Authorization") != "Bearer new" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"token":"` + testJWT(t, time.Hour) + `"}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, requests
}

func testJWT(t *testing.T, life time.Duration) string {
	now := time.Now()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iat": now.Unix(), "exp": now.Add(life).Unix(),
	}).SignedString([]byte("test"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func awaitEvent(t *testing.T, s *JWTSource, want TokenEventKind) TokenEvent {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-s.Events():
			if ev.Kind == want {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v event", want)
		}
	}
}

func TestSetRefreshTokenAfterLoginNeeded(t *testing.T) {
	url, _ := swapBank(t)
	src, err := NewJWTSource(url, "old")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src.Start(ctx)
	awaitEvent(t, src, LoginNeeded)
	if _, err := src.Token(ctx); !errors.Is(err, ErrLoginNeeded) {
		t.Fatalf("Token before the new login: %v, want ErrLoginNeeded", err)
	}

	src.SetRefreshToken("new")
	if src.RefreshToken() != "new" {
		t.Fatal("refresh token not replaced")
	}
	// The refresher, stopped for want of a login, runs again by itself.
	ev := awaitEvent(t, src, TokenRefreshed)
	if time.Until(ev.Expires) < 50*time.Minute {
		t.Errorf("new token expires %v, want in about an hour", ev.Expires)
	}
	tok, err := src.Token(ctx)
	if err != nil || strings.Count(tok, ".") != 2 {
		t.Fatalf("Token after the new login: %q, %v", tok, err)
	}
}

func TestSetAuthTokenSkipsTheFirstRefresh(t *testing.T) {
	url, requests := swapBank(t)
	src, err := NewJWTSource(url, "new")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	auth := testJWT(t, time.Hour)
	src.SetAuthToken(auth)
	if ev := awaitEvent(t, src, TokenRefreshed); ev.Expires.IsZero() {
		t.Error("TokenRefreshed without an expiry")
	}
	tok, err := src.Token(context.Background())
	if err != nil || tok != auth {
		t.Fatalf("Token = %q, %v; want the login's auth token", tok, err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests to the bank, want none", n)
	}
}

// TestSetRefreshTokenWhileRefreshing swaps the refresh token while fetches
// run: the fetch reads the token under the lock (go test -race).
func TestSetRefreshTokenWhileRefreshing(t *testing.T) {
	url, _ := swapBank(t)
	src, err := NewJWTSource(url, "new")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			src.SetRefreshToken("new")
			_ = src.RefreshToken()
		}
	}()
	for i := 0; i < 20; i++ {
		_ = src.Refresh(ctx)
	}
	<-done
}

// TestOldTokenRefusedAfterSwapKeepsNewSession: the bank refuses the old
// refresh token of a fetch that was under way when the user logged in again;
// that refusal must not mark the new session as needing a login.
func TestOldTokenRefusedAfterSwapKeepsNewSession(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer new" {
			close(arrived)
			<-release
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}`))
			return
		}
		w.Write([]byte(`{"token":"` + testJWT(t, time.Hour) + `"}`))
	}))
	defer srv.Close()
	src, err := NewJWTSource(srv.URL, "old")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := context.Background()
	refreshed := make(chan error, 1)
	go func() { refreshed <- src.Refresh(ctx) }()
	<-arrived
	src.SetRefreshToken("new")
	close(release)
	<-refreshed
	if _, err := src.Token(ctx); err != nil {
		t.Fatalf("Token after the new login: %v", err)
	}
}

// TestConcurrentCloseClosesOnce: two Closes at once must not close the
// events channel twice (a panic).
func TestConcurrentCloseClosesOnce(t *testing.T) {
	for i := 0; i < 50; i++ {
		src, err := NewJWTSource("http://127.0.0.1:1", "r")
		if err != nil {
			t.Fatal(err)
		}
		src.Start(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); src.Close() }()
		src.Close()
		<-done
	}
}

func TestAuthTokenIsTheOneInHand(t *testing.T) {
	url, _ := swapBank(t)
	src, err := NewJWTSource(url, "old")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if tok := src.AuthToken(); tok != "" {
		t.Fatalf("AuthToken before any = %q", tok)
	}
	auth := testJWT(t, time.Hour)
	src.SetAuthToken(auth)
	if tok := src.AuthToken(); tok != auth {
		t.Fatalf("AuthToken = %q, want the login's", tok)
	}
	// The bank refuses the session: no token is in hand any more.
	if err := src.Refresh(context.Background()); !errors.Is(err, ErrLoginNeeded) {
		t.Fatalf("Refresh: %v", err)
	}
	if tok := src.AuthToken(); tok != "" {
		t.Errorf("AuthToken after the bank refused the session = %q", tok)
	}
}
