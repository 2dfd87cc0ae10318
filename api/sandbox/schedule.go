package sandbox

import (
	"time"

	"konto/api"
)

func intervalMonths(reoccurrence string) int {
	switch reoccurrence {
	case api.Monthly:
		return 1
	case api.Quarterly:
		return 3
	case api.EverySixMonths:
		return 6
	case api.Annually:
		return 12
	}
	return 0
}

// addMonths adds months to t, keeping its day but clamping it to the end of a
// shorter month (time.AddDate would roll 31 January into March).
func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	lastDay := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, lastDay), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// schedule recomputes the next occurrence; nil once past lastExecutionDate.
func (o *standingOrder) schedule() {
	next := addMonths(o.anchor, o.executed*intervalMonths(o.reoccurrence))
	if o.last != nil && next.After(*o.last) {
		o.next = nil
		return
	}
	o.next = &next
}

// runDue books, in time order, every standing-order occurrence and timed
// order that fell due up to now. The caller holds b.mu.
func (b *Bank) runDue(now time.Time) {
	for {
		var dueStanding *standingOrder
		var dueTimed *timedOrder
		var at time.Time
		for _, acc := range b.accountList() {
			for _, o := range acc.standing {
				if o.status == api.StatusActive && o.next != nil && !o.next.After(now) &&
					(dueStanding == nil && dueTimed == nil || o.next.Before(at)) {
					dueStanding, dueTimed, at = o, nil, *o.next
				}
			}
			for _, o := range acc.timed {
				if o.wire.Status == api.StatusScheduled && !o.wire.ExecuteAt.After(now) &&
					(dueStanding == nil && dueTimed == nil || o.wire.ExecuteAt.Before(at)) {
					dueStanding, dueTimed, at = nil, o, o.wire.ExecuteAt.Time
				}
			}
		}
		switch {
		case dueStanding != nil:
			b.executeStanding(dueStanding, at)
		case dueTimed != nil:
			b.executeTimed(dueTimed, at)
		default:
			return
		}
	}
}

func (b *Bank) executeStanding(o *standingOrder, at time.Time) {
	acc := o.account
	if o.amount <= acc.balance {
		b.bookTransfer(acc, paymentInput{recipient: o.name, iban: o.iban, amount: o.amount, note: o.note, e2eID: o.e2eID}, at)
	} else {
		b.logf("standing order %d to %s not executed on %s: insufficient funds", o.id, o.name, at.Format(time.DateOnly))
	}
	o.executed++
	o.schedule()
}

func (b *Bank) executeTimed(o *timedOrder, at time.Time) {
	acc, st := o.account, &o.wire.ScheduledTransaction
	if st.Amount.Value > acc.balance {
		b.logf("timed order %s to %s not executed: insufficient funds", o.wire.ID, st.RecipientName)
		o.wire.Status, st.Status = "FAILED", "failed"
		return
	}
	b.bookTransfer(acc, paymentInput{recipient: st.RecipientName, iban: st.RecipientIBAN,
		amount: st.Amount.Value, note: st.Description, e2eID: st.EndToEndID}, at)
	o.wire.Status, st.Status = "EXECUTED", "executed"
	o.wire.ExecutedAt = &api.ZTime{Time: at}
}

// accountList is every account in a fixed order (users in order, then their
// accounts), so that runDue is deterministic.
func (b *Bank) accountList() []*account { return b.accountOrder }
