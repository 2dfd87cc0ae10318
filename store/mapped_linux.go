package store

import (
	"os"
	"syscall"
	"unsafe"
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
