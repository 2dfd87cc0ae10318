package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// StoredSession is what the credential store keeps of a login: the refresh
// token and the API URL it was created at. Both are kept as one secret (a small JSON record), so neither
// can be replaced without the other: konto sends a stored token only to the
// bank it came from.
type StoredSession struct {
	// APIURL is the bank's API the session was made at, as konto used it.
	// It is "" for a session an earlier konto stored as a bare token: where
	// that one came from is not known.
	APIURL       string `json:"api_url"`
	RefreshToken string `json:"refresh_token"`
}

// ErrDamagedSession means the stored secret is neither a session record nor
// a bare token: it is not used (nor sent anywhere).
var ErrDamagedSession = errors.New("the stored session is damaged")

// encode is the secret that holds s.
func (s StoredSession) encode() (string, error) {
	if s.APIURL == "" || s.RefreshToken == "" {
		return "", errors.New("a session needs an API URL and a refresh token")
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// decodeSession reads a stored secret: a record, or a bare token of an
// earlier konto (APIURL "").
func decodeSession(secret string) (StoredSession, error) {
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, "{") {
		if secret == "" || strings.IndexFunc(secret, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return StoredSession{}, ErrDamagedSession
		}
		return StoredSession{RefreshToken: secret}, nil
	}
	var s StoredSession
	if err := json.Unmarshal([]byte(secret), &s); err != nil || s.APIURL == "" || s.RefreshToken == "" {
		return StoredSession{}, ErrDamagedSession
	}
	return s, nil
}

// LoadSession reads the profile's session from secrets: an error matching
// ErrNotFound when there is none, ErrDamagedSession when it cannot be read.
func LoadSession(ctx context.Context, secrets Secrets, profile string) (StoredSession, error) {
	secret, err := secrets.Get(ctx, profile)
	if err != nil {
		return StoredSession{}, err
	}
	s, err := decodeSession(secret)
	if err != nil {
		return StoredSession{}, fmt.Errorf("read session of profile %q: %w", profile, err)
	}
	return s, nil
}

// SaveSession stores s as the profile's session, replacing any earlier one.
func SaveSession(ctx context.Context, secrets Secrets, profile string, s StoredSession) error {
	secret, err := s.encode()
	if err != nil {
		return fmt.Errorf("save session of profile %q: %w", profile, err)
	}
	return secrets.Set(ctx, profile, secret)
}
