package pending

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/transfer"
	"konto/ui/uitest"
)

// memStore is a common.PendingStore in memory, counting its writes.
type memStore struct {
	mu     sync.Mutex
	items  []api.PendingPayment
	writes int
}

func (s *memStore) LoadPendingPayments() ([]api.PendingPayment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]api.PendingPayment(nil), s.items...), nil
}

func (s *memStore) UpdatePendingPayments(fn func([]api.PendingPayment) []api.PendingPayment) ([]api.PendingPayment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = fn(append([]api.PendingPayment(nil), s.items...))
	s.writes++
	return s.items, nil
}

func (s *memStore) list() []api.PendingPayment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]api.PendingPayment(nil), s.items...)
}

// rig is a tracker on a fake bank with a clock the test moves.
type rig struct {
	t     *testing.T
	c     *common.Common
	pay   *uitest.Payments
	store *memStore
	tr    *Tracker
	now   time.Time
	out   []tea.Msg // what the tracker sent to others
}

func newRig(t *testing.T, store *memStore) *rig {
	r := &rig{t: t, pay: &uitest.Payments{}, now: uitest.Now}
	r.c = uitest.Common(nil, 120, 40)
	r.c.Now = func() time.Time { return r.now }
	r.c.Payments = r.pay
	if store != nil {
		r.store = store
		r.c.PendingStore = store
	}
	r.tr = New(r.c)
	r.run(r.tr.Init())
	return r
}

// run runs cmd and hands the tracker's own messages back to it; the rest
// (notices, settled, refreshes) is kept in out. Timers are dropped: the
// test fires them with due.
func (r *rig) run(cmd tea.Cmd) {
	msgs := uitest.Collect(cmd)
	for len(msgs) > 0 {
		msg := msgs[0]
		msgs = msgs[1:]
		switch msg.(type) {
		case loadedMsg, dueMsg, checkedMsg, refreshMsg, common.TrackPaymentMsg:
			msgs = append(msgs, uitest.Collect(r.tr.Update(msg))...)
		case savedMsg:
		default:
			r.out = append(r.out, msg)
		}
	}
}

func (r *rig) send(msg tea.Msg) { r.run(func() tea.Msg { return msg }) }

// due fires the check timer of the payment with e2eID.
func (r *rig) due(e2eID string) { r.send(dueMsg{t: r.tr, e2eID: e2eID}) }

func (r *rig) notices() []string {
	var out []string
	for _, m := range r.out {
		if n, ok := m.(common.NoticeMsg); ok {
			out = append(out, n.Text)
		}
	}
	return out
}

func (r *rig) settled() []common.PaymentSettledMsg {
	var out []common.PaymentSettledMsg
	for _, m := range r.out {
		if s, ok := m.(common.PaymentSettledMsg); ok {
			out = append(out, s)
		}
	}
	return out
}

var lunch = api.PendingPayment{Kind: api.KindTransfer, AccountID: 4711, E2EID: "KONTO-LUNCH", Recipient: "Karl Brenner",
	IBAN: "DE89370400440532013000", Amount: 1250, SentAt: uitest.Now}

func booked(p api.PendingPayment, at time.Time) api.Transaction {
	return api.Transaction{ID: 1, Amount: -p.Amount, Name: api.Ptr(p.Recipient), IBAN: api.Ptr(p.IBAN), E2EID: api.Ptr(p.E2EID),
		BookingDate: api.TxTime{Time: at}}
}

// A payment handed over is kept, checked at once, checked again later, and
// settled as booked when its end-to-end id shows up: a notice, the refresh
// (with the IBAN, for an own account's credit), and it leaves the kept list.
func TestTrackedUntilBooked(t *testing.T) {
	store := &memStore{}
	r := newRig(t, store)
	r.send(common.TrackPaymentMsg{Payment: lunch})
	if got := r.tr.Unresolved(); len(got) != 1 || got[0].E2EID != "KONTO-LUNCH" {
		t.Fatalf("unresolved %+v", got)
	}
	if got := store.list(); len(got) != 1 {
		t.Fatalf("kept %+v", got)
	}
	if n := r.pay.Count("TransactionsPage"); n != 1 {
		t.Fatalf("%d checks at once, want 1", n)
	}
	r.send(common.TrackPaymentMsg{Payment: lunch}) // a second hand-over changes nothing
	if len(r.tr.Unresolved()) != 1 || store.writes != 1 {
		t.Fatalf("handed over twice: %d unresolved, %d writes", len(r.tr.Unresolved()), store.writes)
	}

	r.now = r.now.Add(2 * time.Second)
	r.pay.Set([]api.Transaction{booked(lunch, r.now)}, nil, nil)
	r.due(lunch.E2EID)
	if len(r.tr.Unresolved()) != 0 || len(store.list()) != 0 {
		t.Fatalf("still pending after the booking arrived: %+v / %+v", r.tr.Unresolved(), store.list())
	}
	if n := r.notices(); len(n) != 1 || n[0] != "the bank booked 12,50 € to Karl Brenner" {
		t.Errorf("notices %q", n)
	}
	if s := r.settled(); len(s) != 1 || s[0].Verdict != api.Booked {
		t.Errorf("settled %+v", s)
	}
	refreshed := false
	for _, m := range r.out {
		if p, ok := m.(common.PaymentsChangedMsg); ok && p.AccountID == 4711 && p.IBAN == lunch.IBAN {
			refreshed = true
		}
	}
	if !refreshed {
		t.Error("no refresh after the booking")
	}
	r.due(lunch.E2EID) // a timer of a settled payment does nothing
	if n := r.pay.Count("TransactionsPage"); n != 2 {
		t.Errorf("%d checks, want 2", n)
	}
}

