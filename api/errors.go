package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Sentinels to match an *Error with errors.Is.
var (
	ErrBadRequest        = errors.New("bad request")
	ErrUnauthorized      = errors.New("unauthorized")
	ErrForbidden         = errors.New("forbidden")
	ErrNotFound          = errors.New("not found")
	ErrMethodNotAllowed  = errors.New("method not allowed")
	ErrNotAcceptable     = errors.New("not acceptable")
	ErrConflict          = errors.New("conflict")
	ErrExpired           = errors.New("request expired")
	ErrInsufficientFunds = errors.New("insufficient funds")
	ErrUnprocessable     = errors.New("refused by the bank")
	ErrRateLimited       = errors.New("rate limited")
	ErrServer            = errors.New("server error")
	ErrInvalidTAN        = errors.New("invalid TAN")
	ErrVoided            = errors.New("request voided")
	ErrLoginNeeded       = errors.New("login needed")
)

// Error codes the sandbox writes (Solaris style) and the client recognises.
const (
	CodeValidation        = "validation_error"
	CodeInvalidTAN        = "invalid_tan"
	CodeVoided            = "request_voided"
	CodeExpired           = "request_expired"
	CodeInsufficientFunds = "insufficient_funds"
	CodeUnauthorized      = "unauthorized"
	CodeForbidden         = "forbidden"
	CodeNotFound          = "not_found"
	CodeMethodNotAllowed  = "method_not_allowed"
	CodeNotAcceptable     = "not_acceptable"
	CodeConflict          = "conflict"
	CodeRateLimited       = "rate_limited"
	CodeServerError       = "server_error"
	CodeMalformed         = "malformed_request"
)

// Error is every failure the API answered with an HTTP status.
type Error struct {
	Status int    // HTTP status
	Code   string // machine-readable code, if the body had one
	Title  string // short summary
	Detail string // a sentence for the user, if the body had one
	Field  string // the request field at fault, if named
	// TriesLeft is the number of TAN attempts left, when the bank said so.
	TriesLeft int
	// RetryAfter is the wait the bank asked for on 429, in seconds (0 if none).
	RetryAfter int
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", e.Status)
	if e.Title != "" {
		b.WriteString(" " + e.Title)
	} else {
		b.WriteString(" " + http.StatusText(e.Status))
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Field != "" {
		b.WriteString(" (field " + e.Field + ")")
	}
	return b.String()
}

// Is matches the sentinels by status and code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.Status == http.StatusBadRequest
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrMethodNotAllowed:
		return e.Status == http.StatusMethodNotAllowed
	case ErrNotAcceptable:
		return e.Status == http.StatusNotAcceptable
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrExpired:
		return e.Status == http.StatusGone || e.Code == CodeExpired
	case ErrUnprocessable:
		return e.Status == http.StatusUnprocessableEntity
	case ErrInsufficientFunds:
		return e.Code == CodeInsufficientFunds
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500
	case ErrInvalidTAN:
		return e.Code == CodeInvalidTAN
	case ErrVoided:
		return e.Code == CodeVoided
	}
	return false
}

// ErrorBody is the Solaris-style error shape the sandbox writes and the client reads:
// {"errors":[{"id","status","code","title","detail","source":{"field"}}]}.
type ErrorBody struct {
	Errors []ErrorItem `json:"errors"`
}

// ErrorItem is one entry of ErrorBody.
type ErrorItem struct {
	ID     string       `json:"id"`
	Status int          `json:"status"`
	Code   string       `json:"code"`
	Title  string       `json:"title"`
	Detail string       `json:"detail"`
	Source *ErrorSource `json:"source"`
	// Meta carries extra facts, e.g. {"triesLeft": 2} for a wrong TAN.
	Meta map[string]any `json:"meta,omitempty"`
}

// ErrorSource names the request field at fault.
type ErrorSource struct {
	Field string `json:"field"`
}

// Message is a sentence for the user describing err (no raw JSON, no stack).
func Message(err error) string {
	if err == nil {
		return ""
	}
	// Transport-level outcomes the client reports (outcome.go).
	switch {
	case errors.Is(err, ErrOutcomeUnknown) && (errors.Is(err, ErrBadAnswer) || errors.Is(err, ErrAnswerTooLarge)):
		return "the bank took the request but its answer could not be read: the payment may or may not have been made; check the account before trying again"
	case errors.Is(err, ErrOutcomeUnknown):
		return "the connection failed before the bank answered: the payment may or may not have been made; check the account before trying again"
	case errors.Is(err, ErrBadAnswer):
		return "the bank's answer could not be read: try again"
	}
	var e *Error
	if errors.As(err, &e) {
		switch {
		case errors.Is(e, ErrInvalidTAN):
			if e.TriesLeft > 0 {
				return "wrong TAN, " + strconv.Itoa(e.TriesLeft) + plural(e.TriesLeft, " try", " tries") + " left"
			}
			return "wrong TAN"
		case errors.Is(e, ErrVoided):
			return "too many wrong TANs: the bank voided this request"
		case errors.Is(e, ErrExpired):
			return "the TAN has expired: start over"
		case errors.Is(e, ErrInsufficientFunds):
			return "not enough money on the account"
		case errors.Is(e, ErrUnauthorized):
			return "the bank did not accept the login: log in again"
		case errors.Is(e, ErrRateLimited):
			return "the bank asks to slow down: try again in a moment"
		case errors.Is(e, ErrServer):
			return "the bank's server failed (" + strconv.Itoa(e.Status) + "): try again"
		}
		if e.Detail != "" {
			return e.Detail
		}
		if e.Title != "" {
			return e.Title
		}
		return http.StatusText(e.Status)
	}
	return err.Error()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
