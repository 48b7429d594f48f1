package snapshot

import (
	"context"
	"sync"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/store/bufpool"
)

// packCache fetches the packs a restore needs, in the order the writers
// will first use them, several at once but at most window packs fetched
// and not yet used, and frees each once its last chunk is written. A
// pack's window token comes back at its first use, not its last: a pack
// that a much later file also needs (deduplicated chunks) must not hold
// the window shut while the files in between wait for theirs. The
// shards are received into buffers of its own, outside the Go heap
// (store/bufpool), let go of when the restore ends.
type packCache struct {
	e          *Engine
	mu         sync.Mutex
	slots      map[string]*packSlot
	window     chan struct{}
	bufs       *bufpool.Pool
	prefetched chan struct{} // closed once prefetch has started or failed every pack
	tally      *siteTally    // gets sent and shards used, by site
}

// prefetchWindow is how many packs a restore fetches ahead: as many as
// it fetches at once, half of Parallel. In bench/snap.sh (4 at once, Go's default GC
// target) a window of 6 restored 1 GiB in 2.5-2.6 s with a peak RSS of
// 193-197 MiB, 4 in 2.6-2.8 s with 159-164 MiB: a restore runs on the
// sites that survived, and memory it can count on matters more there
// than the last tenth of its speed. Later (2026-12-04, Intel Xeon, two
// runs each) a window of 4 restored in 1.82-1.90 s with a peak of
// 100-104 MiB, 3 in 1.82-1.93 s with 95-96 MiB, 2 in 1.95-2.00 s with
// 86-89 MiB, restic 0.14 taking 2.45-2.51 s and 91-98 MiB: 2 it is.
func prefetchWindow(parallel int) int { return max(1, parallel/2) }

type packSlot struct {
	done    chan struct{}
	data    erasure.Parts
	fetched *fetch // whose buffers hold the pack's parts; nil if its fetch never ran
	err     error
	refs    []*chunkRef // one per read to come, until the pack has come
	uses    int
	parts   []int // reads to come of each part: a part is let go after its last
	used    bool  // its window token was given back
	started bool  // its fetch was started (prefetch's own field)
}

func (e *Engine) newPackCache(ctx context.Context, files []mfile) *packCache {
	window := prefetchWindow(e.cfg.Parallel)
	c := &packCache{e: e, slots: map[string]*packSlot{}, window: make(chan struct{}, window),
		bufs: bufpool.New(e.shardBufSize(), shardBufsKept*window), prefetched: make(chan struct{}), tally: newSiteTally()}
	var order []string
	for _, f := range files {
		for _, ch := range f.Chunks {
			s, ok := c.slots[ch.Pack]
			if !ok {
				s = &packSlot{done: make(chan struct{})}
				c.slots[ch.Pack] = s
				order = append(order, ch.Pack)
			}
			s.uses++
			s.refs = append(s.refs, ch)
		}
	}
	go c.prefetch(ctx, order)
	return c
}

// prefetch starts fetches in order, each taking a window token that the
// writer gives back when it is done with the pack.
func (c *packCache) prefetch(ctx context.Context, order []string) {
	defer close(c.prefetched)
	for _, id := range order {
		select {
		case c.window <- struct{}{}:
		case <-ctx.Done():
			c.failRest(order, ctx.Err())
			return
		}
		s := c.slots[id]
		s.started = true
		go func() {
			s.data, s.fetched, s.err = c.e.fetchParts(ctx, id, c.bufs, c.tally)
			if s.err == nil {
				c.countPartReads(s)
			}
			close(s.done)
		}()
	}
}

// failRest fails the packs whose fetch never started; those under way
// end by themselves, their fetch sharing the cancelled context.
func (c *packCache) failRest(order []string, err error) {
	for _, id := range order {
		if s := c.slots[id]; !s.started {
			s.err = err
			close(s.done)
		}
	}
}

// countPartReads counts the reads to come of each of a fetched pack's
// parts, and lets go at once of those no read needs.
func (c *packCache) countPartReads(s *packSlot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s.parts = make([]int, s.data.Count())
	for _, r := range s.refs {
		if first, last, ok := span(s.data, r); ok {
			for i := first; i <= last; i++ {
				s.parts[i]++
			}
		}
	}
	s.refs = nil
	for i, n := range s.parts {
		if n == 0 {
			c.dropPart(s, i)
		}
	}
}

// span is the parts ref's bytes lie in, if they lie in the pack.
func span(p erasure.Parts, ref *chunkRef) (first, last int, ok bool) {
	if ref.Len <= 0 || ref.Off < 0 || ref.Off+ref.Len > p.Len() {
		return 0, 0, false // CopyAt refuses it
	}
	first, last = p.Span(ref.Off, ref.Len)
	return first, last, true
}

func (c *packCache) dropPart(s *packSlot, i int) {
	s.data.Drop(i)
	s.fetched.releasePart(i)
}

// read copies ref's sealed bytes, len(dst) of them, into dst, waiting
// for its pack if it has not come yet.
func (c *packCache) read(ctx context.Context, ref *chunkRef, dst []byte) error {
	s, err := c.begin(ctx, ref.Pack)
	if err != nil {
		return err
	}
	defer c.end(s, ref)
	return s.data.CopyAt(dst, ref.Off)
}

// begin waits for a pack; the caller reads it, then calls end.
func (c *packCache) begin(ctx context.Context, id string) (*packSlot, error) {
	s := c.slots[id]
	select {
	case <-s.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !s.used {
		s.used = true
		<-c.window
	}
	return s, s.err
}

// end marks ref's read of its pack done, letting go of each part after
// its last read and of the pack after its last.
func (c *packCache) end(s *packSlot, ref *chunkRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if first, last, ok := span(s.data, ref); ok {
		for i := first; i <= last; i++ {
			if s.parts[i]--; s.parts[i] == 0 {
				c.dropPart(s, i)
			}
		}
	}
	if s.uses--; s.uses == 0 {
		s.data = erasure.Parts{}
		c.releaseSlot(s)
	}
}

// releaseSlot gives back whatever buffers s still holds.
func (c *packCache) releaseSlot(s *packSlot) {
	if s.fetched != nil {
		s.fetched.release()
		s.fetched = nil
	}
}

// shardBufsKept is how many shard buffers a restore keeps for reuse per
// pack in its window: a pack's k data shards (8 covers k up to 8), the
// rest being held by packs that later files still need.
const shardBufsKept = 8

// shardBufSize has room for any shard of a pack cut at the pack size (a
// 1+m pack's one data shard is the whole pack). Only the pages a shard
// fills are ever touched, so a 3+2 shard costs a third of it.
func (e *Engine) shardBufSize() int { return erasure.HeaderSize + e.cfg.PackSize }

// close cancels what is left of the restore, waits for the fetches
// under way, gives back the packs not released (a restore that failed)
// and lets go of every buffer: no pack of the cache may be read after.
func (c *packCache) close(cancel context.CancelFunc) {
	cancel()
	<-c.prefetched
	for _, s := range c.slots {
		if s.started {
			<-s.done
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.slots {
		if s.uses > 0 {
			c.releaseSlot(s)
			s.uses = 0
		}
	}
	c.bufs.Close()
	c.e.log.Debug("restore shard buffers", "peak", c.bufs.Peak(), "size", c.bufs.Size())
}
