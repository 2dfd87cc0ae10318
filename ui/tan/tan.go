// Package tan is the TAN dialog every payment kind shares: it takes the
// digits of the TAN the bank texted, shows what is being confirmed and how
// long the TAN stays valid, sends the confirmation exactly once per try, and
// tells the truth when the outcome of a confirmation is unknown: it never
// resends; a payment is handed to the background check (ui/pending), which
// looks for its end-to-end id at the bank until it is booked or not, and
// an order change is checked in the order list.
package tan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/keys"
)

// Lifetime is how long a TAN is valid after the bank sent it.
const Lifetime = 5 * time.Minute

// DefaultLength is the TAN length when the bank does not say.
const DefaultLength = 6

// smsPollInterval is how often the sandbox outbox is read in demo mode.
const smsPollInterval = 500 * time.Millisecond

// Request is what the dialog confirms. Confirm and Check run inside Cmds,
// never on the UI goroutine, and must only use values captured when the
// request was built.
type Request struct {
	// ID is the bank's request id (the SMS's requestId).
	ID        string
	AccountID int64
	// What names the payment in sentences: "transfer", "standing order".
	What string
	// Summary describes what is being confirmed, one line each.
	Summary []string
	// Length is the number of TAN digits (meta.authorizationTokenLength);
	// 0 means DefaultLength.
	Length int
	// Created is when the bank sent the TAN; it expires Lifetime later.
	Created time.Time
	// Confirm sends the TAN and returns the notice to show on success.
	Confirm func(ctx context.Context, tan string) (notice string, err error)
	// Track is the payment a confirm with an unknown outcome leaves to the
	// background check (SentAt is filled in when the TAN is sent). Set for
	// everything that moves money (a transfer, a new order); then Check is
	// not used.
	Track *api.PendingPayment
	// Check looks for the effect of a confirm whose outcome is unknown
	// (changes and cancellations of orders, found by the order's id). Nil
	// means it cannot be checked.
	Check func(ctx context.Context) (done bool, err error)
}

// State is where the dialog is.
type State int

const (
	Entering         State = iota // typing the TAN
	Confirming                    // a confirm is on its way: keys do nothing
	Confirmed                     // the bank accepted
	Checking                      // the outcome is unknown: looking at the bank
	CheckedDone                   // checked: the bank did carry it out
	CheckedNone                   // checked: no trace of it
	Dead                          // voided or expired: start over
	Aborted                       // esc before confirming
	Tracking                      // the outcome is unknown: the background check has it
	TrackedBooked                 // … and found it booked while the dialog was open
	TrackedNotBooked              // … and found it not booked after the window
)

// Outcome is how a dialog ended, as FinishedMsg reports it.
type Outcome int

const (
	// OutcomeConfirmed: the bank carried it out (confirmed, or found when
	// checking an unknown outcome).
	OutcomeConfirmed Outcome = iota
	// OutcomeAborted: the user left before confirming; nothing was done.
	OutcomeAborted
	// OutcomeStartOver: the request was voided or expired and the user
	// wants to try again with the form kept.
	OutcomeStartOver
	// OutcomeUnknown: the outcome stayed unknown (no trace found yet, or it
	// could not be checked) and the user closed the dialog.
	OutcomeUnknown
)

// FinishedMsg tells whoever opened the dialog how it ended. Notice is empty
// when there is nothing to add to what the status line says already.
type FinishedMsg struct {
	Dialog  *Model
	Outcome Outcome
	Notice  string
}

// Internal messages carry the dialog they belong to, so an answer for a
// closed dialog is never taken for an open one's.
type (
	confirmedMsg struct {
		dialog *Model
		notice string
		err    error
	}
	checkedMsg struct {
		dialog *Model
		done   bool
		err    error
	}
	tickMsg struct{ dialog *Model }
	smsMsg  struct {
		dialog *Model
		sms    []api.SMS
		err    error
	}
	smsPollMsg struct{ dialog *Model }
)

