package form

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/api/sepa"
	"konto/store/forecast"
	"konto/ui/common"
	"konto/ui/keys"
	"konto/ui/tan"
)

// Line is one row of a review: a label and its value.
type Line struct{ Label, Value string }

// PaymentLines are the review's first lines for every payment kind: who gets
// how much, in digits and in words, and the note ("—" when there is none).
func PaymentLines(recipient, iban string, amount int64, note *string) []Line {
	n := api.Str(note)
	if n == "" {
		n = "—"
	}
	return []Line{
		{Label: "Recipient", Value: recipient},
		{Label: "IBAN", Value: sepa.FormatIBAN(iban)},
		{Label: "Amount", Value: sepa.FormatEuro(amount)},
		{Label: "In words", Value: sepa.AmountInWords(amount)},
		{Label: "Note", Value: n},
	}
}

// Submission is a checked payment ready to go: what the review shows and the
// request that creates it at the bank. Create runs in a Cmd and must only use
// values captured when the Submission was built; it returns the TAN request
// to confirm, or nil when the bank needs no TAN (the change is done).
type Submission struct {
	Review []Line
	// Warning is shown above the review (e.g. "leaves the account overdrawn").
	Warning string
	Create  func(ctx context.Context) (*tan.Request, string, error)
	// Payment is the money it moves (its kind, IBAN and amount; nil for a
	// change or cancellation): while a payment of the same kind to the same
	// IBAN and amount is pending check, the review refuses to send it
	// unless the user presses the SendAnyway key.
	Payment *api.PendingPayment
	// Lookahead is the payment as the forecast sees it (nil for a change
	// or cancellation): the review adds the lowest point with it, and
	// with Guard set what it resembles (ui/form/lookahead.go).
	Lookahead *forecast.Payment
	Guard     bool
}

// Spec describes one guided payment.
type Spec struct {
	// Title is the form's title ("New transfer from Main · DE89 …3000").
	Title string
	// ReviewTitle is the review's title; "Review" if empty.
	ReviewTitle string
	// Form is nil for a payment without input (a cancellation): the flow
	// opens on the review.
	Form *Form
	// Prepare builds the submission from the form's (valid) values.
	Prepare func() (Submission, error)
	// SubmitHelp names enter on the review ("send"), or y on the question.
	SubmitHelp string
	// Question, when set, turns the review into the question konto asks
	// before anything it cannot take back ("Cancel this standing order?"),
	// asked as every such question is (common.ConfirmKeys): y goes on, n or
	// esc keeps things as they are and says so (Kept), enter does nothing.
	Question string
	// Kept is the notice after n or esc on the question ("kept the
	// standing order to John Smith").
	Kept string
	// What names the payment in sentences ("transfer").
	What      string
	AccountID int64
	// FirstField is the field the cursor starts in (the first one by
	// default): the first one the user has to fill in.
	FirstField int
}

// Step is where a Flow is.
type Step int

const (
	Editing    Step = iota // the form
	Discarding             // "Discard what you typed?  y discard · n/esc keep editing"
	Reviewing              // the review
	Creating               // the create request is on its way
	Confirming             // the TAN dialog is open
)

// createdMsg answers the create request of flow.
type createdMsg struct {
	flow   *Flow
	req    *tan.Request
	notice string
	err    error
}

// Flow is a guided payment: form, review, the bank's TAN request, and the
// TAN dialog. It implements common.Modal and closes itself when done.
type Flow struct {
	c       *common.Common
	env     common.PaymentEnv
	spec    Spec
	step    Step
	sub     Submission
	errText string // why the last create failed, shown on the review
	// twinRefused is the end-to-end id of the pending twin enter was
	// refused for: its warning turns into an error.
	twinRefused string
	info        string // news shown above the form (e.g. after a voided TAN)
	tan         *tan.Model
	width       int
	height      int
	keys        flowKeys

	// loginNeeded: the last create failed for want of a login; the review
	// says so until the login dialog went through (SessionRenewedMsg).
	loginNeeded bool

	ahead aheadNote // the forecast's word on the reviewed payment
}

