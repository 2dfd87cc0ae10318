package offline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"konto/api"
	"konto/store"
	"konto/store/history"
)

// Sync tuning.
const (
	// PageSize is how many bookings a first page from the cache holds (the
	// bank's page size, so the list looks the same either way).
	PageSize = 50
	// knownIDs is how many of the newest cached ids an incremental sync
	// compares pages against.
	knownIDs = 1000
	// maxIncrementalPages: more new pages than this, and a full sync is cheaper.
	maxIncrementalPages = 20
)

// errTooManyNew ends an incremental sync that would page through too much.
var errTooManyNew = errors.New("too many new bookings for an incremental sync")

// errSwitched drops what a request brought for the previous login.
var errSwitched = errors.New("the login changed while this was loading")

// Remote is the bank a Mirror stands in front of; *api.Client is one.
type Remote interface {
	Accounts(ctx context.Context) ([]api.Account, error)
	TransactionsPage(ctx context.Context, accountID int64, page int) (*api.TransactionPage, error)
	SyncTransactions(ctx context.Context, accountID int64, opt api.SyncOptions) ([]api.Transaction, error)
	StandingOrders(ctx context.Context, accountID int64) ([]api.StandingOrder, error)
	TimedOrders(ctx context.Context, accountID int64) ([]api.TimedOrderListItem, error)
}

// Options configure a Mirror.
type Options struct {
	// Now is the clock OfflineSince reads (time.Now if nil).
	Now func() time.Time
	// Clean makes a booking safe to show (the UI's sanitiser); the
	// histories CachedTransactions, CachedHistory and SyncHistory hand out
	// have been through it, once a booking. It must leave what it made as
	// it is. Nil keeps bookings as they are.
	Clean func(api.Transaction) api.Transaction
}

// Mirror stands in front of the remote bank (and, optionally, the
// profile's cache) and answers as the bank would. With a cache it serves the first account list and each
// first page from the cache, syncs a history incrementally (pages from 1
// until a page holds a booking it already knows), saves whatever the bank
// sends, and keeps answering from the cache when the bank cannot be reached
// or wants a new login. It is safe for concurrent use.
type Mirror struct {
	remote Remote
	now    func() time.Time
	clean  func(api.Transaction) api.Transaction

	firstAccounts sync.Once
	firstDone     chan struct{} // closed once the first Accounts call has returned

	// own orders what requests bring against a change of owner: keeping an
	// answer (in the cache and in the fields below) holds it shared and
	// checks gen, SetOwner holds it alone. So an answer for the previous
	// identity that arrives after the switch is dropped, never kept under
	// the new owner.
	own      sync.RWMutex
	gen      uint64       // bumped by each change of owner
	identity string       // the normalised identity whose data is served ("" unknown)
	cache    *store.Cache // nil: no offline cache (any more: one that could not be claimed is dropped)
	// epoch is the cache's Epoch when this bank last claimed it (or was
	// given it). Once another bank on the same cache (konto serve) claims
	// it for someone else, the cache is not this bank's to read or write.
	epoch uint64

	mu            sync.Mutex
	offlineSince  time.Time
	servedCached  bool // the first account list came from the cache
	accountsFresh bool // the bank's account list arrived in this run
	txFresh       bool // a history synced with the bank in this run
	cachedAt      time.Time
	accountIDs    []int64
	resyncAll     bool
	resynced      map[int64]bool        // accounts fully synced since resyncAll was set
	newest        map[int64][]int64     // without a cache: the newest ids seen per account
	syncing       map[int64]int         // syncs with a cache under way per account
	loads         map[int64]*sharedLoad // CachedTransactions' and CachedHistory's reads, for those syncs
	// handed is the history last handed out per account, as the cache
	// held it then (the bank, without a cache): what is new is put in
	// front of it (history.Prepend) instead of reading it all again.
	handed map[int64]*history.History
}

