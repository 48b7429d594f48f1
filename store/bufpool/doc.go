// Package bufpool keeps large byte buffers of one size for reuse, in
// memory mapped outside the Go heap where the platform allows.
//
// Why outside the heap: Go lets its heap grow a set fraction over what
// is live before it collects (the GC target), so every MiB of long-lived
// buffers in the heap also buys the garbage beside it that much more
// room. A restore keeps tens of MiB of shards and write blocks alive; in
// the heap they raised its peak by about half again. Mapped memory costs
// only the pages touched: a buffer sized for the largest shard holds
// only the pages of the shards actually received into it. And unlike
// sync.Pool, a Pool keeps its buffers across collections, so a pipeline
// does not allocate its buffers again after each one.
//
// It owns the buffers it maps and must never unmap one that is still in
// use: a caller must Put a buffer back only once nothing reads or writes
// it, and never keep a slice of it after. A buffer that is never Put back
// stays mapped for good, Close or not (a leak, never a fault).
package bufpool
