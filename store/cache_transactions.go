package store

import (
	"cmp"
	"encoding/binary"
	"errors"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"konto/api"
	"konto/store/history"
)

// firstChunkKey leaves room below it: incremental syncs prepend chunks of
// new transactions with smaller keys instead of rewriting the history.
const firstChunkKey = 1 << 31

// SaveTransactions replaces an account's cached history with txs, the full
// set, newest first (a full sync). Duplicate ids keep their first entry.
//
// A long history is written in batches of saveBatch bookings, one write
// transaction each, to a staging bucket that the last one moves in place of
// the old history: bbolt keeps every page a transaction touches in memory
// until it commits (a million bookings in one doubled the peak memory of a
// sync), and a reader sees the old history or the new one, never a part.
func (c *Cache) SaveTransactions(accountID int64, txs []api.Transaction) error {
	return c.save(accountID, sliceSource(dedupByID(txs)))
}

// SaveHistory is SaveTransactions for a history: it is written a chunk at
// a time, read back from h, so no slice of the whole history is made.
func (c *Cache) SaveHistory(accountID int64, h *history.History) error {
	if !uniqueIDs(h.Len(), h.ID) {
		return c.SaveTransactions(accountID, h.Slice())
	}
	return c.save(accountID, &historySource{h: h})
}

// txSource is a history to write, newest first, without duplicate ids.
type txSource interface {
	Len() int
	// part returns bookings from..to-1, good until the next call.
	part(from, to int) []api.Transaction
}

type sliceSource []api.Transaction

func (s sliceSource) Len() int                            { return len(s) }
func (s sliceSource) part(from, to int) []api.Transaction { return s[from:to] }

// historySource reads a history a chunk at a time into one buffer.
type historySource struct {
	h       *history.History
	buf     []api.Transaction
	valutas []api.TxTime
}

func (s *historySource) Len() int { return s.h.Len() }

func (s *historySource) part(from, to int) []api.Transaction {
	s.buf = s.buf[:0]
	if cap(s.valutas) < to-from {
		s.valutas = make([]api.TxTime, to-from)
	}
	for i := from; i < to; i++ {
		s.buf = append(s.buf, s.h.Read(i, &s.valutas[i-from]))
	}
	return s.buf
}