type flowKeys struct {
	Submit, Back, SendAnyway, PayAnyway key.Binding
	Discard                             common.ConfirmKeys // the question before dropping what was typed
	Question                            common.ConfirmKeys // the review as a question (Spec.Question)
}

// NewFlow returns a flow on spec; open it with common.OpenModal and call Init.
func NewFlow(c *common.Common, env common.PaymentEnv, spec Spec) *Flow {
	f := &Flow{c: c, env: env, spec: spec, width: 76, height: 24, keys: flowKeys{
		Submit:     keys.Named(c.Keys.Review.Submit, orDefault(spec.SubmitHelp, c.Keys.Review.Submit.Help().Desc)),
		Back:       c.Keys.Review.Back,
		SendAnyway: c.Keys.Payments.SendAnyway,
		PayAnyway:  c.Keys.Review.PayAnyway,
		Discard:    common.NewConfirmKeys(c.Keys.Dialog, "discard", "keep editing"),
		Question:   common.NewConfirmKeys(c.Keys.Dialog, orDefault(spec.SubmitHelp, "send"), "keep it"),
	}}
	if spec.Form != nil {
		spec.Form.SetKeys(c.Keys.Form)
		spec.Form.Text = c.Text
	}
	if spec.Form == nil {
		f.toReview()
	}
	if spec.ReviewTitle == "" {
		f.spec.ReviewTitle = "Review"
	}
	return f
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Init focuses the first field.
func (f *Flow) Init() tea.Cmd {
	if f.spec.Form != nil {
		return f.spec.Form.Focus(min(max(f.spec.FirstField, 0), len(f.spec.Form.Fields)-1))
	}
	return nil
}

// Step is where the flow is.
func (f *Flow) Step() Step { return f.step }

// Form is the flow's form (nil for cancellations).
func (f *Flow) Form() *Form { return f.spec.Form }

// TAN is the open TAN dialog, or nil.
func (f *Flow) TAN() *tan.Model { return f.tan }

// InFlight reports a request to the bank on its way (a create, a confirm,
// or the check of an unknown outcome).
func (f *Flow) InFlight() bool {
	return f.step == Creating || (f.step == Confirming && f.tan != nil && f.tan.InFlight())
}

// Error is the last create failure shown on the review ("" if none).
func (f *Flow) Error() string { return f.errText }

// Submission is what the review shows.
func (f *Flow) Submission() Submission { return f.sub }

func (f *Flow) toReview() tea.Cmd {
	sub, err := f.spec.Prepare()
	if err != nil && f.spec.Form != nil {
		f.errText = err.Error() // stay in the form, nothing typed is lost
		return nil
	}
	f.sub, f.step, f.info, f.errText = sub, Reviewing, "", ""
	f.ahead = f.lookahead(sub)
	if err != nil {
		f.errText = err.Error()
	}
	return nil
}

// Update handles keys and the flow's messages.
func (f *Flow) Update(msg tea.Msg) (common.Modal, tea.Cmd) {
	switch msg := msg.(type) {
	case createdMsg:
		if msg.flow != f {
			return f, nil
		}
		return f, f.created(msg)
	case tan.FinishedMsg:
		if f.tan == nil || msg.Dialog != f.tan {
			return f, nil
		}
		return f, f.finished(msg)
	case common.SessionRenewedMsg:
		if f.step != Confirming { // else the TAN dialog hears it
			if f.step == Reviewing && f.loginNeeded {
				f.loginNeeded = false
				f.errText = "logged in again: press enter to " + orDefault(f.spec.SubmitHelp, "send")
			}
			return f, nil
		}
	}
	if f.step == Confirming && f.tan != nil {
		_, cmd := f.tan.Update(msg)
		return f, cmd
	}
	k, isKey := msg.(tea.KeyPressMsg)
	switch f.step {
	case Editing:
		act, cmd := f.spec.Form.Update(msg)
		switch act {
		case Cancel:
			if f.spec.Form.Dirty() {
				f.step = Discarding
				return f, nil
			}
			return f, common.CloseModal
		case Review:
			ok, focus := f.spec.Form.Validate()
			if !ok {
				return f, focus
			}
			return f, f.toReview()
		}
		return f, cmd
	case Discarding:
		if !isKey {
			return f, nil
		}
		switch {
		case key.Matches(k, f.keys.Discard.Yes):
			return f, tea.Batch(common.CloseModal, common.Notice(common.NoticeInfo, "discarded: nothing was sent"))
		case key.Matches(k, f.keys.Discard.Keep):
			f.step = Editing
		}
		return f, nil
	case Reviewing:
		if !isKey {
			return f, nil
		}
		if f.spec.Question != "" {
			switch {
			case key.Matches(k, f.keys.Question.Yes):
				return f, f.create()
			case key.Matches(k, f.keys.Question.Keep):
				return f, f.keep()
			}
			return f, nil
		}
		twin, hasTwin := f.Twin()
		guarded := !hasTwin && f.ahead.guarded()
		switch {
		case key.Matches(k, f.keys.Submit) && hasTwin:
			f.twinRefused = twin.E2EID // the same words, now as a refusal
			return f, nil
		case key.Matches(k, f.keys.Submit) && guarded:
			f.ahead.refused = true // the same words, now as a refusal
			return f, nil
		case key.Matches(k, f.keys.Submit), key.Matches(k, f.keys.SendAnyway) && hasTwin,
			key.Matches(k, f.keys.PayAnyway) && guarded:
			return f, f.create()
		case key.Matches(k, f.keys.Back):
			if f.spec.Form == nil {
				return f, common.CloseModal
			}
			f.step, f.errText = Editing, ""
			return f, nil
		}
	}
	// Creating: keys do nothing until the bank answers.
	return f, nil
}

// keep answers no to the question: back to the form, or, with no form (a
// cancellation), closed, saying what was kept.
func (f *Flow) keep() tea.Cmd {
	if f.spec.Form != nil {
		f.step, f.errText = Editing, ""
		return nil
	}
	return tea.Batch(common.CloseModal, common.Notice(common.NoticeInfo, f.spec.Kept))
}

// goKey names the key that sends from the review: enter, or y on a question.
func (f *Flow) goKey() string {
	if f.spec.Question != "" {
		return f.keys.Question.Yes.Help().Key
	}
	return f.keys.Submit.Help().Key
}

// create sends the create request once; the step change is the guard.
func (f *Flow) create() tea.Cmd {
	if f.step != Reviewing || f.sub.Create == nil {
		return nil
	}
	if f.c.ReadOnly {
		// Payments were switched off (idle) while the review was open.
		f.errText = "payments were switched off: nothing was sent"
		if sw := f.c.Keys.Global.Payments; !f.c.PaymentsLocked && sw.Enabled() && len(sw.Keys()) > 0 {
			f.errText += "; esc, then " + sw.Help().Key + " switches them on"
		}
		return nil
	}
	f.step, f.errText, f.loginNeeded = Creating, "", false
	create, ctx := f.sub.Create, f.c.Ctx
	return func() tea.Msg {
		req, notice, err := create(ctx)
		return createdMsg{flow: f, req: req, notice: notice, err: err}
	}
}

func (f *Flow) created(msg createdMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		f.step = Reviewing
		f.errText = common.ErrorText(msg.err)
		f.loginNeeded = errors.Is(msg.err, api.ErrLoginNeeded)
		if apiErr := (*api.Error)(nil); errors.As(msg.err, &apiErr) {
			f.errText = "the bank refused: " + f.errText
		}
		if isUnknown(msg.err) {
			// Nothing is carried out before the TAN, so trying again is safe.
			f.errText = "the bank did not answer the request for a TAN, so nothing was paid (a payment needs the TAN): press " + f.goKey() + " to ask again"
		}
		return nil
	case msg.req == nil:
		return tea.Batch(common.CloseModal, common.PaymentsChanged(f.spec.AccountID), common.Notice(common.NoticeInfo, msg.notice))
	}
	f.step = Confirming
	f.tan = tan.New(f.c, f.env, *msg.req)
	f.tan.SetSize(f.width, f.height)
	return f.tan.Init()
}

