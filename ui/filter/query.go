// Package filter parses the transaction list's `/` filter line into a Query
// and matches it fast against an Index of transactions built once per list.
package filter

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"konto/store/amount"
	"konto/store/period"
)

// Query is a parsed filter line. Every part must match (AND).
type Query struct {
	terms []string // folded free-text words and phrases
	// ibanTerms[i] is terms[i] without spaces if it has any ("de06 1101"
	// matches an IBAN stored without spaces), else "".
	ibanTerms []string
	amounts   []amountCond // signed cents
	dates     []dateCond   // local calendar days as yyyymmdd
	types     []string     // folded booking type / payment method, '_' removed
	in, out   bool         // only incoming / only outgoing money
	labels    labelConds   // cat:, tag:, note:, marked, uncategorised (labels.go)
	// canonical holds each part as String shows it, in the order typed.
	canonical []string
}

// amountCond is lo <= amount <= hi in cents (inclusive; open ends use the
// int64 limits).
type amountCond struct{ lo, hi int64 }

// dateCond is lo <= day <= hi with days written as yyyymmdd.
type dateCond struct{ lo, hi int32 }

// Parse reads a filter line. Words are free-text terms, ANDed, matched case-
// and accent-insensitively against the counterparty's name, the purpose, the
// end-to-end id and the IBAN (spaces ignored); "quoted phrases" are one term.
// Tokens:
//
//	amt:>100 amt:<-50 amt:>=10 amt:<=5 amt:=12,50 amt:12,50 amt:100..200
//	date:2026 date:2026-11 date:2026-11-25 date:2026-01..2026-03 date:2026-Q3
//	date:lastmonth date:thisyear date:ytd date:20.11.2026 date:11.2026 date:2026-11..
//	in out type:direct_debit type:card
//	cat:rent tag:tax note:"paid late" marked uncategorised
//
// Amounts are signed euros with German or English decimals (store/amount);
// dates are calendar days in the Index's location, read by store/period with
// relative names counted from today. An unknown key (foo:bar) is free text; a
// malformed token is a *TokenError naming it ("amt:>abc: not an amount"), one
// that more typing can still complete ("date:2026-1") is Unfinished.
func Parse(s string, today period.Date) (Query, error) {
	var q Query
	for _, w := range split(s) {
		if w.quoted {
			q.addTerm(w.text, true)
			continue
		}
		lower := strings.ToLower(w.text)
		switch {
		case lower == "in":
			q.in = true
			q.canonical = append(q.canonical, "in")
		case lower == "out":
			q.out = true
			q.canonical = append(q.canonical, "out")
		case lower == "marked":
			q.labels.marked = true
			q.canonical = append(q.canonical, "marked")
		case lower == "uncategorised" || lower == "uncategorized" || lower == "uncat":
			q.labels.uncategorised = true
			q.canonical = append(q.canonical, "uncategorised")
		case hasLabelKey(lower):
			key, value, _ := strings.Cut(w.text, ":")
			key = labelKeys[strings.ToLower(key)]
			v := fold(value)
			if v == "" {
				return Query{}, &TokenError{Token: w.text, Err: errNoValue, Unfinished: true}
			}
			switch key {
			case "cat":
				q.labels.cats = append(q.labels.cats, v)
			case "tag":
				q.labels.tags = append(q.labels.tags, v)
			default:
				q.labels.notes = append(q.labels.notes, v)
			}
			if strings.ContainsFunc(value, unicode.IsSpace) {
				value = `"` + value + `"`
			}
			q.canonical = append(q.canonical, key+":"+value)
		case strings.HasPrefix(lower, "amt:"):
			value := w.text[len("amt:"):]
			c, canon, err := parseAmountCond(value)
			if err != nil {
				return Query{}, &TokenError{Token: w.text, Err: err, Unfinished: amount.Unfinished(value)}
			}
			q.amounts = append(q.amounts, c)
			q.canonical = append(q.canonical, "amt:"+canon)
		case strings.HasPrefix(lower, "date:"):
			value := w.text[len("date:"):]
			c, err := parseDateCond(value, today)
			if err != nil {
				return Query{}, &TokenError{Token: w.text, Err: err, Unfinished: period.Unfinished(value, today)}
			}
			q.dates = append(q.dates, c)
			q.canonical = append(q.canonical, "date:"+strings.ToLower(value))
		case strings.HasPrefix(lower, "type:"):
			t := foldType(w.text[len("type:"):])
			if t == "" {
				return Query{}, &TokenError{Token: w.text, Err: errNoType, Unfinished: true}
			}
			q.types = append(q.types, t)
			q.canonical = append(q.canonical, "type:"+strings.ToLower(w.text[len("type:"):]))
		default:
			q.addTerm(w.text, false)
		}
	}
	return q, nil
}

func (q *Query) addTerm(text string, quoted bool) {
	f := fold(text)
	if f == "" || f == " " {
		return
	}
	q.terms = append(q.terms, f)
	nospace := ""
	if strings.Contains(f, " ") {
		nospace = strings.ReplaceAll(f, " ", "")
	}
	q.ibanTerms = append(q.ibanTerms, nospace)
	if quoted {
		q.canonical = append(q.canonical, `"`+text+`"`)
	} else {
		q.canonical = append(q.canonical, text)
	}
}

