package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
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

// initialMmapSize is the memory map a cache starts with (see openCacheDB):
// 1 GiB of address space where there is plenty (64 bits), bbolt's default
// elsewhere.
const initialMmapSize = (1 << 30) * int(^uint(0)>>63)

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
		// Address space for a history of a few million bookings from
		// the start: each time bbolt maps a grown file anew, a write in
		// progress copies all it has touched out of the old map first
		// (a sixth of a full sync's save of 100k). Only what is read
		// counts in memory; the file grows as it did.
		InitialMmapSize: initialMmapSize,
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
	// bbolt walked every page to find the free ones (NoFreelistSync).
	_ = db.View(func(tx *bolt.Tx) error { releaseFile(tx); return nil })
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
	// Called for every value of the file (a million ids at 1M bookings):
	// the path's depth first, then its names.
	var err error
	switch len(path) {
	case 0:
		err = errors.New("a value where konto keeps a bucket")
	case 1:
		switch top := path[0]; {
		case bytes.Equal(top, bucketTx):
			err = errors.New("a value where konto keeps a bucket")
		case bytes.Equal(top, bucketMeta):
			v.sealed = v.sealed || bytes.Equal(key, keyChecksums)
		case bytes.Equal(top, bucketAccounts) || bytes.Equal(top, bucketStanding) ||
			bytes.Equal(top, bucketTimed) || bytes.Equal(top, bucketLookahead):
			v.legacy = v.legacy || len(value) > 0 && value[0] == '{'
			_, err = docJSON(value)
		}
	case 2:
		switch {
		case bytes.Equal(path[0], bucketTx) && bytes.Equal(key, bucketChunks):
			err = errors.New("a value where konto keeps a bucket")
		case bytes.Equal(path[0], bucketTx) && bytes.Equal(key, keySynced):
			var t time.Time
			err = t.UnmarshalBinary(value)
		case bytes.Equal(path[0], bucketLocal) && bytes.Equal(path[1], bucketLabels):
			// Labels were sealed from the start: plain JSON is damage.
			if len(value) > 0 && value[0] == '{' {
				err = errors.New("a label without its checksum")
			} else {
				_, err = decodeLabel(value)
			}
		}
	case 3:
		if bytes.Equal(path[2], bucketChunks) && bytes.Equal(path[0], bucketTx) {
			if len(value) > 0 && value[0] == chunkFormatV1 {
				v.legacy = true
				_, err = chunkCount(value)
			} else {
				_, err = chunkBody(value)
			}
		}
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