func isUnknown(err error) bool {
	return errors.Is(err, api.ErrOutcomeUnknown)
}

func (f *Flow) finished(msg tan.FinishedMsg) tea.Cmd {
	if msg.Notice == "" && (msg.Outcome == tan.OutcomeConfirmed || msg.Outcome == tan.OutcomeAborted) {
		return common.CloseModal // the status line has said it already
	}
	switch msg.Outcome {
	case tan.OutcomeStartOver:
		f.tan = nil
		if f.spec.Form == nil {
			f.step = Reviewing
			f.info = "the request was voided or expired: press " + f.goKey() + " to ask for a new TAN"
			return nil
		}
		f.step = Editing
		f.info = "the TAN request ended: check the form and send it again"
		return f.spec.Form.Focus(f.spec.Form.Focused())
	case tan.OutcomeConfirmed:
		// The TAN dialog asked for the refresh when the bank confirmed.
		return tea.Batch(common.CloseModal, common.Notice(common.NoticeInfo, msg.Notice))
	case tan.OutcomeUnknown:
		return tea.Batch(common.CloseModal, common.PaymentsChanged(f.spec.AccountID), common.Notice(common.NoticeWarning, msg.Notice))
	}
	return tea.Batch(common.CloseModal, common.Notice(common.NoticeInfo, msg.Notice))
}