// TokenError is a token of the filter line that does not parse.
type TokenError struct {
	Token string // as typed: "amt:>abc"
	Err   error  // why: "not an amount"
	// Unfinished reports a token that more typing can still make valid
	// ("amt:", "amt:12,", "date:2026-1"): it is being typed, not wrong.
	Unfinished bool
}

func (e *TokenError) Error() string {
	if e.Unfinished {
		return e.Token + " is unfinished"
	}
	return e.Token + ": " + e.Err.Error()
}

func (e *TokenError) Unwrap() error { return e.Err }

// labelKeys maps the keys of label tokens, as typed, to their canonical
// names.
var labelKeys = map[string]string{"cat": "cat", "category": "cat", "tag": "tag", "tags": "tag", "note": "note"}

func hasLabelKey(lower string) bool {
	key, _, ok := strings.Cut(lower, ":")
	_, known := labelKeys[key]
	return ok && known
}

// IsEmpty reports a query that matches everything.
func (q Query) IsEmpty() bool {
	return len(q.terms) == 0 && len(q.amounts) == 0 && len(q.dates) == 0 &&
		len(q.types) == 0 && !q.in && !q.out && q.labels.empty()
}

// String returns the query normalised for display: one space between parts,
// keywords lower case, amounts in German notation.
func (q Query) String() string { return strings.Join(q.canonical, " ") }

// word is one part of the filter line.
type word struct {
	text   string
	quoted bool
}

// split cuts s at white space, keeping "quoted phrases" (straight or curly
// quotes; an unterminated quote runs to the end) as one word.
func split(s string) []word {
	var words []word
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '"' || r == '“' || r == '„':
			start := i + size
			end := strings.IndexAny(s[start:], "\"”“")
			if end < 0 {
				words = append(words, word{text: strings.TrimSpace(s[start:]), quoted: true})
				return words
			}
			words = append(words, word{text: strings.TrimSpace(s[start : start+end]), quoted: true})
			_, qs := utf8.DecodeRuneInString(s[start+end:])
			i = start + end + qs
		default:
			end := strings.IndexFunc(s[i:], unicode.IsSpace)
			if end < 0 {
				end = len(s) - i
			}
			// key:"a phrase" is one token (note:"paid late").
			if colon := strings.IndexByte(s[i:i+end], ':'); colon >= 0 && labelKeys[strings.ToLower(s[i:i+colon])] != "" {
				start := i + colon + 1
				if q, qs := utf8.DecodeRuneInString(s[start:]); q == '"' || q == '“' || q == '„' {
					key := s[i:start]
					rest := s[start+qs:]
					close := strings.IndexAny(rest, "\"”“")
					if close < 0 {
						words = append(words, word{text: key + strings.TrimSpace(rest)})
						return words
					}
					words = append(words, word{text: key + strings.TrimSpace(rest[:close])})
					_, cs := utf8.DecodeRuneInString(rest[close:])
					i = start + qs + close + cs
					continue
				}
			}
			words = append(words, word{text: s[i : i+end]})
			i += end
		}
	}
	return words
}

// errNotAmount and errNoType end the error sentences of malformed tokens.
var (
	errNotAmount = amount.ErrNotAmount
	errNoType    = errors.New("no type given")
	errNoValue   = errors.New("nothing to look for")
)

// parseAmountCond reads the part after "amt:" (store/amount).
func parseAmountCond(s string) (amountCond, string, error) {
	r, canon, err := amount.Parse(s)
	return amountCond{r.Lo, r.Hi}, canon, err
}

func parseSignedAmount(s string) (int64, error) { return amount.ParseSigned(s) }

// parseDateCond reads the part after "date:" (store/period): a day, week,
// month, quarter or year, a relative name (lastmonth), or a range of them,
// inclusive at both ends.
func parseDateCond(s string, today period.Date) (dateCond, error) {
	p, err := period.Parse(s, today)
	if err != nil {
		return dateCond{}, err
	}
	return dateCond{p.From.Key(), p.To.Key()}, nil
}

// Narrows reports that every booking q matches, prev matches too, so that
// q's result can be looked for among prev's alone: each part of prev is
// implied by a part of q (a term contained in one of q's terms, an amount or
// date range containing one of q's). Typing at the end of the filter line
// usually narrows; an empty prev (all) is narrowed by everything, but
// gains nothing.
func (q Query) Narrows(prev Query) bool {
	if (prev.in && !q.in) || (prev.out && !q.out) ||
		(prev.labels.marked && !q.labels.marked) || (prev.labels.uncategorised && !q.labels.uncategorised) {
		return false
	}
	return allImplied(prev.terms, q.terms, strings.Contains) &&
		allImplied(prev.types, q.types, strings.Contains) &&
		allImplied(prev.labels.cats, q.labels.cats, strings.Contains) &&
		allImplied(prev.labels.tags, q.labels.tags, strings.Contains) &&
		allImplied(prev.labels.notes, q.labels.notes, strings.Contains) &&
		allImplied(prev.amounts, q.amounts, func(c, p amountCond) bool { return p.lo <= c.lo && c.hi <= p.hi }) &&
		allImplied(prev.dates, q.dates, func(c, p dateCond) bool { return p.lo <= c.lo && c.hi <= p.hi })
}

// allImplied reports that for each of prev there is one of cur with
// implies(cur, prev).
func allImplied[T any](prev, cur []T, implies func(cur, prev T) bool) bool {
	for _, p := range prev {
		found := false
		for _, c := range cur {
			if implies(c, p) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
