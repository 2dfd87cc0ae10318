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
		seen:      make(map[int64]Transaction),
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

	mu       sync.Mutex // guards the fields below and serialises onPage
	seen     map[int64]Transaction
	total    int  // the total of the most recent answer
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
	if err := s.fetchAll(ctx, 2); err != nil {
		return nil, err
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

// fetch gets one page and records it.
func (s *syncRun) fetch(ctx context.Context, page int) (*TransactionPage, error) {
	p, err := s.client.TransactionsPage(ctx, s.accountID, page)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Total < s.total {
		s.shrunk = true
	}
	s.total = p.Total
	for _, tx := range p.Results {
		s.seen[tx.ID] = tx
	}
	if s.onPage != nil {
		s.onPage(page, p.Results, p.Total)
	}
	return p, nil
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
	slices.SortFunc(out, func(a, b Transaction) int {
		if c := b.BookingDate.Compare(a.BookingDate.Time); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}
