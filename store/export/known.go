package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// KnownIDs reads the bank ids of the bookings an existing export holds, as
// konto wrote them: the tag konto-id:901200 in hledger comments, the
// metadata konto-id: "901200" in beancount, the id column in CSV and TSV,
// id in JSON, N in QIF. It reads only what identifies konto's entries, so a
// file the user edited (entries reordered, comments or entries of their own
// added, konto's entries commented out, which then count as held) still
// reads; a file that is not of the format is refused with a sentence.
func KnownIDs(r io.Reader, format Format) (map[int64]bool, error) {
	ex, err := scan(r, format)
	if err != nil {
		return nil, err
	}
	return ex.ids, nil
}

// existing is what Append needs to know of a file.
type existing struct {
	ids      map[int64]bool
	openings map[int64]bool    // bank accounts whose opening balance the file holds (ledgers)
	opened   map[string]bool   // accounts a beancount file opens
	asserted map[string]string // a beancount account's latest balance assertion date, YYYY-MM-DD
	tail                       // of the bytes read
}

// tail follows the bytes of a file: its size, its last byte, and its last
// two bytes other than white space with their offsets.
type tail struct {
	size           int64
	last           byte
	nonWS, prevNWS byte
	nonWSAt        int64 // offset of nonWS, -1 if none
	prevNWSAt      int64 // offset of prevNWS, -1 if none
}

// empty reports a file of nothing but white space.
func (t *tail) empty() bool { return t.nonWSAt < 0 }

type tailReader struct {
	r io.Reader
	t *tail
}

func (tr tailReader) Read(p []byte) (int, error) {
	n, err := tr.r.Read(p)
	t := tr.t
	for i, c := range p[:n] {
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			t.prevNWS, t.prevNWSAt = t.nonWS, t.nonWSAt
			t.nonWS, t.nonWSAt = c, t.size+int64(i)
		}
	}
	if n > 0 {
		t.last = p[n-1]
		t.size += int64(n)
	}
	return n, err
}

// scan reads a whole export file of the format.
func scan(r io.Reader, format Format) (*existing, error) {
	ex := &existing{
		ids:      make(map[int64]bool),
		openings: make(map[int64]bool),
		opened:   make(map[string]bool),
		asserted: make(map[string]string),
		tail:     tail{nonWSAt: -1, prevNWSAt: -1},
	}
	tr := tailReader{r: r, t: &ex.tail}
	var err error
	switch format {
	case Hledger:
		err = ex.scanHledger(tr)
	case Beancount:
		err = ex.scanBeancount(tr)
	case CSV:
		err = ex.scanCSV(tr)
	case TSV:
		err = ex.scanTSV(tr)
	case JSON:
		err = ex.scanJSON(tr)
	case QIF:
		err = ex.scanQIF(tr)
	default:
		_, err = ParseFormat(string(format))
		return nil, err
	}
	if err == nil {
		// Read to the end, so that the tail is the file's.
		_, err = io.Copy(io.Discard, tr)
	}
	if err != nil {
		return nil, fmt.Errorf("read the existing %s export: %w", format, err)
	}
	return ex, nil
}

// eachLine calls fn with every line of r, without its line break.
func eachLine(r io.Reader, fn func(n int, line []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte // a line longer than the buffer
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		for errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, line...)
			line, err = br.ReadSlice('\n')
		}
		if long != nil {
			line = append(long, line...)
			long = nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(line) > 0 || err == nil {
			line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'})
			if ferr := fn(n, line); ferr != nil {
				return ferr
			}
		}
		if err != nil {
			return nil
		}
	}
}

var (
	kontoMark        = []byte("konto-")
	beancountIDMark  = []byte("konto-id:")
	beancountOpenKey = []byte("konto-opening:")
)

// scanHledger reads the konto-id and konto-opening tags wherever hledger
// sees tags (transaction, posting and comment lines) and in comment blocks
// and top-level comments, where a commented-out entry lives. Bank text can
// never be read as such a tag: it holds no ';', so it cannot start a
// comment, and in tag values no ',', so it cannot start another tag.
func (ex *existing) scanHledger(r io.Reader) error {
	inBlock := false
	return eachLine(r, func(n int, line []byte) error {
		if !bytes.Contains(line, kontoMark) && !inBlock {
			if bytes.Equal(bytes.TrimRight(line, " \t"), []byte("comment")) {
				inBlock = true
			}
			return nil
		}
		trimmed := bytes.TrimLeft(line, " \t")
		var comment []byte
		switch {
		case inBlock:
			if bytes.Equal(bytes.TrimRight(trimmed, " \t"), []byte("end comment")) {
				inBlock = false
				return nil
			}
			comment = line
		case bytes.HasPrefix(trimmed, []byte(`konto-id: "`)) || bytes.HasPrefix(trimmed, []byte(`konto-id:"`)):
			return fmt.Errorf("line %d holds beancount metadata: this is a beancount file, not an hledger journal", n)
		case len(line) > 0 && (line[0] == ';' || line[0] == '#' || line[0] == '*'):
			comment = line[1:]
		default:
			if i := bytes.IndexByte(trimmed, ';'); i >= 0 {
				comment = trimmed[i+1:]
			}
		}
		hledgerTags(comment, func(name, value []byte) {
			switch string(name) {
			case "konto-id":
				if id, ok := parseID(value); ok {
					ex.ids[id] = true
				}
			case "konto-opening":
				if id, ok := parseID(value); ok {
					ex.openings[id] = true
				}
			}
		})
		return nil
	})
}

