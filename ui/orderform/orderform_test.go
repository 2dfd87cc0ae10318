package orderform

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/ui/common"
	"konto/ui/form"
	"konto/ui/uitest"
)

var account = api.Account{ID: 4711, IBAN: "DE06110101001000004444", Balance: 1732500}

type harness struct {
	t     *testing.T
	modal common.Modal
	flow  *form.Flow
	pay   *uitest.Payments
	out   []tea.Msg
}

func newHarness(t *testing.T, build func(c *common.Common, env common.PaymentEnv) common.Modal) *harness {
	t.Helper()
	h := &harness{t: t, pay: &uitest.Payments{}}
	h.modal = build(uitest.Common(nil, 120, 40), common.PaymentEnv{Payments: h.pay})
	h.modal.SetSize(100, 36)
	if f, ok := h.modal.(*form.Flow); ok {
		h.flow = f
		h.send(uitest.Collect(f.Init())...)
	}
	return h
}

func (h *harness) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	h.modal, cmd = h.modal.Update(msg)
	return cmd
}
func (h *harness) send(msgs ...tea.Msg) { h.out = append(h.out, uitest.Drive(h.update, msgs...)...) }
func (h *harness) typ(s string)         { h.send(uitest.Type(s)...) }
func (h *harness) press(keys ...string) {
	for _, k := range keys {
		h.send(uitest.Key(k))
	}
}
func (h *harness) view() string { return ansi.Strip(h.modal.View()) }
func (h *harness) closed() bool {
	for _, m := range h.out {
		if _, ok := m.(common.CloseModalMsg); ok {
			return true
		}
	}
	return false
}
func (h *harness) notice() string {
	s := ""
	for _, m := range h.out {
		if n, ok := m.(common.NoticeMsg); ok {
			s = n.Text
		}
	}
	return s
}

// fillIn types values into consecutive fields from the current one ("" skips).
func (h *harness) fillIn(values ...string) {
	for i, v := range values {
		if i > 0 {
			h.press("tab")
		}
		h.typ(v)
	}
}

func (h *harness) confirmTAN() {
	h.typ(uitest.TAN)
	h.press("enter")
}

func TestStandingOrderCreate(t *testing.T) {
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal { return NewStanding(c, env, account, nil) })
	h.fillIn("John Smith", "DE33100110012626008537", "120,12", "Regular payment", "")
	h.press("tab", "right") // QUARTERLY
	h.press("tab")
	h.fillIn("01.12.2026", "2027-11-30")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewed:\n%s", h.view())
	}
	v := h.view()
	for _, want := range []string{"Review", "John Smith", "DE33 1001 1001 2626 0085 37", "120,12 €", "one hundred twenty euros and twelve cents",
		"quarterly", "01.12.2026", "30.11.2027"} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	h.press("enter")
	if len(h.pay.Standing) != 1 {
		t.Fatalf("calls %v", h.pay.Calls)
	}
	req := h.pay.Standing[0]
	if req.Reoccurrence != api.Quarterly || req.Amount != 12012 || req.IBAN != "DE33100110012626008537" || api.Str(req.Note) != "Regular payment" || !strings.HasPrefix(api.Str(req.E2EID), api.E2EIDPrefix) {
		t.Errorf("request %+v", req)
	}
	// The calendar day the user typed, at noon in Berlin (11:00 UTC in winter).
	if got := req.FirstExecutionDate.Time; !got.Equal(time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("first execution %v", got)
	}
	if req.LastExecutionDate == nil || !req.LastExecutionDate.Equal(time.Date(2027, 11, 30, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("last execution %v", req.LastExecutionDate)
	}
	b, _ := json.Marshal(req)
	if !strings.Contains(string(b), `"firstExecutionDate":"2026-12-01T11:00:00.000Z"`) {
		t.Errorf("wire %s", b)
	}
	h.confirmTAN()
	if !h.closed() || h.pay.Count("ConfirmStandingOrder so-create 123456") != 1 || !strings.Contains(h.notice(), "standing order set up") {
		t.Errorf("closed %v notice %q calls %v", h.closed(), h.notice(), h.pay.Calls)
	}
}

func TestStandingOrderDates(t *testing.T) {
	cases := []struct{ first, last, want string }{
		{"31.02.2027", "", "February 2027 has no day 31"},
		{"25.11.2026", "", "the date is in the past"},
		{"2026-12-01", "30.11.2026", "the last date is before the first"},
		{"2026-12-01", "2026-12-32", "has no day 32"},
		{"", "", "enter a date"},
	}
	for _, tc := range cases {
		h := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal { return NewStanding(c, env, account, nil) })
		h.fillIn("John Smith", "DE33100110012626008537", "1", "", "", "", tc.first, tc.last)
		h.press("ctrl+s")
		if h.flow.Step() != form.Editing || !strings.Contains(h.view(), tc.want) {
			t.Errorf("first %q last %q: step %v, want %q in:\n%s", tc.first, tc.last, h.flow.Step(), tc.want, h.view())
		}
		if h.pay.Count("") != 0 {
			t.Error("sent with a bad date")
		}
	}
}

