package offline

import (
	"context"
	"errors"
	"time"

	"konto/api"
	"konto/store"
	"konto/store/history"
)

// The compact history (history.History) the dashboard keeps: read from the
// cache chunk by chunk, streamed from the bank page by page, and, once
// handed out, grown at the front by what a sync or a poll finds, at the
// cost of what is new (the cache is written as before).

// CachedHistory returns an account's cached history, sanitised, without
// asking the bank (nil without a cache or with nothing cached): the list
// shows it while the sync runs. A sync under way shares this read, as it
// shares CachedTransactions'.
func (b *Mirror) CachedHistory(accountID int64) (*history.History, error) {
	gen, cache := b.state()
	if cache == nil {
		return nil, nil
	}
	l := &sharedLoad{gen: gen, done: make(chan struct{})}
	b.mu.Lock()
	b.loads[accountID] = l
	b.mu.Unlock()
	l.h, l.err = cache.LoadHistory(accountID, b.clean)
	close(l.done)
	b.mu.Lock()
	if b.syncing[accountID] == 0 && b.loads[accountID] == l {
		delete(b.loads, accountID) // no sync to hand it to
	}
	b.mu.Unlock()
	if l.err != nil || l.h.Len() == 0 {
		return nil, l.err
	}
	_ = b.keep(gen, func(*store.Cache) error {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.handed[accountID] == nil { // a sync's answer is newer
			b.handed[accountID] = l.h
		}
		return nil
	})
	return l.h, nil
}

// SyncHistory returns an account's whole history, sanitised, as
// SyncTransactions syncs it: with a cache only what is new is asked for
// and, when the cache holds exactly the history handed out before (or the
// one CachedHistory is reading) and what is new, put in front of it
// (history.Prepend: the two share their storage) instead of reading the
// cache again. A full sync streams the bank's pages into the history and
// writes the cache from it. Without a cache a history handed out before
// is brought up to date the same way, page by page from the newest.
func (b *Mirror) SyncHistory(ctx context.Context, accountID int64, opt api.SyncOptions) (*history.History, error) {
	gen, cache := b.state()
	if cache == nil {
		return b.syncUncached(ctx, gen, accountID, opt)
	}
	b.beginSync(accountID)
	defer b.endSync(accountID)
	count, _, err := cache.TransactionsInfo(accountID)
	if err != nil {
		count = 0
	}
	if count > 0 && !b.takeResync(accountID) {
		fresh, err := b.syncNew(ctx, gen, cache, accountID, count)
		switch {
		case err == nil:
			b.markSynced()
			return b.currentHistory(ctx, gen, cache, accountID, fresh)
		case errors.Is(err, errTooManyNew):
			// fall through to a full sync
		case errors.Is(err, errSwitched):
			return nil, err
		case fallBack(ctx, err):
			return b.currentHistory(ctx, gen, cache, accountID, nil)
		default:
			return nil, err
		}
	}
	h, err := b.fullSync(ctx, accountID, opt)
	if err != nil {
		if count > 0 && fallBack(ctx, err) {
			return b.currentHistory(ctx, gen, cache, accountID, nil)
		}
		return nil, err
	}
	err = b.keep(gen, func(cache *store.Cache) error {
		b.forget(accountID)
		if err := cache.SaveHistory(accountID, h); err != nil {
			return err
		}
		b.mu.Lock()
		b.handed[accountID] = h
		b.mu.Unlock()
		return nil
	})
	switch {
	case errors.Is(err, errSwitched):
		return nil, err
	case err != nil:
		return h, nil // shown all the same; the next start syncs in full
	}
	b.markSynced()
	return h, nil
}

