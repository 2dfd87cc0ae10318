package export

import (
	"errors"
	"fmt"
	"io"

	"konto/api"
)

// File is what Append needs of an export file; *os.File is one.
type File interface {
	io.ReadWriteSeeker
	Truncate(size int64) error
}

// Append adds to an existing export file the bookings of txs it does not
// hold yet (`konto export --new`), known by the ids KnownIDs reads from it,
// and returns how many it added. txs is the account's whole history, as for
// Write. A file of nothing but white space gets a complete export. When
// nothing is new the file is left as it was, byte for byte.
//
// The ledger formats get the account's opening balance (and beancount its
// open directives, for accounts the file does not open yet) only when the
// file holds neither the opening balance nor any booking of this account, so
// a second account can be added to the same ledger; beancount gets a new
// balance assertion dated the balance's day with an export that adds
// bookings, unless the file asserts that day or a later one already (an
// assertion counts the bookings before its day, so the day's first stays
// true as the day's bookings come in). CSV and TSV rows
// are added under the header (which must be konto's), JSON elements inside
// the array, QIF records at the end. The appended text always starts on a
// line of its own, also when the file's last line has no line break.
//
// A booking the bank shows late with a date before an earlier export's
// beancount assertion makes that assertion fail in bean-check: the file then
// holds a booking the bank's balance did not hold at the time.
//
// Append writes in place; a caller wanting the file unchanged on a failed
// write appends to a copy and renames it.
func Append(f File, acc Account, txs []api.Transaction, opt Options) (int, error) {
	r, err := newRun(f, acc, txs, opt)
	if err != nil {
		return 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("export: read the existing file: %w", err)
	}
	ex, err := scan(f, r.format)
	if err != nil {
		return 0, err
	}
	if ex.empty() {
		if ex.size > 0 {
			if err := f.Truncate(0); err != nil {
				return 0, fmt.Errorf("export: %w", err)
			}
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
		r.opening = true
		return r.write()
	}

	r.known, r.opened, r.appending = ex.ids, ex.opened, true
	if bw, ok := r.f.(*beancountWriter); ok {
		r.asserted = ex.asserted[bw.names.bank]
	}
	if r.format == Hledger || r.format == Beancount {
		r.opening = !ex.openings[acc.ID] && !r.holdsAny()
	}
	if r.pending() == 0 && !r.opening {
		return 0, nil
	}

	at := ex.size
	if r.format == JSON {
		if ex.nonWS != ']' || ex.prevNWSAt < 0 {
			return 0, errors.New("export: the existing JSON file does not end with its array's ']'")
		}
		at = ex.prevNWSAt + 1 // right after the last element, or after '['
		r.jsonFilled = ex.prevNWS != '['
		if err := f.Truncate(at); err != nil {
			return 0, fmt.Errorf("export: %w", err)
		}
	} else if ex.last != '\n' {
		r.buf = append(r.buf, '\n')
	}
	if _, err := f.Seek(at, io.SeekStart); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	return r.write()
}

// holdsAny reports whether the file holds any booking of txs.
func (r *run) holdsAny() bool {
	for i := range r.txs {
		if r.known[r.txs[i].ID] {
			return true
		}
	}
	return false
}
