package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Authenticator sets the Authorization header; Refresh is called once after
// a 401 (it returns an error wrapping ErrLoginNeeded if a new token cannot be
// had).
type Authenticator interface {
	Authorize(ctx context.Context, req *http.Request) error
	Refresh(ctx context.Context) error
}

// TokenEventKind says what happened to the JWT session.
type TokenEventKind int

// Token events.
const (
	// TokenRefreshed: a new auth token was obtained; Expires is its exp.
	TokenRefreshed TokenEventKind = iota + 1
	// TokenRefreshFailed: a refresh failed for a transient reason; it is retried.
	TokenRefreshFailed
	// RefreshTokenExpiring: the refresh token itself expires within 3 days
	// (Expires); the user should log in again soon.
	RefreshTokenExpiring
	// LoginNeeded: the bank refused the refresh token; only a new login helps.
	LoginNeeded
)

func (k TokenEventKind) String() string {
	switch k {
	case TokenRefreshed:
		return "token refreshed"
	case TokenRefreshFailed:
		return "token refresh failed"
	case RefreshTokenExpiring:
		return "refresh token expiring"
	case LoginNeeded:
		return "login needed"
	}
	return fmt.Sprintf("TokenEventKind(%d)", int(k))
}

// TokenEvent reports a change of the JWT session. Err is safe to show: it
// never holds a token.
type TokenEvent struct {
	Kind    TokenEventKind
	Expires time.Time
	Err     error
}

// JWT session tuning.
const (
	eventBuffer         = 16
	refreshAtFraction   = 0.8                // refresh at 80 % of an auth token's life
	defaultTokenLife    = time.Hour          // the doc's auth-token life, when a token has no exp
	expiringWarning     = 3 * 24 * time.Hour // warn when the refresh token has less left
	refreshFetchTimeout = 30 * time.Second   // one coalesced fetch, whoever waits for it
	maxExpirySkew       = 30 * time.Second   // treat a token as expired this much early
	minRefreshWait      = 10 * time.Millisecond
)

// JWTOption configures a JWTSource.
type JWTOption func(*jwtConfig)

type jwtConfig struct {
	retry     RetryPolicy
	userAgent string
}

// WithJWTRetryPolicy sets the backoff of the background refresher after a
// transient failure (default: 1 s base, 1 min cap).
func WithJWTRetryPolicy(p RetryPolicy) JWTOption {
	return func(c *jwtConfig) { c.retry = p }
}

// WithJWTUserAgent sets the User-Agent of token requests.
func WithJWTUserAgent(ua string) JWTOption {
	return func(c *jwtConfig) { c.userAgent = ua }
}

// JWTSource is an Authenticator holding a refresh token. It gets auth tokens
// from POST /api/user/auth-token (Bearer <refresh token>), reads their exp,
// refreshes in the background at ~80 % of their life, coalesces concurrent
// refreshes into one request, and reports events on a channel.
type JWTSource struct {
	client       *Client
	refreshToken string
	refreshExp   time.Time // zero if the refresh token has no readable exp
	backoff      RetryPolicy

	mu          sync.Mutex
	token       string
	obtained    time.Time // our clock when token arrived
	expires     time.Time // token's exp
	life        time.Duration
	flight      *refreshFlight // the refresh in progress, if any
	loginNeeded bool           // sticky: the bank refused the refresh token
	warned      bool           // RefreshTokenExpiring was sent
	started     bool
	closed      bool
	stop        context.CancelFunc
	bgDone      chan struct{}

	// evMu guards subs and evClosed, and serialises senders so drop-oldest
	// terminates and no send meets a closed channel.
	evMu     sync.Mutex
	events   chan TokenEvent // the subscription Events returns, buffered from birth
	subs     map[chan TokenEvent]struct{}
	evClosed bool
	renewed  chan struct{}
}

// refreshFlight is one token request shared by every caller that asked for a
// refresh while it ran.
type refreshFlight struct {
	done    chan struct{}
	err     error
	waiters int // callers sharing this flight (guarded by JWTSource.mu); tests read it
}

