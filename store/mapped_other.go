//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is a no-op where the kernel's advice on dropped pages of a
// shared file mapping is not known to keep them (see mapped_linux.go).
func releaseMapped([]byte) {}

// releaseFile is a no-op for the same reason.
func releaseFile(*bolt.Tx) {}
