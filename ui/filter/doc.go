// Package filter parses the transaction list's `/` filter line into a Query
// and matches it fast against an Index of transactions, built once per list
// and grown as the syncs bring newer bookings (Prepend) or older pages
// (Append), with the user's labels (category, tags, note, mark) searchable
// beside the bank's fields.
package filter