// NewJWTSource returns a source for the bank at baseURL holding refreshToken.
func NewJWTSource(baseURL string, refreshToken string, opts ...JWTOption) (*JWTSource, error) {
	if refreshToken == "" {
		return nil, errors.New("jwt source: empty refresh token")
	}
	cfg := jwtConfig{retry: RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Minute}}
	for _, opt := range opts {
		opt(&cfg)
	}
	client, err := New(baseURL, nil, WithUserAgent(cfg.userAgent))
	if err != nil {
		return nil, fmt.Errorf("jwt source: %w", err)
	}
	s := &JWTSource{
		client:       client,
		refreshToken: refreshToken,
		backoff:      cfg.retry.withDefaults(),
		events:       make(chan TokenEvent, eventBuffer),
		renewed:      make(chan struct{}, 1),
	}
	s.subs = map[chan TokenEvent]struct{}{s.events: {}}
	if claims, err := unverifiedClaims(refreshToken); err == nil {
		if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
			s.refreshExp = exp.UTC()
		}
	}
	return s, nil
}

// RefreshToken returns the refresh token (for the store).
func (s *JWTSource) RefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshToken
}

// Authorize sets "Authorization: Bearer <auth token>", fetching a token first
// if there is none or it is about to expire.
func (s *JWTSource) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := s.Token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// Token returns a current auth token, fetching one if needed.
func (s *JWTSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.loginNeeded {
		s.mu.Unlock()
		return "", fmt.Errorf("auth token: %w", ErrLoginNeeded)
	}
	if s.token != "" && time.Now().Before(s.expires.Add(-s.skew())) {
		tok := s.token
		s.mu.Unlock()
		return tok, nil
	}
	s.mu.Unlock()
	if err := s.Refresh(ctx); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token, nil
}

// skew is how early a token counts as expired: 30 s, or a tenth of a short
// token's life. Caller holds mu.
func (s *JWTSource) skew() time.Duration {
	return min(maxExpirySkew, s.life/10)
}

// Refresh gets a new auth token. Concurrent calls share one request. It
// returns an error wrapping ErrLoginNeeded when the bank refuses the refresh
// token.
func (s *JWTSource) Refresh(ctx context.Context) error {
	s.mu.Lock()
	if s.loginNeeded {
		s.mu.Unlock()
		return fmt.Errorf("refresh auth token: %w", ErrLoginNeeded)
	}
	f := s.flight
	if f == nil {
		f = &refreshFlight{done: make(chan struct{})}
		s.flight = f
		// The fetch runs detached from the first caller's context: a caller
		// that gives up must not fail everyone else waiting for the token.
		go s.runFlight(f, context.WithoutCancel(ctx))
	}
	f.waiters++
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return fmt.Errorf("refresh auth token: %w", ctx.Err())
	}
}

func (s *JWTSource) runFlight(f *refreshFlight, ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, refreshFetchTimeout)
	defer cancel()
	f.err = s.fetch(ctx)
	s.mu.Lock()
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
}

// fetch asks the bank for a new auth token and records it. The refresh
// token is read under the lock; when SetRefreshToken replaced it while the
// request ran, the answer belongs to the old session and is dropped (a
// refusal must not log the new session out, a token must not outlive it),
// and the new refresh token is asked instead.
func (s *JWTSource) fetch(ctx context.Context) error {
	for {
		s.mu.Lock()
		refresh := s.refreshToken
		s.mu.Unlock()
		tok, err := s.client.AuthTokenFromRefresh(ctx, refresh)
		s.mu.Lock()
		if s.refreshToken != refresh {
			s.mu.Unlock()
			if ctx.Err() != nil {
				return fmt.Errorf("refresh auth token: %w", ctx.Err())
			}
			continue
		}
		if err != nil {
			if errors.Is(err, ErrUnauthorized) {
				first := !s.loginNeeded
				s.loginNeeded = true
				s.token = ""
				s.mu.Unlock()
				err = fmt.Errorf("refresh auth token: %w: %w", ErrLoginNeeded, err)
				if first {
					s.emit(TokenEvent{Kind: LoginNeeded, Err: err})
				}
				return err
			}
			s.mu.Unlock()
			err = fmt.Errorf("refresh auth token: %w", err)
			s.emit(TokenEvent{Kind: TokenRefreshFailed, Err: err})
			return err
		}
		now := time.Now()
		expires, life := tokenExpiry(tok, now)
		s.token, s.obtained, s.expires, s.life = tok, now, expires, life
		s.mu.Unlock()
		s.emit(TokenEvent{Kind: TokenRefreshed, Expires: expires})
		s.warnIfExpiring(now)
		select {
		case s.renewed <- struct{}{}:
		default:
		}
		return nil
	}
}

