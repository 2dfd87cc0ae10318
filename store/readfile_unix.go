//go:build unix

package store

import "syscall"

// openNonBlocking keeps opening a FIFO from waiting for a writer.
const openNonBlocking = syscall.O_NONBLOCK
