package snapshot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// ScrubOptions says what a scrub does.
type ScrubOptions struct {
	Repair bool // rebuild each bad shard from k good ones, at the site that holds it
}

// ScrubResult sums up a scrub.
type ScrubResult struct {
	Packs     int        `json:"packs"`  // packs kept snapshots need
	Shards    int        `json:"shards"` // shards read and checked at their sites
	Bytes     int64      `json:"bytes"`  // their size
	Unchecked int        `json:"unchecked"`
	Down      []string   `json:"sites_down,omitempty"` // sites whose shards went unchecked
	Bad       []BadShard `json:"bad"`
	Repaired  int        `json:"repaired"`
	// Failed lists the checks that could not run, with why: scrub again.
	Failed  []string `json:"failed,omitempty"`
	Seconds float64  `json:"seconds"`
}

// BadShard is a shard its site cannot give back as stored: missing,
// truncated, rotten, or not the shard the catalog places there.
type BadShard struct {
	Pack     string `json:"pack"`
	Index    int    `json:"index"`
	Site     string `json:"site"`
	Problem  string `json:"problem"`
	Repaired bool   `json:"repaired"`
	// RepairError says why a repair asked for did not happen.
	RepairError string `json:"repair_error,omitempty"`
}

// Scrub has every alive site read each shard the catalog places there
// for a kept snapshot and check it against its checksum and the
// catalog, without sending it: so a snapshot's redundancy is known, not
// assumed from placement, before a restore needs it. With Repair, each
// bad shard of a pack that still has k good ones is rebuilt and stored
// again at its site, byte for byte as first written.
func (e *Engine) Scrub(ctx context.Context, o ScrubOptions) (ScrubResult, error) {
	start := time.Now()
	key, err := e.markRunning("") // prune's sweep spares shards stored meanwhile
	if err != nil {
		return ScrubResult{}, err
	}
	defer e.unmarkRunning(key)
	packs := e.keptPacks()
	res := ScrubResult{Packs: len(packs), Bad: []BadShard{}}
	err = e.checkPacks(ctx, packs, &res)
	if err == nil && o.Repair {
		err = e.repairBad(ctx, packs, &res)
	}
	res.Seconds = time.Since(start).Seconds()
	if err == nil {
		err = e.recordScrub(res, o.Repair, start)
	}
	return res, err
}

// checkPacks asks each shard's site to check it, several at once.
func (e *Engine) checkPacks(ctx context.Context, packs []Pack, res *ScrubResult) error {
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, 2*e.cfg.Parallel))
	for _, p := range packs {
		for i, site := range p.Sites {
			if !e.isLive(site) {
				mu.Lock()
				res.unchecked(site)
				mu.Unlock()
				continue
			}
			g.Go(func() error {
				c, err := e.scrubShard(gctx, site, p, i)
				mu.Lock()
				defer mu.Unlock()
				res.note(p, i, site, c, err)
				return gctx.Err()
			})
		}
	}
	err := g.Wait()
	slices.SortFunc(res.Bad, func(a, b BadShard) int { return cmp.Or(cmp.Compare(a.Pack, b.Pack), a.Index-b.Index) })
	slices.Sort(res.Failed)
	return err
}

func (r *ScrubResult) unchecked(site string) {
	r.Unchecked++
	if !slices.Contains(r.Down, site) {
		r.Down = append(r.Down, site)
		slices.Sort(r.Down)
	}
}

func (r *ScrubResult) note(p Pack, i int, site string, c shardCheck, err error) {
	if err != nil {
		r.Failed = append(r.Failed, fmt.Sprintf("shard %d of %s at %s: %v", i, p.ID, site, err))
		return
	}
	r.Shards++
	r.Bytes += int64(c.Bytes)
	if c.Problem != "" {
		r.Bad = append(r.Bad, BadShard{Pack: p.ID, Index: i, Site: site, Problem: c.Problem})
	}
}

// keptPacks lists, once each, the packs kept snapshots need (their
// manifests' included), oldest snapshot's first.
func (e *Engine) keptPacks() []Pack {
	var out []Pack
	seen := map[string]bool{}
	for _, s := range e.catalog.Snapshots("") {
		for _, id := range s.Packs {
			if p, ok := e.catalog.Pack(id); ok && !seen[id] && p.Condemned.IsZero() {
				out = append(out, p)
			}
			seen[id] = true
		}
	}
	return out
}
