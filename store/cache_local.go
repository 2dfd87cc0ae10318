package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"konto/store/rules"
)

// What the user gave bookings by hand (a category, tags, a note, a mark),
// by the booking's bank id, which is unique across the profile's accounts:
//
//	local/labels/<booking id>   sealed JSON rules.Label (see sealDoc)
//
// Only the bank's data is replaced by a sync: a full resync rewrites tx/
// and leaves local/ alone, and so does a new login of the same user. A
// login of another user (Claim) builds a new file, and logout deletes it:
// the labels go with the bookings they describe.
var (
	bucketLocal  = []byte("local")
	bucketLabels = []byte("labels")
)

func labelsBucket(tx *bolt.Tx, create bool) (*bolt.Bucket, error) {
	if !create {
		local := tx.Bucket(bucketLocal)
		if local == nil {
			return nil, nil
		}
		return local.Bucket(bucketLabels), nil
	}
	local, err := tx.CreateBucketIfNotExists(bucketLocal)
	if err != nil {
		return nil, err
	}
	return local.CreateBucketIfNotExists(bucketLabels)
}

func decodeLabel(data []byte) (rules.Label, error) {
	var l rules.Label
	body, err := docJSON(data)
	if err == nil {
		err = json.Unmarshal(body, &l)
	}
	return l, err
}

// LoadLabels returns every kept label by booking id (an empty map when
// there are none).
func (c *Cache) LoadLabels() (map[int64]rules.Label, error) {
	out := map[int64]rules.Label{}
	err := c.view("load labels", func(tx *bolt.Tx) error {
		b, _ := labelsBucket(tx, false)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("label key of %d bytes", len(k))
			}
			l, err := decodeLabel(v)
			if err != nil {
				return fmt.Errorf("label of booking %d: %w", int64(binary.BigEndian.Uint64(k)), err)
			}
			out[int64(binary.BigEndian.Uint64(k))] = l
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Label returns one booking's label (zero if none).
func (c *Cache) Label(id int64) (rules.Label, error) {
	var l rules.Label
	err := c.view("load a label", func(tx *bolt.Tx) error {
		b, _ := labelsBucket(tx, false)
		if b == nil {
			return nil
		}
		data := b.Get(idKey(id))
		if data == nil {
			return nil
		}
		var err error
		l, err = decodeLabel(data)
		return err
	})
	return l, err
}

// UpdateLabel replaces a booking's label by what fn makes of it, in one
// write (sessions of konto serve sharing the cache lose none of each
// other's changes), and returns the new label. A label that says nothing
// any more is removed.
func (c *Cache) UpdateLabel(id int64, fn func(rules.Label) rules.Label) (rules.Label, error) {
	var out rules.Label
	err := c.update("save a label", func(tx *bolt.Tx) error {
		b, err := labelsBucket(tx, true)
		if err != nil {
			return err
		}
		var cur rules.Label
		if data := b.Get(idKey(id)); data != nil {
			if cur, err = decodeLabel(data); err != nil {
				return err
			}
		}
		cur.Tags = slices.Clone(cur.Tags)
		out = fn(cur)
		if out.IsZero() {
			return b.Delete(idKey(id))
		}
		data, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return b.Put(idKey(id), sealDoc(data))
	})
	return out, err
}
