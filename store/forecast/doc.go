// Package forecast looks ahead: it projects each account's balance, and all
// accounts' together, day by day over the coming weeks from today's balance,
// the standing and timed orders and the recurring bookings it detects in the
// history; it tells the lowest point, also with a payment under review added;
// and it finds what a new payment resembles, so that nothing is paid twice by
// mistake. It is pure: a function of the balances, orders, history and
// today's date in the bank's time zone, with no clock, I/O or UI of its own,
// so `konto forecast`, the forecast list and the payment review cannot
// disagree.
//
// How the pieces above it use it:
//
//	f := forecast.New(accounts, forecast.DateOf(now, loc), loc) // once per change of the data
//	res := f.Project(forecast.Options{Days: days, Off: switchedOff})
//	json.NewEncoder(w).Encode(res.Total)          // konto forecast --json; res.Account(id) for --account
//	low, _ := f.LowestWith(forecast.TransferPayment(id, req), forecast.Options{Off: switchedOff})
//	line := forecast.ReviewLine(low)               // red with a warning when low.Balance < 0
//	same := forecast.Resemblances(pay, history, standing, timed, today, loc) // the guard: same[0].Sentence
//
// An Item's ID is the stable key to store "switched off" under. Texts from
// the bank (Item.Counterparty, Resemblance.Name and Sentence) are passed on
// as the bank sent them: sanitise them before drawing.
package forecast
