//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"os"
	"time"
)

// lockCacheFile does nothing where konto has no flock: the file is checked
// unlocked, and bbolt takes its own lock (with the timeout) when it opens.
func lockCacheFile(*os.File, time.Duration) error { return nil }
