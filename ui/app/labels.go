package app

// What konto knows of a booking beyond the bank's fields, for every read
// command alike: the profile's rules (Source.Rules) and the labels the user
// gave bookings on the dashboard (the offline cache), and the account's
// balance after each booking.

import (
	"context"
	"fmt"
	"slices"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/store/history"
	"konto/store/report"
	"konto/store/rules"
	"konto/ui/filter"
)

// booked is bookings with what konto knows of each: results[i] and
// balances[i] are txs[i]'s.
type booked struct {
	txs      []api.Transaction
	results  []rules.Result
	balances []int64 // the account's balance once the booking was booked
}

// labeller categorises histories with one source's rules and labels, read
// once for the command.
type labeller struct {
	set    *rules.Set
	labels map[int64]rules.Label
}

// newLabeller reads the source's rules (the built-in defaults when it
// brings none) and the labels in its offline cache (none without one).
func newLabeller(src *Source) (*labeller, error) {
	l := &labeller{set: src.Rules}
	if l.set == nil {
		set, err := rules.New(nil, true)
		if err != nil {
			return nil, local(fmt.Errorf("the built-in rules: %w", err))
		}
		l.set = set
	}
	if c, ok := src.Bank.(cached); ok && c.Cache() != nil {
		labels, err := c.Cache().LoadLabels()
		if err != nil {
			return nil, local(fmt.Errorf("read the categories, notes and marks: %w", err))
		}
		l.labels = labels
	}
	return l, nil
}

// history is one account's whole history, categorised, with the balance
// after each booking counted back from balance (the account's now).
func (l *labeller) history(ctx context.Context, p *parser, src *Source, acc api.Account) (*booked, error) {
	txs, err := p.history(ctx, src.Bank, acc.ID)
	if err != nil {
		return nil, err
	}
	// BalancesAfter wants the bank's order, newest first; a cache may hand
	// the history back otherwise. Within a day the bank's order stays.
	byDateDesc := func(a, b api.Transaction) int { return b.BookingDate.Compare(a.BookingDate.Time) }
	if !slices.IsSortedFunc(txs, byDateDesc) {
		txs = slices.Clone(txs) // the cache's own may be behind it
		slices.SortStableFunc(txs, byDateDesc)
	}
	return &booked{txs: txs, results: l.set.ApplyAll(txs, l.labels), balances: report.BalancesAfter(txs, acc.Balance)}, nil
}

// match keeps the bookings q matches, with their labels and balances.
func (b *booked) match(q filter.Query, p *parser) *booked {
	if q.IsEmpty() {
		return b
	}
	idx := filter.NewIndexWithLabels(history.Of(b.txs), p.f.Loc, b.results).Match(q)
	kept := &booked{txs: make([]api.Transaction, len(idx)), results: make([]rules.Result, len(idx)), balances: make([]int64, len(idx))}
	for k, j := range idx {
		kept.txs[k], kept.results[k], kept.balances[k] = b.txs[j], b.results[j], b.balances[j]
	}
	return kept
}

// newest keeps the newest n bookings (n <= 0: all), newest first.
func (b *booked) newest(n int) *booked {
	if n <= 0 || len(b.txs) <= n {
		return b
	}
	order := make([]int, len(b.txs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return newestFirst(b.txs[x], b.txs[y]) })
	kept := &booked{txs: make([]api.Transaction, n), results: make([]rules.Result, n), balances: make([]int64, n)}
	for k, j := range order[:n] {
		kept.txs[k], kept.results[k], kept.balances[k] = b.txs[j], b.results[j], b.balances[j]
	}
	return kept
}

// drop removes column i from t.
func (t *table) drop(i int) {
	t.cols = slices.Delete(t.cols, i, i+1)
	for r := range t.rows {
		t.rows[r] = slices.Delete(t.rows[r], i, i+1)
	}
}

// minWidth is the width t takes with its flex columns cut as far as write
// cuts them.
func (t *table) minWidth() int {
	total := 2 * max(len(t.cols)-1, 0)
	for i, c := range t.cols {
		wd := ansi.StringWidth(c.title)
		for _, r := range t.rows {
			wd = max(wd, ansi.StringWidth(r[i].text))
		}
		if c.flex {
			wd = min(wd, 8)
		}
		total += wd
	}
	return total
}
