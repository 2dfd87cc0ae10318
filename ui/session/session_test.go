package session_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store"
	"konto/store/offline"
	"konto/ui"
	"konto/ui/common"
	"konto/ui/login"
	"konto/ui/session"
	"konto/ui/uitest"
)

// openCache opens a cache in a temp dir (as under XDG_CACHE_HOME) holding
// the bank's accounts and the given histories.
func openCache(t testing.TB, bank *uitest.Bank, histories map[int64][]api.Transaction) *store.Cache {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	path, err := store.CachePath(nil, "default")
	if err != nil {
		t.Fatal(err)
	}
	cache, err := store.OpenCache(path, store.CacheOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	if bank != nil {
		if err := cache.SaveAccounts(bank.Accts); err != nil {
			t.Fatal(err)
		}
	}
	for id, txs := range histories {
		if err := cache.SaveTransactions(id, txs); err != nil {
			t.Fatal(err)
		}
	}
	return cache
}

var ctx = context.Background()

func fixedNow() time.Time { return uitest.Now }

func fmtErr(format string, err error) error { return &wrapped{format, err} }

type wrapped struct {
	format string
	err    error
}

func (w *wrapped) Error() string { return strings.Replace(w.format, "%w", w.err.Error(), 1) }
func (w *wrapped) Unwrap() error { return w.err }

func incoming(id int64, cents int64, name string) api.Transaction {
	return api.Transaction{ID: id, Amount: cents, Name: api.Ptr(name), BookingDate: api.TxTime{Time: uitest.Now.Add(time.Hour)}}
}

func TestPollFindsNewMoney(t *testing.T) {
	remote := uitest.NewBank(80)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711], 4712: remote.Txs[4712]})
	b := session.NewMirror(remote, cache, fixedNow)
	b.Accounts(ctx)
	in, changed, err := b.Poll(ctx)
	if err != nil || len(in) != 0 || len(changed) != 0 {
		t.Fatalf("quiet poll: %v %v %v", in, changed, err)
	}
	outgoing := incoming(9001, -500, "Rewe")
	karl := incoming(9002, 125000, "Karl Brenner")
	remote.Txs[4711] = append([]api.Transaction{karl, outgoing}, remote.Txs[4711]...)
	in, changed, err = b.Poll(ctx)
	if err != nil || len(changed) != 1 || changed[0] != 4711 {
		t.Fatalf("poll: changed %v, %v", changed, err)
	}
	if len(in) != 2 || in[0].Transaction.ID != 9002 || in[1].Transaction.ID != 9001 {
		t.Fatalf("found %v, want Karl's booking and the Rewe payment", in)
	}
	if got, want := session.MoneyNotice(in), "+1.250,00 € from Karl Brenner · −5,00 € to Rewe"; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	if count, _, _ := cache.TransactionsInfo(4711); count != 82 {
		t.Errorf("cache holds %d after the poll, want 82", count)
	}
	if in, _, _ := b.Poll(ctx); len(in) != 0 {
		t.Errorf("the same booking announced twice: %v", in)
	}
}

func TestMoneyNoticeSeveralAndHostile(t *testing.T) {
	got := session.MoneyNotice([]offline.NewBooking{
		{Transaction: incoming(1, -250, "Bahn")},
		{Transaction: incoming(2, 100, "A\x1b[31mB")},
		{Transaction: api.Transaction{ID: 3, Amount: 5000}},
	})
	if strings.Contains(got, "\x1b") || !strings.HasPrefix(got, "+1,00 € from A") || !strings.HasSuffix(got, " · +50,00 € · −2,50 € to Bahn") {
		t.Errorf("notice %q", got)
	}
}

// dashboard builds the root model on a session over remote and cache.
func dashboard(t testing.TB, remote *uitest.Bank, cache *store.Cache, opt session.Options) (*ui.Model, *common.Common, *session.Controller) {
	t.Helper()
	c := uitest.Common(remote, 120, 30)
	bank := session.NewMirror(remote, cache, fixedNow)
	c.Bank = bank
	ctl := session.New(c, bank, opt)
	c.Session = ctl
	return ui.New(c), c, ctl
}

func pump(m *ui.Model, msgs ...tea.Msg) []tea.Msg {
	return uitest.Pump(func(msg tea.Msg) tea.Cmd { _, cmd := m.Update(msg); return cmd }, msgs...)
}