// Model is the TAN dialog. It implements common.Modal.
type Model struct {
	c       *common.Common
	env     common.PaymentEnv
	req     Request
	digits  []byte
	state   State
	sending bool   // the double-submit guard: a confirm is (or was) on its way
	message string // the last problem or news, shown in the dialog
	notice  string // the success notice from Confirm
	sentAt  time.Time
	sms     string // the sandbox SMS's TAN, once seen
	closed  bool   // FinishedMsg sent: timers stop
	width   int
	height  int
	keys    keys.TANKeys

	// loginNeeded: the last confirm failed for want of a login; message
	// says so until the login dialog went through (SessionRenewedMsg).
	loginNeeded bool
}

// New returns a dialog for req. Call Init for its timers.
func New(c *common.Common, env common.PaymentEnv, req Request) *Model {
	if req.Length <= 0 {
		req.Length = DefaultLength
	}
	if req.Created.IsZero() {
		req.Created = c.Now()
	}
	return &Model{c: c, env: env, req: req, keys: c.Keys.TAN, width: 60, height: 16}
}

// Init starts the countdown and, in demo mode, reading the sandbox SMS.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.tick()}
	if m.env.Demo && m.env.Payments != nil {
		cmds = append(cmds, m.readSMS())
	}
	return tea.Batch(cmds...)
}

// State is where the dialog is.
func (m *Model) State() State { return m.state }

// Request is what the dialog confirms.
func (m *Model) Request() Request { return m.req }

// InFlight reports a confirm on its way or an outcome being checked: the
// moment quitting would leave the user not knowing whether they paid.
func (m *Model) InFlight() bool { return m.state == Confirming || m.state == Checking }

// TAN is what has been typed so far.
func (m *Model) TAN() string { return string(m.digits) }

// Message is the problem or news the dialog shows ("" if none).
func (m *Model) Message() string { return m.message }

// SMS is the TAN read from the sandbox outbox ("" until seen).
func (m *Model) SMS() string { return m.sms }

// Remaining is the time left before the TAN expires.
func (m *Model) Remaining() time.Duration {
	return max(m.req.Created.Add(Lifetime).Sub(m.c.Now()), 0)
}

func (m *Model) tick() tea.Cmd {
	return common.Tick(m.c.Ctx, time.Second, func(time.Time) tea.Msg { return tickMsg{dialog: m} })
}

func (m *Model) readSMS() tea.Cmd {
	pay, ctx := m.env.Payments, m.c.Ctx
	return func() tea.Msg {
		sms, err := pay.SandboxSMS(ctx)
		return smsMsg{dialog: m, sms: sms, err: err}
	}
}

func (m *Model) finish(o Outcome, notice string) tea.Cmd {
	m.closed = true
	return func() tea.Msg { return FinishedMsg{Dialog: m, Outcome: o, Notice: notice} }
}

