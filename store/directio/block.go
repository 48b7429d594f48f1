package directio

import (
	"unsafe"

	"github.com/meshvault/meshvault/store/bufpool"
)

// Align is the alignment of direct writes' memory, offsets and lengths:
// a page, which is a multiple of every logical block size in use (512 B
// and 4 KiB).
const Align = 4096

const align = Align

// blockSize is how much a Writer stages before a direct write: large
// enough that a write is one efficient request to the device, small
// enough that one per writer costs little memory.
const blockSize = 1 << 20

type block = []byte

// blocks keeps staging buffers for reuse, outside the Go heap (see
// store/bufpool): two per file being written, so 16 serve a restore's
// writers on up to 8 cores without mapping again.
var blocks = bufpool.New(blockSize, 16)

func getBlock() block { return blocks.Get() }

// putBlock gives a block back; a test's misaligned one is not the pool's
// and is left to the garbage collector.
func putBlock(b block) { blocks.Put(b) }

// AlignedBlock returns size bytes of memory that start at a multiple of
// Align, as direct writes need.
func AlignedBlock(size int) []byte { return bufpool.Aligned(size) }

// alignedInto returns size bytes of dst's memory when it starts at a
// multiple of Align and has room, else of new aligned memory.
func alignedInto(dst []byte, size int) []byte {
	if cap(dst) >= size && uintptr(unsafe.Pointer(unsafe.SliceData(dst)))&(align-1) == 0 {
		return dst[:size]
	}
	return AlignedBlock(size)
}
