package session_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store"
	"konto/ui"
	"konto/ui/common"
	"konto/ui/detail"
	"konto/ui/login"
	"konto/ui/session"
	"konto/ui/uitest"
)

// users is a bank answering for whoever logged in last: the test's login
// Func switches it, as a real bank answers with the new session's data.
type users struct {
	mu  sync.Mutex
	cur *uitest.Bank
}

func (u *users) set(b *uitest.Bank) {
	u.mu.Lock()
	u.cur = b
	u.mu.Unlock()
}

func (u *users) bank() *uitest.Bank {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.cur
}

func (u *users) Accounts(ctx context.Context) ([]api.Account, error) { return u.bank().Accounts(ctx) }
func (u *users) TransactionsPage(ctx context.Context, id int64, page int) (*api.TransactionPage, error) {
	return u.bank().TransactionsPage(ctx, id, page)
}
func (u *users) SyncTransactions(ctx context.Context, id int64, opt api.SyncOptions) ([]api.Transaction, error) {
	return u.bank().SyncTransactions(ctx, id, opt)
}
func (u *users) StandingOrders(ctx context.Context, id int64) ([]api.StandingOrder, error) {
	return u.bank().StandingOrders(ctx, id)
}
func (u *users) TimedOrders(ctx context.Context, id int64) ([]api.TimedOrderListItem, error) {
	return u.bank().TimedOrders(ctx, id)
}

// bobsBank is another user's bank: other account ids and IBANs, and
// bookings all named "Bertha Beispiel" (Alice's are Karl Lagerfeld, Café
// Zürich, Finanzamt Berlin…).
func bobsBank() *uitest.Bank {
	b := uitest.NewBank(40)
	txs := uitest.Generate(40, 700000)
	for i := range txs {
		txs[i].Name = api.Ptr("Bertha Beispiel")
		txs[i].Purpose = api.Ptr(fmt.Sprintf("Miete %d", i))
	}
	b.Accts = []api.Account{{ID: 5811, IBAN: "DE02120300000000202051", Balance: 99900}}
	b.Txs = map[int64][]api.Transaction{5811: txs}
	b.Standing, b.Timed = nil, nil
	return b
}

// alicesCache is a cache owned by alice@example.com holding her accounts,
// histories and orders, as a run of hers leaves it.
func alicesCache(t *testing.T, alice *uitest.Bank) *store.Cache {
	t.Helper()
	cache := openCache(t, nil, nil)
	if _, _, err := cache.Claim("alice@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := cache.SaveAccounts(alice.Accts); err != nil {
		t.Fatal(err)
	}
	for id, txs := range alice.Txs {
		if err := cache.SaveTransactions(id, txs); err != nil {
			t.Fatal(err)
		}
	}
	if err := cache.SaveStandingOrders(4711, alice.Standing); err != nil {
		t.Fatal(err)
	}
	return cache
}

// alicesTraces are what of Alice's may never be on Bob's screen: her
// account IBANs (DE06…, DE12…, compared without blanks) and her bookings'
// names.
var alicesTraces = []string{"DE06", "DE12", "KarlLagerfeld", "CaféZürich", "FinanzamtBerlin", "Stadtwerke", "DeutscheBahn", "JohnDoe"}

func screenOf(m *ui.Model) string { return ansi.Strip(m.Render()) }

// pumpAll is pump that also runs a tea.Sequence (to the test an opaque
// []tea.Cmd) as the program does: its messages are handled in order.
func pumpAll(m *ui.Model, msgs ...tea.Msg) {
	queue := append([]tea.Msg(nil), msgs...)
	for steps := 0; len(queue) > 0 && steps < 1000; steps++ {
		msg := queue[0]
		queue = queue[1:]
		if cmds, ok := sequence(msg); ok {
			var in []tea.Msg
			for _, cmd := range cmds {
				in = append(in, uitest.Collect(cmd)...)
			}
			queue = append(in, queue...)
			continue
		}
		_, cmd := m.Update(msg)
		queue = append(queue, uitest.Collect(cmd)...)
	}
}

