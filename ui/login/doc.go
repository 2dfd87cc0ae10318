// Package login is konto's login: the full screen shown when no session is
// stored (its SucceededMsg tells the program to open the dashboard) and the
// dialog that opens over the dashboard when the bank refuses the session.
// Both ask for email and password (masked) and, where no keyring works,
// offer to keep the session in a file. Logging in itself is a Func handed in.
package login
