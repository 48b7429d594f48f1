package bufpool

import (
	"sync"
	"time"
	"unsafe"
)

// Pool hands out buffers of one size and keeps up to keep of those
// given back. It is safe for concurrent use.
type Pool struct {
	size   int
	keep   int
	mu     sync.Mutex
	free   [][]byte
	own    map[*byte]*state // every buffer this pool made and has not let go
	closed bool
	peak   int           // the most buffers out at once
	idle   time.Duration // how long none is out before the kept ones go
	timer  *time.Timer   // armed each time the last buffer out comes back
}

// IdleAfter is how long a pool keeps its buffers once none is out: a
// site between snapshots or restores holds none of their memory, and a
// pipeline that pauses a moment does not map them again.
const IdleAfter = 30 * time.Second

// state is what a pool knows of one of its buffers.
type state struct {
	mapped bool // outside the heap, to unmap when let go
	kept   bool // in free, not held by a caller
}

// New returns a pool of buffers of size bytes that keeps up to keep of
// them for reuse; any number can be out at once.
func New(size, keep int) *Pool {
	return &Pool{size: size, keep: keep, own: map[*byte]*state{}, idle: IdleAfter}
}

// SetIdle changes how long the pool keeps its buffers once none is out
// (IdleAfter by default).
func (p *Pool) SetIdle(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle = d
}

// Size is the length of every buffer the pool hands out.
func (p *Pool) Size() int { return p.size }

// Get returns a buffer of Size bytes, starting at a multiple of 4 KiB
// (so it can take direct I/O). A reused buffer is not zeroed.
func (p *Pool) Get() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		p.own[unsafe.SliceData(b)].kept = false
		return b
	}
	b, mapped := mapBuf(p.size)
	p.own[unsafe.SliceData(b)] = &state{mapped: mapped}
	p.peak = max(p.peak, len(p.own))
	return b
}

// Put gives b back, kept for the next Get or let go if the pool keeps
// enough. A slice that is not one of this pool's buffers from its start
// (a frame that did not fit and was read into new memory, say) is left
// to the garbage collector, as is everything put to a nil pool. Putting
// a buffer twice panics: two callers would get it.
func (p *Pool) Put(b []byte) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.own[unsafe.SliceData(b)]
	if st == nil || cap(b) != p.size {
		return
	}
	if st.kept {
		panic("bufpool: buffer put back twice")
	}
	if p.closed || len(p.free) >= p.keep {
		p.release(b[:p.size])
	} else {
		st.kept = true
		p.free = append(p.free, b[:p.size])
	}
	if len(p.free) == len(p.own) && len(p.free) > 0 {
		p.armIdle()
	}
}

// armIdle has the kept buffers let go of once none has been out for
// idle. The caller holds mu.
func (p *Pool) armIdle() {
	if p.timer == nil {
		p.timer = time.AfterFunc(p.idle, p.trimIdle)
		return
	}
	p.timer.Reset(p.idle)
}

// trimIdle lets go of the kept buffers if none is out: none has been
// since the timer was last armed, or the timer would have been moved.
func (p *Pool) trimIdle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) != len(p.own) {
		return // one is out: its Put arms the timer again
	}
	for _, b := range p.free {
		p.release(b)
	}
	p.free = nil
}

// release lets b go: unmapped if it was mapped, else left to the garbage
// collector. The caller holds mu.
func (p *Pool) release(b []byte) {
	ptr := unsafe.SliceData(b)
	if p.own[ptr].mapped {
		unmapBuf(b)
	}
	delete(p.own, ptr)
}

// Close lets go of the buffers kept for reuse; those still out are let
// go as they are put back.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.timer != nil {
		p.timer.Stop()
	}
	for _, b := range p.free {
		p.release(b)
	}
	p.free = nil
}

// Out is how many of this pool's buffers callers hold now: what a leak
// check counts.
func (p *Pool) Out() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.own) - len(p.free)
}

// Peak is the most buffers that were out at once: what the pool cost at
// its height.
func (p *Pool) Peak() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}