// Update handles keys and the dialog's own messages.
func (m *Model) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m, m.updateKey(msg)
	case common.SessionRenewedMsg:
		if m.loginNeeded && m.state == Entering {
			m.loginNeeded = false
			m.message = "logged in again: press enter to send the TAN"
		}
		return m, nil
	case tea.PasteMsg:
		if m.state == Entering {
			m.typeDigits(msg.Content)
		}
	case tickMsg:
		if msg.dialog != m || m.closed {
			return m, nil
		}
		if m.state == Entering && m.Remaining() <= 0 {
			m.state, m.message, m.digits = Dead, "the TAN has expired", nil
		}
		if m.state == Dead || m.state == CheckedDone || m.state == CheckedNone || m.state >= Tracking {
			return m, nil // nothing left to count down
		}
		return m, m.tick()
	case smsMsg:
		if msg.dialog != m || m.closed {
			return m, nil
		}
		for i := len(msg.sms) - 1; msg.err == nil && i >= 0; i-- {
			if msg.sms[i].RequestID == m.req.ID {
				m.sms = msg.sms[i].TAN
				return m, nil // found: no more polling
			}
		}
		return m, common.Tick(m.c.Ctx, smsPollInterval, func(time.Time) tea.Msg { return smsPollMsg{dialog: m} })
	case smsPollMsg:
		if msg.dialog != m || m.closed {
			return m, nil
		}
		return m, m.readSMS()
	case confirmedMsg:
		if msg.dialog != m {
			return m, nil
		}
		return m, m.confirmed(msg)
	case checkedMsg:
		if msg.dialog != m {
			return m, nil
		}
		return m, m.checked(msg)
	case common.PaymentSettledMsg:
		if m.state != Tracking || m.req.Track == nil || msg.Payment.E2EID != m.req.Track.E2EID {
			return m, nil
		}
		if msg.Verdict == api.Booked {
			done := "booked"
			switch m.req.Track.Kind {
			case api.KindStandingOrder:
				done = "set up"
			case api.KindTimedOrder:
				done = "scheduled"
			}
			m.state, m.message = TrackedBooked, "checked: the bank "+done+" the "+m.what()+"."
		} else {
			m.state, m.message = TrackedNotBooked, "checked: the bank did not book the "+m.what()+" within "+
				minutes(m.c.CheckWindow())+": it was not made, and you can send it again."
		}
	}
	return m, nil
}

// whyUnknown says in a few words why a confirm's outcome is unknown.
func whyUnknown(err error) string {
	switch {
	case errors.Is(err, api.ErrBadAnswer), errors.Is(err, api.ErrAnswerTooLarge):
		return "its answer could not be read"
	case errors.Is(err, api.ErrServer):
		return "it answered with a server error"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	}
	return "the connection failed"
}

