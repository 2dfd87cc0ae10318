package export

import (
	"bytes"
	"encoding/json"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"konto/api"
	"konto/store/rules"
)

// jsonWriter writes one JSON array of the bank's own transactions, one per
// line, in the wire's field names, key order and units (cents, timestamps
// as the API writes them): api.Transaction's own encoding. Bank text is
// carried unchanged; the C1 controls and format characters (bidi overrides,
// zero-width characters) that encoding/json leaves raw are written as \u
// escapes, so printing the array to a terminal cannot drive it, and a JSON
// reader still gets the exact text.
type jsonWriter struct {
	enc  *json.Encoder
	data bytes.Buffer
}

func (j *jsonWriter) head(r *run) {
	j.enc = json.NewEncoder(&j.data)
	j.enc.SetEscapeHTML(false)
	if !r.appending {
		r.buf = append(r.buf, '[')
	}
}

func (j *jsonWriter) entry(r *run, tx *api.Transaction) {
	j.data.Reset()
	var res rules.Result
	if r.results != nil {
		res = r.results[r.cur]
		if res.Category != "" {
			copied := *tx
			copied.Category = &res.Category // the bank's is always null
			tx = &copied
		}
	}
	if err := j.enc.Encode(tx); err != nil {
		// api.Transaction has no field that fails to encode.
		panic("export: encode a transaction: " + err.Error())
	}
	if r.results != nil || r.balances {
		// What konto knows of the booking, after the bank's fields:
		// "tags": [], "note": null, "marked": false, "balanceAfter": cents.
		obj := bytes.Clone(bytes.TrimSuffix(bytes.TrimSuffix(j.data.Bytes(), []byte{'\n'}), []byte{'}'}))
		extra := map[string]any{}
		if r.results != nil {
			tags := res.Tags
			if tags == nil {
				tags = []string{}
			}
			var note *string
			if res.Note != "" {
				note = &res.Note
			}
			extra["tags"], extra["note"], extra["marked"] = tags, note, res.Marked
		}
		if r.balances {
			extra["balanceAfter"] = r.balanceAfter
		}
		more, err := json.Marshal(extra) // keys sorted: balanceAfter, marked, note, tags
		if err != nil {
			panic("export: encode labels: " + err.Error())
		}
		obj = append(obj, ',')
		obj = append(obj, more[1:]...)
		j.data.Reset()
		j.data.Write(obj)
	}
	if r.written > 0 || r.jsonFilled {
		r.buf = append(r.buf, ',')
	}
	r.buf = append(r.buf, '\n')
	r.buf = appendJSONSafe(r.buf, bytes.TrimSuffix(j.data.Bytes(), []byte{'\n'}))
}

func (j *jsonWriter) tail(r *run) {
	if r.written > 0 || r.jsonFilled {
		r.buf = append(r.buf, '\n')
	}
	r.buf = append(r.buf, "]\n"...)
}

// appendJSONSafe appends encoded JSON with C1 controls and format
// characters escaped. They can only occur inside strings.
func appendJSONSafe(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) {
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				dst = appendU(appendU(dst, r1), r2)
			} else {
				dst = appendU(dst, r)
			}
		} else {
			dst = append(dst, src[i:i+size]...)
		}
		i += size
	}
	return dst
}

func appendU(dst []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

// AppendJSONSafe appends encoded JSON (src) to dst with the C1 controls and
// format characters escaped, as the JSON export writes them: for other JSON
// of bank text printed where a terminal may show it.
func AppendJSONSafe(dst, src []byte) []byte { return appendJSONSafe(dst, src) }
