package snapshot

import (
	"context"
	"maps"
	"slices"
	"time"
)

// PruneResult sums up a prune.
type PruneResult struct {
	Packs     int   `json:"packs"`       // packs deleted
	Bytes     int64 `json:"bytes"`       // their size before coding
	Condemned int   `json:"condemned"`   // packs newly found unreferenced
	Pending   int   `json:"pending"`     // packs with shards on sites that are down, left for a later prune
	Young     int   `json:"young_packs"` // unreferenced, but younger than the grace: left for a later prune
	Kept      int   `json:"kept_packs"`  // packs still referenced
	Held      int   `json:"held_packs"`  // condemned, but a site still reads them or has not heard: left for a later prune
	// Unfenced is how many condemned packs were left for a later prune
	// because a site that holds a full copy of their dataset is down: it
	// may be cut off, not gone, and taking snapshots that deduplicate
	// against them. WaitingFor names those sites.
	Unfenced   int           `json:"unfenced_packs"`
	WaitingFor []string      `json:"waiting_for,omitempty"`
	Orphans    int           `json:"orphan_shards"` // shards of unrecorded packs swept
	Grace      time.Duration `json:"-"`             // how old an unreferenced pack or unrecorded shard must be to be freed
	// Repacked is how many partly used packs had the chunks kept
	// snapshots use copied into new packs (then freed like the rest), and
	// RepackedBytes how many bytes were copied.
	Repacked      int   `json:"repacked_packs"`
	RepackedBytes int64 `json:"repacked_bytes"`
	// RepackSkipped names the datasets not repacked, with the reason (a
	// manifest or pack that cannot be read now): a later prune tries again.
	RepackSkipped []string `json:"repack_skipped,omitempty"`
}

// PruneOptions say how a prune runs.
type PruneOptions struct {
	// Grace is how old an unreferenced pack must be to be condemned, and
	// an unrecorded shard to be swept as an orphan (0: 10 s): younger
	// ones may belong to a snapshot whose news is still spreading. A
	// prune does not wait it out; it asks every live site instead.
	Grace time.Duration
	// MaxUnused is how much of a dataset's pack bytes may stay unused, as
	// a share of the bytes kept snapshots use, before partly used packs
	// are repacked: DefaultMaxUnused is restic's 5 %, 0 repacks every
	// partly used pack, a negative value never repacks.
	MaxUnused float64
}

// Prune frees the packs no snapshot references. It runs beside new
// snapshots without locking them out, one prune in the mesh at a time
// (claimPrune). It first repacks the chunks kept snapshots use out of
// packs that are mostly unused (see PruneOptions.MaxUnused), then
// condemns unreferenced packs older than Grace, and fences every live
// site (fenceAll): each hears that they are condemned, so that its new
// snapshots stop deduplicating against them, finishes the snapshots it
// had under way, and says which of them a snapshot or restore it knows
// still reads. Only the rest are deleted.
func (e *Engine) Prune(ctx context.Context, o PruneOptions) (PruneResult, error) {
	grace := o.Grace
	if grace <= 0 {
		grace = 10 * time.Second
	}
	res := PruneResult{Grace: grace}
	release, err := e.claimPrune(ctx)
	if err != nil {
		return res, err
	}
	defer release()
	repointed := map[string]string{} // snapshot ID → the manifest the repack recorded
	if err := e.repack(ctx, &res, o.MaxUnused, repointed); err != nil {
		return res, err
	}
	return res, e.condemnAndSweep(ctx, &res, fence{start: time.Now(), snapshots: repointed}, grace)
}

// condemnAndSweep condemns, fences and deletes.
func (e *Engine) condemnAndSweep(ctx context.Context, res *PruneResult, q fence, grace time.Duration) error {
	start := q.start
	if err := e.condemn(res, start, grace); err != nil {
		return err
	}
	q.packs = e.condemnedBy(start)
	e.catalog.state.Spread(packKind, q.packs)
	e.catalog.state.Spread(snapshotKind, slices.Collect(maps.Keys(q.snapshots)))
	f, err := e.fenceAll(ctx, q)
	if err != nil {
		return err
	}
	before := start.Add(-grace)
	if !f.oldest.IsZero() && f.oldest.Before(before) {
		before = f.oldest // shards stored since may be a snapshot's that was under way
	}
	res.Orphans = e.sweepEverywhere(ctx, before)
	return e.sweep(ctx, res, q.packs, f)
}

// condemnedBy lists the packs condemned at or before t.
func (e *Engine) condemnedBy(t time.Time) []string {
	var out []string
	for _, p := range e.catalog.Packs() {
		if !p.Condemned.IsZero() && !p.Condemned.After(t) {
			out = append(out, p.ID)
		}
	}
	return out
}

func (e *Engine) referenced() map[string]bool {
	refs := map[string]bool{}
	for _, s := range e.catalog.Snapshots("") {
		for _, id := range s.Packs {
			refs[id] = true
		}
	}
	return refs
}

func (e *Engine) condemn(res *PruneResult, now time.Time, grace time.Duration) error {
	refs := e.referenced()
	for _, p := range e.catalog.Packs() {
		switch {
		case refs[p.ID]:
			res.Kept++
			if !p.Condemned.IsZero() { // referenced again: reprieve
				p.Condemned = time.Time{}
				e.catalog.putJSON(packKind, p.ID, p)
			}
		case p.Condemned.IsZero() && !p.Created.Before(now.Add(-grace)):
			res.Young++
		case p.Condemned.IsZero():
			p.Condemned = now.UTC()
			res.Condemned++
			if err := e.catalog.putJSON(packKind, p.ID, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// sweep deletes the shards of the condemned packs cands that no
// snapshot references here, no snapshot or restore at a site fenced
// reads (f.keep) and no site left out of the fence may snapshot
// against, then their catalog entries.
func (e *Engine) sweep(ctx context.Context, res *PruneResult, cands []string, f fenced) error {
	refs := e.referenced()
	waiting := map[string]bool{}
	defer func() { res.WaitingFor = sortedKeys(waiting) }()
	for _, id := range cands {
		p, ok := e.catalog.Pack(id)
		switch {
		case !ok || p.Condemned.IsZero() || refs[id]:
			continue
		case f.keep[id]:
			res.Held++
			continue
		case e.unfencedHolders(p.Dataset, f.sites, waiting):
			res.Unfenced++
			continue
		case !e.deleteShards(ctx, p):
			res.Pending++
			continue
		}
		if _, err := e.catalog.state.Delete(packKind, p.ID); err != nil {
			return err
		}
		res.Packs++
		res.Bytes += int64(p.Length)
	}
	return nil
}

// deleteShards deletes every shard of p; false if a site was down or
// refused (the pack stays condemned for the next prune).
func (e *Engine) deleteShards(ctx context.Context, p Pack) bool {
	all := true
	for i, site := range p.Sites {
		if !e.isLive(site) {
			all = false
			continue
		}
		if _, err := e.shardCall(ctx, site, shardReq{Op: "delete", Pack: p.ID, Index: i}); err != nil {
			all = false
		}
	}
	return all
}
