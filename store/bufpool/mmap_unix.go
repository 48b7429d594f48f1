//go:build unix

package bufpool

import "golang.org/x/sys/unix"

// mapBuf maps size bytes of anonymous private memory, or falls back to
// the Go heap (reported by ok false) if the kernel refuses.
func mapBuf(size int) (b []byte, ok bool) {
	b, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return Aligned(size), false
	}
	return b, true
}

// unmapBuf returns b's pages to the kernel; b must be one mapBuf mapped.
func unmapBuf(b []byte) { _ = unix.Munmap(b) }
