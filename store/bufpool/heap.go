package bufpool

import "unsafe"

// pageSize is the alignment a heap buffer gets too, so that a buffer
// from any pool can take direct I/O (a multiple of 512 B and 4 KiB).
const pageSize = 4096

// Aligned returns size bytes of Go heap starting at a multiple of 4 KiB
// (a page, and what direct I/O needs): for a buffer that is not pooled.
func Aligned(size int) []byte {
	raw := make([]byte, size+pageSize)
	skip := 0
	if r := int(uintptr(unsafe.Pointer(&raw[0])) & (pageSize - 1)); r != 0 {
		skip = pageSize - r
	}
	return raw[skip : skip+size : skip+size]
}
