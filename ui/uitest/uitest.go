// Package uitest holds the UI's test fakes and drivers: a fake bank with
// generated history, a fake of common.Payments that records every call and
// answers confirms from a queue, key presses by name, and pumps that run
// Cmds and feed their messages back, dropping timers (spinners, blinks) so
// tests stay fast.
package uitest

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store/history"
	"konto/theme"
	"konto/ui/common"
)

// Now is the fixed clock of the tests: 26 November 2026, 10:00 in Berlin.
var Now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// Bank is a fake common.BankReader. Set Err to make every call fail.
type Bank struct {
	mu    sync.Mutex
	Accts []api.Account
	Txs   map[int64][]api.Transaction // newest first
	// Cached is what CachedHistory hands out, as an offline cache would
	// (nil: nothing cached, the list waits for the sync).
	Cached   map[int64]*history.History
	PageSize int
	Err      error
	Standing []api.StandingOrder
	Timed    []api.TimedOrderListItem
	Calls    []string
}

// NewBank returns a bank with two accounts (4711 with n bookings, 4712 with 30).
func NewBank(n int) *Bank {
	main := Generate(n, 1)
	second := Generate(30, 100000)
	return &Bank{
		Accts: []api.Account{
			{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500},
			{ID: 4712, IBAN: "DE12500105170648489890", Balance: 410000},
		},
		Txs:      map[int64][]api.Transaction{4711: main, 4712: second},
		PageSize: 50,
		Standing: []api.StandingOrder{{ID: 6, Status: api.StatusActive, Name: "John Doe", IBAN: "DE35120300001012765235", Amount: 100,
			Description: api.Ptr("Donation"), Reoccurrence: api.Monthly, NextOccurrence: &api.OrderTime{Time: Now.AddDate(0, 0, 5)}}},
		Timed: []api.TimedOrderListItem{{ID: "9939482a", RecipientName: "John Smith", RecipientIBAN: "DE33100110012626008537",
			Date: api.ZTime{Time: Now.AddDate(0, 1, 0)}, Purpose: api.Ptr("Bill payment"), Amount: -12012, Status: "scheduled", Type: "TIMED_ORDER"}},
	}
}

// Generate returns n bookings, newest first, about 1.3 a day back from Now,
// ids from firstID. Every 5th is a card payment in CHF, every 7th incoming.
func Generate(n int, firstID int64) []api.Transaction {
	txs := make([]api.Transaction, n)
	names := []string{"Karl Lagerfeld", "Café Zürich", "Finanzamt Berlin", "Stadtwerke", "ACME GmbH", "Deutsche Bahn", "Rewe"}
	for i := 0; i < n; i++ {
		id := firstID + int64(n-1-i)
		t := Now.Add(-time.Duration(i) * 18 * time.Hour)
		tx := api.Transaction{
			ID:          id,
			Amount:      -int64(500 + (i*7919)%90000),
			Name:        api.Ptr(names[i%len(names)]),
			IBAN:        api.Ptr("DE89370400440532013000"),
			Purpose:     api.Ptr(fmt.Sprintf("Invoice %d", i)),
			BookingDate: api.TxTime{Time: t},
			ValutaDate:  &api.TxTime{Time: t},
			BookingType: api.Ptr("SEPA_CREDIT_TRANSFER"),
		}
		switch {
		case i%7 == 3:
			tx.Amount = int64(100000 + (i*131)%300000)
		case i%5 == 1:
			tx.PaymentMethod = api.Ptr("credit_card")
			tx.BookingType = api.Ptr("CARD_TRANSACTION")
			tx.OriginalAmount = api.Ptr("760")
			tx.ForeignCurrency = api.Ptr("CHF")
		}
		txs[i] = tx
	}
	return txs
}

func (b *Bank) call(s string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Calls = append(b.Calls, s)
	return b.Err
}