// minutes writes a window as "30 minutes".
func minutes(d time.Duration) string {
	if d < time.Minute {
		return d.String()
	}
	n := int(d / time.Minute)
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

func (m *Model) updateKey(k tea.KeyPressMsg) tea.Cmd {
	switch m.state {
	case Entering:
		switch {
		case key.Matches(k, m.keys.Confirm):
			return m.confirm()
		case key.Matches(k, m.keys.Abort):
			m.state = Aborted
			return m.finish(OutcomeAborted, "not confirmed: the "+m.what()+" was not made")
		case key.Matches(k, m.keys.Delete):
			if len(m.digits) > 0 {
				m.digits = m.digits[:len(m.digits)-1]
			}
		case key.Matches(k, m.keys.Clear):
			m.digits = nil
		default:
			m.typeDigits(k.Text)
		}
	case Dead:
		switch {
		case key.Matches(k, m.keys.StartOver):
			return m.finish(OutcomeStartOver, "")
		case key.Matches(k, m.keys.Abort):
			return m.finish(OutcomeAborted, "the "+m.what()+" was not made")
		}
	case CheckedDone:
		if key.Matches(k, m.keys.Close, m.keys.Abort) {
			return m.finish(OutcomeConfirmed, "the outcome was unknown: the bank has carried out the "+m.what())
		}
	case CheckedNone:
		switch {
		case key.Matches(k, m.keys.CheckAgain) && m.req.Check != nil:
			return m.check()
		case key.Matches(k, m.keys.Close, m.keys.Abort):
			return m.finish(OutcomeUnknown, "the outcome of the "+m.what()+" is unknown: check the account before trying again")
		}
	case Tracking:
		if key.Matches(k, m.keys.Close, m.keys.Abort) {
			return m.finish(OutcomeUnknown, "the "+m.what()+" is pending check")
		}
	case TrackedBooked, TrackedNotBooked:
		// The check's own notice ("the bank booked 12,50 € to …") is on
		// the status line already.
		if key.Matches(k, m.keys.Close, m.keys.Abort) {
			o := OutcomeConfirmed
			if m.state == TrackedNotBooked {
				o = OutcomeAborted
			}
			return m.finish(o, "")
		}
	}
	// Confirming, Checking, Confirmed: nothing a key may change.
	return nil
}

// typeDigits appends the digits of s up to the TAN's length; anything else
// is ignored.
func (m *Model) typeDigits(s string) {
	for _, r := range s {
		if r >= '0' && r <= '9' && len(m.digits) < m.req.Length {
			m.digits = append(m.digits, byte(r))
		}
	}
}

// confirm sends the TAN once: while a confirm is on its way, or after one
// whose outcome is unknown, nothing is sent.
func (m *Model) confirm() tea.Cmd {
	if m.sending {
		return nil
	}
	if len(m.digits) != m.req.Length {
		m.message = fmt.Sprintf("enter all %d digits of the TAN", m.req.Length)
		return nil
	}
	if m.Remaining() <= 0 {
		m.state, m.message = Dead, "the TAN has expired"
		return nil
	}
	m.sending, m.state, m.message, m.loginNeeded = true, Confirming, "", false
	m.sentAt = m.c.Now()
	tan, confirm, ctx := string(m.digits), m.req.Confirm, m.c.Ctx
	return func() tea.Msg {
		notice, err := confirm(ctx, tan)
		return confirmedMsg{dialog: m, notice: notice, err: err}
	}
}

func (m *Model) confirmed(msg confirmedMsg) tea.Cmd {
	err := msg.err
	refresh := common.PaymentsChanged(m.req.AccountID)
	if m.req.Track != nil {
		refresh = common.PaymentsChangedTo(m.req.AccountID, m.req.Track.IBAN)
	}
	switch {
	case err == nil:
		m.state, m.notice = Confirmed, msg.notice
		return tea.Batch(refresh, m.finish(OutcomeConfirmed, msg.notice))
	case errors.Is(err, api.ErrInvalidTAN):
		m.sending, m.state, m.digits = false, Entering, nil
		m.message = common.ErrorText(err)
	case errors.Is(err, api.ErrVoided), errors.Is(err, api.ErrExpired):
		m.state, m.digits = Dead, nil
		m.message = common.ErrorText(err)
	case api.MayHaveActed(err) && m.req.Track != nil:
		// The TAN is spent on this payment whatever happened: the dialog
		// never offers to send it again, and the background check settles
		// it by its end-to-end id.
		p := *m.req.Track
		p.SentAt, p.UnknownSince = m.sentAt, m.c.Now()
		m.state = Tracking
		m.message = "the bank did not confirm the " + m.what() + ": " + whyUnknown(err) + ". Whether it was made is not known yet: " +
			"konto checks the bank in the background (\"pending check\") and tells you when it is booked or not. Do not send it again meanwhile."
		return tea.Batch(refresh, common.TrackPayment(p))
	case api.MayHaveActed(err):
		m.state = Checking
		m.message = "the outcome is unknown — checking the bank…"
		return tea.Batch(refresh, m.check())
	default:
		// The bank answered and refused (insufficient funds, a conflict…):
		// nothing was done. The TAN may be sent again.
		m.sending, m.state = false, Entering
		m.message = common.ErrorText(err)
		m.loginNeeded = errors.Is(err, api.ErrLoginNeeded)
	}
	return nil
}

func (m *Model) check() tea.Cmd {
	m.state = Checking
	if m.req.Check == nil {
		m.state = CheckedNone
		m.message = "the outcome is unknown and cannot be checked here: look at the account before trying again"
		return nil
	}
	check, ctx := m.req.Check, m.c.Ctx
	return func() tea.Msg {
		done, err := check(ctx)
		return checkedMsg{dialog: m, done: done, err: err}
	}
}

func (m *Model) checked(msg checkedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.state = CheckedNone
		m.message = "the outcome is unknown, and checking failed (" + common.ErrorText(msg.err) + "): press c to check again"
	case msg.done:
		m.state = CheckedDone
		m.message = "the outcome was unknown — checked: the bank has carried out the " + m.what()
		return common.PaymentsChanged(m.req.AccountID)
	default:
		m.state = CheckedNone
		m.message = "the outcome was unknown — checked: no trace of the " + m.what() + " at the bank yet. Press c to check again; do not send it again before you are sure"
	}
	return nil
}