// New puts cache (nil for none) in front of remote.
func New(remote Remote, cache *store.Cache, opt Options) *Mirror {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	b := &Mirror{
		remote:    remote,
		cache:     cache,
		now:       opt.Now,
		clean:     opt.Clean,
		firstDone: make(chan struct{}),
		resynced:  map[int64]bool{},
		newest:    map[int64][]int64{},
		syncing:   map[int64]int{},
		loads:     map[int64]*sharedLoad{},
		handed:    map[int64]*history.History{},
	}
	if cache != nil {
		b.epoch = cache.Epoch()
	}
	return b
}

// Cache is the offline cache (nil if none).
func (b *Mirror) Cache() *store.Cache {
	_, cache := b.state()
	return cache
}

// state is the owner generation and the cache in it. The cache only changes
// (to nil) with the generation, so what keep(gen, …) hands its fn is cache.
func (b *Mirror) state() (gen uint64, cache *store.Cache) {
	b.own.RLock()
	defer b.own.RUnlock()
	return b.gen, b.ownCache()
}

// ownCache is the cache while it is this bank's: nil without one, and nil
// once another bank sharing it claimed it for someone else. The caller
// holds own.
func (b *Mirror) ownCache() *store.Cache {
	if b.cache == nil || b.cache.Epoch() != b.epoch {
		return nil
	}
	return b.cache
}

