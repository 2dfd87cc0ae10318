package sandbox

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"konto/api"
)

// Token scopes, in the `scope` claim.
const (
	scopeRefresh = "refresh"
	scopeAuth    = "auth"
)

// tokenClaims are the claims of both token kinds.
type tokenClaims struct {
	Scope string `json:"scope"`
	jwt.RegisteredClaims
}

// issueToken signs an HS256 token. Token lifetimes run on the real clock, not
// the virtual one: clients schedule refreshes from `exp` against their own
// wall clock, and advancing the bank's clock by days must not look to them
// like a token from the future.
func (b *Bank) issueToken(login, scope string, ttl time.Duration) (string, string) {
	now := b.wallClock()
	id := randomHex(16)
	claims := tokenClaims{
		Scope: scope,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   login,
			ID:        id,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(b.secret)
	if err != nil {
		panic("sandbox: sign token: " + err.Error()) // HS256 with a byte key cannot fail
	}
	return signed, id
}

// parseToken verifies a token's signature, algorithm and expiry and returns
// its claims if it is of the wanted scope, still live, and its user exists.
// The caller holds b.mu.
func (b *Bank) parseToken(raw, scope string) (*tokenClaims, *user) {
	var c tokenClaims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return b.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(b.wallClock))
	if err != nil || c.Scope != scope {
		return nil, nil
	}
	switch scope {
	case scopeRefresh:
		if _, live := b.refreshTokens[c.ID]; !live {
			return nil, nil
		}
	case scopeAuth:
		if b.revokedAuth[c.ID] {
			return nil, nil
		}
	}
	u := b.users[c.Subject]
	if u == nil {
		return nil, nil
	}
	return &c, u
}

func unauthorized(detail string) *failure {
	return fail(http.StatusUnauthorized, api.CodeUnauthorized, detail)
}

func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// checkPassword finds a user by login and password.
func (b *Bank) checkPassword(login, password string) *user {
	u := b.users[login]
	if u == nil || subtle.ConstantTimeCompare([]byte(u.password), []byte(password)) != 1 {
		return nil
	}
	return u
}

// authenticate accepts Basic credentials (rate limited per user) or a Bearer
// auth token. The caller holds b.mu.
func (b *Bank) authenticate(r *http.Request, now time.Time) (*user, *failure) {
	if login, password, ok := r.BasicAuth(); ok {
		u := b.checkPassword(login, password)
		if u == nil {
			return nil, unauthorized("wrong login or password")
		}
		if wait, ok := b.allowBasic(login, now); !ok {
			f := fail(http.StatusTooManyRequests, api.CodeRateLimited, "Basic auth is rate limited: slow down or use a token")
			f.retryAfter = wait
			return nil, f
		}
		return u, nil
	}
	if token, ok := bearer(r); ok {
		_, u := b.parseToken(token, scopeAuth)
		if u == nil {
			return nil, unauthorized("the token is invalid, expired or revoked")
		}
		return u, nil
	}
	return nil, unauthorized("log in with Basic credentials or a Bearer auth token")
}

// allowBasic is a per-user GCRA limiter on the virtual clock: basicInterval
// per request with a burst of basicTolerance. It answers the seconds to wait
// when the request is refused.
func (b *Bank) allowBasic(login string, now time.Time) (int, bool) {
	if b.basicInterval == 0 {
		return 0, true
	}
	tat := b.limiters[login]
	if tat.Before(now) {
		tat = now
	}
	if allowAt := tat.Add(-b.basicTolerance); now.Before(allowAt) {
		wait := allowAt.Sub(now)
		return int((wait + time.Second - 1) / time.Second), false
	}
	b.limiters[login] = tat.Add(b.basicInterval)
	return 0, true
}

// credentials reads {email, password} from a body; ok is false if both are
// missing (no credentials at all, which is for the caller to judge). Only one
// of them is bad input: 400 naming the missing field.
func credentials(body []byte) (api.Credentials, bool, *failure) {
	f, bad := parseObject(body, true)
	if bad != nil {
		return api.Credentials{}, false, bad
	}
	email, bad := f.str("email", false)
	if bad != nil {
		return api.Credentials{}, false, bad
	}
	password, bad := f.str("password", false)
	if bad != nil {
		return api.Credentials{}, false, bad
	}
	switch {
	case email == nil && password == nil:
		return api.Credentials{}, false, nil
	case email == nil:
		return api.Credentials{}, false, invalid("email", "email is required with a password")
	case password == nil:
		return api.Credentials{}, false, invalid("password", "password is required with an email")
	}
	return api.Credentials{Email: *email, Password: *password}, true, nil
}

// POST /api/user/refresh-token {email, password} → {token} (30 days).
func (b *Bank) createRefreshToken(q *call) (any, *failure) {
	cred, ok, bad := credentials(q.body)
	if bad != nil {
		return nil, bad
	}
	if !ok {
		return nil, invalid("email", "email and password are required")
	}
	u := b.checkPassword(cred.Email, cred.Password)
	if u == nil {
		return nil, unauthorized("wrong email or password")
	}
	token, id := b.issueToken(u.login, scopeRefresh, refreshTokenTTL)
	b.refreshTokens[id] = u.login
	return api.TokenResponse{Token: token}, nil
}

// POST /api/user/auth-token with {email, password} or Bearer <refresh token>.
func (b *Bank) createAuthToken(q *call) (any, *failure) {
	cred, ok, bad := credentials(q.body)
	if bad != nil {
		return nil, bad
	}
	var u *user
	switch token, isBearer := bearer(q.r); {
	case ok:
		if u = b.checkPassword(cred.Email, cred.Password); u == nil {
			return nil, unauthorized("wrong email or password")
		}
	case isBearer:
		if _, u = b.parseToken(token, scopeRefresh); u == nil {
			return nil, unauthorized("the refresh token is invalid, expired or revoked")
		}
	default:
		return nil, unauthorized("send email and password, or a Bearer refresh token")
	}
	token, _ := b.issueToken(u.login, scopeAuth, b.tokenTTL)
	return api.TokenResponse{Token: token}, nil
}

// emptyObject is the answer of the DELETE endpoints.
type emptyObject struct{}

// DELETE /api/user/auth-token with Bearer <auth token>: revokes it.
func (b *Bank) deleteAuthToken(q *call) (any, *failure) {
	token, ok := bearer(q.r)
	if !ok {
		return nil, unauthorized("send the auth token to revoke as Bearer")
	}
	c, u := b.parseToken(token, scopeAuth)
	if u == nil {
		return nil, unauthorized("the token is invalid, expired or revoked")
	}
	b.revokedAuth[c.ID] = true
	return emptyObject{}, nil
}

// DELETE /api/user/refresh-token with Bearer <refresh token> (revokes it) or
// Bearer <auth token> (revokes all of that user's refresh tokens).
func (b *Bank) deleteRefreshToken(q *call) (any, *failure) {
	token, ok := bearer(q.r)
	if !ok {
		return nil, unauthorized("send a refresh or auth token as Bearer")
	}
	if c, u := b.parseToken(token, scopeRefresh); u != nil {
		delete(b.refreshTokens, c.ID)
		return emptyObject{}, nil
	}
	_, u := b.parseToken(token, scopeAuth)
	if u == nil {
		return nil, unauthorized("the token is invalid, expired or revoked")
	}
	for id, login := range b.refreshTokens {
		if login == u.login {
			delete(b.refreshTokens, id)
		}
	}
	return emptyObject{}, nil
}
