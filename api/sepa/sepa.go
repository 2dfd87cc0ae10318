// Package sepa holds the SEPA rules konto applies to what a user types: IBAN
// validation, normalisation and display, euro amounts parsed from and formatted
// for German and English spellings, amounts in words for the payment review, and
// the characters and lengths the free-text fields of a SEPA credit transfer allow
// (TextField). It is the one place for these rules, shared by the client, the
// sandbox bank and the payment forms; sepatest holds the table of texts they all run.
//
// Everything here is a pure function without I/O or package state, safe for
// concurrent use. Money is int64 euro cents.
package sepa

import "errors"

// Sentinels to match this package's errors with errors.Is. Each error's text is a
// complete sentence for the user ("invalid IBAN: check digits do not match").
var (
	ErrInvalidIBAN   = errors.New("invalid IBAN")
	ErrInvalidAmount = errors.New("invalid amount")
	ErrInvalidText   = errors.New("invalid text")
)
