package api

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"
)

// SyncOptions tunes SyncTransactions.
type SyncOptions struct {
	// Concurrency bounds the pages fetched at once (default 6).
	Concurrency int
	// OnPage, if set, is called (never concurrently) with each page as it
	// arrives, refetched pages included. With a Stream, the page is good
	// only during the call (see Stream.Add).
	OnPage func(page int, results []Transaction, total int)
	// Stream, if set, takes the history page by page, in order, while the
	// sync runs, instead of the slice SyncTransactions returns: a history
	// kept in another form is built without a second copy of it all.
	// SyncTransactions then returns nil when every booking went to Stream
	// (an empty history too), and the whole history as a slice when the
	// sync had to reconcile (see Stream.Taken).
	Stream Stream
}

// A Stream takes a history from a sync (SyncOptions.Stream).
type Stream interface {
	// Add takes the next bookings, newest first (bookingDate desc, then
	// id desc), each older than every booking before it. They and what
	// they point to are good only during the call: the sync decodes
	// later pages into the same memory. Calls never overlap.
	Add(txs []Transaction)
	// Taken calls yield with every booking Add took (as the stream keeps
	// them), when the history changed while the sync ran (bookings landed
	// or vanished) and it must be reconciled by id: Add is not called
	// again, and the sync returns the reconciled history as a slice,
	// which may hold the bookings yielded.
	Taken(yield func(Transaction))
}

// Sync limits.
const (
	defaultSyncConcurrency = 6
	// maxSyncRounds bounds the reconciliation rounds when bookings keep
	// landing during a sync.
	maxSyncRounds = 5
	// maxSyncPages refuses an absurd total from a broken or hostile server
	// (10 million bookings at 50 a page).
	maxSyncPages = 200_000
)

// SyncTransactions fetches an account's whole history: page 1, then (once
// total is known) the remaining pages concurrently. Bookings are deduplicated
// by id. A booking that lands mid-sync shifts the newest-first pages (a
// booking seen twice, another missed): when the count does not match the
// newest total, the first pages are fetched again until a page holds only
// known ids, then, if still short, every page once more, for a few rounds.
// A total that shrinks (a booking vanished) forces a fresh pass from scratch.
// The result is newest first (bookingDate desc, then id desc). With
// opt.Stream the first pass hands its pages to the stream in order instead
// of keeping them (see SyncOptions.Stream).
func (c *Client) SyncTransactions(ctx context.Context, accountID int64, opt SyncOptions) ([]Transaction, error) {
	s := &syncRun{
		client:    c,
		accountID: accountID,
		onPage:    opt.OnPage,
		stream:    opt.Stream,
		limit:     opt.Concurrency,
	}
	if s.limit <= 0 {
		s.limit = defaultSyncConcurrency
	}
	s.wake = sync.NewCond(&s.mu)
	txs, err := s.run(ctx)
	if err != nil {
		return nil, fmt.Errorf("sync transactions of account %d: %w", accountID, err)
	}
	return txs, nil
}

type syncRun struct {
	client    *Client
	accountID int64
	onPage    func(page int, results []Transaction, total int)
	limit     int

	mu sync.Mutex // guards the fields below and serialises onPage
	// history is the first pass: each page decoded straight into its place
	// (page p at (p-1)*pageSize), so a sync that nothing disturbs keeps
	// one copy of each booking and needs no map. got counts what each page
	// brought; irregular says a page did not fit its place.
	history   []Transaction
	got       []int
	irregular bool
	extra     []Transaction // what came back in no place of its own
	// seen takes over when the first pass does not add up (bookings landed
	// or vanished meanwhile): by id, across the rounds that follow.
	seen     map[int64]Transaction
	total    int  // the total of the most recent answer
	changed  bool // a total other than the first one arrived
	shrunk   bool // a total smaller than the one before arrived: a booking vanished
	pageSize int

	// With a stream the first pass keeps no history: a page waits in held
	// until the pages before it went to the stream, then follows them.
	stream Stream
	held   map[int]heldPage
	free   []*pageBuf // buffers of pages the stream took, to decode into again
	next   int        // the next page for the stream
	adding bool       // a fetch is handing pages to the stream (outside mu)
	// broken: the first pass does not add up (a page of the wrong size
	// or order, a total that changed); what it brought waits for the
	// rounds, and the stream takes no more.
	broken bool
	failed bool // a page failed: no fetch waits for the window any more
	added  int  // bookings the stream took
	// last is the last booking the stream took.
	lastDate TxTime
	lastID   int64
	wake     *sync.Cond // on mu: the stream moved on, or the pass ended
}