func (c *Cache) save(accountID int64, txs txSource) error {
	c.txWrite.Lock()
	defer c.txWrite.Unlock()
	batch := c.saveBatch
	if batch <= 0 {
		batch = saveBatch
	}
	if txs.Len() <= batch {
		return c.update("save transactions", func(tx *bolt.Tx) error {
			acct, err := c.resetAccountTx(tx, accountID)
			if err != nil {
				return err
			}
			return c.writeChunks(acct, txs, 0, txs.Len(), firstChunkKey, txs.Len())
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
	for start := 0; err == nil && start < txs.Len(); start += batch {
		end := min(start+batch, txs.Len())
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
			return writeChunkRange(chunks, ids, txs, start, end, firstChunkKey+uint32(start/chunkSize))
		})
		if c.afterBatch != nil {
			c.afterBatch()
		}
	}
	if err == nil {
		err = c.update("save transactions", func(tx *bolt.Tx) error {
			if _, err := staged(tx); err != nil {
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
			// The count and time go in after the move: bbolt moves what the
			// bucket held at the start of the transaction, and what was put
			// into it before the move would be lost (the count with it, and
			// the next AddTransactions would read the whole history to
			// count and index it again).
			if err := putMeta(root.Bucket(key), c.now(), txs.Len()); err != nil {
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
	// bbolt read the branches it wrote into through its map: a whole
	// history's worth, which a konto that keeps its history in memory
	// will not read again.
	_ = c.view("release the file's pages", func(tx *bolt.Tx) error { releaseFile(tx); return nil })
	return err
}

// saveBatch is how many bookings one write transaction of
// SaveTransactions holds (a whole number of chunks). 100k in one made the
// pages of a whole 100k history the peak of its cold sync (RSS 72 MiB,
// 47 with batches of 25k); a million in 40 commits syncs as fast as in 10.
const saveBatch = 25 * chunkSize

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
			return c.writeChunks(acct, sliceSource(txs), 0, len(txs), firstChunkKey, len(txs))
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
				if err := writeChunkRange(chunks, ids, sliceSource(fresh), 0, len(fresh), start); err != nil {
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
		return c.writeChunks(acct, sliceSource(merged), 0, len(merged), firstChunkKey, len(merged))
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

func (c *Cache) writeChunks(acct *bolt.Bucket, txs txSource, from, to int, start uint32, count int) error {
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
	if err := writeChunkRange(chunks, ids, txs, from, to, start); err != nil {
		return err
	}
	return putMeta(acct, c.now(), count)
}

// writeChunkRange writes bookings from..to-1 of txs as chunks from key
// start on and their ids into the id index.
func writeChunkRange(chunks, ids *bolt.Bucket, txs txSource, from, to int, start uint32) error {
	var buf []byte
	index := make([]idEntry, 0, to-from)
	key := start
	for from < to {
		part := txs.part(from, min(from+chunkSize, to))
		// bbolt keeps a reference to the value until the commit: a new buffer each time.
		buf = encodeChunk(make([]byte, 0, len(buf)), part)
		chunkKey := binary.BigEndian.AppendUint32(nil, key)
		if err := chunks.Put(chunkKey, buf); err != nil {
			return err
		}
		for i := range part {
			index = append(index, idEntry{part[i].ID, chunkKey})
		}
		from += len(part)
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
		defer releaseFile(tx) // the pages between the values, the ids
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

// LoadHistory is LoadTransactions into a history: each booking is read
// straight from the cache file, made safe with clean (nil keeps the
// bookings as they are) and added (the history copies what it keeps), so
// no slice of the whole history is made and a chunk costs no copy of it.
func (c *Cache) LoadHistory(accountID int64, clean func(api.Transaction) api.Transaction) (*history.History, error) {
	var h *history.History
	err := c.view("load transactions", func(tx *bolt.Tx) error {
		chunks := accountChunks(tx, accountID)
		if chunks == nil {
			return nil
		}
		count, err := countChunks(chunks)
		if err != nil || count == 0 {
			return err
		}
		defer releaseFile(tx) // the pages between the values, the ids
		b := history.NewBuilder(count)
		var visit chunkVisit
		add := func(t *api.Transaction) {
			if clean != nil {
				c := clean(*t)
				t = &c
			}
			b.Add(t)
		}
		if err := chunks.ForEach(func(_, v []byte) error {
			err := eachInChunk(v, &visit, add)
			releaseMapped(v) // added: the history needs none of it
			return err
		}); err != nil {
			return err
		}
		h = b.Done()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// TransactionsHead returns how many transactions of an account are cached
// (as TransactionsInfo) and the ids of the n newest, newest first, read
// together: what a history kept in memory is checked against.
func (c *Cache) TransactionsHead(accountID int64, n int) (count int, ids []int64, err error) {
	err = c.view("read transactions head", func(tx *bolt.Tx) error {
		chunks := accountChunks(tx, accountID)
		if chunks == nil {
			return nil
		}
		var err error
		if count, err = countChunks(chunks); err != nil {
			return err
		}
		cur := chunks.Cursor()
		for k, v := cur.First(); k != nil && len(ids) < n; k, v = cur.Next() {
			if ids, err = chunkIDs(v, ids); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return count, ids[:min(len(ids), n)], nil
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
	if uniqueIDs(len(txs), func(i int) int64 { return txs[i].ID }) {
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

// uniqueIDs reports that the n ids id(0)… differ, checked in a sorted copy.
func uniqueIDs(n int, id func(int) int64) bool {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = id(i)
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return false
		}
	}
	return true
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