func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	if _, batch := msg.(tea.BatchMsg); batch || msg == nil {
		return nil, false
	}
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

func spaceless(s string) string { return strings.Join(strings.Fields(s), "") }

// dialogLogin opens the login dialog (the bank refused the session), types
// email and password and submits. The login itself runs here without the
// pump's short wait: it rebuilds the cache file.
func dialogLogin(t *testing.T, m *ui.Model, ctl *session.Controller, email string) {
	t.Helper()
	pumpAll(m, uitest.Collect(ctl.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.LoginNeeded}}))...)
	if !strings.Contains(screenOf(m), "Log in again") {
		t.Fatalf("no login dialog:\n%s", screenOf(m))
	}
	// The email is filled in and the cursor waits in the password: back to
	// the email, clear it, type.
	keys := []tea.Msg{uitest.Key("shift+tab"), uitest.Key("ctrl+u")}
	keys = append(keys, uitest.Type(email)...)
	keys = append(keys, uitest.Key("tab"))
	keys = append(keys, uitest.Type("secret")...)
	pumpAll(m, keys...)
	_, cmd := m.Update(uitest.Key("enter"))
	if cmd == nil {
		t.Fatal("enter did not submit the login")
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		pumpAll(m, msg)
	case <-time.After(10 * time.Second):
		t.Fatal("the login did not answer")
	}
}

