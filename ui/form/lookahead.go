package form

import (
	"konto/store/forecast"
	"konto/ui/common"
)

// The review's look ahead: the paying account's lowest point with the
// payment added to everything scheduled ("after this and your scheduled
// payments: lowest 412,30 € on 15.01.2027", red with a warning below zero;
// the payment stays allowed), and the guard against paying twice: what the
// payment resembles, after which enter alone does not send it and the
// review's PayAnyway key (never the submit key) does.

// aheadNote is what the forecast said about the reviewed payment.
type aheadNote struct {
	low       forecast.DayBalance
	hasLow    bool
	resembles []forecast.Resemblance
	refused   bool // enter was pressed on the guard: its words turn into an error
}

// guarded: the payment resembles another and needs the extra key.
func (a aheadNote) guarded() bool { return len(a.resembles) > 0 }

// lookahead asks the session's forecast about sub's payment.
func (f *Flow) lookahead(sub Submission) aheadNote {
	la := f.c.Lookahead
	if sub.Lookahead == nil || la == nil {
		return aheadNote{}
	}
	var n aheadNote
	n.low, n.hasLow = la.LowestWith(*sub.Lookahead)
	if sub.Guard {
		n.resembles = la.Resembles(*sub.Lookahead)
	}
	return n
}

// Guard is the sentence of what the reviewed payment resembles ("" when
// nothing does).
func (f *Flow) Guard() string {
	if !f.ahead.guarded() {
		return ""
	}
	return common.Sanitize(f.ahead.resembles[0].Sentence)
}

// aheadLines are the review's look-ahead lines, wrapped to width.
func (f *Flow) aheadLines(width int, hasTwin bool) []string {
	st := f.c.Styles
	var out []string
	if f.ahead.hasLow {
		text, style := f.c.Text(forecast.ReviewLine(f.ahead.low)), st.Muted
		if f.ahead.low.Balance < 0 {
			text, style = "⚠ "+text+": below zero", st.Error
		}
		for _, l := range common.WrapWords(text, width) {
			out = append(out, " "+style.Render(l))
		}
	}
	if f.ahead.guarded() && !hasTwin && f.step == Reviewing {
		style := st.Warning
		if f.ahead.refused {
			style = st.Error
		}
		k := f.keys.PayAnyway.Help()
		lead := "⚠ paid twice? "
		if f.ahead.resembles[0].Kind == forecast.YouReceived {
			lead = "⚠ paying back: "
		}
		text := lead + f.Guard() + " Press " + k.Key + " to " + k.Desc + "."
		for _, l := range common.WrapWords(text, width) {
			out = append(out, " "+style.Render(l))
		}
	}
	return out
}
