// Package pending settles the payments whose outcome is unknown: a
// confirmation whose connection failed, whose answer never came in time or
// could not be read. Each is kept (in the profile's cache when there is one,
// so a restart resumes) and checked again in the background with backoff,
// by its end-to-end id in the bank's own lists (api.CheckPayment), until it
// is booked or the check window has passed without it. The tracker only
// reads: it never sends a payment again. Everything that takes time runs in
// tea.Cmds; the root routes the messages here and shows Unresolved.
package pending

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sepa"
	"konto/ui/common"
)

// refreshEvery is how often the kept list is read again, so payments another
// session of the same profile made (konto serve) show here too.
const refreshEvery = 20 * time.Second

// checkTimeout bounds one check's reads.
const checkTimeout = time.Minute

// Messages of the tracker; each carries the tracker, so one of a previous
// login's tracker is never taken for this one's.
type (
	loadedMsg struct {
		t     *Tracker
		items []api.PendingPayment
		err   error
	}
	dueMsg struct {
		t     *Tracker
		e2eID string
	}
	checkedMsg struct {
		t       *Tracker
		e2eID   string
		verdict api.Verdict
		err     error
	}
	refreshMsg struct{ t *Tracker }
	savedMsg   struct{}
)

// Tracker keeps the unresolved payments of one dashboard and checks them.
// It implements common.PendingPayments.
type Tracker struct {
	c        *common.Common
	store    common.PendingStore
	items    []api.PendingPayment // unresolved, oldest first
	checking map[string]bool      // e2eId → a check on its way
	version  int                  // bumped whenever items change
	lastErr  map[string]string    // e2eId → why the last check could not read the bank
}

// New returns the tracker of c (and makes it c.Pending).
func New(c *common.Common) *Tracker {
	t := &Tracker{c: c, store: c.PendingStore, checking: map[string]bool{}, lastErr: map[string]string{}}
	c.Pending = t
	return t
}

// Unresolved is every payment not settled yet, oldest first.
func (t *Tracker) Unresolved() []api.PendingPayment { return slices.Clone(t.items) }

// Version changes whenever Unresolved does.
func (t *Tracker) Version() int { return t.version }

// Init reads the payments kept from an earlier run and checks them.
func (t *Tracker) Init() tea.Cmd {
	if t.store == nil {
		return nil
	}
	return tea.Batch(t.load(), t.scheduleRefresh())
}

func (t *Tracker) load() tea.Cmd {
	store := t.store
	return func() tea.Msg {
		items, err := store.LoadPendingPayments()
		return loadedMsg{t: t, items: items, err: err}
	}
}

func (t *Tracker) scheduleRefresh() tea.Cmd {
	return common.Tick(t.c.Ctx, refreshEvery, func(time.Time) tea.Msg { return refreshMsg{t: t} })
}

// Update handles a new payment to track and the tracker's own messages.
func (t *Tracker) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.TrackPaymentMsg:
		p := msg.Payment
		if p.E2EID == "" || t.index(p.E2EID) >= 0 {
			return nil
		}
		t.add(p)
		return tea.Batch(t.save(func(cur []api.PendingPayment) []api.PendingPayment {
			if slices.ContainsFunc(cur, func(q api.PendingPayment) bool { return q.E2EID == p.E2EID }) {
				return cur
			}
			return append(cur, p)
		}), t.check(p.E2EID))
	case loadedMsg:
		if msg.t != t || msg.err != nil {
			return nil
		}
		var cmds []tea.Cmd
		for _, p := range msg.items {
			if p.E2EID != "" && t.index(p.E2EID) < 0 {
				t.add(p)
				cmds = append(cmds, t.check(p.E2EID))
			}
		}
		return tea.Batch(cmds...)
	case refreshMsg:
		if msg.t != t {
			return nil
		}
		return tea.Batch(t.load(), t.scheduleRefresh())
	case dueMsg:
		if msg.t != t {
			return nil
		}
		return t.check(msg.e2eID)
	case checkedMsg:
		if msg.t != t {
			return nil
		}
		return t.checked(msg)
	}
	return nil
}

func (t *Tracker) index(e2eID string) int {
	return slices.IndexFunc(t.items, func(p api.PendingPayment) bool { return p.E2EID == e2eID })
}

