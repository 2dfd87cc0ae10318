package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pagedBank serves one account's transactions newest first, 50 a page, and
// lets a test book or remove transactions between requests.
type pagedBank struct {
	mu       sync.Mutex
	txs      []Transaction // newest first
	nextID   int64
	clock    time.Time
	requests int
	// beforeAnswer runs (under mu) before each page is answered.
	beforeAnswer func(b *pagedBank, page int)
	badAccept    atomic.Int32
}

const bankPageSize = 50

func newPagedBank(n int) *pagedBank {
	b := &pagedBank{nextID: 1, clock: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.txs = make([]Transaction, n)
	for i := n - 1; i >= 0; i-- { // oldest last
		b.clock = b.clock.Add(time.Hour)
		b.txs[i] = Transaction{ID: b.nextID, Amount: -b.nextID, BookingDate: TxTime{b.clock}}
		b.nextID++
	}
	return b
}

// bookLocked adds a booking at the head (a newer date, a higher id).
func (b *pagedBank) bookLocked() {
	b.clock = b.clock.Add(time.Hour)
	tx := Transaction{ID: b.nextID, Amount: -b.nextID, BookingDate: TxTime{b.clock}}
	b.nextID++
	b.txs = append([]Transaction{tx}, b.txs...)
}

func (b *pagedBank) removeLocked(i int) {
	b.txs = append(b.txs[:i:i], b.txs[i+1:]...)
}

func (b *pagedBank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Accept") != mediaTransactionList {
		b.badAccept.Add(1)
	}
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		writeJSON(w, 400, `{}`)
		return
	}
	b.mu.Lock()
	b.requests++
	if b.beforeAnswer != nil {
		b.beforeAnswer(b, page)
	}
	out := TransactionPage{Total: len(b.txs), Results: []Transaction{}}
	lo, hi := (page-1)*bankPageSize, page*bankPageSize
	if lo < len(b.txs) {
		out.Results = append(out.Results, b.txs[lo:min(hi, len(b.txs))]...)
	}
	if hi < len(b.txs) {
		out.Next = Ptr("/api/accounts/4711/transactions?page=" + strconv.Itoa(page+1))
	}
	b.mu.Unlock()
	data, _ := json.Marshal(out)
	writeJSON(w, 200, string(data))
}

func (b *pagedBank) requestCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.requests
}

func (b *pagedBank) snapshot() []Transaction {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Transaction(nil), b.txs...)
}

// syncModes are the two ways a sync hands over the history: as the slice
// SyncTransactions returns, and page by page to a Stream.
var syncModes = []struct {
	name     string
	streamed bool
}{{"slice", false}, {"streamed", true}}

// syncAs syncs the bank at h, with a stream when streamed, returning what the
// stream took when SyncTransactions returns nil; streamedAll says it did.
func syncAs(t *testing.T, h http.Handler, opt SyncOptions, streamed bool) (txs []Transaction, streamedAll bool, err error) {
	t.Helper()
	c, _ := newTestClient(t, h, nil)
	var st *checkedStream
	if streamed {
		st = &checkedStream{t: t}
		opt.Stream = st
	}
	txs, err = c.SyncTransactions(context.Background(), 4711, opt)
	if err != nil || !streamed {
		return txs, false, err
	}
	if txs == nil {
		return append([]Transaction{}, st.txs...), true, nil
	}
	if len(st.txs) > 0 && !st.taken {
		t.Error("a slice came back after the stream took bookings, without Taken")
	}
	return txs, false, nil
}

// checkedStream collects a streamed history and checks the promises of
// Stream: calls never overlap, bookings strictly newest first, nothing
// added after Taken.
type checkedStream struct {
	t      *testing.T
	inside atomic.Int32
	txs    []Transaction
	taken  bool
	pages  int
}

func (s *checkedStream) Add(txs []Transaction) {
	if s.inside.Add(1) != 1 {
		s.t.Error("Stream.Add called concurrently")
	}
	defer s.inside.Add(-1)
	if s.taken {
		s.t.Error("Stream.Add after Taken")
	}
	for _, tx := range txs {
		if n := len(s.txs); n > 0 && newestFirst(s.txs[n-1], tx) >= 0 {
			s.t.Errorf("stream: %d after %d", tx.ID, s.txs[n-1].ID)
		}
		// Only the id and date are read later: what the booking points
		// to is decoded over once Add returns.
		s.txs = append(s.txs, Transaction{ID: tx.ID, BookingDate: tx.BookingDate})
	}
	s.pages++
}

func (s *checkedStream) Taken(yield func(Transaction)) {
	if s.taken {
		s.t.Error("Taken twice")
	}
	s.taken = true
	for _, tx := range s.txs {
		yield(tx)
	}
}

