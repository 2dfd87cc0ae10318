package store

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"konto/api"
)

// ErrCacheLocked means another konto holds the cache file's lock.
var ErrCacheLocked = errors.New("the cache is in use by another konto")

// ErrCacheClosed is returned by a Cache used after Close or Delete.
var ErrCacheClosed = errors.New("the cache is closed")

// DefaultCacheLockTimeout is how long OpenCache waits for another konto to
// let go of the file: bbolt would otherwise wait forever.
const DefaultCacheLockTimeout = 2 * time.Second

// cacheFormat names the layout below; a file with another one is moved
// aside and rebuilt rather than misread.
const cacheFormat = "konto-cache/1"

// Layout:
//
//	meta/format                    cacheFormat
//	meta/salt                      16 random bytes, new with each owner
//	meta/owner                     hex SHA-256 of salt + normalised identity (see Claim)
//	meta/checksums                 "crc32c": every chunk and document has its checksum (see valueCheck)
//	accounts/doc                   JSON {syncedAt, items}
//	tx/<account id>/synced         time (MarshalBinary)
//	tx/<account id>/count          uvarint (for older konto; this one counts the chunks' headers)
//	tx/<account id>/chunks/<key>   encodeChunk, keys ascending = newest first
//	standing/<account id>          JSON {syncedAt, items}
//	timed/<account id>             JSON {syncedAt, items}
//	local/labels/<booking id>      the user's labels (cache_local.go)
//	txstage/<account id>/…         a history being saved, laid out as tx/<account id>
var (
	bucketMeta     = []byte("meta")
	bucketAccounts = []byte("accounts")
	bucketTx       = []byte("tx")
	bucketStanding = []byte("standing")
	bucketTimed    = []byte("timed")
	bucketChunks   = []byte("chunks")
	// bucketIDs indexes an account's cached ids (id → the key of its
	// chunk), so adding k bookings looks up k ids instead of reading all.
	bucketIDs    = []byte("ids")
	bucketStage  = []byte("txstage")
	keyFormat    = []byte("format")
	keySalt      = []byte("salt")
	keyOwner     = []byte("owner")
	keyDoc       = []byte("doc")
	keySynced    = []byte("synced")
	keyCount     = []byte("count")
	keyChecksums = []byte("checksums")
)

// firstChunkKey leaves room below it: incremental syncs prepend chunks of
// new transactions with smaller keys instead of rewriting the history.
const firstChunkKey = 1 << 31

// CacheOptions tune OpenCache.
type CacheOptions struct {
	// Timeout is how long to wait for the file lock (DefaultCacheLockTimeout if zero).
	Timeout time.Duration
	// Now stamps sync times (time.Now if nil); tests fix it.
	Now func() time.Time
	// noSync skips bbolt's fsyncs: for tests that open many throwaway caches.
	noSync bool
}

// Cache is the offline copy of one profile's accounts, transactions and
// orders, in one bbolt file. It is safe for concurrent use, also by several
// sessions of one profile sharing it.
type Cache struct {
	path    string
	now     func() time.Time
	timeout time.Duration
	noSync  bool
	notice  string

	mu sync.RWMutex // guards db against Close/Delete while in use
	// txWrite serialises the writers of histories: a batched save spans
	// several transactions, and a booking added between two of them would
	// be lost when the staged history moves in.
	txWrite sync.Mutex
	// saveBatch overrides the const of that name (tests; a whole number of
	// chunks), 0 for the default.
	saveBatch int
	// afterBatch runs after each batch of a batched save (tests).
	afterBatch func()
	db         *bolt.DB // nil once closed

	epoch atomic.Uint64 // see Epoch
}

