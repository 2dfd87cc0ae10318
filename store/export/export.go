// Package export writes an account's bookings as files for other tools: an
// hledger journal, a beancount ledger, CSV, TSV, JSON and QIF. It is the domain
// part of `konto export` and of `konto tx --json/--csv/--tsv`, and knows no
// terminal and no command line.
//
// Write streams a complete export to an io.Writer. Append adds to an existing
// export file only the bookings it does not hold yet (`--new`), recognised by
// their bank ids as read back from the file itself (KnownIDs), so it keeps
// working after the file was edited, reordered or moved.
//
// Amounts are written from int64 cents, never through floats. Bank text is
// stripped of control characters and escaped for each format, so a hostile
// name or purpose cannot add a posting, a directive or a column. Nothing here
// reads the wall clock: the balance's date comes with the Account.
package export

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"konto/api"
	"konto/store/rules"
)

// Format is one export format.
type Format string

// The formats, as `--format` spells them.
const (
	Hledger   Format = "hledger"
	Beancount Format = "beancount"
	CSV       Format = "csv"
	TSV       Format = "tsv"
	JSON      Format = "json"
	QIF       Format = "qif"
)

// Formats lists every format, in the order a usage text shows them.
var Formats = []Format{Hledger, Beancount, CSV, TSV, JSON, QIF}

// ErrFormat matches the error of ParseFormat.
var ErrFormat = errors.New("unknown export format")

// ParseFormat reads a format name (any case, surrounding space ignored) and
// refuses others with a sentence naming the formats there are.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("%w %q: use one of %s", ErrFormat, s, strings.Join(names, ", "))
}

// Account is what the ledger formats need of the bank account. CSV, TSV and
// JSON do not use it.
type Account struct {
	ID   int64
	IBAN string
	// Label names the account in the ledger ("Main", "Account 2"); it is made
	// safe for account names by LedgerName ("main", "account-2").
	Label string
	// Balance is the bank's balance in cents at AsOf.
	Balance int64
	// AsOf is when the balance was read (a cached balance: when it was
	// cached). Its date in Options.Loc dates beancount's balance assertion.
	AsOf time.Time
}

// Options tune an export. The zero value plus a Format is a valid choice.
type Options struct {
	Format Format
	// AccountPrefix is the ledger account the bank account lives under;
	// default DefaultAccountPrefix. Components are letters, digits and '-';
	// beancount's are capitalised ("Assets:Bank:Kontist:Main").
	AccountPrefix string
	// Loc is the time zone dates are written in; default Europe/Berlin, the
	// bank's.
	Loc *time.Location
	// Results gives the bookings konto's category, tags, note and mark
	// (store/rules): Results[i] is txs[i]'s; nil for none. JSON writes
	// them as category (replacing the bank's, which is always null), tags,
	// note and marked; CSV and TSV the category; the ledgers the category
	// as the other posting's account (expenses:rent, income:clients), tags
	// as tags, the note as a tag (hledger) or metadata (beancount), the
	// mark as beancount's "!" flag and the hledger tag marked.
	Results []rules.Result
	// BalanceAfter adds each booking's balanceAfter (cents) to JSON: the
	// account's balance once it was booked, from Account.Balance.
	BalanceAfter bool
	// Balances, with BalanceAfter, are the balances to write instead of a
	// running sum: Balances[i] is txs[i]'s. A filtered list needs them, as
	// its own sum is not the account's balance at each booking.
	Balances []int64
}

// DefaultAccountPrefix is the default Options.AccountPrefix.
const DefaultAccountPrefix = "assets:bank:kontist"

// Write writes a complete export of txs to w: for the ledger formats the
// account's opening balance (its balance minus the sum of txs, dated the day
// before the oldest booking) and, for beancount, the open directives and a
// balance assertion; for CSV and TSV the header row. txs is the account's
// whole history in any order; bookings are written oldest first (booking
// date, then id). It returns the number of bookings written.
func Write(w io.Writer, acc Account, txs []api.Transaction, opt Options) (int, error) {
	r, err := newRun(w, acc, txs, opt)
	if err != nil {
		return 0, err
	}
	r.opening = true
	return r.write()
}

// run is one export in progress.
type run struct {
	format Format
	acc    Account
	txs    []api.Transaction
	order  []int32 // indices of txs, oldest first
	loc    *time.Location
	f      formatter
	w      *bufio.Writer
	buf    []byte // the entry being built

	// What the file already holds (Append); zero for Write.
	known       map[int64]bool
	appending   bool            // the output continues a non-empty file
	opening     bool            // write the opening balance (ledgers, QIF)
	opened      map[string]bool // beancount accounts the file opens already
	asserted    string          // the date of the file's latest balance assertion of the account
	jsonFilled  bool            // the JSON array being continued has elements
	results     []rules.Result  // Options.Results
	balances    bool            // Options.BalanceAfter
	balanceList []int64         // Options.Balances

	// The booking being written: its index in txs and the balance after it.
	cur          int
	balanceAfter int64

	// Derived once.
	openingCents int64
	openingDate  time.Time // midnight in loc of the day before the oldest booking
	written      int
}

