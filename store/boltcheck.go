package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt trusts its file. Given a damaged one it faults on the memory map
// (a page past the end of a cut file), panics in a goroutine of its own
// (the walk over every page that rebuilds the freelist at each open) or
// reads out of bounds through unsafe pointers: none of which a recover can
// catch. So before bbolt sees a file, checkBoltFile walks it the way bbolt
// would, with plain reads bounded by the file's size, and refuses anything
// bbolt could trip over: the meta page bbolt would choose, every page
// reachable from it (ids, types, counts, element offsets and sizes, key
// order, nested and inline buckets, each page referenced once) and the
// freelist page if there is one. What passes is what bbolt itself writes,
// and bbolt's own checks (tx.Check, the freelist walk) find nothing in it.
//
// The layout below is bbolt's (go.etcd.io/bbolt/internal/common, format
// version 2), in the machine's byte order as bbolt writes it.

const (
	boltMagic         = 0xED0CDAED
	boltVersion       = 2
	boltPageHeader    = 16 // id u64, flags u16, count u16, overflow u32
	boltElementSize   = 16 // leaf: flags, pos, ksize, vsize (u32 each); branch: pos, ksize u32, pgid u64
	boltBucketHeader  = 16 // root pgid u64, sequence u64
	boltMetaSize      = 64
	boltMetaChecksum  = 56 // offset of the checksum in the meta: FNV-64a of what precedes it
	boltBranchPage    = 0x01
	boltLeafPage      = 0x02
	boltFreelistPage  = 0x10
	boltBucketLeaf    = 0x01
	boltNoFreelist    = ^uint64(0)
	boltMinPageSize   = 512
	boltMaxPageSize   = 1 << 16
	boltMaxTreeDepth  = 64 // B+tree levels plus bucket nesting; konto's files need well under 10
	boltMaxCheckPages = 1 << 40
)

var boltOrder = binary.NativeEndian

// errDamagedFile is a cache file bbolt must not be given.
var errDamagedFile = errors.New("damaged cache file")

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errDamagedFile, fmt.Sprintf(format, args...))
}

// boltValueVisitor is called with every plain key/value of every bucket;
// path names the buckets from the top. An error stops the walk.
type boltValueVisitor func(path [][]byte, key, value []byte) error

// checkBoltFile checks the bbolt file f of size bytes; an empty file is a
// new one. A problem with the file's structure is errDamagedFile; an error
// reading it is returned as it is (it says nothing about the contents).
func checkBoltFile(f io.ReaderAt, size int64, visit boltValueVisitor) error {
	if size == 0 {
		return nil // bbolt writes a new database into an empty file
	}
	pageSize, err := boltPageSize(f, size)
	if err != nil {
		return err
	}
	if size < 2*int64(pageSize) {
		return damaged("%d bytes, less than two pages of %d", size, pageSize)
	}
	meta, err := boltChooseMeta(f, pageSize)
	if err != nil {
		return err
	}
	pages := uint64(size / int64(pageSize))
	switch {
	case meta.pgid < 3 || meta.pgid > pages || meta.pgid > boltMaxCheckPages:
		return damaged("the file holds %d pages of %d bytes, its meta page says %d", pages, pageSize, meta.pgid)
	case meta.root < 2 || meta.root >= meta.pgid:
		return damaged("root page %d outside the file's %d pages", meta.root, meta.pgid)
	case meta.freelist != boltNoFreelist && (meta.freelist < 2 || meta.freelist >= meta.pgid):
		return damaged("freelist page %d outside the file's %d pages", meta.freelist, meta.pgid)
	}
	c := &boltChecker{
		f:        f,
		pageSize: pageSize,
		pages:    meta.pgid,
		seen:     make([]uint64, (meta.pgid+63)/64),
		visit:    visit,
	}
	if err := c.bucket(meta.root, nil, 0); err != nil {
		return err
	}
	if meta.freelist != boltNoFreelist {
		return c.freelist(meta.freelist)
	}
	return nil
}

type boltMeta struct {
	pageSize                   uint32
	root, freelist, pgid, txid uint64
}

// parseBoltMeta reads the meta in a page's first bytes; ok is false unless
// magic, version and checksum are right (bbolt's Meta.Validate).
func parseBoltMeta(page []byte) (m boltMeta, ok bool) {
	if len(page) < boltPageHeader+boltMetaSize {
		return m, false
	}
	b := page[boltPageHeader:]
	sum := fnv.New64a()
	sum.Write(b[:boltMetaChecksum])
	if boltOrder.Uint32(b[0:]) != boltMagic || boltOrder.Uint32(b[4:]) != boltVersion ||
		boltOrder.Uint64(b[boltMetaChecksum:]) != sum.Sum64() {
		return m, false
	}
	return boltMeta{
		pageSize: boltOrder.Uint32(b[8:]),
		root:     boltOrder.Uint64(b[16:]),
		freelist: boltOrder.Uint64(b[32:]),
		pgid:     boltOrder.Uint64(b[40:]),
		txid:     boltOrder.Uint64(b[48:]),
	}, true
}

