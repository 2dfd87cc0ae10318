// Package api is the Kontist REST client: wire types, authentication (the
// Authenticator contract and the JWT session with background refresh), typed
// errors, retries for idempotent requests, and paginated transaction sync. It never imports the store, the UI or the
// sandbox; it is handed a token source and reports events on a channel.
package api
