package store

import (
	"context"
	"errors"
	"sync"
)

// A sweep (Sweep) deletes the chunks that nothing references. Chunks are
// content-addressed and shared, so a write may find a chunk already
// stored and reference it instead of storing it again, and a large write
// stores chunks before the entry that references them commits. A sweep
// running in between would take chunks that are about to be referenced.
// Two guards prevent it:
//   - a write holds the store (Hold) from its first chunk until the
//     entry that references them commits, and a sweep begins only once
//     every hold taken before it has been released, so whatever those
//     writes committed is in the image the sweep marks;
//   - while a sweep runs, every chunk that a write looks up (HasChunk,
//     PutChunk, PutStoredChunk) is noted as touched, and the sweep
//     spares it. Looking up and deleting happen under one lock, so a
//     write that looks after the delete finds the chunk gone and stores
//     it again.
type gcGuard struct {
	mu      sync.Mutex
	gen     uint64            // incremented as each sweep begins
	holds   map[uint64]int    // unreleased holds by the generation they were taken in
	drained chan struct{}     // closed once no hold of an earlier generation is left
	touched map[Hash]struct{} // non-nil while a sweep runs
}

// ErrSweepRunning means a sweep was asked for while one was running.
var ErrSweepRunning = errors.New("a chunk sweep is already running at this site: wait for it to finish")

// Hold marks a write that stores or finds chunks before the entry that
// references them commits; call release once it has (or has failed).
// release may be called more than once.
func (db *DB) Hold() (release func()) {
	g := &db.gc
	g.mu.Lock()
	gen := g.gen
	g.holds[gen]++
	g.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { g.release(gen) }) }
}

func (g *gcGuard) release(gen uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.holds[gen]--; g.holds[gen] <= 0 {
		delete(g.holds, gen)
	}
	if g.drained != nil && !g.earlierHoldsLocked() {
		close(g.drained)
		g.drained = nil
	}
}

func (g *gcGuard) earlierHoldsLocked() bool {
	for gen := range g.holds {
		if gen < g.gen {
			return true
		}
	}
	return false
}

// begin starts noting touched chunks and waits until every hold taken
// before it is released.
func (g *gcGuard) begin(ctx context.Context) error {
	g.mu.Lock()
	if g.touched != nil {
		g.mu.Unlock()
		return ErrSweepRunning
	}
	g.gen++
	g.touched = map[Hash]struct{}{}
	var wait chan struct{}
	if g.earlierHoldsLocked() {
		wait = make(chan struct{})
		g.drained = wait
	}
	g.mu.Unlock()
	if wait == nil {
		return nil
	}
	select {
	case <-wait:
		return nil
	case <-ctx.Done():
		g.end()
		return ctx.Err()
	}
}

// end stops noting touched chunks.
func (g *gcGuard) end() {
	g.mu.Lock()
	g.touched, g.drained = nil, nil
	g.mu.Unlock()
}

// touch notes h if a sweep is running; the caller holds g.mu.
func (g *gcGuard) touchLocked(h Hash) {
	if g.touched != nil {
		g.touched[h] = struct{}{}
	}
}