func activeOrder() api.StandingOrder {
	return api.StandingOrder{ID: 20, Status: api.StatusActive, Name: "John Smith", IBAN: "DE33100110012626008537", Amount: 12012,
		Description: api.Ptr("Regular payment"), Reoccurrence: api.Monthly, E2EID: api.Ptr("E-81359c56883b508cc891b2d466983e3a")}
}

func editHarness(t *testing.T, o api.StandingOrder) *harness {
	return newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal {
		f, err := EditStanding(c, env, account, o)
		if err != nil {
			t.Fatal(err)
		}
		return f
	})
}

func TestStandingOrderEditSendsOnlyChanges(t *testing.T) {
	h := editHarness(t, activeOrder())
	fs := h.flow.Form().Fields
	if fs[EditAmount].Value() != "120,12" || fs[EditNote].Value() != "Regular payment" || fs[EditReoccurrence].Value() != api.Monthly {
		t.Fatalf("not pre-filled: %q %q %q", fs[EditAmount].Value(), fs[EditNote].Value(), fs[EditReoccurrence].Value())
	}
	h.press("ctrl+u")
	h.typ("5")
	h.press("tab", "tab", "tab", "right") // reoccurrence → QUARTERLY
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("not reviewed:\n%s", h.view())
	}
	if v := h.view(); !strings.Contains(v, "120,12 € → 5,00 €") || !strings.Contains(v, "monthly → quarterly") || strings.Contains(v, "Note") {
		t.Errorf("review of changes:\n%s", v)
	}
	h.press("enter")
	if len(h.pay.Updates) != 1 {
		t.Fatalf("calls %v", h.pay.Calls)
	}
	b, _ := json.Marshal(h.pay.Updates[0])
	if string(b) != `{"amount":500,"reoccurrence":"QUARTERLY"}` {
		t.Errorf("PATCH body %s, want only the changed fields", b)
	}
	h.confirmTAN()
	if !h.closed() || h.pay.Count("ConfirmStandingOrder so-update") != 1 {
		t.Errorf("calls %v", h.pay.Calls)
	}
}

func TestStandingOrderEditClearAndNothingChanged(t *testing.T) {
	h := editHarness(t, activeOrder())
	h.press("ctrl+s")
	if h.flow.Step() != form.Editing || !strings.Contains(h.view(), "nothing changed") {
		t.Errorf("an unchanged edit went on:\n%s", h.view())
	}
	h.press("tab", "ctrl+u") // clear the note
	h.press("tab", "tab", "tab")
	h.typ("31.12.2027")
	h.press("ctrl+s", "enter")
	b, _ := json.Marshal(h.pay.Updates[0])
	if string(b) != `{"note":null,"lastExecutionDate":"2027-12-31T11:00:00.000Z"}` {
		t.Errorf("PATCH body %s", b)
	}

	c := uitest.Common(nil, 120, 40)
	o := activeOrder()
	o.Status = api.StatusCanceled
	if _, err := EditStanding(c, common.PaymentEnv{}, account, o); err == nil {
		t.Error("a cancelled order could be edited")
	}
}

func TestStandingOrderCancel(t *testing.T) {
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal {
		f, err := CancelStanding(c, env, account, activeOrder())
		if err != nil {
			t.Fatal(err)
		}
		return f
	})
	if v := h.view(); !strings.Contains(v, "Cancel this standing order?") || !strings.Contains(v, "John Smith") {
		t.Fatalf("view:\n%s", v)
	}
	h.press("y")
	if h.pay.Count("CancelStandingOrder 20") != 1 {
		t.Fatalf("calls %v", h.pay.Calls)
	}
	h.confirmTAN()
	if !h.closed() || h.pay.Count("ConfirmStandingOrder so-cancel 123456") != 1 || !strings.Contains(h.notice(), "cancelled") {
		t.Errorf("closed %v notice %q calls %v", h.closed(), h.notice(), h.pay.Calls)
	}

	esc := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal {
		f, _ := CancelStanding(c, env, account, activeOrder())
		return f
	})
	esc.press("esc")
	if !esc.closed() || esc.pay.Count("") != 0 {
		t.Error("esc on the cancel review did not just close")
	}
}