// sameList fails unless got holds exactly want's ids in want's order.
func sameList(t *testing.T, want, got []Transaction) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d transactions, want %d", len(got), len(want))
	}
	seen := map[int64]bool{}
	for i := range want {
		if seen[got[i].ID] {
			t.Fatalf("duplicate id %d", got[i].ID)
		}
		seen[got[i].ID] = true
		if got[i].ID != want[i].ID {
			t.Fatalf("position %d: id %d, want %d", i, got[i].ID, want[i].ID)
		}
	}
}

func TestSyncFetchesEveryPageOnce(t *testing.T) {
	for _, mode := range syncModes {
		t.Run(mode.name, func(t *testing.T) { testSyncFetchesEveryPageOnce(t, mode.streamed) })
	}
}

func testSyncFetchesEveryPageOnce(t *testing.T, streamed bool) {
	b := newPagedBank(1234)
	var calls, inside atomic.Int32
	pages := map[int]bool{}
	got, all, err := syncAs(t, b, SyncOptions{Concurrency: 4, OnPage: func(page int, results []Transaction, total int) {
		if inside.Add(1) != 1 {
			t.Error("OnPage called concurrently")
		}
		defer inside.Add(-1)
		calls.Add(1)
		pages[page] = true // a race here would be reported by -race
		if total != 1234 {
			t.Errorf("page %d: total %d", page, total)
		}
	}}, streamed)
	if err != nil {
		t.Fatal(err)
	}
	sameList(t, b.snapshot(), got)
	if all != streamed {
		t.Errorf("streamed %v: the whole history went to the stream: %v", streamed, all)
	}
	if calls.Load() != 25 || len(pages) != 25 || b.requestCount() != 25 {
		t.Errorf("%d OnPage calls over %d pages, %d requests; want 25", calls.Load(), len(pages), b.requestCount())
	}
	if b.badAccept.Load() != 0 {
		t.Error("a page was requested without the v2.1 Accept type")
	}
}

func TestSyncEmptyAndSinglePage(t *testing.T) {
	for _, mode := range syncModes {
		for _, n := range []int{0, 1, 50, 51, 100} {
			b := newPagedBank(n)
			got, all, err := syncAs(t, b, SyncOptions{}, mode.streamed)
			if err != nil {
				t.Fatalf("%s %d: %v", mode.name, n, err)
			}
			sameList(t, b.snapshot(), got)
			if got == nil {
				t.Errorf("%s %d: nil slice", mode.name, n)
			}
			if all != mode.streamed {
				t.Errorf("%s %d: streamed in full %v", mode.name, n, all)
			}
		}
	}
}

func TestSyncBookingLandsMidSync(t *testing.T) {
	for _, tc := range []struct {
		name    string
		atPages map[int]int // page request -> bookings landing just before it is answered
	}{
		{"one booking at page 3", map[int]int{3: 1}},
		{"one booking at the last page", map[int]int{25: 1}},
		{"several at several pages", map[int]int{2: 1, 7: 3, 13: 2, 20: 1}},
		{"more than a page", map[int]int{5: 60}},
		{"one booking at the second page", map[int]int{2: 1}},
	} {
		for _, mode := range syncModes {
			t.Run(tc.name+"/"+mode.name, func(t *testing.T) {
				b := newPagedBank(1234)
				done := map[int]bool{}
				b.beforeAnswer = func(b *pagedBank, page int) {
					if n := tc.atPages[page]; n > 0 && !done[page] {
						done[page] = true
						for range n {
							b.bookLocked()
						}
					}
				}
				got, all, err := syncAs(t, b, SyncOptions{Concurrency: 3}, mode.streamed)
				if err != nil {
					t.Fatal(err)
				}
				sameList(t, b.snapshot(), got)
				if all {
					t.Error("a history that changed during the sync was streamed as it came")
				}
			})
		}
	}
}

func TestSyncBookingVanishesMidSync(t *testing.T) {
	for _, mode := range syncModes {
		b := newPagedBank(500)
		once := false
		b.beforeAnswer = func(b *pagedBank, page int) {
			if page == 4 && !once {
				once = true
				b.removeLocked(10)
			}
		}
		got, _, err := syncAs(t, b, SyncOptions{}, mode.streamed)
		if err != nil {
			t.Fatal(err)
		}
		sameList(t, b.snapshot(), got)
	}
}

func TestSyncGivesUpWhenTheListNeverSettles(t *testing.T) {
	for _, mode := range syncModes {
		b := newPagedBank(300)
		b.beforeAnswer = func(b *pagedBank, page int) { b.bookLocked() }
		_, _, err := syncAs(t, b, SyncOptions{}, mode.streamed)
		if err == nil {
			t.Fatalf("%s: no error while bookings land on every request", mode.name)
		}
		if n := b.requestCount(); n > 200 {
			t.Errorf("%s: %d requests: the rounds are not bounded", mode.name, n)
		}
	}
}