// heldPage is a page waiting for the stream, and the buffers it is in
// (nil: its own).
type heldPage struct {
	txs []Transaction
	buf *pageBuf
}

// pageBuf is what a streamed page is decoded into.
type pageBuf struct {
	results []Transaction
	dec     pageBuffers
}

// streamWindow is how many pages beyond the next one for the stream (in
// fetches at once) a streamed first pass runs ahead: a page that takes
// long holds back the others' pages, not the whole history.
const streamWindow = 4

func (s *syncRun) run(ctx context.Context) ([]Transaction, error) {
	first, err := s.fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	s.pageSize = len(first.Results)
	if s.pageSize == 0 {
		if first.Total > 0 {
			return nil, fmt.Errorf("the bank reports %d transactions but sent an empty first page", first.Total)
		}
		if s.stream != nil {
			return nil, nil // all of nothing went to the stream
		}
		return []Transaction{}, nil
	}
	n, err := s.pages()
	if err != nil {
		return nil, err
	}
	n = max(n, 1) // a total below the first page's count: the rounds sort it out
	s.got = make([]int, n+1)
	if s.stream != nil {
		s.mu.Lock()
		s.held = map[int]heldPage{1: {txs: first.Results}}
		s.got[1], s.next = len(first.Results), 1
		s.drainLocked()
		s.mu.Unlock()
		err := s.fetchAll(ctx, 2)
		s.mu.Lock()
		s.failed = true // no fetch is left to wait, but say so
		s.wake.Broadcast()
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if s.streamedAll() {
			return nil, nil
		}
		s.takeOverStream()
	} else {
		s.history = make([]Transaction, n*s.pageSize)
		s.got[1] = copy(s.history, first.Results)
		if err := s.fetchAll(ctx, 2); err != nil {
			return nil, err
		}
		if txs, ok := s.streamed(); ok {
			return txs, nil
		}
		s.takeOver()
	}

	for round := 1; ; round++ {
		if s.complete() {
			return s.sorted(), nil
		}
		if round > maxSyncRounds {
			s.mu.Lock()
			have, total := len(s.seen), s.total
			s.mu.Unlock()
			return nil, fmt.Errorf("the list kept changing during the sync: %d of %d transactions after %d rounds", have, total, maxSyncRounds)
		}
		if s.needsFreshPass() {
			// A booking vanished (the total shrank, or more ids than the
			// bank counts): the kept ids may hold it and the shift may have
			// hidden another. Only a pass of its own, from scratch, tells.
			s.mu.Lock()
			s.seen = make(map[int64]Transaction)
			s.shrunk = false
			s.mu.Unlock()
			if err := s.fetchAll(ctx, 1); err != nil {
				return nil, err
			}
			continue
		}
		// New bookings land at the head: refetch from page 1 until a page
		// holds only known ids.
		if err := s.refreshHead(ctx); err != nil {
			return nil, err
		}
		if s.complete() {
			return s.sorted(), nil
		}
		// Still short: a shift between two concurrent fetches left a gap in
		// the middle or pushed bookings past the last page.
		if err := s.fetchAll(ctx, 1); err != nil {
			return nil, err
		}
	}
}