// hledgerTags finds the tags in a comment as hledger does: a tag's name is
// the last word before a colon, its value runs to the next comma.
func hledgerTags(c []byte, fn func(name, value []byte)) {
	for {
		colon := bytes.IndexByte(c, ':')
		if colon < 0 {
			return
		}
		before := c[:colon]
		name := before[bytes.LastIndexAny(before, " \t")+1:]
		c = c[colon+1:]
		if len(name) == 0 {
			continue
		}
		value := c
		if comma := bytes.IndexByte(c, ','); comma >= 0 {
			value, c = c[:comma], c[comma+1:]
		} else {
			c = nil
		}
		fn(name, bytes.TrimSpace(value))
	}
}

// parseID reads a bank id: digits only, optionally quoted.
func parseID(b []byte) (int64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = bytes.TrimSpace(b[1 : len(b)-1])
	}
	if len(b) == 0 {
		return 0, false
	}
	var id int64
	for _, c := range b {
		d := int64(c - '0')
		if c < '0' || c > '9' || id > (math.MaxInt64-d)/10 {
			return 0, false
		}
		id = id*10 + d
	}
	return id, true
}

// scanBeancount reads the konto-id and konto-opening metadata (lines of their
// own, so bank text, which is always inside a string on a line that starts
// with a date, cannot pose as one; a line commented out with ';' still
// counts), the accounts the file opens and the dates of its balance
// assertions.
func (ex *existing) scanBeancount(r io.Reader) error {
	return eachLine(r, func(n int, line []byte) error {
		if len(line) >= 10 && line[0] >= '0' && line[0] <= '9' {
			// 2018-08-05 open Assets:Bank:Kontist:Main EUR
			// 2026-11-26 balance Assets:Bank:Kontist:Main  1000.00 EUR
			if f := bytes.Fields(line); len(f) >= 3 {
				switch string(f[1]) {
				case "open":
					ex.opened[string(f[2])] = true
				case "balance":
					if date := string(f[0]); date > ex.asserted[string(f[2])] {
						ex.asserted[string(f[2])] = date
					}
				}
			}
			return nil
		}
		if !bytes.Contains(line, kontoMark) {
			return nil
		}
		rest := bytes.TrimLeft(line, " \t")
		commented := len(rest) > 0 && rest[0] == ';'
		rest = bytes.TrimLeft(rest, "; \t")
		var key []byte
		switch {
		case bytes.HasPrefix(rest, beancountIDMark):
			key = beancountIDMark
		case bytes.HasPrefix(rest, beancountOpenKey):
			key = beancountOpenKey
		default:
			return nil
		}
		value := rest[len(key):]
		if commented && len(value) > 0 && value[0] >= '0' && value[0] <= '9' {
			return fmt.Errorf("line %d holds an hledger tag: this is an hledger journal, not a beancount file", n)
		}
		if i := bytes.IndexByte(value, ';'); i >= 0 {
			value = value[:i] // a comment after the value
		}
		if id, ok := parseID(value); ok {
			if bytes.Equal(key, beancountIDMark) {
				ex.ids[id] = true
			} else {
				ex.openings[id] = true
			}
		}
		return nil
	})
}

// checkHeader refuses a header whose first columns are not konto's, since
// appended rows would not line up with it.
func checkHeader(header []string) error {
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	for i, c := range Columns {
		if i >= len(header) || strings.TrimSpace(header[i]) != c {
			return fmt.Errorf("its first line is not konto's header (%s, …): rows added to it would not line up", strings.Join(Columns[:3], ", "))
		}
	}
	return nil
}

// idColumn is the position of "id" in Columns.
const idColumn = 1

func (ex *existing) scanCSV(r io.Reader) error {
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a line of white space
		}
		if header {
			if err := checkHeader(rec); err != nil {
				return err
			}
			header = false
			continue
		}
		if len(rec) > idColumn {
			if id, ok := parseID([]byte(rec[idColumn])); ok {
				ex.ids[id] = true
			}
		}
	}
}

func (ex *existing) scanTSV(r io.Reader) error {
	header := true
	return eachLine(r, func(n int, line []byte) error {
		if len(bytes.TrimSpace(line)) == 0 {
			return nil
		}
		if header {
			header = false
			return checkHeader(strings.Split(string(line), "\t"))
		}
		fields := bytes.SplitN(line, []byte{'\t'}, idColumn+2)
		if len(fields) > idColumn {
			if id, ok := parseID(fields[idColumn]); ok {
				ex.ids[id] = true
			}
		}
		return nil
	})
}

func (ex *existing) scanJSON(r io.Reader) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil // empty
	}
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errors.New("it is not a JSON array, as konto writes")
	}
	var elem struct {
		ID json.RawMessage `json:"id"`
	}
	for dec.More() {
		elem.ID = nil
		if err := dec.Decode(&elem); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				continue // not an object: not konto's
			}
			return fmt.Errorf("not JSON: %w", err)
		}
		if id, ok := parseID(elem.ID); ok {
			ex.ids[id] = true
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("there is more after the JSON array")
	}
	return nil
}

func (ex *existing) scanQIF(r io.Reader) error {
	started := false
	return eachLine(r, func(n int, line []byte) error {
		if !started {
			if len(bytes.TrimSpace(line)) == 0 {
				return nil
			}
			if line[0] != '!' {
				return errors.New("it does not start with a QIF header such as !Type:Bank")
			}
			started = true
		}
		if len(line) > 1 && line[0] == 'N' {
			if id, ok := parseID(line[1:]); ok {
				ex.ids[id] = true
			}
		}
		return nil
	})
}
