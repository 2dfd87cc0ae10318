//go:build unix

package sshserve

import (
	"fmt"
	"os"
	"syscall"
)

// checkOwnerAndMode refuses a file others could have written to (OpenSSH's
// StrictModes): writable by group or others, or owned by someone other
// than the server's user or root. fix says how to mend it.
func checkOwnerAndMode(path string, info os.FileInfo) (problem, fix string) {
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Sprintf("%s is writable by group or others (mode %04o)", path, perm), "chmod go-w " + path
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", ""
	}
	if uid := os.Getuid(); int(st.Uid) != uid && st.Uid != 0 {
		return fmt.Sprintf("%s is owned by uid %d, not by the server's user (uid %d) or root", path, st.Uid, uid),
			fmt.Sprintf("chown %d %s", uid, path)
	}
	return "", ""
}