// fetch gets one page and records it: in its place in the first pass,
// by id after it.
func (s *syncRun) fetch(ctx context.Context, page int) (*TransactionPage, error) {
	var dst []Transaction
	var buf *pageBuf
	s.mu.Lock()
	streaming := s.stream != nil && s.seen == nil && s.got != nil
	for streaming && !s.broken && !s.failed && page >= s.next+streamWindow*s.limit {
		s.wake.Wait()
	}
	switch {
	case streaming:
		if n := len(s.free); n > 0 {
			buf, s.free = s.free[n-1], s.free[:n-1]
			buf.dec.reuse()
		} else {
			buf = &pageBuf{results: make([]Transaction, 0, s.pageSize)}
		}
		dst = buf.results
	case s.seen == nil && page < len(s.got):
		off := (page - 1) * s.pageSize
		dst = s.history[off : off : off+s.pageSize]
	}
	s.mu.Unlock()
	var bufs *pageBuffers
	if buf != nil {
		bufs = &buf.dec
	}
	p, err := s.client.transactionsPageInto(ctx, s.accountID, page, dst, bufs)
	if err != nil {
		if streaming {
			s.mu.Lock()
			s.failed = true
			s.wake.Broadcast()
			s.mu.Unlock()
		}
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Total < s.total {
		s.shrunk = true
	}
	if s.total != 0 && p.Total != s.total {
		s.changed = true
	}
	s.total = p.Total
	switch {
	case s.seen != nil:
		for _, tx := range p.Results {
			s.seen[tx.ID] = tx
		}
	case streaming:
		if page >= len(s.got) || len(p.Results) > s.pageSize {
			s.irregular = true
			s.extra = append(s.extra, p.Results...) // its buffers with it
		} else {
			s.got[page] = len(p.Results)
			s.held[page] = heldPage{txs: p.Results, buf: buf}
		}
	case dst == nil:
		// The first page, or one past the pages the first total gave.
		if page != 1 {
			s.irregular = true
			s.extra = append(s.extra, p.Results...)
		}
	case len(p.Results) > 0 && &p.Results[0] != &s.history[(page-1)*s.pageSize]:
		s.irregular = true // more than a page: it did not fit its place
		s.extra = append(s.extra, p.Results...)
	default:
		s.got[page] = len(p.Results)
	}
	if s.onPage != nil {
		s.onPage(page, p.Results, p.Total)
	}
	if streaming {
		// After onPage: the page may be decoded over once the stream
		// took it.
		s.drainLocked()
	}
	return p, nil
}

// streamed returns the first pass as the history when it adds up: the
// total never changed, every page was full but the last, which holds the
// rest, and the bookings are strictly newest first (bookingDate desc, then
// id desc), so no id came twice.
func (s *syncRun) streamed() ([]Transaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed || s.shrunk || s.irregular {
		return nil, false
	}
	n := len(s.got) - 1
	for page := 1; page <= n; page++ {
		want := s.pageSize
		if page == n {
			want = s.total - (n-1)*s.pageSize
		}
		if s.got[page] != want {
			return nil, false
		}
	}
	txs := s.history[:s.total]
	for i := 1; i < len(txs); i++ {
		if newestFirst(txs[i-1], txs[i]) >= 0 {
			return nil, false
		}
	}
	s.history, s.got = nil, nil
	return slices.Clip(txs), true
}

// drainLocked hands the stream the pages that are next, unless another
// fetch is doing so: one fetch at a time, outside mu, so the others go
// on recording theirs. The caller holds mu.
func (s *syncRun) drainLocked() {
	if s.adding {
		return
	}
	s.adding = true
	for {
		ready := s.readyLocked()
		if len(ready) == 0 {
			break
		}
		s.mu.Unlock()
		for _, page := range ready {
			s.stream.Add(page.txs)
		}
		s.mu.Lock()
		for _, page := range ready {
			if page.buf != nil {
				page.buf.results = page.txs[:0]
				s.free = append(s.free, page.buf)
			}
		}
		s.wake.Broadcast()
	}
	s.adding = false
	s.wake.Broadcast()
}

// readyLocked takes the pages from next on that have arrived and fit the
// history so far: a full page (the last one: the rest of the total), its
// bookings strictly newest first and older than those taken before. The
// first that does not fit breaks the stream.
func (s *syncRun) readyLocked() []heldPage {
	var ready []heldPage
	for !s.broken && s.next < len(s.got) {
		if s.changed || s.shrunk || s.irregular {
			s.broken = true
			break
		}
		page, ok := s.held[s.next]
		if !ok {
			break
		}
		txs := page.txs
		want := s.pageSize
		if s.next == len(s.got)-1 {
			want = s.total - (s.next-1)*s.pageSize
		}
		prev := Transaction{ID: s.lastID, BookingDate: s.lastDate}
		for i := range txs {
			if (i > 0 || s.added > 0) && newestFirst(prev, txs[i]) >= 0 {
				ok = false
				break
			}
			prev = txs[i]
		}
		if !ok || len(txs) != want {
			s.broken = true
			break
		}
		delete(s.held, s.next)
		ready = append(ready, page)
		s.next++
		if len(txs) > 0 {
			s.added += len(txs)
			s.lastID, s.lastDate = prev.ID, prev.BookingDate
		}
	}
	return ready
}

// streamedAll reports that the whole history went to the stream: every
// page in order, the total as it was at the start.
func (s *syncRun) streamedAll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.broken && !s.changed && !s.shrunk && !s.irregular && s.next == len(s.got) && s.added == s.total
}

