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
	"github.com/golang-jwt/jwt/v5"

	"konto/api"
	"konto/store"
	"konto/store/offline"
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
// Zürich, Finanzamt Berlin…). His second account has a history of its own,
// which only its sparkline shows.
func bobsBank() *uitest.Bank {
	b := uitest.NewBank(40)
	txs := uitest.Generate(40, 700000)
	for i := range txs {
		txs[i].Name = api.Ptr("Bertha Beispiel")
		txs[i].Purpose = api.Ptr(fmt.Sprintf("Miete %d", i))
	}
	savings := uitest.Generate(20, 800000)
	for i := range savings {
		savings[i].Name = api.Ptr("Bertha Beispiel")
	}
	b.Accts = []api.Account{
		{ID: 5811, IBAN: "DE02120300000000202051", Balance: 99900},
		{ID: 5812, IBAN: "DE75512108001245126199", Balance: 250000},
	}
	b.Txs = map[int64][]api.Transaction{5811: txs, 5812: savings}
	b.Standing, b.Timed = nil, nil
	return b
}

// The identities in the tokens (their subjects: user ids, as at the real
// bank) and the logins typed.
const (
	aliceID    = "6661b22d-2f1c-4a55-9d6c-0000000a11ce"
	bobID      = "7772c33e-3a2d-4b66-8e7d-00000000b0b0"
	aliceEmail = "alice@example.com"
	bobEmail   = "bob@example.com"
)

