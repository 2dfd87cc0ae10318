package detail

import (
	"strings"

	"konto/api"
	"konto/store/rules"
	"konto/ui/common"
)

// Booking is a booking with what konto knows of it beyond the bank's
// fields: its category, payee, tags, note and mark (store/rules), and the
// account's balance once it was booked (HasBalance: known).
type Booking struct {
	Tx         *api.Transaction
	Label      rules.Result
	Balance    int64
	HasBalance bool
}

// BookingFields is Fields with the booking's labels after its amount and
// the balance after it; the bank's own (always empty) category gives way
// to konto's.
func BookingFields(c *common.Common, b Booking) []Field {
	fs := Fields(c, b.Tx)
	var extra []Field
	add := func(label, value string) {
		if v := strings.Join(strings.Fields(common.Sanitize(value)), " "); v != "" {
			extra = append(extra, Field{Label: label, Value: v})
		}
	}
	if b.HasBalance {
		extra = append(extra, Field{Label: "Balance after", Value: c.Balance(b.Balance)})
	}
	l := b.Label
	category := l.Category
	switch {
	case category == "":
	case l.Manual:
		category += " (set by hand)"
	case l.Rule >= 0:
		category += " (by a rule)"
	}
	add("Category", category)
	add("Payee", l.Payee)
	add("Tags", strings.Join(l.Tags, ", "))
	add("Note", l.Note)
	if l.Marked {
		extra = append(extra, Field{Label: "Marked", Value: "yes"})
	}
	// After the amount, where the eye is.
	at := len(fs)
	for i, f := range fs {
		if f.Label == "Category" && l.Category != "" {
			fs = append(fs[:i], fs[i+1:]...)
			break
		}
	}
	for i, f := range fs {
		if f.Label == "Amount" {
			at = i + 1
			break
		}
	}
	out := make([]Field, 0, len(fs)+len(extra))
	out = append(out, fs[:at]...)
	out = append(out, extra...)
	return append(out, fs[at:]...)
}
