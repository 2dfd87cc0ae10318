package api

import "time"

// SetRefreshToken replaces the refresh token after a new login (the bank
// refused the old one, or the user logged in as someone else). The auth
// token of the old session is dropped, a sticky "login needed" is cleared,
// and the background refresher, waiting for a login, runs again. Events keep
// arriving on the same channel.
func (s *JWTSource) SetRefreshToken(refreshToken string) {
	var refreshExp time.Time
	if claims, err := unverifiedClaims(refreshToken); err == nil {
		if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
			refreshExp = exp.UTC()
		}
	}
	s.mu.Lock()
	s.refreshToken = refreshToken
	s.refreshExp = refreshExp
	s.loginNeeded, s.warned = false, false
	s.token, s.expires, s.life = "", time.Time{}, 0
	s.mu.Unlock()
	// Wake a waiting refresher so it fetches a token for the new session now.
	select {
	case s.renewed <- struct{}{}:
	default:
	}
}

// SetAuthToken hands the source an auth token the login just created, so the
// first request needs no refresh. It reports TokenRefreshed like a refresh.
func (s *JWTSource) SetAuthToken(authToken string) {
	if authToken == "" {
		return
	}
	now := time.Now()
	expires, life := tokenExpiry(authToken, now)
	s.mu.Lock()
	s.token, s.obtained, s.expires, s.life = authToken, now, expires, life
	s.mu.Unlock()
	s.emit(TokenEvent{Kind: TokenRefreshed, Expires: expires})
	select {
	case s.renewed <- struct{}{}:
	default:
	}
}

// AuthToken is the auth token the source holds ("" when it has none, or the
// bank refused the session): konto ends it at the bank when it quits, so it
// does not stay good for the rest of its hour in a process that is gone.
func (s *JWTSource) AuthToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loginNeeded {
		return ""
	}
	return s.token
}
