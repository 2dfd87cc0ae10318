package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"konto/api"
	"konto/api/sepa"
)

// fields is a request body as raw JSON values by key. Reading keys one by one
// (instead of decoding into a struct) lets the bank tell an absent key from
// null, refuse 12.5 or "12" as an amount and name the field at fault; unknown
// keys are simply never read.
type fields map[string]json.RawMessage

// parseObject reads a JSON object. An empty body (or null) is an empty object
// when allowEmpty, else a malformed request.
func parseObject(body []byte, allowEmpty bool) (fields, *failure) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		if allowEmpty {
			return fields{}, nil
		}
		return nil, fail(http.StatusBadRequest, api.CodeMalformed, "the request needs a JSON object as its body")
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD, so a
	// payment could book text the client never sent: refuse it instead.
	if !utf8.Valid(trimmed) {
		var f fields
		if json.Unmarshal(trimmed, &f) == nil {
			for key, raw := range f {
				if !utf8.Valid(raw) {
					return nil, invalid(key, key+" is not valid UTF-8")
				}
			}
		}
		return nil, fail(http.StatusBadRequest, api.CodeMalformed, "the request body is not valid UTF-8")
	}
	var f fields
	if err := json.Unmarshal(trimmed, &f); err != nil {
		return nil, fail(http.StatusBadRequest, api.CodeMalformed, "the request body is not a JSON object: "+jsonProblem(err))
	}
	if f == nil {
		f = fields{}
	}
	return f, nil
}

// jsonProblem describes a JSON error without echoing the body.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("syntax error at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		return "expected an object, got " + typ.Value
	}
	return "unexpected end of input"
}

// present reports whether key is in the body and not null.
func (f fields) present(key string) bool {
	raw, ok := f[key]
	return ok && !isNull(raw)
}

func (f fields) has(key string) bool { _, ok := f[key]; return ok }

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// str reads a string; absent or null gives nil (or 400 if required).
func (f fields) str(key string, required bool) (*string, *failure) {
	raw, ok := f[key]
	if !ok || isNull(raw) {
		if required {
			return nil, invalid(key, key+" is required")
		}
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, invalid(key, key+" must be a string")
	}
	return &s, nil
}

// text reads a text of at most max characters. A payment's own texts
// (recipient, note, e2eId) keep to api/sepa's rules for their field, the
// very check the payment forms run as the user types (its own length
// included), so the bank and the forms cannot disagree; any other text must
// be printable.
func (f fields) text(key string, required bool, max int) (*string, *failure) {
	s, bad := f.str(key, required)
	if bad != nil || s == nil {
		return s, bad
	}
	if required && strings.TrimSpace(*s) == "" {
		return nil, invalid(key, key+" is required")
	}
	if field, ok := paymentText(key); ok {
		if err := field.Validate(*s); err != nil {
			return nil, invalid(key, err.Error())
		}
		return s, nil
	}
	if err := sepa.ValidateText(*s, max); err != nil {
		return nil, invalid(key, key+" "+err.Error())
	}
	return s, nil
}

// paymentText is the SEPA field a payment's text key is.
func paymentText(key string) (sepa.TextField, bool) {
	switch key {
	case "recipient":
		return sepa.FieldRecipient, true
	case "note":
		return sepa.FieldNote, true
	case "e2eId":
		return sepa.FieldE2EID, true
	}
	return 0, false
}

// iban reads a required IBAN and returns it normalised.
func (f fields) iban(key string) (string, *failure) {
	s, bad := f.str(key, true)
	if bad != nil {
		return "", bad
	}
	if err := sepa.ValidateIBAN(*s); err != nil {
		return "", invalid(key, err.Error())
	}
	return sepa.NormalizeIBAN(*s), nil
}

// amount reads a required amount in cents: a JSON integer above zero.
func (f fields) amount(key string) (int64, *failure) {
	raw, ok := f[key]
	if !ok || isNull(raw) {
		return 0, invalid(key, key+" is required")
	}
	digits := string(bytes.TrimSpace(raw))
	if !isJSONInteger(digits) {
		return 0, invalid(key, key+" must be a whole number of euro cents")
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, invalid(key, key+" is too large")
	}
	if n <= 0 {
		return 0, invalid(key, key+" must be more than zero")
	}
	return n, nil
}

func isJSONInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// time reads an RFC 3339 timestamp; absent or null gives nil (or 400 if required).
func (f fields) time(key string, required bool) (*time.Time, *failure) {
	s, bad := f.str(key, required)
	if bad != nil || s == nil {
		return nil, bad
	}
	t, err := api.ParseTime(*s)
	if err != nil {
		return nil, invalid(key, key+` must be a date such as "2026-12-01T00:00:00.000Z"`)
	}
	return &t, nil
}

// paymentInput is the part every payment body shares.
type paymentInput struct {
	recipient string
	iban      string
	amount    int64
	note      *string
	e2eID     *string
}

// payment reads recipient, iban, amount, note and e2eId, in that order of
// complaint.
func (f fields) payment() (paymentInput, *failure) {
	var p paymentInput
	recipient, bad := f.text("recipient", true, sepa.MaxRecipientLen)
	if bad != nil {
		return p, bad
	}
	p.recipient = *recipient
	if p.iban, bad = f.iban("iban"); bad != nil {
		return p, bad
	}
	if p.amount, bad = f.amount("amount"); bad != nil {
		return p, bad
	}
	if p.note, bad = f.text("note", false, sepa.MaxNoteLen); bad != nil {
		return p, bad
	}
	if p.e2eID, bad = f.text("e2eId", false, sepa.MaxE2EIDLen); bad != nil {
		return p, bad
	}
	return p, nil
}

// differs names the first field in which a confirm's payload differs from the
// create's, or "". An omitted optional field equals null, and null equals "".
func (p paymentInput) differs(q paymentInput) string {
	switch {
	case p.recipient != q.recipient:
		return "recipient"
	case p.iban != q.iban:
		return "iban"
	case p.amount != q.amount:
		return "amount"
	case api.Str(p.note) != api.Str(q.note):
		return "note"
	case api.Str(p.e2eID) != api.Str(q.e2eID):
		return "e2eId"
	}
	return ""
}

// accountParam resolves the {account} path segment to one of the caller's
// accounts: unknown and foreign accounts are both 404.
// paymentCall reads what every payment creation starts with: the account in
// the path and the recipient, IBAN, amount, note and e2eId in the body.
func paymentCall(q *call) (*account, fields, paymentInput, *failure) {
	acc, bad := accountParam(q)
	if bad != nil {
		return nil, nil, paymentInput{}, bad
	}
	f, bad := parseObject(q.body, false)
	if bad != nil {
		return nil, nil, paymentInput{}, bad
	}
	pay, bad := f.payment()
	if bad != nil {
		return nil, nil, paymentInput{}, bad
	}
	// A bank does not move money from an account to itself: it would cost a
	// TAN and book two lines that cancel out.
	if pay.iban == sepa.NormalizeIBAN(acc.iban) {
		return nil, nil, paymentInput{}, invalid("iban",
			"iban is this account's own IBAN: a payment cannot go to the account it is sent from")
	}
	return acc, f, pay, nil
}

func accountParam(q *call) (*account, *failure) {
	id, err := strconv.ParseInt(q.params[0], 10, 64)
	if err != nil || q.user == nil {
		return nil, notFound("account")
	}
	acc := q.user.account(id)
	if acc == nil {
		return nil, notFound("account")
	}
	return acc, nil
}