// Twin is the payment pending check that the reviewed one would repeat (the
// same kind, IBAN and amount), if any: sending this one before it is
// settled may pay twice.
func (f *Flow) Twin() (api.PendingPayment, bool) {
	p := f.sub.Payment
	if p == nil || f.c.Pending == nil {
		return api.PendingPayment{}, false
	}
	return api.Twin(f.c.Pending.Unresolved(), p.Kind, p.IBAN, p.Amount)
}

// twinText says why the review waits and how to send all the same.
func twinText(twin api.PendingPayment, loc *time.Location, anyway key.Binding) string {
	what := "a " + string(twin.Kind)
	if twin.Kind != api.KindTransfer {
		what = "the " + string(twin.Kind)
	}
	return what + " of " + sepa.FormatEuro(twin.Amount) + " to " + twin.Recipient + " is still being checked (sent " +
		twin.SentAt.In(loc).Format("15:04") + "): this one may pay it twice. Wait for the check, or press " +
		anyway.Help().Key + " to send another anyway"
}

// SetSize gives the largest box the flow may draw.
func (f *Flow) SetSize(w, h int) {
	f.width, f.height = w, h
	if f.tan != nil {
		f.tan.SetSize(w, h)
	}
}

func (f *Flow) boxWidth() int { return min(f.width, 80) }

