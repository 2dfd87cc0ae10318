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
	// arrives, refetched pages included.
	OnPage func(page int, results []Transaction, total int)
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
// The result is newest first (bookingDate desc, then id desc).
func (c *Client) SyncTransactions(ctx context.Context, accountID int64, opt SyncOptions) ([]Transaction, error) {
	s := &syncRun{
		client:    c,
		accountID: accountID,
		onPage:    opt.OnPage,
		limit:     opt.Concurrency,
	}
	if s.limit <= 0 {
		s.limit = defaultSyncConcurrency
	}
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
}

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
		return []Transaction{}, nil
	}
	n, err := s.pages()
	if err != nil {
		return nil, err
	}
	n = max(n, 1) // a total below the first page's count: the rounds sort it out
	s.history = make([]Transaction, n*s.pageSize)
	s.got = make([]int, n+1)
	s.got[1] = copy(s.history, first.Results)
	if err := s.fetchAll(ctx, 2); err != nil {
		return nil, err
	}
	if txs, ok := s.streamed(); ok {
		return txs, nil
	}
	s.takeOver()

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
	s.mu.Lock()
	if s.seen == nil && page < len(s.got) {
		off := (page - 1) * s.pageSize
		dst = s.history[off : off : off+s.pageSize]
	}
	s.mu.Unlock()
	p, err := s.client.transactionsPageInto(ctx, s.accountID, page, dst)
	if err != nil {
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