func TestDashboardPaintsFromTheCacheWhileTheBankIsDown(t *testing.T) {
	remote := uitest.NewBank(300)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
	remote.Err = errors.New("connect: connection refused")
	m, c, _ := dashboard(t, remote, cache, session.Options{})
	pump(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pump(m, uitest.Collect(m.Init())...)
	screen := ansi.Strip(m.Render())
	if !strings.Contains(screen, "Karl Lagerfeld") || !strings.Contains(screen, "17.325,00 €") {
		t.Fatalf("cached data not shown:\n%s", screen)
	}
	if !strings.Contains(screen, "offline since 10:00") {
		t.Errorf("status line does not say offline since 10:00:\n%s", strings.SplitN(screen, "\n", 2)[0])
	}
	if c.Session.OfflineSince().IsZero() {
		t.Error("session not offline")
	}
}

func TestDashboardMarksCachedDataStale(t *testing.T) {
	remote := uitest.NewBank(300)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
	m, _, _ := dashboard(t, remote, cache, session.Options{})
	pump(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	// Only the first answer (from the cache), as the first frame sees it.
	for _, msg := range uitest.Collect(m.Init()) {
		if _, ok := msg.(common.AccountsLoadedMsg); ok {
			m.Update(msg)
		}
	}
	top := strings.SplitN(ansi.Strip(m.Render()), "\n", 2)[0]
	if !strings.Contains(top, "cached") {
		t.Fatalf("first frame not marked as cached: %q", top)
	}
}

func TestLoginNeededOpensTheDialogOnce(t *testing.T) {
	remote := uitest.NewBank(10)
	c := uitest.Common(remote, 120, 30)
	bank := session.NewMirror(remote, nil, fixedNow)
	fn := func(context.Context, api.Credentials, bool) (login.Result, error) { return login.Result{}, nil }
	ctl := session.New(c, bank, session.Options{Login: login.Options{Login: fn}})
	ev := common.TokenEventMsg{Event: api.TokenEvent{Kind: api.LoginNeeded}}
	msgs := uitest.Collect(ctl.Update(ev))
	if len(msgs) != 1 {
		t.Fatalf("LoginNeeded: %v", msgs)
	}
	open, ok := msgs[0].(common.OpenModalMsg)
	if _, isDialog := open.Modal.(*login.Dialog); !ok || !isDialog {
		t.Fatalf("LoginNeeded opened %T", msgs[0])
	}
	if ctl.Update(ev) != nil {
		t.Error("a second dialog opened over the first")
	}
	got := afterLogin(ctl)
	reload := false
	for _, m := range got {
		if _, ok := m.(common.ReloadMsg); ok {
			reload = true
		}
	}
	if !reload {
		t.Errorf("no reload after the login: %v", got)
	}
	if msgs := uitest.Collect(ctl.Update(ev)); len(msgs) != 1 {
		t.Error("the dialog does not open again after a later LoginNeeded")
	}
}

// afterLogin tells ctl the dialog logged in and returns what follows: the
// messages of its Cmd, and of the Cmds those messages lead to (the poll).
func afterLogin(ctl *session.Controller) []tea.Msg {
	var out []tea.Msg
	for _, m := range uitest.Collect(ctl.Update(login.SucceededMsg{})) {
		out = append(out, m)
		if _, ok := m.(common.NoticeMsg); ok {
			continue
		}
		out = append(out, uitest.Collect(ctl.Update(m))...)
	}
	return out
}

// The bank's tokens died (a restarted sandbox); meanwhile a payment was made
// elsewhere (a curl). Once logged in again it is announced, not just shown.
func TestLoginAgainAnnouncesWhatArrivedMeanwhile(t *testing.T) {
	remote := uitest.NewBank(80)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711], 4712: remote.Txs[4712]})
	c := uitest.Common(remote, 120, 30)
	bank := session.NewMirror(remote, cache, fixedNow)
	bank.Accounts(ctx)
	fn := func(context.Context, api.Credentials, bool) (login.Result, error) { return login.Result{}, nil }
	ctl := session.New(c, bank, session.Options{Login: login.Options{Login: fn}})
	remote.Txs[4711] = append([]api.Transaction{incoming(9001, -1250, "Karl Brenner")}, remote.Txs[4711]...)
	var notices []string
	reload := false
	for _, m := range afterLogin(ctl) {
		switch m := m.(type) {
		case common.NoticeMsg:
			notices = append(notices, m.Text)
		case common.ReloadMsg:
			reload = true
		}
	}
	if !reload || !slices.Contains(notices, "−12,50 € to Karl Brenner") {
		t.Fatalf("after the login: reload %v, notices %q; want a reload and the payment announced", reload, notices)
	}
}

func TestNoDialogWithoutLogin(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	ctl := session.New(c, session.NewMirror(bank, nil, fixedNow), session.Options{})
	if cmd := ctl.Update(common.TokenEventMsg{Event: api.TokenEvent{Kind: api.LoginNeeded}}); cmd != nil {
		t.Error("a dialog without a way to log in")
	}
}

