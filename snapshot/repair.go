package snapshot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// RepairResult sums up a repair.
type RepairResult struct {
	Lost   []string `json:"lost_sites"` // sites down (dead or left) that held shards
	Packs  int      `json:"packs"`      // packs whose lost shards were rebuilt (a dry run: would be)
	Shards int      `json:"shards"`     // shards rebuilt on other sites
	Bytes  int64    `json:"bytes"`      // their size, headers included
	// Unrepairable lists packs with fewer than k shards on live sites:
	// they come back only with a site that holds their shards.
	Unrepairable []string `json:"unrepairable,omitempty"`
	// Failed lists the packs whose repair failed, with why: repair again.
	Failed  []string `json:"failed,omitempty"`
	DryRun  bool     `json:"dry_run,omitempty"`
	Seconds float64  `json:"seconds"`
}

// Repair gives back to every snapshot the redundancy it lost with sites
// that are down (dead or left): for each pack a kept snapshot needs with
// shards on such sites, it rebuilds those shards from any k others and
// stores them on alive sites (erasure.Replace: zones, then sites, that
// hold the fewest of the pack's shards), then records the new placement.
// A site that comes back later holds shards the catalog no longer places
// there: prune sweeps them. dryRun only counts what would be rebuilt.
func (e *Engine) Repair(ctx context.Context, dryRun bool) (RepairResult, error) {
	start := time.Now()
	key, err := e.markRunning("") // prune's sweep spares shards stored before the catalog names them
	if err != nil {
		return RepairResult{}, err
	}
	defer e.unmarkRunning(key)
	res := RepairResult{DryRun: dryRun, Lost: e.lostHolders()}
	targets := e.aliveSites()
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, e.cfg.Parallel))
	for _, p := range e.degradedPacks() {
		g.Go(func() error {
			n, size, err := e.repairPack(gctx, p, targets, dryRun)
			mu.Lock()
			defer mu.Unlock()
			res.note(p, n, size, err)
			return gctx.Err()
		})
	}
	err = g.Wait()
	res.Seconds = time.Since(start).Seconds()
	return res, err
}

func (r *RepairResult) note(p Pack, shards int, bytes int64, err error) {
	switch {
	case errors.Is(err, errUnrepairable):
		r.Unrepairable = append(r.Unrepairable, p.ID)
	case err != nil:
		r.Failed = append(r.Failed, fmt.Sprintf("%s: %v", p.ID, err))
	case shards > 0:
		r.Packs++
		r.Shards += shards
		r.Bytes += bytes
	}
}

// degradedPacks lists the packs kept snapshots need that have a shard on
// a site that is not live, oldest snapshot's first.
func (e *Engine) degradedPacks() []Pack {
	var out []Pack
	seen := map[string]bool{}
	for _, s := range e.catalog.Snapshots("") {
		for _, id := range s.Packs {
			p, ok := e.catalog.Pack(id)
			if ok && !seen[id] && p.Condemned.IsZero() && len(e.livePlacement(p)) < len(p.Sites) {
				out = append(out, p)
			}
			seen[id] = true
		}
	}
	return out
}

// lostHolders lists the sites not live that the catalog places shards on.
func (e *Engine) lostHolders() []string {
	var out []string
	for _, p := range e.catalog.Packs() {
		for _, site := range p.Sites {
			if !e.isLive(site) && !slices.Contains(out, site) {
				out = append(out, site)
			}
		}
	}
	slices.Sort(out)
	return out
}