// OpenCache opens (or creates) the cache file at path, mode 0600 in a 0700
// directory. If another konto holds it, it gives up after opt.Timeout with
// ErrCacheLocked. A damaged file (checkBoltFile, and the checksums of
// konto's own values), or one of another format, is renamed to path +
// ".corrupt-<unix time>" (the two newest such copies are kept) and a new
// one is built: Notice says so. Whatever the file holds, OpenCache does not
// crash on it.
func OpenCache(path string, opt CacheOptions) (*Cache, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultCacheLockTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := ensurePrivateDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	c := &Cache{path: path, now: opt.Now, timeout: opt.Timeout, noSync: opt.noSync}
	db, err := openCacheDB(path, opt.Timeout, opt.noSync)
	if errors.Is(err, ErrCacheLocked) || errors.Is(err, fs.ErrPermission) {
		return nil, err
	}
	if err != nil {
		if _, moveErr := c.moveAside(); moveErr != nil {
			return nil, fmt.Errorf("open cache: %w (and could not move it aside: %w)", err, moveErr)
		}
		// The copy is not named: it is gone again as soon as the new file
		// is claimed for a login (Claim removes copies of unknown owners).
		c.notice = "the offline cache was damaged and has been rebuilt"
		if db, err = openCacheDB(path, opt.Timeout, opt.noSync); err != nil {
			return nil, err
		}
	}
	// An existing file may have been created with a looser mode.
	if err := os.Chmod(path, 0o600); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open cache: protect %s: %w", path, err)
	}
	c.db = db
	return c, nil
}

// openCacheDB opens the bbolt file and checks its format, creating the
// format marker in a new file. bbolt only gets the file once
// checkBoltFile has found nothing in it bbolt could crash on.
func openCacheDB(path string, timeout time.Duration, noSync bool) (db *bolt.DB, err error) {
	f, err := openLockedFile(path, timeout)
	if err != nil {
		return nil, err
	}
	values := &valueCheck{}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		// A FIFO or a device there would never end bbolt's reads.
		err = fmt.Errorf("%w: not a regular file (%s)", errDamagedFile, fileKind(info.Mode()))
	}
	if err == nil {
		err = checkBoltFile(f, info.Size(), values.visit)
	}
	if err == nil {
		err = values.done()
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	// Anything the check missed that makes bbolt panic in this goroutine
	// still only costs the file.
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				_ = db.Close()
			}
			db, err = nil, fmt.Errorf("open cache %s: damaged file: %v", path, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout: timeout,
		// The cache can always be rebuilt from the bank; skipping the
		// freelist sync makes every write cheaper. (bbolt then walks every
		// page at each open to find the free ones, in a goroutine whose
		// panics no recover catches: checkBoltFile made that walk safe.)
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		NoSync:         noSync,
		NoGrowSync:     noSync,
		// The file checked above, still locked: bbolt's own lock on it
		// succeeds at once.
		OpenFile: func(string, int, os.FileMode) (*os.File, error) { return f, nil },
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrCacheLocked
	}
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			foreign := false
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
			if foreign {
				return errors.New("not a konto cache")
			}
			meta, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			if err := meta.Put(keyChecksums, []byte("crc32c")); err != nil {
				return err
			}
			return meta.Put(keyFormat, []byte(cacheFormat))
		}
		if got := meta.Get(keyFormat); !bytes.Equal(got, []byte(cacheFormat)) {
			return fmt.Errorf("cache format %q, want %q", got, cacheFormat)
		}
		if !values.sealed && !values.legacy {
			// The last value without a checksum is gone: from now on one is damage.
			return meta.Put(keyChecksums, []byte("crc32c"))
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	return db, nil
}

// openLockedFile opens (or creates) the cache file and locks it. A file
// moved away while this konto waited for the lock (another one found it
// damaged and rebuilt it) is let go for the one now at path.
func openLockedFile(path string, timeout time.Duration) (*os.File, error) {
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open cache %s: %w", path, err)
		}
		if err := lockCacheFile(f, timeout); err != nil {
			_ = f.Close()
			if errors.Is(err, ErrCacheLocked) {
				return nil, err
			}
			return nil, fmt.Errorf("open cache %s: lock it: %w", path, err)
		}
		held, errHeld := f.Stat()
		atPath, errPath := os.Stat(path)
		if errHeld == nil && errPath == nil && os.SameFile(held, atPath) || attempt == 2 {
			return f, nil
		}
		_ = f.Close()
	}
}

