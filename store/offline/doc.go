// Package offline is the cache-aside mirror of the bank: a Mirror answers
// from the profile's offline cache at once, syncs only what is new behind
// it, notes when the bank stops answering and finds new bookings for the
// polls; it also keeps, in the same cache, the user's labels of bookings
// and the payments whose outcome is unknown. It knows no UI: it talks to the bank through Remote and to the
// cache through store.Cache, and is safe for concurrent use.
package offline
