package app

// `konto logout`: every stored session ended at its bank and deleted.

import (
	"context"
	"errors"
	"fmt"
	"konto/api"
	"konto/store"
	"konto/ui/common"
	"os"
)

const logoutUsage = `konto logout: end the session at the bank, delete it and the offline cache

Usage:
  konto logout [--profile NAME] [--api-url URL] [--insecure-storage]

Flags:
  --profile NAME        profile to log out of (default "default")
  --api-url URL         the bank's API (default: the profile's api_url, https://api.kontist.com)
  --insecure-storage    also look for a session kept in a file (see konto login)
`

// NewCmdLogout builds konto logout; runF, if set, runs instead (tests).
func NewCmdLogout(f *Factory, runF func(context.Context, *SessionOptions) error) *Command {
	return newSessionCommand(f, "logout", logoutUsage, runF, func(ctx context.Context, opts *SessionOptions) error {
		return statusErr(runLogout(ctx, f, opts.settings))
	})
}

// runLogout is `konto logout`: each stored session ended at its own bank
// and deleted, the offline cache deleted; one true sentence per outcome.
func runLogout(ctx context.Context, f *Factory, set *settings) int {
	stdout, stderr := f.IO.Out, f.IO.ErrOut
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	secrets := openSecretsEnv(ctx, f, set)
	status := 0
	// The session is looked for in the store in use, and in a token file
	// left from an earlier --insecure-storage.
	stores := secrets.tokens.Stores()
	found := false
	ended := map[string]bool{}
	for _, st := range stores {
		sess, err := store.LoadSession(ctx, st, set.prof.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue
		case errors.Is(err, store.ErrDamagedSession):
			fmt.Fprintf(stdout, "The stored session in %s could not be read, so it was not ended at the bank.\n", st.Where())
		case err != nil:
			fmt.Fprintf(stderr, "konto logout: %v\n", err)
			status = 1
			continue
		case !ended[sess.RefreshToken]:
			ended[sess.RefreshToken] = true
			fmt.Fprintln(stdout, f.endAtBank(ctx, "the session", secrets.tokens.BankOf(sess), sess.RefreshToken))
		}
		found = true
		if err := st.Delete(ctx, set.prof.Name); err != nil {
			fmt.Fprintf(stderr, "konto logout: delete the session in %s: %v\n", st.Where(), err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "Deleted the stored session of profile %s (%s).\n", set.prof.Name, st.Where())
	}
	if !found {
		fmt.Fprintf(stdout, "No session of profile %s is stored.\n", set.prof.Name)
	}
	if env := secrets.tokens.EnvToken(); env != "" {
		if !ended[env] {
			fmt.Fprintln(stdout, f.endAtBank(ctx, "the session of KONTO_REFRESH_TOKEN", set.prof.APIURL, env))
		}
		fmt.Fprintln(stdout, "KONTO_REFRESH_TOKEN is set: konto never stored it; unset it yourself.")
	}
	if path, err := store.CachePath(set.getenv, set.prof.Name); err == nil {
		_, statErr := os.Stat(path)
		if err := store.DeleteCacheFile(path); err != nil {
			fmt.Fprintln(stderr, "konto logout:", err)
			status = 1
		} else if statErr == nil {
			fmt.Fprintf(stdout, "Deleted the offline cache %s.\n", path)
		}
	}
	return status
}

// endAtBank invalidates an auth token of the session and the refresh token
// at baseURL, and says how it went; what names the session ("the session").
func (f *Factory) endAtBank(ctx context.Context, what, baseURL, refresh string) string {
	client, err := f.newClient(baseURL, nil)
	if err != nil {
		return "Could not end " + what + " at the bank (" + err.Error() + "); it ends by itself within 30 days."
	}
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	if auth, err := client.AuthTokenFromRefresh(ctx, refresh); err == nil {
		_ = client.InvalidateAuthToken(ctx, auth)
	}
	err = client.InvalidateRefreshToken(ctx, refresh)
	switch {
	case err == nil:
		return "Ended " + what + " at the bank " + baseURL + " (refresh and auth tokens invalidated)."
	case errors.Is(err, api.ErrUnauthorized):
		return "The bank " + baseURL + " had already ended " + what + "."
	}
	return "Could not end " + what + " at the bank " + baseURL + " (" + common.ErrorText(err) + "); it ends by itself within 30 days."
}