// tokenExpiry reads exp (and iat, for the token's life) without verifying
// the signature: the client only schedules with it, the bank verifies. A
// token without a readable exp is given the doc's one hour.
func tokenExpiry(tok string, now time.Time) (expires time.Time, life time.Duration) {
	claims, err := unverifiedClaims(tok)
	if err != nil {
		return now.Add(defaultTokenLife), defaultTokenLife
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return now.Add(defaultTokenLife), defaultTokenLife
	}
	expires = exp.UTC()
	life = expires.Sub(now)
	// iat gives the life independent of a skewed local clock.
	if iat, err := claims.GetIssuedAt(); err == nil && iat != nil && exp.After(iat.Time) {
		life = exp.Sub(iat.Time)
	}
	return expires, max(life, 0)
}

func unverifiedClaims(tok string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok, claims); err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	return claims, nil
}

// warnIfExpiring emits RefreshTokenExpiring once when the refresh token has
// less than three days left.
func (s *JWTSource) warnIfExpiring(now time.Time) {
	s.mu.Lock()
	exp := s.refreshExp
	if exp.IsZero() || exp.Sub(now) > expiringWarning {
		s.mu.Unlock()
		return
	}
	first := !s.warned
	s.warned = true
	s.mu.Unlock()
	if first {
		s.emit(TokenEvent{Kind: RefreshTokenExpiring, Expires: exp})
	}
}

// Start runs the background refresher until ctx ends or Close is called. It
// fetches a token at once if there is none, then refreshes at ~80 % of each
// token's life, retrying transient failures with backoff; when the bank asks
// for a new login it waits for SetRefreshToken. Calling Start again does nothing.
func (s *JWTSource) Start(ctx context.Context) {
	s.mu.Lock()
	if s.started || s.closed {
		s.mu.Unlock()
		return
	}
	s.started = true
	ctx, s.stop = context.WithCancel(ctx)
	s.bgDone = make(chan struct{})
	s.mu.Unlock()
	s.warnIfExpiring(time.Now())
	go s.refreshLoop(ctx)
}

func (s *JWTSource) refreshLoop(ctx context.Context) {
	defer close(s.bgDone)
	failures := 0
	for {
		wait := s.untilRefresh(time.Now())
		if failures > 0 {
			wait = s.backoff.backoffMin(failures)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.renewed:
			// A foreground refresh moved the schedule: compute it again.
			timer.Stop()
			failures = 0
			continue
		case <-timer.C:
		}
		if failures == 0 && s.untilRefresh(time.Now()) > 0 {
			continue
		}
		err := s.Refresh(ctx)
		switch {
		case err == nil:
			failures = 0
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrLoginNeeded):
			// Nothing to refresh until a new login (SetRefreshToken).
			select {
			case <-ctx.Done():
				return
			case <-s.renewed:
				failures = 0
			}
		default:
			failures++
		}
	}
}

// untilRefresh is the wait until the current token reaches 80 % of its life
// (0 when there is no token).
func (s *JWTSource) untilRefresh(now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token == "" {
		return 0
	}
	at := s.obtained.Add(time.Duration(float64(s.life) * refreshAtFraction))
	if latest := s.expires.Add(-s.skew()); latest.Before(at) {
		at = latest
	}
	return max(at.Sub(now), 0)
}

// Close stops the background refresher and closes every event channel
// (Events and each subscription).
func (s *JWTSource) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	stop, done := s.stop, s.bgDone
	s.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.closeSubscriptions()
}

// backoffMin is a jittered wait after n failures, never below minRefreshWait.
func (p RetryPolicy) backoffMin(n int) time.Duration {
	return max(p.backoff(n), minRefreshWait)
}