// CallCount counts calls whose name starts with prefix.
func (b *Bank) CallCount(prefix string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, c := range b.Calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (b *Bank) Accounts(ctx context.Context) ([]api.Account, error) {
	if err := b.call("Accounts"); err != nil {
		return nil, err
	}
	return append([]api.Account(nil), b.Accts...), nil
}

func (b *Bank) TransactionsPage(ctx context.Context, id int64, page int) (*api.TransactionPage, error) {
	if err := b.call(fmt.Sprintf("TransactionsPage %d %d", id, page)); err != nil {
		return nil, err
	}
	all := b.Txs[id]
	lo := min((page-1)*b.PageSize, len(all))
	hi := min(lo+b.PageSize, len(all))
	return &api.TransactionPage{Total: len(all), Results: append([]api.Transaction(nil), all[lo:hi]...)}, nil
}

func (b *Bank) SyncTransactions(ctx context.Context, id int64, opt api.SyncOptions) ([]api.Transaction, error) {
	if err := b.call(fmt.Sprintf("SyncTransactions %d", id)); err != nil {
		return nil, err
	}
	return append([]api.Transaction(nil), b.Txs[id]...), nil
}

// SyncHistory is SyncTransactions as the dashboard reads it: sanitised
// (as offline.Mirror cleans what it hands out) and compact.
func (b *Bank) SyncHistory(ctx context.Context, id int64, opt api.SyncOptions) (*history.History, error) {
	if err := b.call(fmt.Sprintf("SyncHistory %d", id)); err != nil {
		return nil, err
	}
	return Sanitized(b.Txs[id]), nil
}

// CachedHistory hands out Cached[id] (offline.Mirror's with a cache):
// it is not a call to the bank, so it is not recorded and Err does not
// fail it.
func (b *Bank) CachedHistory(id int64) (*history.History, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Cached[id], nil
}

// Sanitized is txs (newest first) as a history, each booking sanitised
// as the dashboard gets it from the bank.
func Sanitized(txs []api.Transaction) *history.History {
	b := history.NewBuilder(len(txs))
	for i := range txs {
		tx := common.SanitizeTransaction(txs[i])
		b.Add(&tx)
	}
	return b.Done()
}

func (b *Bank) StandingOrders(ctx context.Context, id int64) ([]api.StandingOrder, error) {
	if err := b.call(fmt.Sprintf("StandingOrders %d", id)); err != nil {
		return nil, err
	}
	return append([]api.StandingOrder(nil), b.Standing...), nil
}

func (b *Bank) TimedOrders(ctx context.Context, id int64) ([]api.TimedOrderListItem, error) {
	if err := b.call(fmt.Sprintf("TimedOrders %d", id)); err != nil {
		return nil, err
	}
	return append([]api.TimedOrderListItem(nil), b.Timed...), nil
}

// Common returns a Common on bank with the fixed clock, dark theme and size w×h.
func Common(bank common.BankReader, w, h int) *common.Common {
	c := common.New(context.Background(), bank)
	c.Now = func() time.Time { return Now }
	c.RealNow = c.Now
	c.Connection = "Sandbox (demo)"
	c.ThemeMode = theme.Dark
	c.SetSize(w, h)
	return c
}

// Key returns the key press named s ("j", "enter", "ctrl+d", "shift+tab", "pgdown"…).
func Key(s string) tea.KeyPressMsg {
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(s, "ctrl+"):
			mod |= tea.ModCtrl
			s = s[5:]
			continue
		case strings.HasPrefix(s, "shift+"):
			mod |= tea.ModShift
			s = s[6:]
			continue
		}
		break
	}
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "backspace": tea.KeyBackspace,
		"space": tea.KeySpace,
	}
	if r, ok := special[s]; ok {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	r := []rune(s)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: s}
}