func TestSyncSortsNewestFirst(t *testing.T) {
	for _, mode := range syncModes {
		// Same booking date: higher id first.
		b := newPagedBank(0)
		day := TxTime{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
		b.txs = []Transaction{{ID: 3, BookingDate: day}, {ID: 9, BookingDate: day}, {ID: 1, BookingDate: TxTime{day.Add(-time.Hour)}}}
		got, _, err := syncAs(t, b, SyncOptions{}, mode.streamed)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].ID != 9 || got[1].ID != 3 || got[2].ID != 1 {
			t.Errorf("%s: order %v", mode.name, []int64{got[0].ID, got[1].ID, got[2].ID})
		}
	}
}

func TestSyncPropagatesPageErrors(t *testing.T) {
	for _, mode := range syncModes {
		b := newPagedBank(300)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "4" {
				writeJSON(w, 404, `{"title":"gone"}`)
				return
			}
			b.ServeHTTP(w, r)
		})
		if _, _, err := syncAs(t, h, SyncOptions{}, mode.streamed); err == nil {
			t.Errorf("%s: no error for a failing page", mode.name)
		}
	}
}

// heldPageBank answers page 2 only once the other pages a streamed sync
// may fetch meanwhile have been answered (the window), then with fail's
// status if set; it notes pages requested while page 2 was held.
type heldPageBank struct {
	*pagedBank
	window  int // pages 3..window+1 may run ahead of page 2
	fail    bool
	mu      sync.Mutex
	ahead   map[int]bool // pages requested while page 2 was held
	holding bool
	cond    *sync.Cond
	beyond  int // pages answered beyond 2
}

func newHeldPageBank(n, window int, fail bool) *heldPageBank {
	h := &heldPageBank{pagedBank: newPagedBank(n), window: window, fail: fail, ahead: map[int]bool{}, holding: true}
	h.cond = sync.NewCond(&h.mu)
	return h
}

func (h *heldPageBank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	h.mu.Lock()
	if h.holding && page > 2 {
		h.ahead[page] = true
	}
	h.mu.Unlock()
	if page == 2 {
		h.mu.Lock()
		for h.beyond < h.window-1 {
			h.cond.Wait()
		}
		h.holding = false
		h.mu.Unlock()
		if h.fail {
			writeJSON(w, 500, `{"title":"boom"}`)
			return
		}
	}
	h.pagedBank.ServeHTTP(w, r)
	if page > 2 {
		h.mu.Lock()
		h.beyond++
		h.cond.Broadcast()
		h.mu.Unlock()
	}
}

// A page that takes long holds back the pages after the window, not the
// whole history: they wait until it is in the stream.
func TestStreamedSyncRunsAheadOnlyAWindow(t *testing.T) {
	const limit = 3
	window := streamWindow * limit
	b := newHeldPageBank(60*bankPageSize, window, false)
	got, all, err := syncAs(t, b, SyncOptions{Concurrency: limit}, true)
	if err != nil {
		t.Fatal(err)
	}
	sameList(t, b.snapshot(), got)
	if !all {
		t.Error("not streamed")
	}
	for page := range b.ahead {
		if page >= 2+window {
			t.Errorf("page %d was fetched while page 2 was held (window %d)", page, window)
		}
	}
	if len(b.ahead) != window-1 {
		t.Errorf("%d pages ran ahead of page 2, want %d", len(b.ahead), window-1)
	}
}

// A page that fails while others wait for the window ends the sync with
// its error; no fetch is left waiting.
func TestStreamedSyncFailsWhileOthersWait(t *testing.T) {
	const limit = 3
	b := newHeldPageBank(60*bankPageSize, streamWindow*limit, true)
	if _, _, err := syncAs(t, b, SyncOptions{Concurrency: limit}, true); err == nil {
		t.Fatal("no error for a failing page")
	}
}

func BenchmarkSyncTransactions10k(b *testing.B) {
	bank := newPagedBank(10_000)
	// Pre-encode the pages so the benchmark measures the client.
	pages := map[string][]byte{}
	for p := 1; p <= 200; p++ {
		rec := httptest.NewRecorder()
		bank.ServeHTTP(rec, httptest.NewRequest("GET", "/api/accounts/4711/transactions?page="+strconv.Itoa(p), nil))
		pages[strconv.Itoa(p)] = rec.Body.Bytes()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(pages[r.URL.Query().Get("page")])
	}))
	defer srv.Close()
	c, err := New(srv.URL, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		txs, err := c.SyncTransactions(context.Background(), 4711, SyncOptions{})
		if err != nil || len(txs) != 10_000 {
			b.Fatalf("%d, %v", len(txs), err)
		}
	}
}