func TestTimedOrderCreate(t *testing.T) {
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal { return NewTimed(c, env, account, nil) })
	h.fillIn("John Smith", "DE33100110012626008537", "120,12", "Bill payment", "", "26.11.2026")
	h.press("ctrl+s")
	if h.flow.Step() != form.Editing || !strings.Contains(h.view(), "choose a day after today") {
		t.Fatalf("today accepted:\n%s", h.view())
	}
	h.press("ctrl+u")
	h.typ("27.11.2026")
	h.press("ctrl+s", "enter")
	if len(h.pay.Timed) != 1 || !h.pay.Timed[0].Date.Equal(time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("timed requests %+v", h.pay.Timed)
	}
	h.confirmTAN()
	if !h.closed() || h.pay.Count("ConfirmTimedOrder 9939482a-new 123456") != 1 || !strings.Contains(h.notice(), "27.11.2026") {
		t.Errorf("closed %v notice %q calls %v", h.closed(), h.notice(), h.pay.Calls)
	}
}

func timedOrder() api.TimedOrderListItem {
	return api.TimedOrderListItem{ID: "9939482a", RecipientName: "John Smith", RecipientIBAN: "DE33100110012626008537",
		Date: api.ZTime{Time: time.Date(2026, 12, 27, 12, 0, 0, 0, time.UTC)}, Amount: -12012, Status: "scheduled"}
}

func TestTimedOrderCancel(t *testing.T) {
	newCancel := func() *harness {
		return newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal {
			return NewCancelTimed(c, env, 4711, timedOrder())
		})
	}
	h := newCancel()
	if v := h.view(); !strings.Contains(v, "Cancel this timed order?  y cancel it · n/esc keep it") || !strings.Contains(v, "120,12 €") || !strings.Contains(v, "27.12.2026") {
		t.Fatalf("view:\n%s", v)
	}
	h.press("n")
	if !h.closed() || h.pay.Count("") != 0 {
		t.Error("n cancelled or did not close")
	}

	h = newCancel()
	_, first := h.modal.Update(uitest.Key("y"))
	_, second := h.modal.Update(uitest.Key("y"))
	if first == nil || second != nil {
		t.Fatalf("y twice: %v %v", first != nil, second != nil)
	}
	// The root asks InFlight before q quits: a cancel on its way counts.
	if f, ok := h.modal.(interface{ InFlight() bool }); !ok || !f.InFlight() {
		t.Error("a cancellation on its way is not reported in flight")
	}
	h.send(uitest.Collect(first)...)
	if h.pay.Count("CancelTimedOrder 9939482a") != 1 || !h.closed() || !strings.Contains(h.notice(), "cancelled") {
		t.Errorf("calls %v closed %v notice %q", h.pay.Calls, h.closed(), h.notice())
	}
	refreshed := false
	for _, m := range h.out {
		if _, ok := m.(common.PaymentsChangedMsg); ok {
			refreshed = true
		}
	}
	if !refreshed {
		t.Error("the list is not refreshed after a cancel")
	}
}

// The edit form opens pre-filled with the order; esc without a change closes
// it at once, and the TAN dialog names the changes it confirms.
func TestStandingOrderEditEscAndTANSummary(t *testing.T) {
	h := editHarness(t, activeOrder())
	h.press("esc")
	if !h.closed() {
		t.Errorf("esc on an unchanged edit asked:\n%s", h.view())
	}
	h = editHarness(t, activeOrder())
	h.press("ctrl+u")
	h.typ("5")
	h.press("ctrl+s", "enter")
	v := h.view()
	if !strings.Contains(v, "Change the standing order to John Smith") || !strings.Contains(v, "Amount: 120,12 € → 5,00 €") {
		t.Errorf("the TAN dialog does not name the change:\n%s", v)
	}
}

// Refusals go to the top line, which has about 40 cells at 80 columns.
func TestRefusalsAreShort(t *testing.T) {
	c := uitest.Common(nil, 120, 40)
	o := activeOrder()
	o.Status = api.StatusCanceled
	_, editErr := EditStanding(c, common.PaymentEnv{}, account, o)
	_, cancelErr := CancelStanding(c, common.PaymentEnv{}, account, o)
	for _, err := range []error{editErr, cancelErr} {
		if err == nil || len([]rune(err.Error())) > 38 {
			t.Errorf("refusal %v: want one of at most 38 characters", err)
		}
	}
}

// tracked is the payment the flow handed to the background check.
func (h *harness) tracked() (api.PendingPayment, bool) {
	for _, m := range h.out {
		if tr, ok := m.(common.TrackPaymentMsg); ok {
			return tr.Payment, true
		}
	}
	return api.PendingPayment{}, false
}

