package api

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrOutcomeUnknown matches a payment request (POST/PUT/PATCH) whose
// connection failed, or whose context ended, after the request may have
// reached the bank: it may or may not have been carried out. The client never
// resends such a request; the UI says so and lets the user check the account.
var ErrOutcomeUnknown = errors.New("outcome unknown: the bank may or may not have carried out the request")

// OutcomeUnknownError wraps the transport failure behind ErrOutcomeUnknown.
type OutcomeUnknownError struct {
	Err error // the cause: a reset, an EOF, context.DeadlineExceeded …
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%v (%v)", ErrOutcomeUnknown, e.Err)
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the cause, so errors.Is(err, context.DeadlineExceeded) works.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// ErrBadAnswer matches a 2xx answer whose body could not be decoded.
var ErrBadAnswer = errors.New("the bank's answer could not be read")

// BadAnswerError is a 2xx answer that did not decode. Its message names where
// decoding failed but never quotes the body.
type BadAnswerError struct {
	cause error
}

func (e *BadAnswerError) Error() string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(e.cause, &syntax):
		return fmt.Sprintf("%v (not valid JSON at byte %d)", ErrBadAnswer, syntax.Offset)
	case errors.As(e.cause, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("%v (field %s should be %s, not %s)", ErrBadAnswer, typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(e.cause, &typeErr):
		return fmt.Sprintf("%v (expected %s, got %s)", ErrBadAnswer, typeErr.Type, typeErr.Value)
	}
	return ErrBadAnswer.Error()
}

// Is matches ErrBadAnswer.
func (e *BadAnswerError) Is(target error) bool { return target == ErrBadAnswer }

// Unwrap returns the decoder's error.
func (e *BadAnswerError) Unwrap() error { return e.cause }

// MayHaveActed reports whether a payment request that failed may all the
// same have been carried out, so its outcome must be checked rather than
// the request sent again: the connection failed after sending
// (ErrOutcomeUnknown, which also covers a 2xx answer that could not be read
// or was too large: the bank took the request), or a server error answered
// (a gateway may answer 5xx after the bank acted). A refusal the bank
// answered (a wrong TAN, no money) did nothing.
func MayHaveActed(err error) bool {
	return errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrServer) ||
		errors.Is(err, ErrBadAnswer) || errors.Is(err, ErrAnswerTooLarge)
}