// boltPageSize finds the page size as bbolt's getPageSize does: from the
// first meta page, else from the second one wherever a page size would put
// it, else the system's (when at least one of them could be read).
func boltPageSize(f io.ReaderAt, size int64) (int, error) {
	var buf [0x1000]byte
	readable := false
	if n, err := f.ReadAt(buf[:], 0); n == len(buf) {
		readable = true
		if m, ok := parseBoltMeta(buf[:]); ok {
			return checkPageSize(m.pageSize)
		}
	} else if err != nil && err != io.EOF {
		return 0, err
	}
	for i := range 15 {
		pos := int64(1024) << i
		if pos >= size-1024 {
			break
		}
		n, err := f.ReadAt(buf[:], pos)
		if err != nil && err != io.EOF {
			return 0, err
		}
		if n == len(buf) || int64(n) == size-pos {
			readable = true
			if m, ok := parseBoltMeta(buf[:n]); ok {
				return checkPageSize(m.pageSize)
			}
		}
	}
	if readable {
		return checkPageSize(uint32(os.Getpagesize()))
	}
	return 0, damaged("no meta page")
}

func checkPageSize(size uint32) (int, error) {
	if size < boltMinPageSize || size > boltMaxPageSize || size&(size-1) != 0 {
		return 0, damaged("page size %d", size)
	}
	return int(size), nil
}

// boltChooseMeta returns the meta bbolt will use: the valid one with the
// higher transaction id (db.meta).
func boltChooseMeta(f io.ReaderAt, pageSize int) (boltMeta, error) {
	var metas [2]boltMeta
	var valid [2]bool
	buf := make([]byte, boltPageHeader+boltMetaSize)
	for i := range metas {
		if _, err := f.ReadAt(buf, int64(i*pageSize)); err != nil {
			return boltMeta{}, readErr(err)
		}
		metas[i], valid[i] = parseBoltMeta(buf)
	}
	pick := -1
	switch {
	case valid[0] && valid[1]:
		pick = 0
		if metas[1].txid > metas[0].txid {
			pick = 1
		}
	case valid[0]:
		pick = 0
	case valid[1]:
		pick = 1
	default:
		return boltMeta{}, damaged("both meta pages are invalid")
	}
	if int(metas[pick].pageSize) != pageSize {
		return boltMeta{}, damaged("meta page %d says pages of %d bytes, the file has %d", pick, metas[pick].pageSize, pageSize)
	}
	return metas[pick], nil
}

// readErr makes a read that ends early a sign of damage (the file is
// shorter than its pages say); any other error is passed on.
func readErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return damaged("the file ends inside a page")
	}
	return err
}

type boltChecker struct {
	f        io.ReaderAt
	pageSize int
	pages    uint64          // the high water mark: pages below it may be used
	seen     []uint64        // bit set of the pages referenced so far
	depths   []*depthScratch // reused from page to page: a walk allocates none
	path     [][]byte
	visit    boltValueVisitor
}

// claim marks pages id … id+overflow as referenced, refusing a page
// referenced twice (bbolt would free it twice, or loop).
func (c *boltChecker) claim(id uint64, overflow uint32) error {
	last := id + uint64(overflow)
	if id < 2 || last >= c.pages {
		return damaged("page %d (+%d) outside the file's %d pages", id, overflow, c.pages)
	}
	for p := id; p <= last; p++ {
		if c.seen[p/64]&(1<<(p%64)) != 0 {
			return damaged("page %d referenced twice", p)
		}
		c.seen[p/64] |= 1 << (p % 64)
	}
	return nil
}

func (c *boltChecker) claimed(id uint64) bool {
	return id < c.pages && c.seen[id/64]&(1<<(id%64)) != 0
}