// refreshToken is a refresh token of the user sub (a JWT, its signature the
// bank's business).
func refreshToken(t testing.TB, sub string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub, "scope": "refresh"}).SignedString([]byte("bank"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// alicesCache is a cache owned by Alice holding her accounts, histories and
// orders, as a run of hers leaves it.
func alicesCache(t *testing.T, alice *uitest.Bank) *store.Cache {
	t.Helper()
	cache := openCache(t, nil, nil)
	if _, _, err := cache.Claim(aliceID); err != nil {
		t.Fatal(err)
	}
	fill(t, cache, alice)
	return cache
}

// fill puts the bank's accounts, histories and standing orders into cache.
func fill(t *testing.T, cache *store.Cache, bank *uitest.Bank) {
	t.Helper()
	if err := cache.SaveAccounts(bank.Accts); err != nil {
		t.Fatal(err)
	}
	for id, txs := range bank.Txs {
		if err := cache.SaveTransactions(id, txs); err != nil {
			t.Fatal(err)
		}
	}
	if err := cache.SaveStandingOrders(4711, bank.Standing); err != nil {
		t.Fatal(err)
	}
}

// alicesTraces are what of Alice's may never be on Bob's screen: her
// account IBANs (DE06…, DE12…, compared without blanks) and her bookings'
// names.
var alicesTraces = []string{"DE06", "DE12", "KarlLagerfeld", "CaféZürich", "FinanzamtBerlin", "Stadtwerke", "DeutscheBahn", "JohnDoe"}

// world is a dashboard as konto starts it: the bank's identity is the
// start token's subject (dashboardStores.attach), and the login dialog
// logs in as whoever's email is typed, the remote bank then answering
// with their data.
type world struct {
	m      *ui.Model
	c      *common.Common
	ctl    *session.Controller
	bank   *offline.Mirror
	remote *users
	cache  *store.Cache
	logins int
}

// person is a user the dialog can log in as.
type person struct {
	id   string
	bank *uitest.Bank
}

// startAs starts the dashboard on cache (nil for none) with a session of
// start's, for a terminal of 120×30 (with a payments client). subject is the
// start token's subject ("" for one that names nobody).
func startAs(t *testing.T, subject string, start *uitest.Bank, cache *store.Cache, people map[string]person) *world {
	t.Helper()
	w := &world{remote: &users{cur: start}, cache: cache}
	fn := func(_ context.Context, cred api.Credentials, _ bool) (login.Result, error) {
		w.logins++
		p, ok := people[strings.ToLower(strings.TrimSpace(cred.Email))]
		if !ok {
			return login.Result{}, fmt.Errorf("wrong email: %w", api.ErrUnauthorized)
		}
		// As loginFunc: the session's tokens change over before the
		// session learns whose they are.
		w.remote.set(p.bank)
		tok := "opaque-refresh-token"
		if p.id != "" {
			tok = refreshToken(t, p.id)
		}
		return login.Result{RefreshToken: tok, AuthToken: "a"}, nil
	}
	w.bank = session.NewMirror(w.remote, cache, fixedNow)
	w.c = uitest.Common(w.bank, 120, 30)
	w.c.Payments = &uitest.Payments{}
	if _, err := w.bank.SetOwner(subject); err != nil {
		t.Fatal(err)
	}
	w.c.Bank = w.bank
	w.ctl = session.New(w.c, w.bank, session.Options{Login: login.Options{Login: fn, Email: aliceEmail}})
	w.c.Session = w.ctl
	w.m = ui.New(w.c)
	pumpAll(w.m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pumpAll(w.m, uitest.Collect(w.m.Init())...)
	return w
}

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

// assertNothingOfAlices fails if anything of Alice's is on screen.
func assertNothingOfAlices(t *testing.T, m *ui.Model) {
	t.Helper()
	screen := screenOf(m)
	flat := spaceless(screen)
	for _, trace := range alicesTraces {
		if strings.Contains(flat, trace) {
			t.Errorf("Alice's %q is still on Bob's screen:\n%s", trace, screen)
		}
	}
}

// Alice's data is on screen (painted from her cache, a booking's details
// open) when her session ends; Bob logs in in the dialog. From then on the
// screen shows Bob's accounts and bookings only (his other account's
// sparkline too), and the cache holds nothing of Alice's.
func TestLoginAsSomeoneElseInTheDialogShowsOnlyTheirData(t *testing.T) {
	alice, bob := uitest.NewBank(120), bobsBank()
	cache := alicesCache(t, alice)
	w := startAs(t, aliceID, alice, cache, map[string]person{bobEmail: {bobID, bob}})
	m := w.m
	before := spaceless(screenOf(m))
	if !strings.Contains(before, "KarlLagerfeld") || !strings.Contains(before, "DE06") {
		t.Fatalf("Alice's dashboard is not on screen to begin with:\n%s", screenOf(m))
	}
	pumpAll(m, uitest.Key("2")) // her standing orders
	if !strings.Contains(screenOf(m), "John Doe") {
		t.Fatalf("Alice's standing orders are not shown:\n%s", screenOf(m))
	}
	pumpAll(m, common.OpenModalMsg{Modal: detail.NewModal(w.c, &alice.Txs[4711][0])})

	dialogLogin(t, m, w.ctl, bobEmail)
	if w.logins != 1 {
		t.Fatalf("%d logins", w.logins)
	}
	screen := screenOf(m)
	assertNothingOfAlices(t, m)
	flat := spaceless(screen)
	if !strings.Contains(flat, "DE02") || !strings.Contains(screen, "Bertha Beispiel") {
		t.Errorf("Bob's account and bookings are not shown:\n%s", screen)
	}
	if !strings.Contains(screen, "[1 Transactions]") {
		t.Errorf("not back on the transactions tab:\n%s", screen)
	}
	if strings.Contains(screen, "Log in again") {
		t.Errorf("the dialog is still open:\n%s", screen)
	}
	if !strings.Contains(screen, "logged in as bob@example.com") {
		t.Errorf("no notice of the new login:\n%s", screen)
	}
	// His other account's history was fetched for its sparkline, as at a start.
	if n := bob.CallCount("SyncTransactions 5812"); n != 1 {
		t.Errorf("Bob's second account synced %d times, want once (its sparkline)", n)
	}
	if !strings.Contains(screen, "▁") && !strings.Contains(screen, "█") {
		t.Errorf("no sparklines:\n%s", screen)
	}

	// The cache: Bob's, with nothing of Alice's.
	if owned, _ := cache.OwnedBy(bobID); !owned {
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
	if len(accs) != 2 || accs[0].ID != 5811 {
		t.Errorf("cached accounts %v, want Bob's only", accs)
	}
	if n, _, _ := cache.TransactionsInfo(5811); n != 40 {
		t.Errorf("Bob's history: %d cached, want 40", n)
	}

	// Polling goes on, for Bob's accounts.
	bob.Txs[5811] = append([]api.Transaction{incoming(9001, 125000, "Karl Brenner")}, bob.Txs[5811]...)
	found, changed, err := w.bank.Poll(ctx)
	if err != nil || len(found) != 1 || len(changed) != 1 || changed[0] != 5811 {
		t.Errorf("poll after the switch: found %v, changed %v, %v; want Bob's new booking", found, changed, err)
	}
}

// Bob logs in over Alice's dashboard, but his bank cannot be reached (or
// he has no accounts): the dashboard starts afresh all the same and says
// why it is empty; nothing of Alice's stays. The polls fetch his accounts
// once they can.
func TestLoginAsSomeoneElseWhoseAccountsDoNotLoad(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(*uitest.Bank)
		want  string
	}{
		{"offline", func(b *uitest.Bank) { b.Err = errors.New("connect: connection refused") }, "press r to retry"},
		{"no accounts", func(b *uitest.Bank) { b.Accts = nil }, "no accounts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			alice, bob := uitest.NewBank(60), bobsBank()
			for _, cache := range []*store.Cache{alicesCache(t, alice), nil} {
				w := startAs(t, aliceID, alice, cache, map[string]person{bobEmail: {bobID, bob}})
				pumpAll(w.m, uitest.Key("2")) // her standing orders
				savedErr, savedAccts := bob.Err, bob.Accts
				tc.spoil(bob)
				dialogLogin(t, w.m, w.ctl, bobEmail)
				screen := screenOf(w.m)
				assertNothingOfAlices(t, w.m)
				if strings.Contains(screen, "Log in again") || !strings.Contains(screen, tc.want) {
					t.Fatalf("cache %v: after Bob's login the dashboard does not say %q:\n%s", cache != nil, tc.want, screen)
				}
				if cache != nil {
					if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
						t.Errorf("Alice's bookings stay in the cache after Bob's login: %d", n)
					}
				}

				if tc.name != "offline" {
					bob.Accts = savedAccts
					w.remote.set(alice)
					continue
				}
				// The bank answers again: the next poll brings his accounts.
				bob.Err = savedErr
				pumpAll(w.m, uitest.Collect(w.ctl.Polled(nil, nil, nil))...)
				screen = screenOf(w.m)
				assertNothingOfAlices(t, w.m)
				if !strings.Contains(spaceless(screen), "DE02") || !strings.Contains(screen, "Bertha Beispiel") {
					t.Errorf("cache %v: Bob's account and bookings are not shown after the next poll:\n%s", cache != nil, screen)
				}
				w.remote.set(alice)
			}
		})
	}
}

// halfFilledTransfer opens a transfer form and types a recipient.
func halfFilledTransfer(t *testing.T, m *ui.Model) {
	t.Helper()
	pumpAll(m, uitest.Key("t"))
	pumpAll(m, uitest.Type("Karl Brenner")...)
	if !strings.Contains(screenOf(m), "New transfer") || !strings.Contains(screenOf(m), "Karl Brenner") {
		t.Fatalf("no transfer form:\n%s", screenOf(m))
	}
}

// The same user logging in again in the dialog (typed differently) is no
// change of session, with a cache of theirs, without a cache, or with a
// cache that recorded no owner: the form they were filling in stays as it
// was, and so does the cache.
func TestLoginAgainAsTheSameUserKeepsTheScreen(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cache func(t *testing.T, alice *uitest.Bank) *store.Cache
	}{
		{"her cache", alicesCache},
		{"no cache", func(*testing.T, *uitest.Bank) *store.Cache { return nil }},
		{"an owner-less cache", func(t *testing.T, alice *uitest.Bank) *store.Cache {
			cache := openCache(t, nil, nil)
			fill(t, cache, alice)
			return cache
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			alice := uitest.NewBank(120)
			cache := tc.cache(t, alice)
			w := startAs(t, aliceID, alice, cache, map[string]person{aliceEmail: {aliceID, alice}})
			halfFilledTransfer(t, w.m)
			dialogLogin(t, w.m, w.ctl, " Alice@Example.COM")
			screen := screenOf(w.m)
			if strings.Contains(screen, "Log in again") || !strings.Contains(screen, "logged in again") {
				t.Fatalf("the login did not go through:\n%s", screen)
			}
			if !strings.Contains(screen, "New transfer") || !strings.Contains(screen, "Karl Brenner") {
				t.Fatalf("the half-filled transfer is gone:\n%s", screen)
			}
			pumpAll(w.m, uitest.Type(" jun.")...) // the form still takes the keys
			if !strings.Contains(screenOf(w.m), "Karl Brenner jun.") {
				t.Errorf("the form does not take keys any more:\n%s", screenOf(w.m))
			}
			if cache != nil {
				if n, _, _ := cache.TransactionsInfo(4711); n != 120 {
					t.Errorf("the cache lost the owner's history: %d cached", n)
				}
				if owned, _ := cache.OwnedBy(aliceID); !owned {
					t.Error("the cache is not Alice's")
				}
			}
		})
	}
}

