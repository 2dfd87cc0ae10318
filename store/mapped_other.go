//go:build !linux

package store

// releaseMapped is a no-op where the kernel's advice on dropped pages of a
// shared file mapping is not known to keep them (see mapped_linux.go).
func releaseMapped([]byte) {}