// Type returns the key presses typing s.
func Type(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// settle is how long a Cmd runs before Collect looks at what it waits for.
const settle = 20 * time.Millisecond

// workDeadline bounds a Cmd that is not a timer; a slow machine takes
// long, never this long.
const workDeadline = 60 * time.Second

// Run runs one Cmd and returns its message, or nil for a timer: a Cmd
// waiting in tea.Tick or tea.Every (spinners, cursor blinks, polls, notice
// timeouts) is dropped, as a test must not wait for time. Any other Cmd is
// work — a fake bank's answer, an index built — and is waited for however
// long a busy machine takes: telling the two apart by how long they take
// made tests fail whenever the machine was busy.
func Run(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	ids := make(chan int64, 1)
	ch := make(chan tea.Msg, 1)
	go func() {
		ids <- goroutineID()
		ch <- cmd()
	}()
	id := <-ids
	deadline := time.Now().Add(workDeadline)
	for {
		select {
		case msg := <-ch:
			return msg
		case <-time.After(settle):
		}
		if waitsOnTimer(id) {
			return nil
		}
		if time.Now().After(deadline) {
			panic(fmt.Sprintf("uitest: a Cmd has run for %v and waits for no timer:\n%s", workDeadline, goroutineStack(id)))
		}
	}
}

// goroutineID is the calling goroutine's id, read off its stack header
// ("goroutine 42 [running]:").
func goroutineID() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := strings.Fields(string(buf))
	if len(f) < 2 {
		return -1
	}
	id, _ := strconv.ParseInt(f[1], 10, 64)
	return id
}

// goroutineStack is the stack of goroutine id, "" when it has ended.
func goroutineStack(id int64) string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	head := "goroutine " + strconv.FormatInt(id, 10) + " ["
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.HasPrefix(g, head) {
			return g
		}
	}
	return ""
}

// waitsOnTimer reports whether goroutine id waits for time to pass or for
// something outside the Cmd to happen: a timer, a channel nobody in the
// test will fill (token events, a held fake), as opposed to work that is
// merely slow — running, waiting for the CPU, a lock, or an HTTP answer
// from a test server, which all end by themselves.
func waitsOnTimer(id int64) bool {
	g := goroutineStack(id)
	for _, timer := range timerFrames {
		if strings.Contains(g, timer) {
			return true
		}
	}
	state := ""
	if i, j := strings.IndexByte(g, '['), strings.IndexByte(g, ']'); i >= 0 && j > i {
		state = g[i+1 : j]
	}
	switch {
	case strings.HasPrefix(state, "chan receive"), strings.HasPrefix(state, "chan send"), strings.HasPrefix(state, "select"):
		return !strings.Contains(g, "net/http.") && !strings.Contains(g, "golang.org/x/sync/errgroup.")
	}
	return false
}

// Hold blocks until gate is closed: a fake bank that keeps a request on its
// way calls it, and Run takes a Cmd held there for one that has not
// answered yet (it is dropped, as a timer is).
func Hold(gate <-chan struct{}) { <-gate }

// timerFrames are the stack frames of Cmds that wait for time to pass, or
// for a test to let them go (Hold).
var timerFrames = []string{
	"konto/ui/uitest.Hold(",
	"charm.land/bubbletea/v2.Tick.func",
	"konto/ui/common.Tick.func",
	"charm.land/bubbletea/v2.Every.func",
	"charm.land/bubbles/v2/cursor.(*Model).Blink.func", // a text field's cursor
	"\ntime.Sleep(",
}

// Collect runs cmd (and the Cmds of any batch) and returns the messages it
// brings; timers are dropped (Run).
func Collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := Run(cmd)
	if batch, ok := msg.(tea.BatchMsg); ok {
		var (
			mu  sync.Mutex
			wg  sync.WaitGroup
			out = make([][]tea.Msg, len(batch))
		)
		for i, c := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := Collect(c)
				mu.Lock()
				out[i] = r
				mu.Unlock()
			}()
		}
		wg.Wait()
		var flat []tea.Msg
		for _, r := range out {
			flat = append(flat, r...)
		}
		return flat
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// Pump feeds msgs to update one by one, running the Cmds it returns and
// feeding their messages back until nothing is left (or 500 steps). It
// returns every message seen, so tests can look for tea.QuitMsg etc.
func Pump(update func(tea.Msg) tea.Cmd, msgs ...tea.Msg) []tea.Msg {
	var seen []tea.Msg
	queue := append([]tea.Msg(nil), msgs...)
	for steps := 0; len(queue) > 0 && steps < 500; steps++ {
		msg := queue[0]
		queue = queue[1:]
		seen = append(seen, msg)
		if _, ok := msg.(tea.QuitMsg); ok {
			continue
		}
		queue = append(queue, Collect(update(msg))...)
	}
	return seen
}