// formatter is one format's writer. Each method appends to r.buf.
type formatter interface {
	head(r *run)
	entry(r *run, tx *api.Transaction)
	tail(r *run)
}

func newRun(w io.Writer, acc Account, txs []api.Transaction, opt Options) (*run, error) {
	loc := opt.Loc
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation("Europe/Berlin"); err != nil {
			return nil, fmt.Errorf("export: load the bank's time zone: %w", err)
		}
	}
	format, err := ParseFormat(string(opt.Format))
	if err != nil {
		return nil, err
	}
	opt.Format = format
	if opt.Results != nil && len(opt.Results) != len(txs) {
		return nil, fmt.Errorf("export: %d results for %d bookings", len(opt.Results), len(txs))
	}
	if opt.Balances != nil && len(opt.Balances) != len(txs) {
		return nil, fmt.Errorf("export: %d balances for %d bookings", len(opt.Balances), len(txs))
	}
	r := &run{format: format, acc: acc, txs: txs, loc: loc, w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 1024),
		results: opt.Results, balances: opt.BalanceAfter, balanceList: opt.Balances}
	prefix := opt.AccountPrefix
	if prefix == "" {
		prefix = DefaultAccountPrefix
	}
	switch opt.Format {
	case Hledger, Beancount:
		names, err := ledgerAccounts(prefix, acc, opt.Format == Beancount)
		if err != nil {
			return nil, err
		}
		if opt.Format == Hledger {
			r.f = &hledgerWriter{names: names}
		} else {
			r.f = &beancountWriter{names: names}
		}
	case CSV:
		r.f = &delimitedWriter{sep: ','}
	case TSV:
		r.f = &delimitedWriter{sep: '\t'}
	case JSON:
		r.f = &jsonWriter{}
	case QIF:
		r.f = &qifWriter{}
	}
	if isLedger(opt.Format) && acc.AsOf.IsZero() {
		return nil, errors.New("export: the date of the account's balance is missing")
	}
	r.order = chronological(txs)
	var sum int64
	for i := range txs {
		sum += txs[i].Amount
	}
	r.openingCents = acc.Balance - sum
	first := acc.AsOf
	if len(r.order) > 0 {
		first = txs[r.order[0]].BookingDate.Time
	}
	r.openingDate = dayOf(first, loc).AddDate(0, 0, -1)
	return r, nil
}

// isLedger reports the formats with an opening balance.
func isLedger(f Format) bool { return f == Hledger || f == Beancount || f == QIF }

// write writes the whole export and flushes it.
func (r *run) write() (int, error) {
	r.f.head(r)
	if err := r.flush(); err != nil {
		return 0, err
	}
	balance := r.openingCents
	for _, i := range r.order {
		tx := &r.txs[i]
		balance += tx.Amount
		if r.known[tx.ID] {
			continue
		}
		r.cur, r.balanceAfter = int(i), balance
		if r.balanceList != nil {
			r.balanceAfter = r.balanceList[i]
		}
		r.f.entry(r, tx)
		r.written++
		if err := r.flush(); err != nil {
			return 0, err
		}
	}
	r.f.tail(r)
	if err := r.flush(); err != nil {
		return 0, err
	}
	if err := r.w.Flush(); err != nil {
		return 0, fmt.Errorf("export: write: %w", err)
	}
	return r.written, nil
}

// flush hands the entry built in r.buf to the buffered writer.
func (r *run) flush() error {
	if len(r.buf) == 0 {
		return nil
	}
	_, err := r.w.Write(r.buf)
	r.buf = r.buf[:0]
	if err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	return nil
}

// pending counts the bookings this run would write.
func (r *run) pending() int {
	if len(r.known) == 0 {
		return len(r.txs)
	}
	n := 0
	for i := range r.txs {
		if !r.known[r.txs[i].ID] {
			n++
		}
	}
	return n
}

// chronological returns the indices of txs oldest first: by booking date,
// then id. The bank's newest-first order is reversed without sorting.
func chronological(txs []api.Transaction) []int32 {
	order := make([]int32, len(txs))
	less := func(a, b *api.Transaction) int {
		if c := a.BookingDate.Compare(b.BookingDate.Time); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
	descending := true
	for i := 1; i < len(txs); i++ {
		if less(&txs[i-1], &txs[i]) < 0 {
			descending = false
			break
		}
	}
	for i := range order {
		if descending {
			order[i] = int32(len(txs) - 1 - i)
		} else {
			order[i] = int32(i)
		}
	}
	if !descending {
		slices.SortStableFunc(order, func(a, b int32) int { return less(&txs[a], &txs[b]) })
	}
	return order
}

// dayOf is midnight in loc of the day t falls on there.
func dayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
