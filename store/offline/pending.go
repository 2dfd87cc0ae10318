package offline

import (
	"errors"

	"konto/api"
	"konto/store"
)

// errNoCache answers the pending-payment store without an offline cache.
var errNoCache = errors.New("no offline cache")

// LoadPendingPayments reads the payments of unknown outcome kept in the
// cache for the identity served (common.PendingStore).
func (b *Mirror) LoadPendingPayments() ([]api.PendingPayment, error) {
	gen, _ := b.state()
	var out []api.PendingPayment
	err := b.keep(gen, func(cache *store.Cache) error {
		if cache == nil {
			return errNoCache
		}
		var err error
		out, err = cache.LoadPendingPayments()
		return err
	})
	return out, err
}

// UpdatePendingPayments changes them in one write (common.PendingStore).
func (b *Mirror) UpdatePendingPayments(fn func([]api.PendingPayment) []api.PendingPayment) ([]api.PendingPayment, error) {
	gen, _ := b.state()
	var out []api.PendingPayment
	err := b.keep(gen, func(cache *store.Cache) error {
		if cache == nil {
			return errNoCache
		}
		var err error
		out, err = cache.UpdatePendingPayments(fn)
		return err
	})
	return out, err
}