// Accounts answers the first call from the cache when it holds accounts (the
// first frame paints without waiting for the bank; RefreshAccounts follows),
// every later one from the bank, saving what it sends.
func (b *Mirror) Accounts(ctx context.Context) ([]api.Account, error) {
	var cached []api.Account
	first := false
	b.firstAccounts.Do(func() {
		first = true
		defer close(b.firstDone)
		_, cache := b.state()
		if cache == nil {
			return
		}
		accs, at, err := cache.LoadAccounts()
		if err != nil || len(accs) == 0 {
			return
		}
		b.mu.Lock()
		b.servedCached, b.cachedAt = true, at
		b.accountIDs = ids(accs)
		b.mu.Unlock()
		cached = accs
	})
	if first && cached != nil {
		return cached, nil
	}
	gen, cache := b.state()
	accs, err := b.remote.Accounts(ctx)
	b.note(err)
	if err != nil {
		if cache != nil && fallBack(ctx, err) {
			var cached []api.Account
			if b.keep(gen, func(cache *store.Cache) (err error) {
				cached, _, err = cache.LoadAccounts()
				return err
			}) == nil && len(cached) > 0 {
				return cached, nil
			}
		}
		return nil, err
	}
	err = b.keep(gen, func(cache *store.Cache) error {
		b.mu.Lock()
		b.accountsFresh = true
		b.accountIDs = ids(accs)
		b.mu.Unlock()
		if cache != nil {
			_ = cache.SaveAccounts(accs) // a cache that cannot be written only costs speed next start
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return accs, nil
}

// ServedCachedAccounts waits until the first Accounts call has returned and
// reports whether it came from the cache (then the bank's list is still due).
func (b *Mirror) ServedCachedAccounts(ctx context.Context) bool {
	select {
	case <-b.firstDone:
	case <-ctx.Done():
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.servedCached
}

// TransactionsPage answers page 1 from the cache when it holds the account's
// history (the sync that always goes with it brings what is new).
func (b *Mirror) TransactionsPage(ctx context.Context, accountID int64, page int) (*api.TransactionPage, error) {
	if _, cache := b.state(); cache != nil && page == 1 {
		if count, _, err := cache.TransactionsInfo(accountID); err == nil && count > 0 {
			if txs, err := cache.LoadNewest(accountID, PageSize); err == nil {
				return &api.TransactionPage{Total: count, Results: txs}, nil
			}
		}
	}
	p, err := b.remote.TransactionsPage(ctx, accountID, page)
	b.note(err)
	return p, err
}

// CachedTransactions returns an account's cached history, sanitised,
// without asking the bank (nil without a cache): the list shows it while
// the sync runs. A sync under way that finds nothing new answers with this
// same slice, waiting for it if need be, rather than decoding a second copy
// of the history beside it.
func (b *Mirror) CachedTransactions(accountID int64) ([]api.Transaction, error) {
	gen, cache := b.state()
	if cache == nil {
		return nil, nil
	}
	l := &sharedLoad{gen: gen, done: make(chan struct{})}
	b.mu.Lock()
	b.loads[accountID] = l
	b.mu.Unlock()
	l.txs, l.err = cache.LoadTransactions(accountID)
	if b.clean != nil {
		for i := range l.txs {
			l.txs[i] = b.clean(l.txs[i])
		}
	}
	close(l.done)
	b.mu.Lock()
	if b.syncing[accountID] == 0 && b.loads[accountID] == l {
		delete(b.loads, accountID) // no sync to hand it to
	}
	b.mu.Unlock()
	return l.txs, l.err
}

// sharedLoad is a read of the cached history by CachedTransactions (txs)
// or CachedHistory (h), for a sync under way to share.
type sharedLoad struct {
	gen  uint64 // the owner generation it was read in
	done chan struct{}
	txs  []api.Transaction
	h    *history.History
	err  error
}

// beginSync and endSync bracket a sync with a cache; endSync forgets the
// shared read of the account, used or not.
func (b *Mirror) beginSync(accountID int64) {
	b.mu.Lock()
	b.syncing[accountID]++
	b.mu.Unlock()
}

func (b *Mirror) endSync(accountID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.syncing[accountID]--; b.syncing[accountID] <= 0 {
		delete(b.syncing, accountID)
		delete(b.loads, accountID)
	}
}

// shared is the read of the account's cached history that CachedTransactions
// or CachedHistory is making for the list in owner generation gen, once it
// is done (nil if there is none, it failed, or the owner changed since).
func (b *Mirror) shared(ctx context.Context, gen uint64, accountID int64) (*sharedLoad, error) {
	b.mu.Lock()
	l := b.loads[accountID]
	b.mu.Unlock()
	if l == nil || l.gen != gen {
		return nil, nil
	}
	select {
	case <-l.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if l.err != nil || b.keep(gen, func(*store.Cache) error { return nil }) != nil {
		return nil, nil
	}
	return l, nil
}

// cachedHistory is the account's whole cached history for a sync in
// owner generation gen that found nothing new: the read the list is
// making, when there is one, else a read of its own.
func (b *Mirror) cachedHistory(ctx context.Context, gen uint64, cache *store.Cache, accountID int64, count int) ([]api.Transaction, error) {
	l, err := b.shared(ctx, gen, accountID)
	switch {
	case err != nil:
		return nil, err
	case l != nil && l.txs != nil && len(l.txs) == count:
		return l.txs, nil
	case l != nil && l.h != nil && l.h.Len() == count:
		return l.h.Slice(), nil
	}
	return cache.LoadTransactions(accountID)
}

// SyncTransactions returns an account's whole history. With a cache it asks
// the bank only for what is new (a full sync when the cache is empty, after
// Resync, or when the counts disagree) and answers from the cache when the
// bank cannot be reached.
func (b *Mirror) SyncTransactions(ctx context.Context, accountID int64, opt api.SyncOptions) ([]api.Transaction, error) {
	opt.Stream = nil // the slice is the answer (SyncHistory streams)
	gen, cache := b.state()
	if cache == nil {
		txs, err := b.remote.SyncTransactions(ctx, accountID, opt)
		b.note(err)
		if err != nil {
			return nil, err
		}
		if err := b.keep(gen, func(*store.Cache) error {
			b.rememberNewest(accountID, txs)
			b.markSynced()
			return nil
		}); err != nil {
			return nil, err
		}
		return txs, nil
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
			if len(fresh) == 0 {
				return b.cachedHistory(ctx, gen, cache, accountID, count)
			}
			return cache.LoadTransactions(accountID)
		case errors.Is(err, errTooManyNew):
			// fall through to a full sync
		case errors.Is(err, errSwitched):
			return nil, err
		case fallBack(ctx, err):
			return cache.LoadTransactions(accountID)
		default:
			return nil, err
		}
	}
	txs, err := b.remote.SyncTransactions(ctx, accountID, opt)
	b.note(err)
	if err != nil {
		if count > 0 && fallBack(ctx, err) {
			return cache.LoadTransactions(accountID)
		}
		return nil, err
	}
	err = b.keep(gen, func(cache *store.Cache) error {
		b.forget(accountID) // the cache holds another history now
		return cache.SaveTransactions(accountID, txs)
	})
	switch {
	case errors.Is(err, errSwitched):
		return nil, err
	case err != nil:
		return txs, nil // shown all the same; the next start syncs in full
	}
	b.markSynced()
	return txs, nil
}

// syncNew fetches the account's bookings newer than the cache and adds them;
// count is how many the cache holds, gen and cache the owner generation
// the caller started in and its cache. When the bank's total disagrees with
// the cache after adding (a late booking below the newest, a vanished one),
// it answers errTooManyNew so the caller syncs in full.
func (b *Mirror) syncNew(ctx context.Context, gen uint64, cache *store.Cache, accountID int64, count int) ([]api.Transaction, error) {
	ids, err := cache.NewestTransactionIDs(accountID, knownIDs)
	if err != nil {
		return nil, err
	}
	fresh, total, err := b.fetchNew(ctx, accountID, set(ids))
	if err != nil {
		return nil, err
	}
	if len(fresh) > 0 {
		if err := b.keep(gen, func(cache *store.Cache) error { return cache.AddTransactions(accountID, fresh) }); err != nil {
			return nil, err
		}
	}
	if total != count+len(fresh) {
		return fresh, errTooManyNew
	}
	return fresh, nil
}

// fetchNew pages from 1 until a page holds a known id (or the history
// ends) and returns the unknown bookings, newest first, and the bank's total.
func (b *Mirror) fetchNew(ctx context.Context, accountID int64, known map[int64]bool) ([]api.Transaction, int, error) {
	var fresh []api.Transaction
	seen := map[int64]bool{}
	total, read := 0, 0
	for page := 1; ; page++ {
		if page > maxIncrementalPages {
			return nil, 0, errTooManyNew
		}
		p, err := b.remote.TransactionsPage(ctx, accountID, page)
		b.note(err)
		if err != nil {
			return nil, 0, fmt.Errorf("fetch new transactions: %w", err)
		}
		if page == 1 {
			total = p.Total
		}
		hit := false
		for _, t := range p.Results {
			switch {
			case known[t.ID]:
				hit = true
			case !seen[t.ID]:
				seen[t.ID] = true
				fresh = append(fresh, t)
			}
		}
		read += len(p.Results)
		if hit || len(p.Results) == 0 || read >= p.Total {
			return fresh, total, nil
		}
	}
}

// NewBooking is a booking Poll found: money in, or out by a payment made
// elsewhere (another konto, the bank's app, a curl).
type NewBooking struct {
	AccountID   int64
	Transaction api.Transaction
}

// Poll looks for bookings that arrived since the last sync of each account
// (accounts not synced yet are left to their sync), keeps them, and returns
// them and the accounts that changed.
func (b *Mirror) Poll(ctx context.Context) (found []NewBooking, changed []int64, err error) {
	gen, cache := b.state()
	b.mu.Lock()
	accounts := append([]int64(nil), b.accountIDs...)
	b.mu.Unlock()
	for _, id := range accounts {
		var fresh []api.Transaction
		if cache != nil {
			count, _, cerr := cache.TransactionsInfo(id)
			if cerr != nil || count == 0 {
				continue
			}
			fresh, err = b.syncNew(ctx, gen, cache, id, count)
			switch {
			case errors.Is(err, errTooManyNew):
				err = nil // the new ones are kept; the next load syncs in full
				b.mu.Lock()
				b.resyncAll = true
				b.mu.Unlock()
			case err == nil && len(fresh) > 0:
				b.handOn(gen, cache, id, fresh)
			}
		} else {
			b.mu.Lock()
			known := b.newest[id]
			b.mu.Unlock()
			if len(known) == 0 {
				continue
			}
			var total int
			fresh, total, err = b.fetchNew(ctx, id, set(known))
			if err == nil {
				err = b.keep(gen, func(*store.Cache) error {
					b.rememberNewest(id, fresh)
					b.mu.Lock()
					defer b.mu.Unlock()
					if last := b.handed[id]; last != nil {
						if h := b.prependFetched(last, fresh, total); h != nil {
							b.handed[id] = h
						} else {
							delete(b.handed, id)
						}
					}
					return nil
				})
			}
		}
		if errors.Is(err, errSwitched) {
			return nil, nil, nil // another login's accounts now: their polls follow
		}
		if err != nil {
			return found, changed, err
		}
		if len(fresh) > 0 {
			changed = append(changed, id)
		}
		for _, t := range fresh {
			found = append(found, NewBooking{AccountID: id, Transaction: t})
		}
	}
	return found, changed, nil
}

// StandingOrders asks the bank, keeps the answer, and falls back to the cache.
func (b *Mirror) StandingOrders(ctx context.Context, accountID int64) ([]api.StandingOrder, error) {
	gen, cache := b.state()
	orders, err := b.remote.StandingOrders(ctx, accountID)
	b.note(err)
	if cache == nil {
		return orders, err
	}
	if err != nil {
		if cached, at, cerr := cache.LoadStandingOrders(accountID); cerr == nil && !at.IsZero() && fallBack(ctx, err) {
			return cached, nil
		}
		return nil, err
	}
	if err := b.keep(gen, func(cache *store.Cache) error {
		_ = cache.SaveStandingOrders(accountID, orders)
		return nil
	}); err != nil {
		return nil, err
	}
	return orders, nil
}

// TimedOrders asks the bank, keeps the answer, and falls back to the cache.
func (b *Mirror) TimedOrders(ctx context.Context, accountID int64) ([]api.TimedOrderListItem, error) {
	gen, cache := b.state()
	orders, err := b.remote.TimedOrders(ctx, accountID)
	b.note(err)
	if cache == nil {
		return orders, err
	}
	if err != nil {
		if cached, at, cerr := cache.LoadTimedOrders(accountID); cerr == nil && !at.IsZero() && fallBack(ctx, err) {
			return cached, nil
		}
		return nil, err
	}
	if err := b.keep(gen, func(cache *store.Cache) error {
		_ = cache.SaveTimedOrders(accountID, orders)
		return nil
	}); err != nil {
		return nil, err
	}
	return orders, nil
}

// SetOwner records identity, the subject of the refresh token in use
// (api.TokenSubject), as whose data the bank serves, before anything of the
// cache is shown or merged for it: at the start, and after each login. The
// cache is claimed for it (store.Cache.Claim), which empties a cache of
// someone else's or of nobody known. switched says the identity the bank
// knew before is another one: what is on screen is that identity's and
// must give way (common.SessionChangedMsg). An identity the bank did not
// know yet (the start) is never a switch: nothing is on screen then.
// After a switch, or when the cache was emptied, what the bank remembered
// of the accounts is forgotten and answers to requests still under way
// are dropped.
//
// An empty identity (a token whose subject cannot be read) is not known to
// be anyone: SetOwner does nothing, neither checks nor switches.
//
// err says the cache could not be claimed; it is then closed (its file
// removed where it could be), and the bank carries on without it.
func (b *Mirror) SetOwner(identity string) (switched bool, err error) {
	id := store.NormalizeIdentity(identity)
	if id == "" {
		return false, nil
	}
	b.own.Lock()
	defer b.own.Unlock()
	switched = b.identity != "" && b.identity != id
	wiped := false
	if cache := b.ownCache(); cache != nil {
		var changed bool
		if changed, wiped, err = cache.Claim(id); err != nil {
			b.cache, wiped = nil, true
		} else if changed {
			b.epoch = cache.Epoch()
		}
	}
	b.identity = id
	if switched || wiped {
		b.gen++
		b.mu.Lock()
		b.accountIDs = nil
		b.newest = map[int64][]int64{}
		b.handed = map[int64]*history.History{}
		b.resyncAll, b.resynced = false, map[int64]bool{}
		b.servedCached, b.accountsFresh, b.txFresh, b.cachedAt = false, false, false, time.Time{}
		b.mu.Unlock()
	}
	return switched, err
}

// AccountsArrived reports that the bank's account list arrived for the
// identity now served.
func (b *Mirror) AccountsArrived() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.accountsFresh
}

// keep runs fn, which keeps what a request begun in owner generation gen
// brought (in the cache, nil without one, and in the bank's fields), unless
// the owner changed since: then it belongs to the previous identity, fn
// does not run, and keep answers errSwitched. The cache fn gets is the one
// state gave with gen; a cache claimed by another bank for someone else
// since counts as a change of owner.
func (b *Mirror) keep(gen uint64, fn func(cache *store.Cache) error) error {
	b.own.RLock()
	defer b.own.RUnlock()
	if b.gen != gen || b.cache != nil && b.cache.Epoch() != b.epoch {
		return errSwitched
	}
	return fn(b.cache)
}

// Resync makes the next sync of every account a full one.
func (b *Mirror) Resync() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.resyncAll = true
	b.resynced = map[int64]bool{}
}

// ResyncPending reports that the next load of some account syncs in full
// (after Resync, or a poll that found too much to fetch page by page): what
// a poll found is then not all that is missing.
func (b *Mirror) ResyncPending() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.resyncAll
}

func (b *Mirror) takeResync(accountID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.resyncAll || b.resynced[accountID] {
		return false
	}
	b.resynced[accountID] = true
	return true
}

// OfflineSince is when the bank stopped answering (zero while it answers).
func (b *Mirror) OfflineSince() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.offlineSince
}