// syncUncached is SyncHistory without a cache: the history handed out
// before and what is new in front of it when the bank's total says that
// is all, else a full sync.
func (b *Mirror) syncUncached(ctx context.Context, gen uint64, accountID int64, opt api.SyncOptions) (*history.History, error) {
	b.mu.Lock()
	last := b.handed[accountID]
	b.mu.Unlock()
	if last != nil && !b.takeResync(accountID) {
		known := make(map[int64]bool, min(last.Len(), knownIDs))
		for i := range min(last.Len(), knownIDs) {
			known[last.ID(i)] = true
		}
		fresh, total, err := b.fetchNew(ctx, accountID, known)
		switch {
		case err == nil:
			var h *history.History
			if err := b.keep(gen, func(*store.Cache) error {
				if h = b.prependFetched(last, fresh, total); h != nil {
					b.rememberNewest(accountID, fresh)
					b.mu.Lock()
					b.handed[accountID] = h
					b.mu.Unlock()
				}
				return nil
			}); err != nil {
				return nil, err
			}
			if h != nil {
				b.markSynced()
				return h, nil
			}
		case errors.Is(err, errTooManyNew):
		default:
			return nil, err
		}
	}
	h, err := b.fullSync(ctx, accountID, opt)
	if err != nil {
		return nil, err
	}
	if err := b.keep(gen, func(*store.Cache) error {
		b.rememberNewestOf(accountID, h)
		b.mu.Lock()
		b.handed[accountID] = h
		b.mu.Unlock()
		b.markSynced()
		return nil
	}); err != nil {
		return nil, err
	}
	return h, nil
}

// fullSync asks the bank for the account's whole history, streamed into
// a history as its pages arrive. A history the sync had to reconcile (or
// a bank that does not stream) comes back as a slice and is packed: the
// bookings the stream took are then cleaned a second time, which leaves
// them as they are.
func (b *Mirror) fullSync(ctx context.Context, accountID int64, opt api.SyncOptions) (*history.History, error) {
	sink := &historySink{clean: b.clean, b: history.NewBuilder(0)}
	opt.Stream = sink
	txs, err := b.remote.SyncTransactions(ctx, accountID, opt)
	b.note(err)
	if err != nil {
		return nil, err
	}
	if txs == nil && !sink.taken {
		return sink.b.Done(), nil
	}
	if b.clean != nil {
		for i := range txs {
			txs[i] = b.clean(txs[i])
		}
	}
	return history.Of(txs), nil
}

// historySink is the api.Stream a full sync fills a history with.
type historySink struct {
	clean func(api.Transaction) api.Transaction
	b     *history.Builder
	taken bool
}

func (s *historySink) Add(txs []api.Transaction) {
	for i := range txs {
		if s.clean == nil {
			s.b.Add(&txs[i])
			continue
		}
		t := s.clean(txs[i])
		s.b.Add(&t)
	}
}

func (s *historySink) Taken(yield func(api.Transaction)) {
	s.taken = true
	h := s.b.Done()
	s.b = nil
	for _, tx := range h.All() {
		yield(tx)
	}
}

// currentHistory is the account's history as the cache holds it after a
// sync in owner generation gen added fresh (nil: nothing new, or the bank
// could not be asked): the history handed out before, or the read the
// list is making, with fresh in front when the cache holds exactly that;
// otherwise the cache read in full.
func (b *Mirror) currentHistory(ctx context.Context, gen uint64, cache *store.Cache, accountID int64, fresh []api.Transaction) (*history.History, error) {
	count, head, err := cache.TransactionsHead(accountID, len(fresh)+1)
	if err == nil {
		b.mu.Lock()
		last := b.handed[accountID]
		b.mu.Unlock()
		if last != nil {
			if h := b.advance(last, fresh, count, head); h != nil {
				b.hand(gen, accountID, h)
				return h, nil
			}
		}
		l, err := b.shared(ctx, gen, accountID)
		if err != nil {
			return nil, err
		}
		if l != nil {
			base := l.h
			if base == nil && l.txs != nil {
				base = history.Of(l.txs) // sanitised already
			}
			if h := b.advance(base, fresh, count, head); h != nil {
				b.hand(gen, accountID, h)
				return h, nil
			}
		}
	}
	h, err := cache.LoadHistory(accountID, b.clean)
	if err != nil {
		return nil, err
	}
	if h == nil {
		h = history.NewBuilder(0).Done()
	}
	b.hand(gen, accountID, h)
	return h, nil
}