// A login whose token names nobody (not a JWT) is not known to be anyone:
// no owner check, no change of session, the cache kept as it is.
func TestLoginWithAnUnknownIdentityChangesNothing(t *testing.T) {
	alice := uitest.NewBank(120)
	cache := alicesCache(t, alice)
	w := startAs(t, "", alice, cache, map[string]person{aliceEmail: {"", alice}})
	halfFilledTransfer(t, w.m)
	dialogLogin(t, w.m, w.ctl, aliceEmail)
	if !strings.Contains(screenOf(w.m), "Karl Brenner") {
		t.Fatalf("the half-filled transfer is gone:\n%s", screenOf(w.m))
	}
	if owned, _ := cache.OwnedBy(aliceID); !owned {
		t.Error("the cache lost its owner")
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 120 {
		t.Errorf("the cache lost its history: %d cached", n)
	}
}

// A payment whose confirm is on its way when someone else logs in keeps its
// dialog (its outcome must be seen) and the quit guard; the rest of the
// screen changes over.
func TestPaymentInFlightKeepsItsDialogWhenTheSessionChanges(t *testing.T) {
	alice, bob := uitest.NewBank(60), bobsBank()
	w := startAs(t, aliceID, alice, alicesCache(t, alice), map[string]person{bobEmail: {bobID, bob}})
	pay := w.c.Payments.(*uitest.Payments)
	pay.Gate = make(chan struct{})
	defer close(pay.Gate)
	halfFilledTransfer(t, w.m)
	pumpAll(w.m, uitest.Key("tab"))
	pumpAll(w.m, uitest.Type("DE89370400440532013000")...)
	pumpAll(w.m, uitest.Key("tab"))
	pumpAll(w.m, uitest.Type("12,50")...)
	pumpAll(w.m, uitest.Key("ctrl+s"), uitest.Key("enter"))
	pumpAll(w.m, uitest.Type(uitest.TAN)...)
	pumpAll(w.m, uitest.Key("enter")) // the confirm waits at the gate
	inFlight := screenOf(w.m)
	_, cmd := w.m.Update(uitest.Key("q"))
	msgs := uitest.Collect(cmd)
	if !strings.Contains(fmt.Sprint(msgs), "payment on its way") {
		t.Fatalf("no payment in flight (q: %v):\n%s", msgs, inFlight)
	}

	dialogLogin(t, w.m, w.ctl, bobEmail)
	screen := screenOf(w.m)
	if strings.Contains(screen, "Log in again") {
		t.Fatalf("the login dialog is still open:\n%s", screen)
	}
	if !strings.Contains(screen, "logged in as bob@example.com") {
		t.Errorf("no notice of the new login:\n%s", screen)
	}
	if !strings.Contains(screen, "Karl Brenner") || !strings.Contains(screen, "12,50") {
		t.Errorf("the payment on its way lost its dialog:\n%s", screen)
	}
	_, cmd = w.m.Update(uitest.Key("q"))
	if msgs = uitest.Collect(cmd); !strings.Contains(fmt.Sprint(msgs), "payment on its way") {
		t.Errorf("q after the change: %v, want the warning, not quitting", msgs)
	}
	// Behind the dialog: Bob's accounts.
	if accs := w.bank.Cache(); accs == nil {
		t.Fatal("the cache was dropped")
	}
	if n := bob.CallCount("Accounts"); n == 0 {
		t.Error("Bob's accounts were not loaded behind the payment dialog")
	}
}

// The start with a token of someone else than the cache's owner (a stored
// session, KONTO_REFRESH_TOKEN): the cache is emptied before the first
// paint, which shows nothing of the owner's.
func TestStartWithAnotherUsersTokenPaintsNothingOfTheCachesOwner(t *testing.T) {
	alice, bob := uitest.NewBank(120), bobsBank()
	cache := alicesCache(t, alice)
	bob.Err = errors.New("connect: connection refused") // only the cache could paint
	w := startAs(t, bobID, bob, cache, nil)
	assertNothingOfAlices(t, w.m)
	if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
		t.Errorf("Alice's bookings stay in the cache at Bob's start: %d", n)
	}
	if owned, _ := cache.OwnedBy(bobID); !owned {
		t.Error("the cache is not Bob's")
	}
}

