package snapshot

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// commitEvery is how many staged packs a snapshot commits at once: about
// 128 MiB of 4 MiB packs, so that a site syncs a few times per GiB, and
// a commit that fails loses little of the work done.
const commitEvery = 32

// staged notes a staged pack and commits the batch once it is full.
func (p *packer) staged(pl Pack) error {
	p.mu.Lock()
	p.pending = append(p.pending, pl)
	p.mu.Unlock()
	return p.e.commitPacks(p.ctx, p.take(commitEvery))
}

// take empties the pending batch and returns it, if it holds at least
// min packs; else nothing.
func (p *packer) take(min int) []Pack {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) == 0 || len(p.pending) < min {
		return nil
	}
	batch := p.pending
	p.pending = nil
	return batch
}

// commitPacks asks every site that holds a staged shard of packs to
// make it durable, in parallel, and only then records the packs in the
// catalog, where other snapshots may start to deduplicate against them.
func (e *Engine) commitPacks(ctx context.Context, packs []Pack) error {
	if len(packs) == 0 {
		return nil
	}
	bySite := map[string][]shardKey{}
	for _, pl := range packs {
		for i, site := range pl.Sites {
			bySite[site] = append(bySite[site], shardKey{Pack: pl.ID, Index: i})
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for site, keys := range bySite {
		g.Go(func() error {
			_, err := e.shardCall(gctx, site, shardReq{Op: "commit", Shards: keys})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("commit %d packs: %w", len(packs), err)
	}
	for _, pl := range packs {
		if err := e.catalog.putJSON(packKind, pl.ID, pl); err != nil {
			return err
		}
	}
	return nil
}
