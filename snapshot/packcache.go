package snapshot

import (
	"context"
	"sync"
)

// packCache fetches the packs a restore needs, in the order it will use
// them, several at once but at most window ahead of the writer, and
// frees each once its last chunk is written: memory stays bounded.
type packCache struct {
	e      *Engine
	mu     sync.Mutex
	slots  map[string]*packSlot
	window chan struct{}
}

type packSlot struct {
	done chan struct{}
	data []byte
	err  error
	uses int
}

func (e *Engine) newPackCache(ctx context.Context, files []mfile) *packCache {
	c := &packCache{e: e, slots: map[string]*packSlot{}, window: make(chan struct{}, 2*e.cfg.Parallel)}
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
	for _, id := range order {
		select {
		case c.window <- struct{}{}:
		case <-ctx.Done():
			c.failRest(order, ctx.Err())
			return
		}
		s := c.slots[id]
		go func() {
			s.data, s.err = c.e.fetchPack(ctx, id)
			close(s.done)
		}()
	}
}

func (c *packCache) failRest(order []string, err error) {
	for _, id := range order {
		s := c.slots[id]
		select {
		case <-s.done:
		default:
			if s.data == nil && s.err == nil {
				s.err = err
				close(s.done)
			}
		}
	}
}

// get waits for a pack.
func (c *packCache) get(ctx context.Context, id string) ([]byte, error) {
	s := c.slots[id]
	select {
	case <-s.done:
		return s.data, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// release marks one use of a pack done, freeing it after the last.
func (c *packCache) release(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.slots[id]
	if s.uses--; s.uses == 0 {
		s.data = nil
		<-c.window
	}
}