// A new order whose confirm has an unknown outcome is pending check like a
// transfer: handed to the background check with the end-to-end id it was
// created with (made by konto, shown on the review), which the order lists
// carry. An identical order set up before (another id) is not taken for it.
func TestNewOrdersOfUnknownOutcomeArePendingCheck(t *testing.T) {
	standing := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal { return NewStanding(c, env, account, nil) })
	standing.pay.ConfirmErrs = []error{uitest.Unknown()}
	standing.pay.Set(nil, []api.StandingOrder{{ID: 6, Status: api.StatusActive, Name: "John Smith", IBAN: "DE33100110012626008537",
		Amount: 12012, Description: api.Ptr("Regular payment"), Reoccurrence: api.Monthly, E2EID: api.Ptr("E-earlier")}}, nil)
	standing.fillIn("John Smith", "DE33100110012626008537", "120,12", "Regular payment", "")
	standing.press("tab", "tab")
	standing.fillIn("01.12.2026")
	standing.press("ctrl+s")
	if v := standing.view(); !strings.Contains(v, "KONTO-") || !strings.Contains(v, "made by konto") {
		t.Errorf("the review does not show the order's id:\n%s", v)
	}
	standing.press("enter")
	standing.confirmTAN()
	p, ok := standing.tracked()
	if !ok || p.Kind != api.KindStandingOrder || p.E2EID != api.Str(standing.pay.Standing[0].E2EID) || p.Amount != 12012 ||
		p.Reoccurrence != api.Monthly || p.FirstExecution.IsZero() {
		t.Fatalf("tracked %+v (%v) for %+v", p, ok, standing.pay.Standing)
	}
	if standing.pay.Count("StandingOrders") != 0 {
		t.Error("the create read the order list: nothing is matched by likeness any more")
	}
	if v, _ := api.CheckPayment(context.Background(), standing.pay, p, uitest.Now, api.CheckWindow); v != api.StillUnknown {
		t.Errorf("the earlier identical order passed for this one: %v", v)
	}

	timed := newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal { return NewTimed(c, env, account, nil) })
	timed.pay.ConfirmErrs = []error{&api.Error{Status: 502}}
	timed.fillIn("John Smith", "DE33100110012626008537", "120,12", "Bill payment", "", "27.11.2026")
	timed.press("ctrl+s", "enter")
	timed.confirmTAN()
	p, ok = timed.tracked()
	if !ok || p.Kind != api.KindTimedOrder || p.E2EID != api.Str(timed.pay.Timed[0].E2EID) || p.OrderID != "9939482a-new" ||
		!p.ExecuteOn.Equal(time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("tracked %+v (%v)", p, ok)
	}
	timed.pay.Set(nil, nil, []api.TimedOrderListItem{{ID: "9939482a-new", Amount: -12012, E2EID: api.Ptr(p.E2EID)}})
	if v, _ := api.CheckPayment(context.Background(), timed.pay, p, uitest.Now, api.CheckWindow); v != api.Booked {
		t.Errorf("the scheduled order was not found by its id: %v", v)
	}
}

// Both cancellations ask the same question the same way: y cancels, n or esc
// keeps the order and says so, enter alone does nothing (it must never be
// the key that cancels, nor close the question unnoticed).
func TestCancelDialogsShareOnePattern(t *testing.T) {
	for _, tc := range []struct {
		name     string
		build    func(t *testing.T) *harness
		question string
		call     string
		kept     string
	}{
		{"standing", func(t *testing.T) *harness {
			return newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal {
				f, err := CancelStanding(c, env, account, activeOrder())
				if err != nil {
					t.Fatal(err)
				}
				return f
			})
		}, "Cancel this standing order?", "CancelStandingOrder 20", "kept the standing order to John Smith"},
		{"timed", func(t *testing.T) *harness {
			return newHarness(t, func(c *common.Common, env common.PaymentEnv) common.Modal {
				return NewCancelTimed(c, env, 4711, timedOrder())
			})
		}, "Cancel this timed order?", "CancelTimedOrder 9939482a", "kept the timed order to John Smith"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.build(t)
			if v := h.view(); !strings.Contains(v, tc.question+"  y cancel it · n/esc keep it") {
				t.Fatalf("the question is not %q:\n%s", tc.question, v)
			}
			bar := ""
			for _, b := range h.modal.KeyMap().ShortHelp() {
				bar += b.Help().Key + " " + b.Help().Desc + " · "
			}
			if bar != "y cancel it · n/esc keep it · " {
				t.Errorf("help bar %q", bar)
			}
			h.press("enter")
			if h.closed() || h.pay.Count("") != 0 {
				t.Fatalf("enter cancelled (%v) or closed the question (%v)", h.pay.Calls, h.closed())
			}
			for _, keep := range []string{"esc", "n"} {
				k := tc.build(t)
				k.press(keep)
				if !k.closed() || k.pay.Count("") != 0 || k.notice() != tc.kept {
					t.Errorf("%s: closed %v, calls %v, notice %q; want closed, none, %q", keep, k.closed(), k.pay.Calls, k.notice(), tc.kept)
				}
			}
			h.press("y")
			if h.pay.Count(tc.call) != 1 {
				t.Errorf("y did not cancel: calls %v", h.pay.Calls)
			}
		})
	}
}