// valueCheck checks konto's own values while checkBoltFile walks the file:
// buckets where konto keeps buckets, the checksums of transaction chunks
// and documents, the sync times. (Keys it does not know are left alone: a
// later layout may add them.) Values written before the checksums are
// accepted, unless the file says it holds none (meta/checksums): then
// one is a damaged value that happens to look like an old one.
type valueCheck struct {
	legacy bool // a chunk or document without a checksum was seen
	sealed bool // the file records that every value has its checksum
}

func (v *valueCheck) visit(path [][]byte, key, value []byte) error {
	in := func(names ...[]byte) bool {
		if len(path) != len(names) {
			return false
		}
		for i, name := range names {
			if name != nil && !bytes.Equal(path[i], name) {
				return false
			}
		}
		return true
	}
	var err error
	switch {
	case len(path) == 0 || in(bucketTx) || in(bucketTx, nil) && bytes.Equal(key, bucketChunks):
		err = errors.New("a value where konto keeps a bucket")
	case in(bucketMeta) && bytes.Equal(key, keyChecksums):
		v.sealed = true
	case in(bucketTx, nil, bucketChunks):
		if len(value) > 0 && value[0] == chunkFormatV1 {
			v.legacy = true
			_, err = chunkCount(value)
		} else {
			_, err = chunkBody(value)
		}
	case in(bucketTx, nil) && bytes.Equal(key, keySynced):
		var t time.Time
		err = t.UnmarshalBinary(value)
	case in(bucketLocal, bucketLabels):
		// Labels were sealed from the start: plain JSON is damage.
		if len(value) > 0 && value[0] == '{' {
			err = errors.New("a label without its checksum")
		} else {
			_, err = decodeLabel(value)
		}
	case in(bucketAccounts) || in(bucketStanding) || in(bucketTimed) || in(bucketLookahead):
		v.legacy = v.legacy || len(value) > 0 && value[0] == '{'
		_, err = docJSON(value)
	}
	if err != nil {
		return fmt.Errorf("%w: %s/%x: %w", errDamagedFile, bytes.Join(path, []byte("/")), key, err)
	}
	return nil
}

// done is the verdict once every value was seen.
func (v *valueCheck) done() error {
	if v.sealed && v.legacy {
		return fmt.Errorf("%w: a value without its checksum in a file written with checksums", errDamagedFile)
	}
	return nil
}

// keepAside is how many damaged copies moveAside keeps next to the cache.
const keepAside = 2

func (c *Cache) moveAside() (string, error) {
	aside := c.path + ".corrupt-" + strconv.FormatInt(c.now().Unix(), 10)
	if err := os.Rename(c.path, aside); err != nil {
		return "", err
	}
	// A cache damaged again and again (a failing disk) must not fill it.
	copies, _ := filepath.Glob(globEscape(c.path) + ".corrupt-*")
	stamp := func(p string) int64 {
		n, _ := strconv.ParseInt(p[strings.LastIndexByte(p, '-')+1:], 10, 64)
		return n
	}
	sort.Slice(copies, func(i, j int) bool { return stamp(copies[i]) > stamp(copies[j]) })
	for _, old := range copies[min(len(copies), keepAside):] {
		if old != aside {
			_ = os.Remove(old)
		}
	}
	return aside, nil
}

// Notice is a sentence for the status line when OpenCache had to rebuild
// the file, else "".
func (c *Cache) Notice() string { return c.notice }

// Path is the cache file.
func (c *Cache) Path() string { return c.path }

// Close closes the file; later calls fail with ErrCacheClosed.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db == nil {
		return nil
	}
	err := c.db.Close()
	c.db = nil
	if err != nil {
		return fmt.Errorf("close cache: %w", err)
	}
	return nil
}