func (t *Tracker) add(p api.PendingPayment) {
	t.items = append(t.items, p)
	slices.SortStableFunc(t.items, func(a, b api.PendingPayment) int { return a.SentAt.Compare(b.SentAt) })
	t.version++
}

func (t *Tracker) remove(e2eID string) {
	if i := t.index(e2eID); i >= 0 {
		t.items = slices.Delete(t.items, i, i+1)
		t.version++
	}
	delete(t.lastErr, e2eID)
}

// save changes the kept list (a Cmd: the cache is a file).
func (t *Tracker) save(fn func([]api.PendingPayment) []api.PendingPayment) tea.Cmd {
	if t.store == nil {
		return nil
	}
	store := t.store
	return func() tea.Msg {
		_, _ = store.UpdatePendingPayments(fn) // without the cache the check goes on in memory
		return savedMsg{}
	}
}

// check reads the bank's lists for the payment with e2eID, once at a time.
func (t *Tracker) check(e2eID string) tea.Cmd {
	i := t.index(e2eID)
	if i < 0 || t.checking[e2eID] || t.c.Payments == nil {
		return nil
	}
	t.checking[e2eID] = true
	p, reader, ctx, now, window := t.items[i], api.OutcomeReader(t.c.Payments), t.c.Ctx, t.c.Now, t.c.CheckWindow()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		v, err := api.CheckPayment(ctx, reader, p, now(), window)
		return checkedMsg{t: t, e2eID: e2eID, verdict: v, err: err}
	}
}

func (t *Tracker) checked(msg checkedMsg) tea.Cmd {
	t.checking[msg.e2eID] = false
	i := t.index(msg.e2eID)
	if i < 0 {
		return nil
	}
	p := t.items[i]
	if msg.verdict == api.StillUnknown {
		if msg.err != nil {
			t.lastErr[p.E2EID] = common.ErrorText(msg.err)
		} else {
			delete(t.lastErr, p.E2EID)
		}
		wait := api.NextCheckDelay(p.CheckAge(t.c.Now()))
		return common.Tick(t.c.Ctx, wait, func(time.Time) tea.Msg { return dueMsg{t: t, e2eID: p.E2EID} })
	}
	t.remove(p.E2EID)
	level := common.NoticeInfo
	if msg.verdict == api.NotBooked {
		level = common.NoticeWarning
	}
	settled := common.PaymentSettledMsg{Payment: p, Verdict: msg.verdict}
	return tea.Batch(
		t.save(func(cur []api.PendingPayment) []api.PendingPayment {
			return slices.DeleteFunc(cur, func(q api.PendingPayment) bool { return q.E2EID == p.E2EID })
		}),
		func() tea.Msg { return settled },
		common.Notice(level, SettledNotice(p, msg.verdict)),
		common.PaymentsChangedTo(p.AccountID, p.IBAN),
	)
}

// LastError is why the last check of the payment with e2eID could not read
// the bank ("" when it could).
func (t *Tracker) LastError(e2eID string) string { return t.lastErr[e2eID] }

// Reset forgets every payment (another login's dashboard starts afresh)
// and reads the ones kept for the new owner.
func (t *Tracker) Reset() tea.Cmd {
	t.items, t.checking, t.lastErr = nil, map[string]bool{}, map[string]string{}
	t.version++
	if t.store == nil {
		return nil
	}
	return t.load()
}

// What names a payment in a sentence: "12,50 € to Karl Brenner", "the
// standing order of 120,12 € monthly to John Smith".
func What(p api.PendingPayment) string {
	money := sepa.FormatEuro(p.Amount) + " to " + p.Recipient
	switch p.Kind {
	case api.KindStandingOrder:
		return "the standing order of " + money
	case api.KindTimedOrder:
		return "the timed order of " + money
	}
	return money
}

// SettledNotice is the status line's sentence for a settled payment, short
// enough for 80 columns: "the bank booked 12,50 € to Karl Brenner", "not
// booked: 12,50 € to Karl Brenner; safe to send again".
func SettledNotice(p api.PendingPayment, v api.Verdict) string {
	if v == api.Booked {
		switch p.Kind {
		case api.KindStandingOrder:
			return "the bank set up " + What(p)
		case api.KindTimedOrder:
			return "the bank scheduled " + What(p)
		}
		return "the bank booked " + What(p)
	}
	return "not booked: " + What(p) + "; safe to send again"
}
