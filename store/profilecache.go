package store

// The one way to a profile's offline cache: opened (OpenProfileCache) and
// made the new session's (ClaimProfileCache, ClaimCacheFile) before
// anything reads it.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// OpenProfileCache opens the profile's offline cache. An error matching
// ErrCacheLocked means another konto holds it.
func OpenProfileCache(getenv func(string) string, profile string) (*Cache, error) {
	path, err := CachePath(getenv, profile)
	if err != nil {
		return nil, err
	}
	return OpenCache(path, CacheOptions{})
}

// ClaimProfileCache makes an open cache identity's (Cache.Claim) before a
// session of that identity uses it: another user's data must be gone from
// it first. wiped reports that there was such data. An identity that is not
// known ("": the token names no subject) claims nothing.
func ClaimProfileCache(cache *Cache, identity string) (wiped bool, err error) {
	if cache == nil || NormalizeIdentity(identity) == "" {
		return false, nil
	}
	_, wiped, err = cache.Claim(identity)
	return wiped, err
}

// ClaimCacheFile makes the profile's cache file identity's when no konto
// has it open yet (after `konto login`). A cache that a running konto
// holds cannot be opened, and one that cannot be read cannot be cleared:
// the file is deleted instead (a running konto keeps its copy until it
// quits; the next start builds a new one, and konto serve claims its copy
// when it reads the new session). It says what it did, "" when there was
// nothing to clear.
func ClaimCacheFile(getenv func(string) string, profile, identity string) (string, error) {
	if NormalizeIdentity(identity) == "" {
		return "", nil
	}
	path, err := CachePath(getenv, profile)
	if err != nil {
		return "", nil // no cache directory, so no cache
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	cache, err := OpenCache(path, CacheOptions{})
	if err != nil {
		if derr := DeleteCacheFile(path); derr != nil {
			return "", fmt.Errorf("%w; %w", err, derr)
		}
		if errors.Is(err, ErrCacheLocked) {
			return "Deleted the offline cache " + path + ", in use by another konto: it may hold another login's data.", nil
		}
		return "Deleted the offline cache " + path + ": it could not be opened (" + err.Error() + ").", nil
	}
	defer cache.Close()
	wiped, err := ClaimProfileCache(cache, identity)
	if err != nil {
		// Claim deletes the file after a failure, where it can.
		if _, serr := os.Stat(path); !errors.Is(serr, fs.ErrNotExist) {
			return "", err
		}
		return "Deleted the offline cache " + path + ": it could not be cleared (" + err.Error() + ").", nil
	}
	if wiped {
		return "Cleared the offline cache " + path + ": it held the data of another login (or of one konto did not record).", nil
	}
	return "", nil
}
