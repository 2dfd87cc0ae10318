// Package sandbox is konto's sandbox bank: a stateful, deterministic, seeded
// implementation of the Kontist REST API (kontist-api.md) served over
// net/http with the api package's wire types. Payments are confirmed with TANs
// "sent by SMS" to an outbox, money sent to one of the bank's own IBANs
// arrives there, standing and timed orders run on a virtual clock, faults can
// be injected by rule (see ParseFaults), and a hostile mode seeds bookings
// full of escape sequences. It powers `konto --demo`, `konto
// sandbox` and every test.
package sandbox
