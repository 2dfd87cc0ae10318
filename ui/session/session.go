// Package session is what keeps a signed-in dashboard going on top of an
// offline.Mirror: it polls for new money and announces it, notes what the
// token refresher learns of the bank, and opens the login dialog when the
// bank wants a new login. Everything that takes time runs in tea.Cmds; the
// root model forwards to a Controller.
package session

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/store"
	"konto/store/offline"
	"konto/ui/accounts"
	"konto/ui/common"
	"konto/ui/login"
)

// Polling.
const (
	// MaxPollInterval caps the backoff after failed polls.
	MaxPollInterval = 5 * time.Minute
	// DefaultPollInterval is used when Options leave it zero.
	DefaultPollInterval = time.Minute
)

// Options configure a Controller.
type Options struct {
	// PollInterval is how often to look for new bookings (DefaultPollInterval if zero).
	PollInterval time.Duration
	// Resync makes the first sync of every account a full one (--resync).
	Resync bool
	// Login, when set, lets the login dialog open when the bank refuses the session.
	Login login.Options
	// Notices are shown on the status line at start (where the session is
	// kept, a cache that could not be used…), one after the other.
	Notices []string
}

// Controller is the root model's common.SessionController.
type Controller struct {
	c    *common.Common
	bank *offline.Mirror
	opt  Options

	pollEvery  time.Duration // the current interval, backed off after failures
	pollSeq    int
	dialogOpen bool
	// changedOver: the dashboard was reset for another identity whose
	// accounts have not arrived yet; each poll asks for them again.
	changedOver bool
}

// pollMsg is the poll timer firing.
type pollMsg struct{ seq int }

// polledMsg answers a poll.
type polledMsg struct {
	found   []offline.NewBooking
	changed []int64
	err     error
	reload  bool // reload even when nothing changed
}

// NewMirror puts cache (nil for none) in front of remote, handing the list
// sanitised histories.
func NewMirror(remote offline.Remote, cache *store.Cache, now func() time.Time) *offline.Mirror {
	return offline.New(remote, cache, offline.Options{Now: now, Clean: common.SanitizeTransaction})
}

// New returns the controller for c, using bank (which c.Bank should be).
func New(c *common.Common, bank *offline.Mirror, opt Options) *Controller {
	if opt.PollInterval <= 0 {
		opt.PollInterval = DefaultPollInterval
	}
	if opt.Resync {
		bank.Resync()
	}
	s := &Controller{c: c, bank: bank, opt: opt, pollEvery: opt.PollInterval}
	if opt.Login.Login != nil {
		s.opt.Login.Login = wrapLogin(bank, opt.Login.Login)
	}
	return s
}

// wrapLogin makes the identity a login through the dialog went through for
// (the new refresh token's subject) the owner of what is shown and cached
// (offline.Mirror.SetOwner), before the dialog closes. Result.Switched says it is
// someone else than before: the controller then has the dashboard start
// afresh (common.SessionChangedMsg).
func wrapLogin(bank *offline.Mirror, inner login.Func) login.Func {
	return func(ctx context.Context, cred api.Credentials, keepInFile bool) (login.Result, error) {
		res, err := inner(ctx, cred, keepInFile)
		if err != nil {
			return res, err
		}
		switched, err := bank.SetOwner(api.TokenSubject(res.RefreshToken))
		if err != nil {
			res.Notice = joinNotice(res.Notice, "the offline cache could not be cleared of the previous login's data ("+
				common.ErrorText(err)+"): it was deleted and konto runs without it")
		}
		res.Switched = switched
		return res, nil
	}
}

