package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
)

// localError is a failure on this machine (a file, a format), told in its
// own words rather than as the bank's.
type localError struct{ err error }

func (e *localError) Error() string { return e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

func local(err error) error { return Local(err) }

// Local marks err as a failure on this machine or of the setup (a file, a
// stored session), shown in its own words rather than as the bank's.
func Local(err error) error {
	if err == nil {
		return nil
	}
	return &localError{err: err}
}

func errorText(err error) string {
	var l *localError
	if errors.As(err, &l) {
		return common.Sanitize(l.Error())
	}
	return common.ErrorText(err)
}

// freshAccounts is the bank's account list. offline.Mirror answers the first
// call from the cache (for the dashboard's first frame); a command wants
// the bank's own list, and the cache only when the bank cannot answer.
func freshAccounts(ctx context.Context, b ScriptReader) ([]api.Account, error) {
	type cachedFirst interface {
		ServedCachedAccounts(ctx context.Context) bool
	}
	accs, err := b.Accounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the accounts: %w", err)
	}
	if c, ok := b.(cachedFirst); ok && c.ServedCachedAccounts(ctx) {
		if accs, err = b.Accounts(ctx); err != nil {
			return nil, fmt.Errorf("read the accounts: %w", err)
		}
	}
	if len(accs) == 0 {
		return nil, errors.New("read the accounts: the bank lists none")
	}
	return accs, nil
}

// accountLabel names an account as the dashboard does: the first is Main.
func accountLabel(i int) string {
	if i == 0 {
		return "Main"
	}
	return "Account " + strconv.Itoa(i+1)
}

// pickAccount finds --account (an id or an IBAN, spaces and case ignored)
// among accs; "" is the first (main) account. It returns its index.
func pickAccount(accs []api.Account, want string) (int, error) {
	want = strings.TrimSpace(want)
	if want == "" {
		return 0, nil
	}
	if id, err := strconv.ParseInt(want, 10, 64); err == nil {
		for i, a := range accs {
			if a.ID == id {
				return i, nil
			}
		}
	} else {
		norm := sepa.NormalizeIBAN(want)
		for i, a := range accs {
			if sepa.NormalizeIBAN(a.IBAN) == norm {
				return i, nil
			}
		}
	}
	ids := make([]string, len(accs))
	for i, a := range accs {
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	return 0, usageErrorf("--account %q: no such account (the accounts are %s)", common.Sanitize(want), strings.Join(ids, ", "))
}

// history is the account's whole history, synced with what is new; on a
// terminal stderr says that a sync is running.
func (p *parser) history(ctx context.Context, b ScriptReader, accountID int64) ([]api.Transaction, error) {
	if p.f.IO.ErrTTY {
		fmt.Fprint(p.f.IO.ErrOut, "syncing bookings…")
		defer fmt.Fprint(p.f.IO.ErrOut, "\r\x1b[K")
	}
	txs, err := b.SyncTransactions(ctx, accountID, api.SyncOptions{})
	if err != nil {
		return nil, fmt.Errorf("read the bookings: %w", err)
	}
	return txs, nil
}
