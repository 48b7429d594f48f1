package store

import "sync"

// Buffers keeps chunk-sized buffers for bytes that live only during one
// call: a chunk's stored form on its way into a segment, a received
// chunk and its decoded bytes while they are checked, a chunk read to
// be sent or sealed. Fresh ones for each chunk were most of what a
// replica allocated, and so most of its garbage collections: with a
// live heap of a few MiB, Go collects every few MiB allocated (a
// replica of the 1 GiB benchmark tree collected 284 times).
// The zero value is ready to use; it is safe for concurrent use.
type Buffers struct{ pool sync.Pool }

// bufferCap holds any chunk's stored or sealed form: ChunkMax and its
// few bytes of framing.
const bufferCap = ChunkMax + 4<<10

// Get returns a buffer of length 0 and capacity for any chunk.
func (b *Buffers) Get() *[]byte {
	if p, ok := b.pool.Get().(*[]byte); ok {
		return p
	}
	buf := make([]byte, 0, bufferCap)
	return &buf
}

// Put keeps p for reuse, unless it has grown past a chunk's size (a
// frame larger than any chunk) or shrunk below it.
func (b *Buffers) Put(p *[]byte) {
	if cap(*p) == bufferCap {
		*p = (*p)[:0]
		b.pool.Put(p)
	}
}

// into returns n bytes of dst's memory when it has room, else new ones.
func into(dst []byte, n int) []byte {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]byte, n)
}