// A cache an older konto wrote records no owner: the first identity (the
// start's) does not adopt what it holds, and is no switch (nothing is on
// screen yet); the same one again keeps what came since.
func TestOwnerlessCacheIsEmptiedAtTheStart(t *testing.T) {
	alice := uitest.NewBank(60)
	cache := openCache(t, alice, map[int64][]api.Transaction{4711: alice.Txs[4711]})
	b := session.NewMirror(alice, cache, fixedNow)
	switched, err := b.SetOwner(aliceID)
	if err != nil || switched {
		t.Fatalf("SetOwner at the start on an owner-less cache: switched %v, %v; want no switch", switched, err)
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
		t.Errorf("an owner-less cache kept %d bookings", n)
	}
	if _, err := b.SyncTransactions(ctx, 4711, api.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if switched, _ := b.SetOwner(" " + aliceID); switched {
		t.Error("the same identity switched again")
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 60 {
		t.Errorf("the same identity again emptied the cache: %d cached", n)
	}
}

// Without a cache only the identities tell: the first is no switch, another
// one is; an unknown one ("": the token names nobody) changes nothing.
func TestSetOwnerWithoutCache(t *testing.T) {
	b := session.NewMirror(uitest.NewBank(10), nil, fixedNow)
	for i, step := range []struct {
		identity string
		want     bool
	}{{"a", false}, {" a ", false}, {"A", true}, {"b", true}, {"", false}, {"b", false}, {"a", true}} {
		if got, err := b.SetOwner(step.identity); err != nil || got != step.want {
			t.Errorf("step %d SetOwner(%q) = %v, %v; want %v", i, step.identity, got, err, step.want)
		}
	}
}

// slowBank holds SyncTransactions until released: a request of the previous
// identity still under way while the next one logs in.
type slowBank struct {
	*uitest.Bank
	started, release chan struct{}
}

func (s *slowBank) SyncTransactions(ctx context.Context, id int64, opt api.SyncOptions) ([]api.Transaction, error) {
	close(s.started)
	<-s.release
	return s.Bank.SyncTransactions(ctx, id, opt)
}

func TestAnswerForThePreviousIdentityIsNotKept(t *testing.T) {
	alice := uitest.NewBank(80)
	cache := openCache(t, nil, nil)
	slow := &slowBank{Bank: alice, started: make(chan struct{}), release: make(chan struct{})}
	b := session.NewMirror(slow, cache, fixedNow)
	if _, err := b.SetOwner(aliceID); err != nil {
		t.Fatal(err)
	}
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
	if switched, err := b.SetOwner(bobID); err != nil || !switched {
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

// konto serve: the sessions of a profile share its cache. Once it is
// claimed for someone else (a new stored session), the banks of the
// previous identity's sessions neither read it nor write to it.
func TestSharedCacheClaimedBySomeoneElseIsNoLongerUsedByThePrevious(t *testing.T) {
	alice, bob := uitest.NewBank(60), bobsBank()
	cache := alicesCache(t, alice)
	old := session.NewMirror(alice, cache, fixedNow)
	if _, err := old.SetOwner(aliceID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cache.Claim(bobID); err != nil { // the server read Bob's token
		t.Fatal(err)
	}
	fill(t, cache, bob)
	if old.Cache() != nil {
		t.Error("the previous identity's bank still uses the cache")
	}
	alice.Err = errors.New("connect: connection refused")
	if accs, err := old.Accounts(ctx); err == nil || len(accs) != 0 {
		t.Errorf("the previous identity's bank answered %v from Bob's cache", accs)
	}
	alice.Err = nil
	if _, err := old.SyncTransactions(ctx, 4711, api.SyncOptions{}); err == nil {
		t.Error("the previous identity's sync was kept")
	}
	if n, _, _ := cache.TransactionsInfo(4711); n != 0 {
		t.Errorf("the previous identity's sync wrote %d bookings into Bob's cache", n)
	}
	fresh := session.NewMirror(bob, cache, fixedNow)
	if switched, err := fresh.SetOwner(bobID); err != nil || switched {
		t.Fatalf("a session of Bob's: %v, %v", switched, err)
	}
	if accs, err := fresh.Accounts(ctx); err != nil || len(accs) != 2 || accs[0].ID != 5811 {
		t.Errorf("Bob's session: %v, %v", accs, err)
	}
}

// A cache that cannot be claimed is not used any more: nothing of it can be
// shown to the new identity, and the bank carries on without it.
func TestCacheThatCannotBeClaimedIsDropped(t *testing.T) {
	alice := uitest.NewBank(60)
	cache := alicesCache(t, alice)
	b := session.NewMirror(alice, cache, fixedNow)
	if _, err := b.SetOwner(aliceID); err != nil {
		t.Fatal(err)
	}
	cache.Close() // as after a damaged page
	switched, err := b.SetOwner(bobID)
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