func (m *Model) what() string {
	if m.req.What == "" {
		return "payment"
	}
	return m.req.What
}

// SetSize gives the largest box the dialog may draw.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// View draws the dialog.
func (m *Model) View() string {
	st := m.c.Styles
	w := min(m.width, 70)
	inner := w - 4
	lines := []string{""}
	// What is being confirmed is never cut off: long names wrap.
	for _, s := range m.req.Summary {
		for _, part := range strings.Split(ansi.Wrap(common.Sanitize(s), inner, ""), "\n") {
			lines = append(lines, " "+part)
		}
	}
	lines = append(lines, "")
	lines = append(lines, " "+st.Label.Render("TAN")+"  "+m.boxes())
	rem := m.Remaining()
	switch m.state {
	case Entering, Confirming:
		exp := fmt.Sprintf("expires in %d:%02d", int(rem.Minutes()), int(rem.Seconds())%60)
		if rem < time.Minute {
			exp = st.Warning.Render(exp)
		} else {
			exp = st.Muted.Render(exp)
		}
		lines = append(lines, " "+exp)
	default:
		lines = append(lines, "")
	}
	if m.state == Confirming {
		lines = append(lines, " "+st.Muted.Render("confirming with the bank…"))
	}
	if m.message != "" {
		style := st.Error
		switch m.state {
		case Checking, CheckedNone, Tracking, TrackedNotBooked:
			style = st.Warning
		case CheckedDone, TrackedBooked:
			style = st.Credit
		}
		for _, l := range common.WrapWords(m.message, inner) {
			lines = append(lines, " "+style.Render(l))
		}
	}
	if m.sms != "" && (m.state == Entering || m.state == Confirming) {
		lines = append(lines, "", " "+st.Warning.Render("✉ sandbox SMS: your TAN is "+m.sms), " "+st.Muted.Render("  (demo bank only: a real bank texts your phone)"))
	}
	lines = append(lines, "", " "+st.Muted.Render(m.hint()))
	h := min(len(lines)+2, max(m.height, 6))
	return common.Box(st, "Confirm with TAN", lines, w, h, true)
}

func (m *Model) hint() string {
	switch m.state {
	case Entering:
		return "type the TAN · enter confirm · esc abort"
	case Confirming, Checking:
		return "waiting for the bank…"
	case Dead:
		return "enter start over (the form is kept) · esc close"
	case CheckedDone:
		return "enter close"
	case CheckedNone:
		return "c check again · esc close"
	case Tracking:
		return "enter close (the check goes on)"
	case TrackedBooked, TrackedNotBooked:
		return "enter close"
	}
	return ""
}

// boxes draws the typed digits and the places left: "1 2 3 _ _ _".
func (m *Model) boxes() string {
	st := m.c.Styles
	parts := make([]string, m.req.Length)
	for i := range parts {
		if i < len(m.digits) {
			parts[i] = st.Accent.Render(string(m.digits[i]))
		} else {
			parts[i] = st.Muted.Render("_")
		}
	}
	return strings.Join(parts, " ")
}

// KeyMap is the dialog's help for its current state.
func (m *Model) KeyMap() help.KeyMap { return stateKeys{m} }

type stateKeys struct{ m *Model }

func (s stateKeys) ShortHelp() []key.Binding {
	k := s.m.keys
	switch s.m.state {
	case Entering:
		return []key.Binding{k.Confirm, k.Delete, k.Abort}
	case Dead:
		return []key.Binding{k.StartOver, keys.Named(k.Abort, "close")}
	case CheckedDone, TrackedBooked, TrackedNotBooked:
		return []key.Binding{k.Close}
	case Tracking:
		return []key.Binding{keys.Named(k.Close, "close (the check goes on)")}
	case CheckedNone:
		return []key.Binding{k.CheckAgain, keys.Named(k.Abort, "close")}
	}
	return nil
}

func (s stateKeys) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