// readPage reads page id with its overflow pages into the buffer of depth
// and checks its header: the id it names, and that it is of type want.
func (c *boltChecker) readPage(id uint64, depth int, want ...uint16) ([]byte, error) {
	if id < 2 || id >= c.pages {
		return nil, damaged("page %d outside the file's %d pages", id, c.pages)
	}
	d := c.at(depth)
	// One read for the page; a second only for its overflow pages.
	if cap(d.buf) < c.pageSize {
		d.buf = make([]byte, c.pageSize)
	}
	at := int64(id) * int64(c.pageSize)
	buf := d.buf[:c.pageSize]
	if _, err := c.f.ReadAt(buf, at); err != nil {
		return nil, readErr(err)
	}
	if got := boltOrder.Uint64(buf[0:]); got != id {
		return nil, damaged("page %d says it is page %d", id, got)
	}
	flags, overflow := boltOrder.Uint16(buf[8:]), boltOrder.Uint32(buf[12:])
	typeOK := false
	for _, w := range want {
		typeOK = typeOK || flags == w
	}
	if !typeOK {
		return nil, damaged("page %d has type %#x", id, flags)
	}
	if err := c.claim(id, overflow); err != nil {
		return nil, err
	}
	if overflow == 0 {
		return buf, nil
	}
	n := (int(overflow) + 1) * c.pageSize // claim bounded it by the file
	if cap(d.buf) < n {
		d.buf = append(d.buf[:c.pageSize], make([]byte, n-c.pageSize)...)
	}
	buf = d.buf[:n]
	if _, err := c.f.ReadAt(buf[c.pageSize:], at+int64(c.pageSize)); err != nil {
		return nil, readErr(err)
	}
	return buf, nil
}

// bucket checks a bucket: its root page, or (root 0) the inline page.
func (c *boltChecker) bucket(root uint64, inline []byte, depth int) error {
	if depth > boltMaxTreeDepth {
		return damaged("buckets nested too deep")
	}
	if root == 0 {
		return c.inline(inline, depth)
	}
	_, err := c.page(root, nil, nil, depth)
	return err
}

// element is one entry of a branch or leaf page.
type boltElement struct {
	flags uint32
	key   []byte
	value []byte // leaf only
	child uint64 // branch only
}

// depthScratch is what checking a page at one depth of the tree reads
// into; the page's children, one depth down, use their own.
type depthScratch struct {
	buf     []byte        // the page
	elems   []boltElement // its element headers
	lastKey []byte        // its last key, which its parent compares
}

// at returns depth's scratch (a pointer that stays valid while deeper
// pages add theirs).
func (c *boltChecker) at(depth int) *depthScratch {
	for len(c.depths) <= depth {
		c.depths = append(c.depths, &depthScratch{})
	}
	return c.depths[depth]
}

// boltWhere names a page, or an inline bucket (id 0), in a message; it
// is formatted only when there is one to give.
type boltWhere uint64

func (w boltWhere) String() string {
	if w == 0 {
		return "inline bucket"
	}
	return fmt.Sprintf("page %d", uint64(w))
}

// elements decodes the element headers of a page (or an inline page) in
// buf into d.elems, bounding every offset and size by buf.
func (d *depthScratch) elements(buf []byte, leaf bool, what boltWhere) ([]boltElement, error) {
	count := int(boltOrder.Uint16(buf[10:]))
	if boltPageHeader+count*boltElementSize > len(buf) {
		return nil, damaged("%v: %d elements do not fit in %d bytes", what, count, len(buf))
	}
	if cap(d.elems) < count {
		d.elems = make([]boltElement, count)
	}
	elems := d.elems[:count]
	for i := range elems {
		at := boltPageHeader + i*boltElementSize
		h := buf[at : at+boltElementSize]
		var e boltElement
		var pos, ksize, vsize uint64
		if leaf {
			e.flags = boltOrder.Uint32(h[0:])
			pos, ksize, vsize = uint64(boltOrder.Uint32(h[4:])), uint64(boltOrder.Uint32(h[8:])), uint64(boltOrder.Uint32(h[12:]))
		} else {
			pos, ksize = uint64(boltOrder.Uint32(h[0:])), uint64(boltOrder.Uint32(h[4:]))
			e.child = boltOrder.Uint64(h[8:])
		}
		start := uint64(at) + pos
		if ksize == 0 || start+ksize+vsize > uint64(len(buf)) {
			return nil, damaged("%v: element %d (at %d, key %d, value %d bytes) outside its %d bytes", what, i, start, ksize, vsize, len(buf))
		}
		e.key = buf[start : start+ksize]
		e.value = buf[start+ksize : start+ksize+vsize]
		elems[i] = e
	}
	return elems, nil
}

