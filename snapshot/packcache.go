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
// it fetches at once. In bench/snap.sh (4 at once, Go's default GC
// target) a window of 6 restored 1 GiB in 2.5-2.6 s with a peak RSS of
// 193-197 MiB, 4 in 2.6-2.8 s with 159-164 MiB: a restore runs on the
// sites that survived, and memory it can count on matters more there
// than the last tenth of its speed.
func prefetchWindow(parallel int) int { return max(1, parallel) }

type packSlot struct {
	done    chan struct{}
	data    erasure.Parts
	free    func() // gives the pack's buffers back, once its last use is done
	err     error
	uses    int
	used    bool // its window token was given back
	started bool // its fetch was started (prefetch's own field)
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
			s.data, s.free, s.err = c.e.fetchPack(ctx, id, c.bufs, c.tally)
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

// read copies ref's sealed bytes, len(dst) of them, into dst, waiting
// for its pack if it has not come yet.
func (c *packCache) read(ctx context.Context, ref *chunkRef, dst []byte) error {
	s, err := c.begin(ctx, ref.Pack)
	if err != nil {
		return err
	}
	defer c.end(s)
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

// end marks one read of a pack done, freeing the pack after its last.
func (c *packCache) end(s *packSlot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.uses--; s.uses == 0 {
		s.data = erasure.Parts{}
		if s.free != nil { // nil for a pack whose fetch never ran
			s.free()
			s.free = nil
		}
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
		if s.uses > 0 && s.free != nil {
			s.free()
			s.uses, s.free = 0, nil
		}
	}
	c.bufs.Close()
	c.e.log.Debug("restore shard buffers", "peak", c.bufs.Peak(), "size", c.bufs.Size())
}