// handOn brings the history handed out for an account up to date after a
// poll in owner generation gen added fresh to the cache, or forgets it
// when the cache holds something else.
func (b *Mirror) handOn(gen uint64, cache *store.Cache, accountID int64, fresh []api.Transaction) {
	b.mu.Lock()
	last := b.handed[accountID]
	b.mu.Unlock()
	if last == nil {
		return
	}
	var h *history.History
	if count, head, err := cache.TransactionsHead(accountID, len(fresh)+1); err == nil {
		h = b.advance(last, fresh, count, head)
	}
	_ = b.keep(gen, func(*store.Cache) error {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.handed[accountID] != last {
			return nil // another sync moved it on meanwhile
		}
		if h != nil {
			b.handed[accountID] = h
		} else {
			delete(b.handed, accountID)
		}
		return nil
	})
}

// advance is base as the cache holds it now, count bookings whose newest
// ids are head, after fresh (newest first) was added: base itself when it
// holds them already, base with fresh in front when that is what the
// cache holds, nil when the cache holds something else (a booking below
// the newest, a history rewritten meanwhile).
func (b *Mirror) advance(base *history.History, fresh []api.Transaction, count int, head []int64) *history.History {
	if base == nil {
		return nil
	}
	n := base.Len()
	if count == n && (n == 0 || len(head) > 0 && head[0] == base.ID(0)) {
		return base
	}
	if count != n+len(fresh) || len(head) != min(count, len(fresh)+1) {
		return nil
	}
	for i := range fresh {
		if head[i] != fresh[i].ID {
			return nil
		}
	}
	if n > 0 && head[len(fresh)] != base.ID(0) {
		return nil
	}
	return base.Prepend(b.cleaned(fresh))
}

// prependFetched is last with fresh (what fetchNew found, newest first)
// in front, when the bank's total says that is all that is new and fresh
// comes before all of last, as a full sync would order it; else nil.
func (b *Mirror) prependFetched(last *history.History, fresh []api.Transaction, total int) *history.History {
	if total != last.Len()+len(fresh) {
		return nil
	}
	for i := 1; i < len(fresh); i++ {
		if !before(fresh[i-1].BookingDate.Time, fresh[i-1].ID, fresh[i].BookingDate.Time, fresh[i].ID) {
			return nil
		}
	}
	if n := len(fresh); n > 0 && last.Len() > 0 && !before(fresh[n-1].BookingDate.Time, fresh[n-1].ID, last.Booked(0), last.ID(0)) {
		return nil
	}
	return last.Prepend(b.cleaned(fresh))
}

// before reports that booking a comes before booking b in a sync's order
// (bookingDate desc, then id desc).
func before(aDate time.Time, aID int64, bDate time.Time, bID int64) bool {
	if c := aDate.Compare(bDate); c != 0 {
		return c > 0
	}
	return aID > bID
}

// cleaned is fresh made safe to show, in a slice of its own.
func (b *Mirror) cleaned(fresh []api.Transaction) []api.Transaction {
	if b.clean == nil {
		return fresh
	}
	out := make([]api.Transaction, len(fresh))
	for i := range fresh {
		out[i] = b.clean(fresh[i])
	}
	return out
}

// hand records h as the account's history handed out, unless the owner
// changed since gen.
func (b *Mirror) hand(gen uint64, accountID int64, h *history.History) {
	_ = b.keep(gen, func(*store.Cache) error {
		b.mu.Lock()
		b.handed[accountID] = h
		b.mu.Unlock()
		return nil
	})
}

// forget drops the history handed out for an account (its cache is being
// rewritten).
func (b *Mirror) forget(accountID int64) {
	b.mu.Lock()
	delete(b.handed, accountID)
	b.mu.Unlock()
}

// rememberNewestOf is rememberNewest for a history.
func (b *Mirror) rememberNewestOf(accountID int64, h *history.History) {
	n := min(h.Len(), PageSize*4)
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = h.ID(i)
	}
	b.mu.Lock()
	b.newest[accountID] = ids
	b.mu.Unlock()
}
