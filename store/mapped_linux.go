package store

import (
	"os"
	"syscall"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped tells the kernel that konto is done with the pages wholly
// inside b, a value read in a read-only transaction (so it lies in the
// cache file's memory map, never on the heap: dropping heap pages would
// zero them). The pages stay in the page cache and come back from it if
// read again; until then they no longer count in konto's resident memory,
// which after loading a million bookings they did by ~160 MiB.
func releaseMapped(b []byte) {
	if len(b) == 0 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + uintptr(len(b))) &^ (page - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b)), lo-start)), hi-lo), syscall.MADV_DONTNEED)
}

// releaseFile is releaseMapped for every page of the cache file that tx
// sees: after a whole history has been read or written, or the file
// walked at open, nothing of it need stay resident (readers that come
// later, or are still reading, fault their pages back in from the page
// cache). The map's address is bbolt's; the call passes it as a number.
func releaseFile(tx *bolt.Tx) {
	size := uintptr(tx.Size())
	if size == 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, tx.DB().Info().Data, size, syscall.MADV_DONTNEED)
}