// Delete closes the cache and removes its file (logout).
func (c *Cache) Delete() error {
	if err := c.Close(); err != nil {
		return err
	}
	return DeleteCacheFile(c.path)
}

// DeleteCacheFile removes a cache file and any damaged copies moved aside
// next to it. A missing file is not an error.
func DeleteCacheFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete cache: %w", err)
	}
	return deleteAside(path)
}

// deleteAside removes the damaged copies of a cache file moved aside next to it.
func deleteAside(path string) error {
	aside, _ := filepath.Glob(globEscape(path) + ".corrupt-*")
	for _, p := range aside {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete cache: %w", err)
		}
	}
	return nil
}

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

func globEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		if r == '*' || r == '?' || r == '[' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// view and update run fn in a bbolt transaction, turning a panic of bbolt
// over a damaged page into an error (the UI then carries on without cache).
func (c *Cache) view(what string, fn func(*bolt.Tx) error) error {
	return c.run(what, false, fn)
}

func (c *Cache) update(what string, fn func(*bolt.Tx) error) error {
	return c.run(what, true, fn)
}

func (c *Cache) run(what string, write bool, fn func(*bolt.Tx) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.runLocked(what, write, fn)
}

// runLocked is run for a caller holding c.mu.
func (c *Cache) runLocked(what string, write bool, fn func(*bolt.Tx) error) (err error) {
	if c.db == nil {
		return fmt.Errorf("%s: %w", what, ErrCacheClosed)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: damaged cache file: %v", what, r)
		}
	}()
	// The file was checked when it was opened; should it change under
	// konto all the same (cut by another program), a fault on the memory
	// map becomes a panic, recovered above, instead of the end of konto.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	if write {
		err = c.db.Update(fn)
	} else {
		err = c.db.View(fn)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

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

// SaveTransactions replaces an account's cached history with txs, the full
// set, newest first (a full sync). Duplicate ids keep their first entry.
//
// A long history is written in batches of saveBatch bookings, one write
// transaction each, to a staging bucket that the last one moves in place of
// the old history: bbolt keeps every page a transaction touches in memory
// until it commits (a million bookings in one doubled the peak memory of a
// sync), and a reader sees the old history or the new one, never a part.
func (c *Cache) SaveTransactions(accountID int64, txs []api.Transaction) error {
	txs = dedupByID(txs)
	c.txWrite.Lock()
	defer c.txWrite.Unlock()
	batch := c.saveBatch
	if batch <= 0 {
		batch = saveBatch
	}
	if len(txs) <= batch {
		return c.update("save transactions", func(tx *bolt.Tx) error {
			acct, err := c.resetAccountTx(tx, accountID)
			if err != nil {
				return err
			}
			return c.writeChunks(acct, txs, firstChunkKey, len(txs))
		})
	}
	key := idKey(accountID)
	epoch := c.Epoch()
	staged := func(tx *bolt.Tx) (*bolt.Bucket, error) {
		if c.Epoch() != epoch {
			return nil, errCacheClaimed
		}
		if stage := tx.Bucket(bucketStage); stage != nil {
			if acct := stage.Bucket(key); acct != nil {
				return acct, nil
			}
		}
		return nil, errCacheClaimed
	}
	err := c.update("save transactions", func(tx *bolt.Tx) error {
		stage, err := tx.CreateBucketIfNotExists(bucketStage)
		if err != nil {
			return err
		}
		if stage.Bucket(key) != nil {
			if err := stage.DeleteBucket(key); err != nil { // left by a save cut short
				return err
			}
		}
		_, err = stage.CreateBucket(key)
		return err
	})
	for start := 0; err == nil && start < len(txs); start += batch {
		part := txs[start:min(start+batch, len(txs))]
		err = c.update("save transactions", func(tx *bolt.Tx) error {
			acct, err := staged(tx)
			if err != nil {
				return err
			}
			chunks, err := acct.CreateBucketIfNotExists(bucketChunks)
			if err != nil {
				return err
			}
			chunks.FillPercent = 1
			ids, err := acct.CreateBucketIfNotExists(bucketIDs)
			if err != nil {
				return err
			}
			return writeChunkRange(chunks, ids, part, firstChunkKey+uint32(start/chunkSize))
		})
		if c.afterBatch != nil {
			c.afterBatch()
		}
	}
	if err == nil {
		err = c.update("save transactions", func(tx *bolt.Tx) error {
			acct, err := staged(tx)
			if err != nil {
				return err
			}
			if err := putMeta(acct, c.now(), len(txs)); err != nil {
				return err
			}
			root, err := tx.CreateBucketIfNotExists(bucketTx)
			if err != nil {
				return err
			}
			if root.Bucket(key) != nil {
				if err := root.DeleteBucket(key); err != nil {
					return err
				}
			}
			stage := tx.Bucket(bucketStage)
			if err := stage.MoveBucket(key, root); err != nil {
				return err
			}
			if firstKeyOf(stage) == nil {
				return tx.DeleteBucket(bucketStage)
			}
			return nil
		})
	}
	if err != nil {
		_ = c.update("drop a staged history", func(tx *bolt.Tx) error {
			if stage := tx.Bucket(bucketStage); stage != nil && stage.Bucket(key) != nil {
				return stage.DeleteBucket(key)
			}
			return nil
		})
	}
	return err
}

// saveBatch is how many bookings one write transaction of
// SaveTransactions holds (a whole number of chunks).
const saveBatch = 100 * chunkSize

// errCacheClaimed ends a batched save when the cache was claimed for
// someone else between two batches: what was staged is not theirs.
var errCacheClaimed = errors.New("the cache changed owner during the save")

// AddTransactions merges txs (new or changed bookings, from an incremental
// sync) into an account's cached history without duplicates: a known id is
// replaced in place, new ones join newest first by booking date. New
// bookings newer than everything cached (the usual case) cost one small
// write, not a rewrite of the history.
func (c *Cache) AddTransactions(accountID int64, txs []api.Transaction) error {
	txs = dedupByID(txs)
	c.txWrite.Lock()
	defer c.txWrite.Unlock()
	return c.update("add transactions", func(tx *bolt.Tx) error {
		acct, err := tx.CreateBucketIfNotExists(bucketTx)
		if err == nil {
			acct, err = acct.CreateBucketIfNotExists(idKey(accountID))
		}
		if err != nil {
			return err
		}
		chunks := acct.Bucket(bucketChunks)
		if chunks == nil || firstKeyOf(chunks) == nil {
			acct, err := c.resetAccountTx(tx, accountID)
			if err != nil {
				return err
			}
			return c.writeChunks(acct, txs, firstChunkKey, len(txs))
		}
		known, cached, err := knownIDs(acct, chunks, txs)
		if err != nil {
			return err
		}
		var fresh []api.Transaction
		updates := 0
		for _, t := range txs {
			if known[t.ID] {
				updates++
			} else {
				fresh = append(fresh, t)
			}
		}
		count := cached + len(fresh)
		if len(fresh) == 0 && updates == 0 {
			return acct.Put(keySynced, timeBytes(c.now()))
		}
		firstKey, firstData := chunks.Cursor().First()
		first, err := decodeChunk(firstData, nil)
		if err != nil {
			return err
		}
		newChunks := uint32((len(fresh) + chunkSize - 1) / chunkSize)
		roomBelow := binary.BigEndian.Uint32(firstKey) >= newChunks
		if updates == 0 && roomBelow && newestFirst(fresh) &&
			(len(first) == 0 || !fresh[len(fresh)-1].BookingDate.Before(first[0].BookingDate.Time)) {
			ids := acct.Bucket(bucketIDs)
			if len(first)+len(fresh) <= chunkSize {
				data := encodeChunk(nil, append(fresh, first...))
				if err := chunks.Put(firstKey, data); err != nil {
					return err
				}
				chunkKey := append([]byte(nil), firstKey...) // the cursor's is only good until the next write
				index := make([]idEntry, len(fresh))
				for i, t := range fresh {
					index[i] = idEntry{t.ID, chunkKey}
				}
				if err := putIDs(ids, index); err != nil {
					return err
				}
			} else {
				// Whole chunks below the first key, newest at the lowest key.
				start := binary.BigEndian.Uint32(firstKey) - newChunks
				if err := writeChunkRange(chunks, ids, fresh, start); err != nil {
					return err
				}
			}
			return putMeta(acct, c.now(), count)
		}
		// Changed bookings or late arrivals: merge and rewrite the history.
		var all []api.Transaction
		if err := chunks.ForEach(func(_, v []byte) error {
			all, err = decodeChunk(v, all)
			return err
		}); err != nil {
			return err
		}
		merged := mergeTransactions(all, txs)
		acct, err = c.resetAccountTx(tx, accountID)
		if err != nil {
			return err
		}
		return c.writeChunks(acct, merged, firstChunkKey, len(merged))
	})
}

// resetAccountTx empties an account's transaction bucket.
func (c *Cache) resetAccountTx(tx *bolt.Tx, accountID int64) (*bolt.Bucket, error) {
	root, err := tx.CreateBucketIfNotExists(bucketTx)
	if err != nil {
		return nil, err
	}
	key := idKey(accountID)
	if root.Bucket(key) != nil {
		if err := root.DeleteBucket(key); err != nil {
			return nil, err
		}
	}
	return root.CreateBucket(key)
}

func (c *Cache) writeChunks(acct *bolt.Bucket, txs []api.Transaction, start uint32, count int) error {
	chunks, err := acct.CreateBucketIfNotExists(bucketChunks)
	if err != nil {
		return err
	}
	// Sequential keys fill pages completely instead of splitting them in half.
	chunks.FillPercent = 1
	ids, err := acct.CreateBucketIfNotExists(bucketIDs)
	if err != nil {
		return err
	}
	if err := writeChunkRange(chunks, ids, txs, start); err != nil {
		return err
	}
	return putMeta(acct, c.now(), count)
}

// writeChunkRange writes txs as chunks from key start on and their ids
// into the id index.
func writeChunkRange(chunks, ids *bolt.Bucket, txs []api.Transaction, start uint32) error {
	var buf []byte
	index := make([]idEntry, 0, len(txs))
	key := start
	for len(txs) > 0 {
		n := min(chunkSize, len(txs))
		// bbolt keeps a reference to the value until the commit: a new buffer each time.
		buf = encodeChunk(make([]byte, 0, len(buf)), txs[:n])
		chunkKey := binary.BigEndian.AppendUint32(nil, key)
		if err := chunks.Put(chunkKey, buf); err != nil {
			return err
		}
		for i := range txs[:n] {
			index = append(index, idEntry{txs[i].ID, chunkKey})
		}
		txs = txs[n:]
		key++
	}
	return putIDs(ids, index)
}

// idEntry is one id of the id index and the key of its chunk.
type idEntry struct {
	id       int64
	chunkKey []byte
}

// putIDs writes entries into the id index in ascending order: bbolt grows
// a node in memory until the commit, and keys put in front of it one by one
// (a history's ids come newest, so highest, first) would move the whole
// node each time.
func putIDs(ids *bolt.Bucket, entries []idEntry) error {
	slices.SortFunc(entries, func(a, b idEntry) int { return cmp.Compare(a.id, b.id) })
	keys := make([]byte, 0, 8*len(entries)) // kept by bbolt until the commit
	for i, e := range entries {
		keys = binary.BigEndian.AppendUint64(keys, uint64(e.id))
		if err := ids.Put(keys[8*i:8*i+8:8*i+8], e.chunkKey); err != nil {
			return err
		}
	}
	return nil
}

// knownIDs says which of txs' ids the account's history holds, and how
// many bookings it holds. With the id index that costs a look-up per
// booking of txs; a history cached without one (an older konto) is read
// once in full, and the index written for the next time.
func knownIDs(acct, chunks *bolt.Bucket, txs []api.Transaction) (known map[int64]bool, cached int, err error) {
	known = make(map[int64]bool, len(txs))
	if ids := acct.Bucket(bucketIDs); ids != nil {
		if n, k := binary.Uvarint(acct.Get(keyCount)); k > 0 {
			for _, t := range txs {
				if ids.Get(idKey(t.ID)) != nil {
					known[t.ID] = true
				}
			}
			return known, int(n), nil
		}
	}
	// The cached ids are looked up in a set of the k incoming ones, not put
	// in a map of their own (no map of a million).
	incoming := make(map[int64]bool, len(txs))
	for _, t := range txs {
		incoming[t.ID] = true
	}
	ids, err := acct.CreateBucketIfNotExists(bucketIDs)
	if err != nil {
		return nil, 0, err
	}
	var chunkIDList []int64
	var index []idEntry
	err = chunks.ForEach(func(k, v []byte) error {
		chunkIDList, err = chunkIDs(v, chunkIDList[:0])
		if err != nil {
			return err
		}
		cached += len(chunkIDList)
		chunkKey := append([]byte(nil), k...)
		for _, id := range chunkIDList {
			if incoming[id] {
				known[id] = true
			}
			index = append(index, idEntry{id, chunkKey})
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return known, cached, putIDs(ids, index)
}

func putMeta(acct *bolt.Bucket, now time.Time, count int) error {
	if err := acct.Put(keySynced, timeBytes(now)); err != nil {
		return err
	}
	return acct.Put(keyCount, binary.AppendUvarint(nil, uint64(count)))
}

func timeBytes(t time.Time) []byte {
	b, _ := t.UTC().MarshalBinary() // cannot fail for a UTC time
	return b
}

// accountChunks is an account's bucket of transaction chunks (nil if none).
func accountChunks(tx *bolt.Tx, accountID int64) *bolt.Bucket {
	root := tx.Bucket(bucketTx)
	if root == nil {
		return nil
	}
	acct := root.Bucket(idKey(accountID))
	if acct == nil {
		return nil
	}
	return acct.Bucket(bucketChunks)
}

// countChunks adds up the counts in the chunks' headers. It is what the
// cache holds, not what tx/<id>/count says (kept for older konto): the
// headers are covered by the chunks' checksums, and each is bounded by its
// chunk's size, so no damaged count can ask for gigabytes.
func countChunks(chunks *bolt.Bucket) (int, error) {
	total := 0
	err := chunks.ForEach(func(_, v []byte) error {
		n, err := chunkCount(v)
		total += n
		return err
	})
	return total, err
}

// txChunks calls fn with each chunk of an account, newest first, until fn
// returns false.
func (c *Cache) txChunks(what string, accountID int64, fn func(chunk []byte) (bool, error)) error {
	return c.view(what, func(tx *bolt.Tx) error {
		chunks := accountChunks(tx, accountID)
		if chunks == nil {
			return nil
		}
		cur := chunks.Cursor()
		for k, v := cur.First(); k != nil; k, v = cur.Next() {
			more, err := fn(v)
			if err != nil || !more {
				return err
			}
		}
		return nil
	})
}

// LoadTransactions returns an account's cached history, newest first (nil
// if none is cached).
func (c *Cache) LoadTransactions(accountID int64) ([]api.Transaction, error) {
	var out []api.Transaction
	err := c.view("load transactions", func(tx *bolt.Tx) error {
		chunks := accountChunks(tx, accountID)
		if chunks == nil {
			return nil
		}
		count, err := countChunks(chunks)
		if err != nil || count == 0 {
			return err
		}
		out = make([]api.Transaction, 0, count)
		return chunks.ForEach(func(_, v []byte) error {
			out, err = decodeChunk(v, out)
			releaseMapped(v) // decoded: the history needs none of it
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LoadNewest returns at most n of an account's newest cached transactions,
// decoding only the chunks they are in: enough to paint the first frame
// before LoadTransactions brings the rest.
func (c *Cache) LoadNewest(accountID int64, n int) ([]api.Transaction, error) {
	var out []api.Transaction
	err := c.txChunks("load newest transactions", accountID, func(chunk []byte) (bool, error) {
		var err error
		out, err = decodeChunk(chunk, out)
		return len(out) < n, err
	})
	if err != nil {
		return nil, err
	}
	if len(out) > n {
		out = slices.Clip(out[:n])
	}
	return out, nil
}

// NewestTransactionIDs returns the ids of an account's n newest cached
// transactions, newest first: an incremental sync stops paging at the first
// one it sees.
func (c *Cache) NewestTransactionIDs(accountID int64, n int) ([]int64, error) {
	var ids []int64
	err := c.txChunks("read transaction ids", accountID, func(chunk []byte) (bool, error) {
		var err error
		ids, err = chunkIDs(chunk, ids)
		return len(ids) < n, err
	})
	if err != nil {
		return nil, err
	}
	if len(ids) > n {
		ids = ids[:n]
	}
	return ids, nil
}

// TransactionsInfo returns how many transactions of an account are cached
// and when they were last synced (zero if never), without loading them.
func (c *Cache) TransactionsInfo(accountID int64) (count int, syncedAt time.Time, err error) {
	err = c.view("read transactions info", func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketTx)
		if root == nil {
			return nil
		}
		acct := root.Bucket(idKey(accountID))
		if acct == nil {
			return nil
		}
		if chunks := acct.Bucket(bucketChunks); chunks != nil {
			var err error
			if count, err = countChunks(chunks); err != nil {
				return err
			}
		}
		if b := acct.Get(keySynced); b != nil {
			if err := syncedAt.UnmarshalBinary(b); err != nil {
				return err
			}
		}
		return nil
	})
	return count, syncedAt, err
}

// dedupByID drops later entries with an id seen before. A history without
// duplicates (a sync's) comes back as it is: a million bookings are not
// copied, and their ids are checked in a sorted copy (bookings come newest
// first, ids mostly descending, which the sort finds in one pass) instead
// of a map.
func dedupByID(txs []api.Transaction) []api.Transaction {
	ids := make([]int64, len(txs))
	for i := range txs {
		ids[i] = txs[i].ID
	}
	slices.Sort(ids)
	unique := true
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			unique = false
			break
		}
	}
	if unique {
		return txs
	}
	seen := make(map[int64]bool, len(txs))
	out := txs[:0:0]
	for _, t := range txs {
		if !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	return out
}

func newestFirst(txs []api.Transaction) bool {
	for i := 1; i < len(txs); i++ {
		if txs[i].BookingDate.After(txs[i-1].BookingDate.Time) {
			return false
		}
	}
	return true
}

// mergeTransactions replaces known bookings in place, puts new ones in
// front, and orders the whole newest first by booking date; the sort is
// stable, so bookings of one date keep the bank's order.
func mergeTransactions(existing, incoming []api.Transaction) []api.Transaction {
	byID := make(map[int64]int, len(incoming))
	for i, t := range incoming {
		byID[t.ID] = i
	}
	used := make([]bool, len(incoming))
	for i, t := range existing {
		if j, ok := byID[t.ID]; ok {
			existing[i] = incoming[j]
			used[j] = true
		}
	}
	merged := make([]api.Transaction, 0, len(existing)+len(incoming))
	for j, t := range incoming {
		if !used[j] {
			merged = append(merged, t)
		}
	}
	merged = append(merged, existing...)
	sort.SliceStable(merged, func(a, b int) bool {
		return merged[a].BookingDate.After(merged[b].BookingDate.Time)
	})
	return merged
}
