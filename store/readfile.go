package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegularFile is a path konto reads (the config, a token file) that
// names something else: a FIFO would block the read forever, a device such
// as /dev/zero would never end it.
var ErrNotRegularFile = errors.New("not a regular file")

// FileTooLargeError is a file larger than konto will read for its purpose.
type FileTooLargeError struct {
	Size  int64 // as far as known: a file that grew while read is cut off at Limit+1
	Limit int64
}

func (e *FileTooLargeError) Error() string {
	return fmt.Sprintf("%s, more than the %s it may have", byteSize(e.Size), byteSize(e.Limit))
}

// ReadSmallFile reads a file that is expected to be small: opened without
// blocking (a FIFO at the path must not hang konto), refused unless it is a
// regular file (a symbolic link to one is fine), refused when larger than
// limit bytes, and read through a limit (a file that grows meanwhile is
// cut off, not followed). A missing file is fs.ErrNotExist; every error is
// an *fs.PathError naming path.
func ReadSmallFile(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	refuse := func(err error) error { return &fs.PathError{Op: "read", Path: path, Err: err} }
	if !info.Mode().IsRegular() {
		return nil, refuse(fmt.Errorf("%w (%s)", ErrNotRegularFile, fileKind(info.Mode())))
	}
	if info.Size() > limit {
		return nil, refuse(&FileTooLargeError{Size: info.Size(), Limit: limit})
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, refuse(&FileTooLargeError{Size: int64(len(data)), Limit: limit})
	}
	return data, nil
}

func fileKind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeCharDevice != 0, mode&fs.ModeDevice != 0:
		return "a device"
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	}
	return "of mode " + mode.Type().String()
}

// byteSize says a size the way a person reads it: 512 bytes, 64 KiB, 100 MiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
