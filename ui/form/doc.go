// Package form holds what konto's payment forms share: the rules that check
// each kind of field as the user types (built on api/sepa, never re-implementing
// it), a Field and Form of labelled text inputs with keyboard navigation, the
// recipient autocomplete every payment form offers, and Flow, the guided path
// every payment takes: form → review → the bank's TAN request → the TAN dialog.
package form