// With nothing booked, the payment stays pending for the whole window and
// is then settled as not booked, with a notice that it may be sent again. A
// read that fails meanwhile settles nothing, not even after the window.
func TestNotBookedAfterTheWindow(t *testing.T) {
	r := newRig(t, nil)
	r.send(common.TrackPaymentMsg{Payment: lunch})
	r.now = r.now.Add(29 * time.Minute)
	r.due(lunch.E2EID)
	if len(r.tr.Unresolved()) != 1 {
		t.Fatal("settled within the window")
	}
	r.now = r.now.Add(2 * time.Minute)
	r.pay.ReadErrs = []error{errors.New("connection refused")}
	r.due(lunch.E2EID)
	if len(r.tr.Unresolved()) != 1 || r.tr.LastError(lunch.E2EID) == "" {
		t.Fatalf("a failed read settled it (unresolved %d, error %q)", len(r.tr.Unresolved()), r.tr.LastError(lunch.E2EID))
	}
	r.due(lunch.E2EID)
	if len(r.tr.Unresolved()) != 0 {
		t.Fatal("still pending after the window")
	}
	n := r.notices()
	if len(n) != 1 || n[0] != "not booked: 12,50 € to Karl Brenner; safe to send again" {
		t.Errorf("notices %q", n)
	}
	if s := r.settled(); len(s) != 1 || s[0].Verdict != api.NotBooked {
		t.Errorf("settled %+v", s)
	}
}

// A restart resumes: the payments kept by an earlier run are read at the
// start, shown, and checked.
func TestResumedAfterRestart(t *testing.T) {
	store := &memStore{}
	first := newRig(t, store)
	first.send(common.TrackPaymentMsg{Payment: lunch})

	second := newRig(t, store) // konto started again on the same cache
	if got := second.tr.Unresolved(); len(got) != 1 || got[0] != lunch {
		t.Fatalf("after a restart: %+v", got)
	}
	if n := second.pay.Count("TransactionsPage"); n != 1 {
		t.Errorf("%d checks after the restart, want 1 at once", n)
	}
	second.now = second.now.Add(time.Minute)
	second.pay.Set([]api.Transaction{booked(lunch, second.now)}, nil, nil)
	second.due(lunch.E2EID)
	if len(store.list()) != 0 || len(second.tr.Unresolved()) != 0 {
		t.Error("the resumed payment was not settled")
	}
}

// The slow bank of the issue: the client gave up before the bank answered,
// and the bank booked the transfer 2–3 s later. The immediate check finds
// nothing, so the payment is pending check, and a new transfer to the same
// IBAN and amount ("pay again") is refused meanwhile; the next check finds
// the booking, and the same transfer may then be sent (as a new payment).
func TestSlowBankIsPendingThenBooked(t *testing.T) {
	r := newRig(t, nil)
	env := common.PaymentEnv{Payments: r.pay}
	account := api.Account{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500}
	drive := func(f *form.Flow, keys ...string) {
		update := func(msg tea.Msg) tea.Cmd { _, cmd := f.Update(msg); return cmd }
		var msgs []tea.Msg
		for _, k := range keys {
			if len(k) > 1 && k != "enter" && k != "ctrl+s" && k != "ctrl+o" {
				msgs = append(msgs, uitest.Type(k)...)
			} else {
				msgs = append(msgs, uitest.Key(k))
			}
		}
		for _, m := range uitest.Drive(update, msgs...) {
			r.send(m)
		}
	}
	newForm := func() *form.Flow {
		f := transfer.NewWith(r.c, env, account, nil, transfer.Prefill{Recipient: "Karl Brenner", IBAN: "DE89370400440532013000", Amount: "12,50"})
		f.SetSize(100, 36)
		return f
	}

	r.pay.ConfirmErrs = []error{uitest.Unknown()} // the client gave up waiting
	first := newForm()
	drive(first, "ctrl+s")
	drive(first, "enter")
	drive(first, uitest.TAN)
	drive(first, "enter")
	pending := r.tr.Unresolved()
	if len(pending) != 1 || pending[0].E2EID != api.Str(r.pay.Transfers[0].E2EID) {
		t.Fatalf("not pending check after the client gave up: %+v", pending)
	}

	twin := newForm()
	drive(twin, "ctrl+s")
	drive(twin, "enter")
	if r.pay.Count("CreateTransfer") != 1 || !strings.Contains(twin.View(), "still being checked") {
		t.Fatalf("the twin was sent while the first was pending check:\n%s", twin.View())
	}

	// 2–3 s later the bank has booked it: the next check finds it.
	r.now = r.now.Add(2500 * time.Millisecond)
	r.pay.Set([]api.Transaction{booked(pending[0], r.now)}, nil, nil)
	r.due(pending[0].E2EID)
	if len(r.tr.Unresolved()) != 0 {
		t.Fatal("the booking was not found")
	}
	if n := r.notices(); len(n) == 0 || n[len(n)-1] != "the bank booked 12,50 € to Karl Brenner" {
		t.Errorf("notices %q", n)
	}
	drive(twin, "enter")
	if r.pay.Count("CreateTransfer") != 2 {
		t.Errorf("once settled, the second transfer is still refused:\n%s", twin.View())
	}
	if a, b := api.Str(r.pay.Transfers[0].E2EID), api.Str(r.pay.Transfers[1].E2EID); a == b {
		t.Errorf("both transfers carry %q", a)
	}
}
