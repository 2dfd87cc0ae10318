package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// NormalizeIdentity is how identities are compared: without surrounding
// blanks, and otherwise exactly as the token names them. The identity is
// the refresh token's subject (api.TokenSubject): a user id at the bank,
// where case may matter, so it is not folded.
func NormalizeIdentity(identity string) string { return strings.TrimSpace(identity) }

// ownerHash is what meta/owner holds for identity: the file names its
// owner without holding the identity in clear, and the salt (per file, new
// with each owner) keeps one list of hashed identities from matching every
// cache.
func ownerHash(salt []byte, identity string) []byte {
	sum := sha256.Sum256(append(slices.Clip(salt), NormalizeIdentity(identity)...))
	return []byte(hex.EncodeToString(sum[:]))
}

func ownedBy(tx *bolt.Tx, identity string) bool {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || NormalizeIdentity(identity) == "" {
		return false
	}
	owner := meta.Get(keyOwner)
	return owner != nil && bytes.Equal(owner, ownerHash(meta.Get(keySalt), identity))
}

// holdsData reports whether any bucket but meta holds something: accounts,
// transactions, orders (or whatever a later layout adds).
func holdsData(tx *bolt.Tx) bool {
	found := false
	_ = tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		if !bytes.Equal(name, bucketMeta) && firstKeyOf(b) != nil {
			found = true
		}
		return nil
	})
	return found
}

// OwnedBy reports whether the cache is recorded as identity's. A cache that
// records no owner (an older konto wrote it, or it was only ever used with
// a token whose subject could not be read) is nobody's.
func (c *Cache) OwnedBy(identity string) (bool, error) {
	var owned bool
	err := c.view("read the cache's owner", func(tx *bolt.Tx) error {
		owned = ownedBy(tx, identity)
		return nil
	})
	return owned, err
}

// HasOwner reports whether the cache records an owner.
func (c *Cache) HasOwner() (bool, error) {
	var has bool
	err := c.view("read the cache's owner", func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		has = meta != nil && meta.Get(keyOwner) != nil
		return nil
	})
	return has, err
}

// Epoch counts the changes of owner Claim made since the cache was opened.
// Whoever reads or writes the cache on behalf of one identity notes the
// epoch it claimed in, and stops using the cache once it moves: the cache
// is someone else's then (konto serve's sessions share one cache).
func (c *Cache) Epoch() uint64 { return c.epoch.Load() }

// Claim records identity (the subject of the refresh token about to be
// used, api.TokenSubject) as the cache's owner, before anything of the
// cache is shown or merged for it. A cache that is someone else's, or
// records no owner (whose data it holds is then unknown), loses its
// accounts, transactions and orders first: the file is removed, with any
// damaged copies moved aside next to it, and built anew (deleting only the
// buckets would leave the bookings readable in the file's free pages).
// changed reports that the owner was not identity before (Epoch moves on);
// wiped that data was deleted.
//
// On an error the cache is closed and its file removed where possible, so
// nothing of a previous owner's can be served from it any more.
func (c *Cache) Claim(identity string) (changed, wiped bool, err error) {
	if NormalizeIdentity(identity) == "" {
		return false, false, errors.New("claim the cache: no identity")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == nil {
		return false, false, fmt.Errorf("claim the cache: %w", ErrCacheClosed)
	}
	defer func() {
		if err != nil {
			c.dropLocked()
		}
		if changed || err != nil {
			c.epoch.Add(1)
		}
	}()
	var owned, hasData bool
	err = c.runLocked("claim the cache", false, func(tx *bolt.Tx) error {
		owned, hasData = ownedBy(tx, identity), holdsData(tx)
		return nil
	})
	if err != nil || owned {
		return false, false, err
	}
	if hasData {
		if err := c.rebuildLocked(); err != nil {
			return true, false, fmt.Errorf("claim the cache: %w", err)
		}
		wiped = true
	} else if err := deleteAside(c.path); err != nil {
		return true, false, fmt.Errorf("claim the cache: %w", err)
	}
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails
	err = c.runLocked("claim the cache", true, func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keySalt, salt); err != nil {
			return err
		}
		return meta.Put(keyOwner, ownerHash(salt, identity))
	})
	return true, wiped, err
}

// rebuildLocked replaces the file by an empty one; the caller holds c.mu.
func (c *Cache) rebuildLocked() error {
	err := c.db.Close()
	c.db = nil
	if err != nil {
		return err
	}
	if err := DeleteCacheFile(c.path); err != nil {
		return err
	}
	db, err := openCacheDB(c.path, c.timeout, c.noSync)
	if err != nil {
		return err
	}
	if err := os.Chmod(c.path, 0o600); err != nil {
		_ = db.Close()
		return err
	}
	c.db = db
	return nil
}

// dropLocked closes the cache for good and removes its file (and damaged
// copies); the caller holds c.mu.
func (c *Cache) dropLocked() {
	if c.db != nil {
		_ = c.db.Close()
		c.db = nil
	}
	_ = DeleteCacheFile(c.path)
}