// Stale reports that the cache painted the screen and the bank has not yet
// confirmed both the accounts and a history in this run.
func (b *Mirror) Stale() (bool, time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.servedCached && !(b.accountsFresh && b.txFresh), b.cachedAt
}

func (b *Mirror) markSynced() {
	b.mu.Lock()
	b.txFresh = true
	b.mu.Unlock()
}

// note records whether the bank answered: any HTTP answer (an error status
// included) means it is there; a failure without one means it is not.
func (b *Mirror) note(err error) {
	if err != nil && errors.Is(err, context.Canceled) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil || answered(err) {
		b.offlineSince = time.Time{}
		return
	}
	if b.offlineSince.IsZero() {
		b.offlineSince = b.now()
	}
}

// NoteTokenEvent records what the token refresher learnt of the bank: a
// new auth token, or a refused session (a 401), is an answer, so the bank
// is there; a failed refresh is one when it carries an HTTP status, and
// says the bank cannot be reached when it does not.
func (b *Mirror) NoteTokenEvent(ev api.TokenEvent) {
	switch ev.Kind {
	case api.TokenRefreshed, api.LoginNeeded:
		b.note(nil)
	case api.TokenRefreshFailed:
		if ev.Err != nil {
			b.note(ev.Err)
		}
	}
}

// rememberNewest keeps the newest ids of an account for polling without a cache.
func (b *Mirror) rememberNewest(accountID int64, txs []api.Transaction) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := make([]int64, 0, min(len(txs), PageSize*4))
	for _, t := range txs[:min(len(txs), PageSize*4)] {
		ids = append(ids, t.ID)
	}
	ids = append(ids, b.newest[accountID]...)
	b.newest[accountID] = ids[:min(len(ids), PageSize*4)]
}

// answered reports that err carries the bank's answer (an HTTP status, or a
// refused session the bank told us about).
func answered(err error) bool {
	var apiErr *api.Error
	return errors.As(err, &apiErr) || errors.Is(err, api.ErrLoginNeeded) || errors.Is(err, api.ErrBadAnswer)
}

// fallBack reports that the cache should answer for err: the bank cannot
// be reached, or wants a new login (the dialog is on its way).
func fallBack(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	return errors.Is(err, api.ErrLoginNeeded) || !answered(err)
}

func ids(accs []api.Account) []int64 {
	out := make([]int64, len(accs))
	for i, a := range accs {
		out[i] = a.ID
	}
	return out
}

func set(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
