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

// RepairOptions says what a repair does.
type RepairOptions struct {
	DryRun bool // only count what would be rebuilt
	// DownFor, if set, repairs only the shards of sites down at least
	// this long (by their last change of state as this site saw it).
	DownFor time.Duration
}

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
// there: prune sweeps them.
func (e *Engine) Repair(ctx context.Context, o RepairOptions) (RepairResult, error) {
	start := time.Now()
	key, err := e.markRunning("") // prune's sweep spares shards stored before the catalog names them
	if err != nil {
		return RepairResult{}, err
	}
	defer e.unmarkRunning(key)
	lost := e.lostHolders(o.DownFor)
	res := RepairResult{DryRun: o.DryRun, Lost: lost}
	targets := e.aliveSites()
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, e.cfg.Parallel))
	for _, p := range e.degradedPacks(lost) {
		g.Go(func() error {
			n, size, err := e.repairPack(gctx, p, lost, targets, o.DryRun)
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
// a site in lost, oldest snapshot's first.
func (e *Engine) degradedPacks(lost []string) []Pack {
	return slices.DeleteFunc(e.keptPacks(), func(p Pack) bool {
		return !slices.ContainsFunc(p.Sites, func(s string) bool { return slices.Contains(lost, s) })
	})
}

// lostHolders lists the sites down (for at least downFor) that the
// catalog places shards on.
func (e *Engine) lostHolders(downFor time.Duration) []string {
	var out []string
	for _, p := range e.catalog.Packs() {
		for _, site := range p.Sites {
			if !slices.Contains(out, site) && e.downFor(site, downFor) {
				out = append(out, site)
			}
		}
	}
	slices.Sort(out)
	return out
}

// downFor reports whether site is down (dead, left or unknown here) and
// has been for at least d.
func (e *Engine) downFor(site string, d time.Duration) bool {
	m, ok := e.cfg.Mesh.Member(site)
	if !ok {
		return true
	}
	return !e.isLive(site) && time.Since(m.Since) >= d
}