// takeOverStream is takeOver for a streamed first pass: what the stream
// took, what waited for it, and what fitted no place go into seen.
func (s *syncRun) takeOverStream() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = make(map[int64]Transaction, s.total)
	if s.added > 0 {
		s.stream.Taken(func(tx Transaction) { s.seen[tx.ID] = tx })
	}
	for page := 1; page < len(s.got); page++ {
		for _, tx := range s.held[page].txs { // their buffers are theirs from now on
			s.seen[tx.ID] = tx
		}
	}
	for _, tx := range s.extra {
		s.seen[tx.ID] = tx
	}
	s.held, s.got, s.extra, s.free = nil, nil, nil, nil
}

// takeOver moves what the first pass brought into seen, for the rounds
// that reconcile a history that changed during the sync.
func (s *syncRun) takeOver() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = make(map[int64]Transaction, s.total)
	for page := 1; page < len(s.got); page++ {
		off := (page - 1) * s.pageSize
		for _, tx := range s.history[off : off+s.got[page]] {
			s.seen[tx.ID] = tx
		}
	}
	for _, tx := range s.extra {
		s.seen[tx.ID] = tx
	}
	s.history, s.got, s.extra = nil, nil, nil
}

// newestFirst orders bookings as a sync returns them: negative when a
// comes first (a later booking date, or the same and a higher id).
func newestFirst(a, b Transaction) int {
	if c := b.BookingDate.Compare(a.BookingDate.Time); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

// pages is ceil(total/pageSize) for the newest total.
func (s *syncRun) pages() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := (s.total + s.pageSize - 1) / s.pageSize
	if n > maxSyncPages {
		return 0, fmt.Errorf("the bank reports %d transactions, more than konto can sync", s.total)
	}
	return n, nil
}

// fetchAll fetches pages from..ceil(total/size) with bounded concurrency.
func (s *syncRun) fetchAll(ctx context.Context, from int) error {
	n, err := s.pages()
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.limit)
	for page := from; page <= n; page++ {
		g.Go(func() error {
			_, err := s.fetch(gctx, page)
			return err
		})
	}
	return g.Wait()
}

// refreshHead fetches pages from 1 onwards until one holds only known ids.
func (s *syncRun) refreshHead(ctx context.Context) error {
	n, err := s.pages()
	if err != nil {
		return err
	}
	for page := 1; page <= n+1; page++ {
		s.mu.Lock()
		before := len(s.seen)
		s.mu.Unlock()
		p, err := s.fetch(ctx, page)
		if err != nil {
			return err
		}
		s.mu.Lock()
		grew := len(s.seen) > before
		s.mu.Unlock()
		if !grew || len(p.Results) == 0 {
			return nil
		}
	}
	return nil
}

// complete: as many distinct ids as the newest total, and nothing vanished
// since the last fresh pass (a vanished booking kept plus one hidden by the
// shift would also add up).
func (s *syncRun) complete() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.shrunk && len(s.seen) == s.total
}

func (s *syncRun) needsFreshPass() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shrunk || len(s.seen) > s.total
}

// sorted returns the bookings newest first: bookingDate desc, then id desc.
func (s *syncRun) sorted() []Transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Transaction, 0, len(s.seen))
	for _, tx := range s.seen {
		out = append(out, tx)
	}
	slices.SortFunc(out, newestFirst)
	return out
}
