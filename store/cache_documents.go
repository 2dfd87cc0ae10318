package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"time"

	bolt "go.etcd.io/bbolt"

	"konto/api"
)

// document is how small lists (accounts, orders) are stored: the JSON of
// a document after a format byte, followed by a CRC-32C of both (4 bytes,
// little-endian), so a flipped digit in a balance is found rather than
// shown. Documents written before the checksum are plain JSON.
type document[T any] struct {
	SyncedAt time.Time `json:"syncedAt"`
	Items    []T       `json:"items"`
}

// docFormat is the first byte of a document with a checksum; plain JSON
// starts with '{', which no flipped bit of docFormat gives.
const docFormat = 2

var errCorruptDoc = errors.New("damaged document")

func sealDoc(data []byte) []byte {
	out := append(append(make([]byte, 0, 1+len(data)+checksumSize), docFormat), data...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

// docJSON returns the JSON of a stored document once its checksum matches.
func docJSON(data []byte) ([]byte, error) {
	switch {
	case len(data) > 0 && data[0] == '{':
		if !json.Valid(data) {
			return nil, fmt.Errorf("%w: not JSON", errCorruptDoc)
		}
		return data, nil
	case len(data) >= 1+checksumSize && data[0] == docFormat:
		sealed := data[:len(data)-checksumSize]
		if crc32.Checksum(sealed, castagnoli) != binary.LittleEndian.Uint32(data[len(sealed):]) {
			return nil, fmt.Errorf("%w: checksum mismatch", errCorruptDoc)
		}
		return sealed[1:], nil
	}
	return nil, fmt.Errorf("%w: %d bytes of an unknown format", errCorruptDoc, len(data))
}

func saveDoc[T any](c *Cache, what string, bucket, key []byte, items []T) error {
	data, err := json.Marshal(document[T]{SyncedAt: c.now().UTC(), Items: items})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return c.update(what, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucket)
		if err != nil {
			return err
		}
		return b.Put(key, sealDoc(data))
	})
}

func loadDoc[T any](c *Cache, what string, bucket, key []byte) ([]T, time.Time, error) {
	var doc document[T]
	err := c.view(what, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		data := b.Get(key)
		if data == nil {
			return nil
		}
		data, err := docJSON(data)
		if err != nil {
			return err
		}
		return json.Unmarshal(data, &doc)
	})
	if err != nil {
		return nil, time.Time{}, err
	}
	return doc.Items, doc.SyncedAt, nil
}

func firstKeyOf(b *bolt.Bucket) []byte {
	k, _ := b.Cursor().First()
	return k
}

func idKey(id int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }

// SaveAccounts replaces the cached accounts and stamps the sync time.
func (c *Cache) SaveAccounts(accounts []api.Account) error {
	return saveDoc(c, "save accounts", bucketAccounts, keyDoc, accounts)
}

// LoadAccounts returns the cached accounts and when they were synced; a
// zero time (and no accounts) means nothing is cached yet.
func (c *Cache) LoadAccounts() ([]api.Account, time.Time, error) {
	return loadDoc[api.Account](c, "load accounts", bucketAccounts, keyDoc)
}

// SaveStandingOrders replaces an account's cached standing orders.
func (c *Cache) SaveStandingOrders(accountID int64, orders []api.StandingOrder) error {
	return saveDoc(c, "save standing orders", bucketStanding, idKey(accountID), orders)
}

// LoadStandingOrders returns an account's cached standing orders and their sync time.
func (c *Cache) LoadStandingOrders(accountID int64) ([]api.StandingOrder, time.Time, error) {
	return loadDoc[api.StandingOrder](c, "load standing orders", bucketStanding, idKey(accountID))
}

// SaveTimedOrders replaces an account's cached timed orders.
func (c *Cache) SaveTimedOrders(accountID int64, orders []api.TimedOrderListItem) error {
	return saveDoc(c, "save timed orders", bucketTimed, idKey(accountID), orders)
}

// LoadTimedOrders returns an account's cached timed orders and their sync time.
func (c *Cache) LoadTimedOrders(accountID int64) ([]api.TimedOrderListItem, time.Time, error) {
	return loadDoc[api.TimedOrderListItem](c, "load timed orders", bucketTimed, idKey(accountID))
}
