//go:build !unix

package bufpool

// mapBuf has no mapping to make here: the buffer is in the Go heap.
func mapBuf(size int) ([]byte, bool) { return Aligned(size), false }

func unmapBuf([]byte) {}
