package transfer

import (
	"strings"
	"testing"
	"time"

	"konto/store/forecast"
	"konto/ui/common"
	"konto/ui/form"
)

// lowAhead is a forecast whose lowest point is always the same.
type lowAhead struct{ low forecast.DayBalance }

func (l lowAhead) LowestWith(forecast.Payment) (forecast.DayBalance, bool) { return l.low, true }
func (l lowAhead) Resembles(forecast.Payment) []forecast.Resemblance       { return nil }

// In privacy mode the form's title and the review's paying account, its
// balance after and the look ahead's lowest point are masked; what the
// user typed and confirms stays readable.
func TestPrivacyMasksTheAccountsFigures(t *testing.T) {
	h := newHarness(t, func(c *common.Common, env common.PaymentEnv) *form.Flow {
		c.Privacy = true
		c.Lookahead = lowAhead{forecast.DayBalance{Date: forecast.NewDate(2027, time.January, 15), Balance: 41230}}
		return New(c, env, account, nil)
	})
	if v := h.view(); !strings.Contains(v, "New transfer from DE•• …•••• · •••,•• €") || strings.Contains(v, "17.325,00") {
		t.Errorf("the title shows the account:\n%s", v)
	}
	h.fill("Karl Brenner", "de89 3704 0044 0532 0130 00", "20000", "")
	if v := h.view(); !strings.Contains(v, "more than the balance of •••,•• €") {
		t.Errorf("the error names the balance:\n%s", v)
	}
	h.press("up") // back to the amount
	for range 5 {
		h.press("backspace")
	}
	h.typ("1.234,56")
	h.press("ctrl+s")
	if h.flow.Step() != form.Reviewing {
		t.Fatalf("step %v, want review:\n%s", h.flow.Step(), h.view())
	}
	v := h.view()
	for _, want := range []string{"DE•• •••• •••• •••• •••• ••", "Balance after  •••,•• €", "lowest •••,•• € on 15.01.2027",
		"1.234,56 €", "DE89 3704 0044 0532 0130 00"} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	for _, leak := range []string{"16.090,44", "412,30", "DE06"} {
		if strings.Contains(v, leak) {
			t.Errorf("review shows %q:\n%s", leak, v)
		}
	}
}