// page checks the subtree at page id, whose keys must lie in [lo, hi) (nil:
// unbounded), and returns its last key (bbolt's key order check).
func (c *boltChecker) page(id uint64, lo, hi []byte, depth int) ([]byte, error) {
	if depth > boltMaxTreeDepth {
		return nil, damaged("tree too deep at page %d", id)
	}
	buf, err := c.readPage(id, depth, boltBranchPage, boltLeafPage)
	if err != nil {
		return nil, err
	}
	leaf := boltOrder.Uint16(buf[8:]) == boltLeafPage
	what := boltWhere(id)
	d := c.at(depth)
	elems, err := d.elements(buf, leaf, what)
	if err != nil {
		return nil, err
	}
	if !leaf && len(elems) == 0 {
		return nil, damaged("%v: a branch without children", what)
	}
	prev := lo
	for i, e := range elems {
		if err := keyInOrder(what, i, e.key, prev, hi); err != nil {
			return nil, err
		}
		if !leaf {
			next := hi
			if i+1 < len(elems) {
				next = elems[i+1].key
			}
			last, err := c.page(e.child, e.key, next, depth+1)
			if err != nil {
				return nil, err
			}
			prev = last
			continue
		}
		if err := c.leafElement(e, depth); err != nil {
			return nil, err
		}
		prev = e.key
	}
	if len(prev) == 0 || len(elems) == 0 {
		return nil, nil
	}
	// The page's buffer is read over by its next sibling: the key the
	// caller compares goes into a buffer of its own.
	d.lastKey = append(d.lastKey[:0], prev...)
	return d.lastKey, nil
}

// keyInOrder is bbolt's verifyKeyOrder: keys ascend strictly within a page
// and stay within their parent's range.
func keyInOrder(what boltWhere, i int, key, prev, hi []byte) error {
	if prev != nil {
		if cmp := bytes.Compare(prev, key); cmp > 0 || (i > 0 && cmp == 0) {
			return damaged("%v: key %d out of order", what, i)
		}
	}
	if hi != nil && bytes.Compare(key, hi) >= 0 {
		return damaged("%v: key %d beyond its parent's range", what, i)
	}
	return nil
}

// leafElement checks a leaf's entry: a nested bucket, or a value to visit.
func (c *boltChecker) leafElement(e boltElement, depth int) error {
	switch e.flags {
	case 0:
		if c.visit == nil {
			return nil
		}
		return c.visit(c.path, e.key, e.value)
	case boltBucketLeaf:
		if len(e.value) < boltBucketHeader {
			return damaged("bucket %q: a header of %d bytes", e.key, len(e.value))
		}
		c.path = append(c.path, e.key)
		err := c.bucket(boltOrder.Uint64(e.value), e.value[boltBucketHeader:], depth+1)
		c.path = c.path[:len(c.path)-1]
		return err
	}
	return damaged("key %q has flags %#x", e.key, e.flags)
}

// inline checks a bucket stored in its parent's value: one leaf page, with
// no buckets in it (bbolt only inlines buckets without).
func (c *boltChecker) inline(buf []byte, depth int) error {
	if len(buf) < boltPageHeader || boltOrder.Uint16(buf[8:]) != boltLeafPage {
		return damaged("inline bucket of %d bytes without a leaf page", len(buf))
	}
	elems, err := c.at(depth).elements(buf, true, boltWhere(0))
	if err != nil {
		return err
	}
	var prev []byte
	for i, e := range elems {
		if err := keyInOrder(boltWhere(0), i, e.key, prev, nil); err != nil {
			return err
		}
		if e.flags != 0 {
			return damaged("inline bucket: key %q has flags %#x", e.key, e.flags)
		}
		if c.visit != nil {
			if err := c.visit(c.path, e.key, e.value); err != nil {
				return err
			}
		}
		prev = e.key
	}
	return nil
}

// freelist checks the freelist page (files written without NoFreelistSync
// have one): every page it lists exists, once, and is not in use.
func (c *boltChecker) freelist(id uint64) error {
	buf, err := c.readPage(id, 0, boltFreelistPage)
	if err != nil {
		return err
	}
	first, count := 0, uint64(boltOrder.Uint16(buf[10:]))
	if count == 0xFFFF { // the real count is the first element
		first, count = 1, boltOrder.Uint64(buf[boltPageHeader:])
	}
	room := uint64(len(buf)-boltPageHeader) / 8
	if uint64(first)+count > room {
		return damaged("freelist of %d pages in %d bytes", count, len(buf))
	}
	ids := buf[boltPageHeader+8*first:]
	for i := range count {
		p := boltOrder.Uint64(ids[8*i:])
		if p < 2 || p >= c.pages || c.claimed(p) {
			return damaged("freelist names page %d", p)
		}
		c.seen[p/64] |= 1 << (p % 64) // a second mention is then "claimed"
	}
	return nil
}
