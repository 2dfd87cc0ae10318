//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockCacheFile takes the exclusive lock bbolt takes (flock), waiting up to
// timeout for another konto to let go, so the file is checked while nobody
// writes it. bbolt, handed the same file, takes the lock again at once.
func lockCacheFile(f *os.File, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Now().After(deadline) {
			return ErrCacheLocked
		}
		time.Sleep(50 * time.Millisecond)
	}
}