// Alice's data is on screen (painted from her cache, a booking's details
// open) when her session ends; Bob logs in in the dialog. From then on the
// screen shows Bob's accounts and bookings only, and the cache holds
// nothing of Alice's.
func TestLoginAsSomeoneElseInTheDialogShowsOnlyTheirData(t *testing.T) {
	alice, bob := uitest.NewBank(120), bobsBank()
	cache := alicesCache(t, alice)
	remote := &users{cur: alice}
	logins := 0
	fn := func(_ context.Context, cred api.Credentials, _ bool) (login.Result, error) {
		logins++
		if strings.EqualFold(cred.Email, "bob@example.com") {
			remote.set(bob)
		}
		return login.Result{RefreshToken: "r", AuthToken: "a"}, nil
	}
	c := uitest.Common(remote, 120, 30)
	bank := session.NewBank(remote, cache, fixedNow)
	c.Bank = bank
	ctl := session.New(c, bank, session.Options{Login: login.Options{Login: fn, Email: "alice@example.com"}})
	c.Session = ctl
	m := ui.New(c)
	pumpAll(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pumpAll(m, uitest.Collect(m.Init())...)
	before := spaceless(screenOf(m))
	if !strings.Contains(before, "KarlLagerfeld") || !strings.Contains(before, "DE06") {
		t.Fatalf("Alice's dashboard is not on screen to begin with:\n%s", screenOf(m))
	}
	pumpAll(m, common.OpenModalMsg{Modal: detail.NewModal(c, &alice.Txs[4711][0])})

	dialogLogin(t, m, ctl, "bob@example.com")
	if logins != 1 {
		t.Fatalf("%d logins", logins)
	}
	screen := screenOf(m)
	flat := spaceless(screen)
	for _, trace := range alicesTraces {
		if strings.Contains(flat, trace) {
			t.Errorf("Alice's %q is still on Bob's screen:\n%s", trace, screen)
		}
	}
	if !strings.Contains(flat, "DE02") || !strings.Contains(screen, "Bertha Beispiel") {
		t.Errorf("Bob's account and bookings are not shown:\n%s", screen)
	}
	if strings.Contains(screen, "Log in again") {
		t.Errorf("the dialog is still open:\n%s", screen)
	}
	if !strings.Contains(screen, "logged in as bob@example.com") {
		t.Errorf("no notice of the new login:\n%s", screen)
	}

	// The cache: Bob's, with nothing of Alice's.
	if owned, _ := cache.OwnedBy("bob@example.com"); !owned {
		t.Error("the cache is not recorded as Bob's")
	}
	for _, id := range []int64{4711, 4712} {
		if n, _, _ := cache.TransactionsInfo(id); n != 0 {
			t.Errorf("the cache still holds %d of Alice's bookings of %d", n, id)
		}
	}
	if o, _, _ := cache.LoadStandingOrders(4711); len(o) != 0 {
		t.Errorf("the cache still holds Alice's standing orders: %v", o)
	}
	accs, _, _ := cache.LoadAccounts()
	if len(accs) != 1 || accs[0].ID != 5811 {
		t.Errorf("cached accounts %v, want Bob's only", accs)
	}
	if n, _, _ := cache.TransactionsInfo(5811); n != 40 {
		t.Errorf("Bob's history: %d cached, want 40", n)
	}

	// Polling goes on, for Bob's accounts.
	bob.Txs[5811] = append([]api.Transaction{incoming(9001, 125000, "Karl Brenner")}, bob.Txs[5811]...)
	found, changed, err := bank.Poll(ctx)
	if err != nil || len(found) != 1 || len(changed) != 1 || changed[0] != 5811 {
		t.Errorf("poll after the switch: found %v, changed %v, %v; want Bob's new booking", found, changed, err)
	}
}

// The same user logging in again (typed differently) keeps the cache and
// the screen as they are: nothing is fetched twice.
func TestLoginAgainAsTheSameUserKeepsTheCache(t *testing.T) {
	alice := uitest.NewBank(120)
	cache := alicesCache(t, alice)
	fn := func(context.Context, api.Credentials, bool) (login.Result, error) {
		return login.Result{RefreshToken: "r", AuthToken: "a"}, nil
	}
	m, _, ctl := dashboard(t, alice, cache, session.Options{Login: login.Options{Login: fn, Email: "alice@example.com"}})
	pumpAll(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pumpAll(m, uitest.Collect(m.Init())...)
	dialogLogin(t, m, ctl, " Alice@Example.COM")
	if n, _, _ := cache.TransactionsInfo(4711); n != 120 {
		t.Errorf("the cache lost the owner's history: %d cached", n)
	}
	screen := screenOf(m)
	if !strings.Contains(screen, "Karl Lagerfeld") || !strings.Contains(screen, "logged in again") {
		t.Errorf("after logging in again as the same user:\n%s", screen)
	}
}

// A cache an older konto wrote records no owner: the first login through
// the dialog does not adopt what it holds.
func TestLoginIntoAnOwnerlessCacheEmptiesIt(t *testing.T) {
	alice := uitest.NewBank(60)
	cache := openCache(t, alice, map[int64][]api.Transaction{4711: alice.Txs[4711]})
	b := session.NewBank(alice, cache, fixedNow)
	switched, err := b.SetOwner("alice@example.com")
	if err != nil || !switched {
		t.Fatalf("SetOwner on an owner-less cache: switched %v, %v", switched, err)
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
		t.Errorf("an owner-less cache kept %d bookings", n)
	}
	if switched, _ := b.SetOwner("ALICE@example.com "); switched {
		t.Error("the same login switched again")
	}
}

// Without a cache only the logins tell: unknown at first (a session from a
// stored token), then compared.
func TestSetOwnerWithoutCache(t *testing.T) {
	b := session.NewBank(uitest.NewBank(10), nil, fixedNow)
	for i, step := range []struct {
		login string
		want  bool
	}{{"a@x", true}, {" A@X", false}, {"b@x", true}, {"b@x", false}} {
		if got, err := b.SetOwner(step.login); err != nil || got != step.want {
			t.Errorf("step %d SetOwner(%q) = %v, %v; want %v", i, step.login, got, err, step.want)
		}
	}
}

// slowBank holds SyncTransactions until released: a request of the previous
// login still under way while the next one logs in.
type slowBank struct {
	*uitest.Bank
	started, release chan struct{}
}

func (s *slowBank) SyncTransactions(ctx context.Context, id int64, opt api.SyncOptions) ([]api.Transaction, error) {
	close(s.started)
	<-s.release
	return s.Bank.SyncTransactions(ctx, id, opt)
}

func TestAnswerForThePreviousLoginIsNotKept(t *testing.T) {
	alice := uitest.NewBank(80)
	cache := openCache(t, nil, nil)
	if _, _, err := cache.Claim("alice@example.com"); err != nil {
		t.Fatal(err)
	}
	slow := &slowBank{Bank: alice, started: make(chan struct{}), release: make(chan struct{})}
	b := session.NewBank(slow, cache, fixedNow)
	type answer struct {
		txs []api.Transaction
		err error
	}
	got := make(chan answer, 1)
	go func() {
		txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{})
		got <- answer{txs, err}
	}()
	<-slow.started
	if switched, err := b.SetOwner("bob@example.com"); err != nil || !switched {
		t.Fatalf("SetOwner: %v, %v", switched, err)
	}
	close(slow.release)
	a := <-got
	if a.err == nil || len(a.txs) != 0 {
		t.Errorf("Alice's sync answered %d bookings after Bob logged in (err %v)", len(a.txs), a.err)
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
		t.Errorf("Alice's sync wrote %d bookings into Bob's cache", n)
	}
}

// Bob's login goes through but his accounts cannot be fetched: the dialog
// stays open and says so; put off with esc, the dashboard changes over as
// soon as they arrive.
func TestLoginAsSomeoneElseWhoseAccountsDoNotLoadYet(t *testing.T) {
	alice, bob := uitest.NewBank(60), bobsBank()
	cache := alicesCache(t, alice)
	remote := &users{cur: alice}
	fn := func(_ context.Context, cred api.Credentials, _ bool) (login.Result, error) {
		remote.set(bob)
		return login.Result{RefreshToken: "r", AuthToken: "a"}, nil
	}
	c := uitest.Common(remote, 120, 30)
	bank := session.NewBank(remote, cache, fixedNow)
	c.Bank = bank
	ctl := session.New(c, bank, session.Options{Login: login.Options{Login: fn, Email: "alice@example.com"}})
	c.Session = ctl
	m := ui.New(c)
	pumpAll(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pumpAll(m, uitest.Collect(m.Init())...)

	bob.Err = errors.New("connect: connection refused")
	dialogLogin(t, m, ctl, "bob@example.com")
	screen := screenOf(m)
	if !strings.Contains(screen, "Log in again") || !strings.Contains(spaceless(screen), "youraccountscouldnotbeloaded") {
		t.Fatalf("the dialog does not stay open saying the accounts did not load:\n%s", screen)
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
		t.Errorf("Alice's bookings stay in the cache after Bob's login: %d", n)
	}

	bob.Err = nil
	pumpAll(m, uitest.Key("esc"))
	screen = screenOf(m)
	flat := spaceless(screen)
	for _, trace := range alicesTraces {
		if strings.Contains(flat, trace) {
			t.Errorf("Alice's %q is still on Bob's screen:\n%s", trace, screen)
		}
	}
	if !strings.Contains(flat, "DE02") || !strings.Contains(screen, "Bertha Beispiel") {
		t.Errorf("Bob's account and bookings are not shown:\n%s", screen)
	}
}

// A cache that cannot be claimed is not used any more: nothing of it can be
// shown to the new login, and the bank carries on without it.
func TestCacheThatCannotBeClaimedIsDropped(t *testing.T) {
	alice := uitest.NewBank(60)
	cache := alicesCache(t, alice)
	b := session.NewBank(alice, cache, fixedNow)
	cache.Close() // as after a damaged page
	switched, err := b.SetOwner("bob@example.com")
	if err == nil || !switched {
		t.Fatalf("SetOwner with an unusable cache: switched %v, err %v", switched, err)
	}
	if b.Cache() != nil {
		t.Error("the bank still uses the cache")
	}
	txs, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{})
	if err != nil || len(txs) != 60 || alice.CallCount("SyncTransactions 4711") != 1 {
		t.Errorf("without the cache: %d bookings, %v", len(txs), err)
	}
}
