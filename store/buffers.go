package store

import (
	"runtime"
	"sync"

	"github.com/meshvault/meshvault/store/bufpool"
	"github.com/meshvault/meshvault/store/directio"
)

// Buffers keeps chunk-sized buffers for bytes that live only during one
// call: a chunk's stored form on its way into a segment, a received
// chunk and its decoded bytes while they are checked, a chunk read to
// be sent or sealed. Fresh ones for each chunk were most of what a
// replica allocated, and so most of its garbage collections: with a
// live heap of a few MiB, Go collects every few MiB allocated (a
// replica of the 1 GiB benchmark tree collected 284 times). They are
// mapped outside the Go heap (store/bufpool), so a burst of them does
// not raise the collector's target, and let go of once idle.
// The zero value is ready to use; it is safe for concurrent use.
type Buffers struct {
	once sync.Once
	pool *bufpool.Pool
}

// bufferCap holds any chunk's stored or sealed form: ChunkMax and its
// few bytes of framing, and the aligned blocks around it that a direct
// read of it covers (one on each side).
const bufferCap = ChunkMax + 4<<10 + 2*directio.Align

// Get returns a buffer of length 0 and capacity for any chunk. A
// function given it as its dst may return new memory instead (a frame
// larger than any chunk): Put gives back the buffer Get returned.
func (b *Buffers) Get() []byte {
	b.once.Do(func() { b.pool = bufpool.New(bufferCap, 2*runtime.GOMAXPROCS(0)+2) })
	return b.pool.Get()[:0]
}

// Put gives back a buffer from Get.
func (b *Buffers) Put(buf []byte) { b.pool.Put(buf) }

// into returns n bytes of dst's memory when it has room, else new ones.
func into(dst []byte, n int) []byte {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]byte, n)
}
