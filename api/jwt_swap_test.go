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