func joinNotice(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// Init fetches the bank's account list once the cache has painted it, shows
// the start notices, and starts polling.
func (s *Controller) Init() tea.Cmd {
	cmds := []tea.Cmd{s.schedulePoll()}
	ctx := s.c.Ctx
	load := accounts.LoadAccounts(s.c)
	cmds = append(cmds, func() tea.Msg {
		// The root's first account request is answered by the cache; the
		// bank's list comes second, so it can never be painted over.
		if !s.bank.ServedCachedAccounts(ctx) {
			return nil
		}
		return load()
	})
	if n := strings.Join(s.opt.Notices, "; "); n != "" {
		cmds = append(cmds, common.Notice(common.NoticeWarning, n))
	}
	return tea.Batch(cmds...)
}

// Resync makes the next sync of every account a full one; the root reloads.
func (s *Controller) Resync() tea.Cmd {
	s.bank.Resync()
	return common.Notice(common.NoticeInfo, "full resync…")
}

// OfflineSince is when the bank stopped answering.
func (s *Controller) OfflineSince() time.Time { return s.bank.OfflineSince() }

// Stale reports that the screen shows the cache, not yet synced.
func (s *Controller) Stale() (bool, time.Time) { return s.bank.Stale() }

// Update handles token events, the login dialog's outcome and polling.
func (s *Controller) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.TokenEventMsg:
		s.bank.NoteTokenEvent(msg.Event)
		if msg.Event.Kind == api.LoginNeeded {
			return s.openDialog()
		}
	case login.SucceededMsg:
		s.dialogOpen = false
		if msg.Result.Login != "" {
			// The next dialog offers the login now in use, not the first one.
			s.opt.Login.Email = msg.Result.Login
		}
		if msg.Result.Switched {
			// Someone else: the dashboard starts afresh with their accounts
			// (and the error state if they cannot be loaded: nothing of the
			// previous login's stays); polls retry until they arrive.
			s.changedOver = true
			text := "logged in as " + common.Sanitize(strings.TrimSpace(msg.Result.Login)) + ": showing your accounts"
			if msg.Result.Notice != "" {
				text += "; " + msg.Result.Notice
			}
			return tea.Batch(common.Notice(common.NoticeInfo, text), common.SessionChanged)
		}
		text := "logged in again"
		if msg.Result.Notice != "" {
			text += ": " + msg.Result.Notice
		}
		// Poll at once rather than only reload: what was booked while the
		// session was gone (money in, a payment made elsewhere) is then
		// announced like any other new booking, and the reload follows.
		return tea.Batch(common.Notice(common.NoticeInfo, text), common.SessionRenewed, s.poll(true))
	case login.ClosedMsg:
		s.dialogOpen = false
		return common.Notice(common.NoticeWarning, "not logged in: showing the offline copy; the login comes back at the next poll")
	case pollMsg:
		if msg.seq != s.pollSeq {
			return nil
		}
		return s.poll(false)
	case polledMsg:
		return s.polled(msg)
	}
	return nil
}

func (s *Controller) openDialog() tea.Cmd {
	if s.dialogOpen || s.opt.Login.Login == nil {
		return nil
	}
	s.dialogOpen = true
	return common.OpenModal(login.NewDialog(s.c, s.opt.Login))
}

func (s *Controller) schedulePoll() tea.Cmd {
	s.pollSeq++
	seq := s.pollSeq
	return common.Tick(s.c.Ctx, s.pollEvery, func(time.Time) tea.Msg { return pollMsg{seq: seq} })
}

// poll looks for new bookings; reload asks for a reload whatever it finds
// (after a new login, when balances and orders may have moved too).
func (s *Controller) poll(reload bool) tea.Cmd {
	bank, ctx := s.bank, s.c.Ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		found, changed, err := bank.Poll(ctx)
		return polledMsg{found: found, changed: changed, err: err, reload: reload}
	}
}

func (s *Controller) polled(msg polledMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.err != nil {
		s.pollEvery = min(s.pollEvery*2, MaxPollInterval)
		if errors.Is(msg.err, api.ErrLoginNeeded) {
			cmds = append(cmds, s.openDialog())
		}
	} else {
		s.pollEvery = s.opt.PollInterval
	}
	cmds = append(cmds, s.schedulePoll())
	if s.changedOver && s.bank.AccountsArrived() {
		s.changedOver = false
	}
	switch {
	case msg.reload || s.changedOver || len(msg.changed) > 0 && s.bank.ResyncPending():
		cmds = append(cmds, common.Reload)
	case len(msg.changed) > 0:
		// The histories shown lack only what the poll found: that is all
		// they are handed (the root refreshes balances and orders).
		cmds = append(cmds, arrived(msg.changed, msg.found)...)
	}
	if text := MoneyNotice(msg.found); text != "" {
		cmds = append(cmds, common.Notice(common.NoticeInfo, text))
	}
	return tea.Batch(cmds...)
}

// arrived is one BookingsArrivedMsg per changed account, its bookings
// sanitised, newest first as the poll found them.
func arrived(changed []int64, found []offline.NewBooking) []tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(changed))
	for _, id := range changed {
		msg := common.BookingsArrivedMsg{AccountID: id}
		for _, n := range found {
			if n.AccountID == id {
				msg.Transactions = append(msg.Transactions, common.SanitizeTransaction(n.Transaction))
			}
		}
		cmds = append(cmds, func() tea.Msg { return msg })
	}
	return cmds
}

// PollInterval is the wait before the next poll (backed off after failures).
func (s *Controller) PollInterval() time.Duration { return s.pollEvery }

// MoneyNotice is the status line's sentence for new bookings, money in
// first: "+1.250,00 € from Karl Brenner", "−12,50 € to Rewe", several joined
// by " · ".
func MoneyNotice(found []offline.NewBooking) string {
	var in, out []string
	for _, n := range found {
		t := common.SanitizeTransaction(n.Transaction)
		part := common.Signed(t.Amount) + " €"
		name := strings.TrimSpace(api.Str(t.Name))
		switch {
		case name == "":
		case t.Amount >= 0:
			part += " from " + name
		default:
			part += " to " + name
		}
		if t.Amount >= 0 {
			in = append(in, part)
		} else {
			out = append(out, part)
		}
	}
	return strings.Join(append(in, out...), " · ")
}
