package apitest

// Basic auth is the API's development mode (kontist-api.md): konto itself
// logs in with JWTs, its tests read the sandbox with the doc's password.

import (
	"context"
	"fmt"
	"net/http"

	"konto/api"
)

// BasicAuth authenticates with login and password on every request
// (development only: the bank rate-limits it).
func BasicAuth(login, password string) api.Authenticator {
	return basicAuth{login: login, password: password}
}

type basicAuth struct{ login, password string }

func (b basicAuth) Authorize(_ context.Context, req *http.Request) error {
	req.SetBasicAuth(b.login, b.password)
	return nil
}

// Refresh cannot help: the same password would be refused again.
func (b basicAuth) Refresh(context.Context) error {
	return fmt.Errorf("basic auth refused: %w", api.ErrLoginNeeded)
}

// String keeps the password out of %v and %+v.
func (b basicAuth) String() string   { return "BasicAuth(" + b.login + ")" }
func (b basicAuth) GoString() string { return b.String() }