func TestPollNoticeReloadAndBackoff(t *testing.T) {
	bank := uitest.NewBank(1)
	c := uitest.Common(bank, 80, 24)
	ctl := session.New(c, session.NewMirror(bank, nil, fixedNow), session.Options{PollInterval: 10 * time.Second})
	news := []offline.NewBooking{{AccountID: 4711, Transaction: incoming(1, 125000, "Karl Brenner")}}
	var notice string
	reload := false
	var arrived []common.BookingsArrivedMsg
	for _, m := range uitest.Collect(ctl.Polled(news, []int64{4711}, nil)) {
		switch m := m.(type) {
		case common.NoticeMsg:
			notice = m.Text
		case common.ReloadMsg:
			reload = true
		case common.BookingsArrivedMsg:
			arrived = append(arrived, m)
		}
	}
	// Only what is new goes to the history shown: no reload of it.
	if notice != "+1.250,00 € from Karl Brenner" || reload {
		t.Fatalf("after new money: notice %q, reload %v", notice, reload)
	}
	if len(arrived) != 1 || arrived[0].AccountID != 4711 || len(arrived[0].Transactions) != 1 || arrived[0].Transactions[0].ID != 1 {
		t.Fatalf("after new money: %+v, want the one booking for 4711", arrived)
	}
	offline := errors.New("connection refused")
	want := []time.Duration{20 * time.Second, 40 * time.Second, 80 * time.Second, 160 * time.Second, 5 * time.Minute, 5 * time.Minute}
	for i, w := range want {
		ctl.Polled(nil, nil, offline)
		if got := ctl.PollInterval(); got != w {
			t.Fatalf("after %d failures: interval %v, want %v", i+1, got, w)
		}
	}
	ctl.Polled(nil, nil, nil)
	if got := ctl.PollInterval(); got != 10*time.Second {
		t.Errorf("after a good poll: interval %v, want 10s", got)
	}
}

func TestCtrlRResyncsInFull(t *testing.T) {
	remote := uitest.NewBank(120)
	cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711], 4712: remote.Txs[4712]})
	m, _, _ := dashboard(t, remote, cache, session.Options{})
	pump(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pump(m, uitest.Collect(m.Init())...)
	if n := remote.CallCount("SyncTransactions"); n != 0 {
		t.Fatalf("%d full syncs at start with a warm cache", n)
	}
	pump(m, uitest.Key("ctrl+r"))
	if n := remote.CallCount("SyncTransactions 4711"); n != 1 {
		t.Fatalf("ctrl+r: %d full syncs of the shown account, want 1", n)
	}
	screen := ansi.Strip(m.Render())
	if !strings.Contains(screen, "Karl Lagerfeld") {
		t.Errorf("bookings gone after the resync:\n%s", screen)
	}
}

// The bank answering anything ends "offline since", a 401 to the token
// refresher included: the login dialog must not open under a status line
// that says the bank cannot be reached.
func TestTokenRefresherAnswerEndsOffline(t *testing.T) {
	for _, ev := range []api.TokenEvent{
		{Kind: api.LoginNeeded, Err: fmtErr("refresh auth token: %w", api.ErrLoginNeeded)},
		{Kind: api.TokenRefreshed, Expires: uitest.Now.Add(time.Hour)},
		{Kind: api.TokenRefreshFailed, Err: &api.Error{Status: http.StatusServiceUnavailable}},
	} {
		remote := uitest.NewBank(50)
		cache := openCache(t, remote, map[int64][]api.Transaction{4711: remote.Txs[4711]})
		remote.Err = errors.New("connect: connection refused")
		m, c, _ := dashboard(t, remote, cache, session.Options{})
		pump(m, tea.WindowSizeMsg{Width: 120, Height: 30})
		pump(m, uitest.Collect(m.Init())...)
		if c.Session.OfflineSince().IsZero() {
			t.Fatal("not offline while the bank cannot be reached")
		}
		pump(m, common.TokenEventMsg{Event: ev})
		if !c.Session.OfflineSince().IsZero() {
			t.Errorf("%v: still offline after the bank answered the token refresher", ev.Kind)
		}
		if top := strings.SplitN(ansi.Strip(m.Render()), "\n", 2)[0]; strings.Contains(top, "offline since") {
			t.Errorf("%v: the status line says %q", ev.Kind, top)
		}
	}
	// A refresh that reached no bank is no answer.
	remote := uitest.NewBank(50)
	m, c, _ := dashboard(t, remote, nil, session.Options{})
	pump(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	pump(m, uitest.Collect(m.Init())...)
	pump(m, common.TokenEventMsg{Event: api.TokenEvent{Kind: api.TokenRefreshFailed, Err: errors.New("dial tcp: connection refused")}})
	if c.Session.OfflineSince().IsZero() {
		t.Error("a refresh that reached no bank did not count as offline")
	}
}
