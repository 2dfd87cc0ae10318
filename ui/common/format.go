package common

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"konto/api"
	"konto/api/sepa"
)

// FormatDay writes t as 25.11. in loc: a list's date, under a month header
// that carries the year.
func FormatDay(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("02.01.")
}

// FormatFullDate writes t as 25.11.2026 in loc.
func FormatFullDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("02.01.2006")
}

// Euro writes cents as 17.325,00 €.
func Euro(cents int64) string { return sepa.FormatEuro(cents) }

// Signed writes cents with an explicit sign and a true minus (+3.200,00, −1.234,56).
func Signed(cents int64) string { return sepa.FormatSigned(cents) }

// BookingTypeWords names a bookingType or paymentMethod as a person would.
func BookingTypeWords(s string) string {
	switch strings.ToUpper(s) {
	case "SEPA_CREDIT_TRANSFER":
		return "SEPA credit transfer"
	case "SEPA_DIRECT_DEBIT":
		return "SEPA direct debit"
	case "DIRECT_DEBIT":
		return "direct debit"
	case "DIRECT_DEBIT_RETURN", "RETURNED_DIRECT_DEBIT", "SEPA_DIRECT_DEBIT_RETURN":
		return "returned direct debit"
	case "CREDIT_CARD", "CARD", "CARD_TRANSACTION":
		return "credit card"
	case "BANK_ACCOUNT":
		return "bank account"
	case "":
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(s), "_", " ")
}

// IsCard reports a card payment.
func IsCard(tx *api.Transaction) bool {
	return strings.EqualFold(api.Str(tx.PaymentMethod), "credit_card") ||
		strings.EqualFold(api.Str(tx.PaymentMethod), "card")
}

// ForeignAmount writes a card payment's original amount ("CHF 7,60"), or ""
// when there is none. originalAmount is a string of minor units on the wire.
func ForeignAmount(tx *api.Transaction) string {
	cur, raw := api.Str(tx.ForeignCurrency), strings.TrimSpace(api.Str(tx.OriginalAmount))
	if cur == "" || raw == "" {
		return ""
	}
	minor, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return cur + " " + raw
	}
	// The booking's amount carries the direction; this shows the size.
	if minor < 0 {
		minor = -minor
	}
	return cur + " " + sepa.FormatAmount(minor)
}

// PurposeLine is what the list shows as a booking's purpose: the purpose, or
// for card payments "card · CHF 7,60".
func PurposeLine(tx *api.Transaction) string {
	if IsCard(tx) {
		if fa := ForeignAmount(tx); fa != "" {
			return "card · " + fa
		}
		if p := api.Str(tx.Purpose); p != "" {
			return "card · " + p
		}
		return "card"
	}
	return api.Str(tx.Purpose)
}

// FitBlock joins lines into a block of exactly height lines, each exactly
// width cells: extra lines are dropped, missing ones are blank. Every pane
// ends its View with it, so the root's layout never has to guess sizes.
func FitBlock(lines []string, width, height int) string {
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = FitLine(lines[i], width)
	}
	return strings.Join(lines, "\n")
}

// FitLine cuts or pads an already styled line to exactly width cells, so
// nothing the terminal draws can wrap.
func FitLine(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		s = ansi.Truncate(s, width, "…")
		w = ansi.StringWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// ErrorText is the sentence shown for a failed request: the bank's own
// words for an answer (sanitised: they come from the bank), what a failed
// or unreadable answer means, or that the bank cannot be reached. It never
// returns raw Go or JSON text.
func ErrorText(err error) string {
	var apiErr *api.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &apiErr), errors.Is(err, api.ErrOutcomeUnknown), errors.Is(err, api.ErrBadAnswer):
		return Sanitize(api.Message(err))
	case errors.Is(err, api.ErrLoginNeeded):
		return "the bank wants a new login: log in again"
	case errors.Is(err, api.ErrAnswerTooLarge):
		return "the bank's answer was too large to read"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "the bank did not answer in time"
	}
	return "the bank cannot be reached: check the connection"
}