// View draws the current step.
func (f *Flow) View() string {
	st := f.c.Styles
	w := f.boxWidth()
	inner := w - 2
	switch f.step {
	case Confirming:
		return f.tan.View()
	case Reviewing, Creating:
		lines := []string{""}
		if f.info != "" {
			lines = append(lines, " "+st.Warning.Render(f.info), "")
		}
		lw := 0
		for _, l := range f.sub.Review {
			lw = max(lw, len(l.Label))
		}
		// Values wrap rather than being cut: the review is where the user
		// reads what will be sent, the whole note and amount in words.
		valW := max(inner-lw-3, 10)
		pad := strings.Repeat(" ", lw+3)
		for _, l := range f.sub.Review {
			for i, part := range strings.Split(ansi.Wrap(common.Sanitize(l.Value), valW, ""), "\n") {
				lead := pad
				if i == 0 {
					lead = " " + st.Label.Render(common.PadRight(l.Label, lw)) + "  "
				}
				lines = append(lines, lead+st.Text.Render(part))
			}
		}
		lines = append(lines, "")
		if f.sub.Warning != "" {
			lines = append(lines, " "+st.Warning.Render(f.sub.Warning))
		}
		twin, hasTwin := f.Twin()
		lines = append(lines, f.aheadLines(inner-2, hasTwin)...)
		if hasTwin && f.step == Reviewing {
			style := st.Warning
			if f.twinRefused == twin.E2EID {
				style = st.Error
			}
			for _, l := range common.WrapWords(twinText(twin, f.c.Loc, f.keys.SendAnyway), inner-2) {
				lines = append(lines, " "+style.Render(l))
			}
		}
		if f.errText != "" {
			for _, l := range common.WrapWords(f.c.Text(f.errText), inner-2) {
				lines = append(lines, " "+st.Error.Render(l))
			}
		}
		switch {
		case f.step == Creating:
			lines = append(lines, " "+st.Muted.Render("asking the bank for a TAN…"))
		case f.spec.Question != "":
			lines = append(lines, " "+st.Warning.Render(f.keys.Question.Question(f.spec.Question)))
		default:
			back := "esc back to the form"
			if f.spec.Form == nil {
				back = "esc keep it"
			}
			send := "enter " + orDefault(f.spec.SubmitHelp, "send")
			if hasTwin {
				send = f.keys.SendAnyway.Help().Key + " " + f.keys.SendAnyway.Help().Desc
			} else if f.ahead.guarded() {
				send = f.keys.PayAnyway.Help().Key + " " + f.keys.PayAnyway.Help().Desc
			}
			lines = append(lines, " "+st.Muted.Render(send+" · "+back))
		}
		return common.Box(st, f.spec.ReviewTitle, lines, w, min(len(lines)+2, max(f.height, 6)), true)
	}
	lines := []string{""}
	if f.info != "" {
		lines = append(lines, " "+st.Warning.Render(f.info), "")
	}
	if f.errText != "" {
		lines = append(lines, " "+st.Error.Render(f.c.Text(f.errText)), "")
	}
	for _, l := range f.spec.Form.Lines(st, inner-1) {
		lines = append(lines, " "+l)
	}
	if f.step == Discarding {
		lines = append(lines, " "+st.Warning.Render(f.keys.Discard.Question("Discard what you typed?")))
	} else if len(lines)+3 <= f.height {
		lines = append(lines, " "+st.Muted.Render("tab next · enter next/review · ctrl+s review · esc cancel"))
	}
	if len(lines)+2 > f.height && lines[0] == "" {
		lines = lines[1:] // a short terminal: the fields matter more than air
	}
	return common.Box(st, f.spec.Title, lines, w, min(len(lines)+2, max(f.height, 6)), true)
}

// KeyMap is the help for the current step.
func (f *Flow) KeyMap() help.KeyMap { return flowHelp{f} }

type flowHelp struct{ f *Flow }

func (h flowHelp) ShortHelp() []key.Binding {
	f := h.f
	switch f.step {
	case Editing:
		k := f.spec.Form.Keys()
		return []key.Binding{k.Next, k.Prev, k.Enter, k.Review, k.Cancel}
	case Discarding:
		return f.keys.Discard.ShortHelp()
	case Reviewing:
		if f.spec.Question != "" {
			return f.keys.Question.ShortHelp()
		}
		back := f.keys.Back
		if f.spec.Form == nil {
			back = keys.Named(back, "keep it")
		}
		if _, hasTwin := f.Twin(); hasTwin {
			return []key.Binding{f.keys.SendAnyway, back}
		}
		if f.ahead.guarded() {
			return []key.Binding{f.keys.PayAnyway, back}
		}
		return []key.Binding{f.keys.Submit, back}
	case Confirming:
		return f.tan.KeyMap().ShortHelp()
	}
	return nil
}

func (h flowHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
