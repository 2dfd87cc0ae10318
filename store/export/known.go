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
	// Only the last two bytes other than white space matter: look for them
	// from the end of what was read.
	found := 0
	var at [2]int
	for i := n - 1; i >= 0 && found < 2; i-- {
		switch p[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			at[found] = i
			found++
		}
	}
	switch found {
	case 2:
		t.prevNWS, t.prevNWSAt = p[at[1]], t.size+int64(at[1])
		t.nonWS, t.nonWSAt = p[at[0]], t.size+int64(at[0])
	case 1:
		t.prevNWS, t.prevNWSAt = t.nonWS, t.nonWSAt
		t.nonWS, t.nonWSAt = p[at[0]], t.size+int64(at[0])
	}
	if n > 0 {
		t.last = p[n-1]
		t.size += int64(n)
	}
	return n, err
}

// scan reads a whole export file of the format.
func scan(r io.Reader, format Format) (*existing, error) {
	format, err := ParseFormat(string(format))
	if err != nil {
		return nil, err
	}
	ex := &existing{
		ids:      make(map[int64]bool),
		openings: make(map[int64]bool),
		opened:   make(map[string]bool),
		asserted: make(map[string]string),
		tail:     tail{nonWSAt: -1, prevNWSAt: -1},
	}
	tr := tailReader{r: r, t: &ex.tail}
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
			date, rest := nextField(line)
			keyword, rest := nextField(rest)
			account, _ := nextField(rest)
			if len(account) == 0 {
				return nil
			}
			switch string(keyword) {
			case "open":
				ex.opened[string(account)] = true
			case "balance":
				if string(date) > ex.asserted[string(account)] {
					ex.asserted[string(account)] = string(date)
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

// nextField splits off the first field of b separated by spaces or tabs.
func nextField(b []byte) (field, rest []byte) {
	b = bytes.TrimLeft(b, " \t")
	if i := bytes.IndexAny(b, " \t"); i >= 0 {
		return b[:i], b[i:]
	}
	return b, nil
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
		rest := line
		for range idColumn {
			i := bytes.IndexByte(rest, '\t')
			if i < 0 {
				return nil
			}
			rest = rest[i+1:]
		}
		if i := bytes.IndexByte(rest, '\t'); i >= 0 {
			rest = rest[:i]
		}
		if id, ok := parseID(rest); ok {
			ex.ids[id] = true
		}
		return nil
	})
}

// scanJSON reads the "id" of each object in the top-level array. It does not
// decode the elements (encoding/json takes over a second for 100,000): it
// follows the nesting, strings and escapes, refusing what does not nest as
// JSON does, and takes the value of each element's key "id".
func (ex *existing) scanJSON(r io.Reader) error {
	var js jsonScan
	buf := make([]byte, 64<<10)
	var offset int64
	for {
		n, err := r.Read(buf)
		if ferr := js.feed(ex, buf[:n], offset); ferr != nil {
			return ferr
		}
		offset += int64(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if js.started && (!js.closed || js.inString) {
		return errors.New("not JSON: the array does not end")
	}
	return nil
}

// jsonScan is the state of scanJSON between chunks.
type jsonScan struct {
	stack    []byte // the open '[' and '{'
	started  bool   // the top-level array was opened
	closed   bool   // and closed again
	inString bool
	escaped  bool   // the last byte was a backslash in a string
	keyNext  bool   // in an element, the next string is a key
	inKey    bool   // reading a key of an element
	key      []byte // that key, up to a few bytes
	inID     bool   // reading the value of an element's "id"
	value    []byte
	id       int64 // the element's id so far: its last "id" key wins, as in encoding/json
	hasID    bool
}

// element reports being directly inside an object of the top-level array.
func (js *jsonScan) element() bool { return len(js.stack) == 2 && js.stack[1] == '{' }

func (js *jsonScan) endID() {
	js.id, js.hasID = parseID(js.value)
	js.inID, js.value = false, js.value[:0]
}

// isIDKey reports a key that reads "id", escapes decoded.
func isIDKey(raw []byte) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw) == "id"
	}
	var key string
	return len(raw) < 16 && json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &key) == nil && key == "id"
}

func (js *jsonScan) feed(ex *existing, chunk []byte, offset int64) error {
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		if js.inString {
			// Skip to the string's end: the next quote not escaped.
			rest := chunk[i:]
			j := bytes.IndexByte(rest, '"')
			for j >= 0 && escapedAt(rest, j, js.escaped) {
				k := bytes.IndexByte(rest[j+1:], '"')
				if k < 0 {
					j = -1
					break
				}
				j += k + 1
			}
			text := rest
			if j >= 0 {
				text = rest[:j]
			}
			if js.inKey && len(js.key) < 16 {
				js.key = append(js.key, text[:min(len(text), 16-len(js.key))]...)
			}
			if js.inID && len(js.value) < 32 {
				js.value = append(js.value, text[:min(len(text), 32-len(js.value))]...)
			}
			if j < 0 {
				// The chunk ends inside the string, maybe after a backslash.
				js.escaped = escapedAt(rest, len(rest), js.escaped)
				return nil
			}
			if js.inID {
				js.value = append(js.value, '"')
			}
			js.inString, js.inKey, js.escaped = false, false, false
			i += j
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if js.closed {
			return errors.New("there is more after the JSON array")
		}
		if !js.started {
			if c != '[' {
				return errors.New("it is not a JSON array, as konto writes")
			}
			js.started = true
		}
		switch c {
		case '"':
			js.inString = true
			if js.element() && js.keyNext {
				js.inKey, js.keyNext, js.key = true, false, js.key[:0]
			}
			if js.inID {
				js.value = append(js.value, c)
			}
		case '[', '{':
			js.inID, js.value = false, js.value[:0] // an object or array as id: not konto's
			js.stack = append(js.stack, c)
			js.keyNext = js.element()
		case ']', '}':
			open := byte('[')
			if c == '}' {
				open = '{'
			}
			if len(js.stack) == 0 || js.stack[len(js.stack)-1] != open {
				return fmt.Errorf("not JSON: unexpected %q at byte %d", c, offset+int64(i))
			}
			if js.element() {
				if js.inID {
					js.endID()
				}
				if js.hasID {
					ex.ids[js.id] = true
				}
				js.hasID = false
			}
			js.stack = js.stack[:len(js.stack)-1]
			js.closed = len(js.stack) == 0
		case ':':
			if js.element() && isIDKey(js.key) {
				js.inID, js.value, js.hasID = true, js.value[:0], false
			}
			js.key = js.key[:0]
		case ',':
			if js.element() {
				if js.inID {
					js.endID()
				}
				js.keyNext = true
			}
		default:
			if js.inID && len(js.value) < 32 {
				js.value = append(js.value, c)
			}
		}
	}
	return nil
}

// escapedAt reports whether b[j] is escaped: an odd run of backslashes
// before it, counting the one that escapes b[0] when carried is set (the
// chunk before ended in an odd run).
func escapedAt(b []byte, j int, carried bool) bool {
	n := 0
	for k := j; k > 0 && b[k-1] == '\\'; k-- {
		n++
	}
	if carried && n == j {
		n++
	}
	return n%2 == 1
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
