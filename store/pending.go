package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"konto/api"
)

// Payments whose outcome is unknown (api.PendingPayment), kept so a restart
// resumes checking them:
//
//	pending/doc   JSON [PendingPayment …]
//
// One document for the profile: there are rarely more than a few, and the
// sessions of konto serve that share the cache change it in one transaction
// each (UpdatePendingPayments), so none loses another's.
var bucketPending = []byte("pending")

// LoadPendingPayments returns the payments waiting for a check (none when
// nothing was ever kept).
func (c *Cache) LoadPendingPayments() ([]api.PendingPayment, error) {
	var out []api.PendingPayment
	err := c.view("load pending payments", func(tx *bolt.Tx) error {
		var err error
		out, err = pendingIn(tx)
		return err
	})
	return out, err
}

// UpdatePendingPayments replaces the kept payments by what fn makes of them,
// in one write, and returns the new list.
func (c *Cache) UpdatePendingPayments(fn func([]api.PendingPayment) []api.PendingPayment) ([]api.PendingPayment, error) {
	var out []api.PendingPayment
	err := c.update("save pending payments", func(tx *bolt.Tx) error {
		cur, err := pendingIn(tx)
		if err != nil {
			return err
		}
		out = fn(cur)
		b, err := tx.CreateBucketIfNotExists(bucketPending)
		if err != nil {
			return err
		}
		if len(out) == 0 {
			return b.Delete(keyDoc)
		}
		data, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return b.Put(keyDoc, data)
	})
	return out, err
}

func pendingIn(tx *bolt.Tx) ([]api.PendingPayment, error) {
	b := tx.Bucket(bucketPending)
	if b == nil {
		return nil, nil
	}
	data := b.Get(keyDoc)
	if data == nil {
		return nil, nil
	}
	var out []api.PendingPayment
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("read the pending payments: %w", err)
	}
	return out, nil
}
