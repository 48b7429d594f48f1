package snapshot

import (
	"context"
	"fmt"
	"time"
)

// PruneResult sums up a prune.
type PruneResult struct {
	Packs     int           `json:"packs"`         // packs deleted
	Bytes     int64         `json:"bytes"`         // their size before coding
	Condemned int           `json:"condemned"`     // packs newly found unreferenced
	Pending   int           `json:"pending"`       // packs with shards on sites that are down, left for a later prune
	Young     int           `json:"young_packs"`   // unreferenced, but younger than the grace: left for a later prune
	Kept      int           `json:"kept_packs"`    // packs still referenced
	Orphans   int           `json:"orphan_shards"` // shards of unrecorded packs swept
	Grace     time.Duration `json:"-"`             // how old an unreferenced pack must be to be condemned
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
	// how long a condemned one waits for that news to reach every site
	// (0: 10 s).
	Grace time.Duration
	// MaxUnused is how much of a dataset's pack bytes may stay unused, as
	// a share of the bytes kept snapshots use, before partly used packs
	// are repacked: DefaultMaxUnused is restic's 5 %, 0 repacks every
	// partly used pack, a negative value never repacks.
	MaxUnused float64
}

// Prune frees the packs no snapshot references. It runs beside new
// snapshots without locking them out: it first repacks the chunks kept
// snapshots use out of packs that are mostly unused (see
// PruneOptions.MaxUnused), then condemns unreferenced packs (new
// snapshots stop deduplicating against them), waits Grace for that to
// reach every site and for every snapshot started before then to finish,
// checks again, and only then deletes shards. Packs younger than Grace
// are left alone: they may belong to a snapshot still being taken; so
// are the packs of a restore under way.
func (e *Engine) Prune(ctx context.Context, o PruneOptions) (PruneResult, error) {
	grace := o.Grace
	if grace <= 0 {
		grace = 10 * time.Second
	}
	res := PruneResult{Grace: grace}
	if err := e.repack(ctx, &res, o.MaxUnused); err != nil {
		return res, err
	}
	start := time.Now()
	if err := e.condemn(&res, start, grace); err != nil {
		return res, err
	}
	if err := e.waitQuiet(ctx, start.Add(grace)); err != nil {
		return res, err
	}
	res.Orphans = e.sweepEverywhere(ctx, e.oldestRunning(start))
	return res, e.sweep(ctx, &res, start)
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

// waitQuiet waits until t, then until no snapshot started before t is
// still being taken at a live site.
func (e *Engine) waitQuiet(ctx context.Context, t time.Time) error {
	for time.Now().Before(t) || len(e.runningSince(t)) > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("prune: %w (snapshots still being taken: %d)", ctx.Err(), len(e.runningSince(t)))
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// sweep deletes the shards of packs condemned before start that are
// still unreferenced, then their catalog entries.
func (e *Engine) sweep(ctx context.Context, res *PruneResult, start time.Time) error {
	refs := e.referenced()
	if err := e.restoreRefs(ctx, refs); err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	for _, p := range e.catalog.Packs() {
		if p.Condemned.IsZero() || p.Condemned.After(start) || refs[p.ID] {
			continue
		}
		if !e.deleteShards(ctx, p) {
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

// oldestRunning is the start of the oldest snapshot still being taken,
// or t: shards stored since then may belong to it.
func (e *Engine) oldestRunning(t time.Time) time.Time {
	oldest := t
	for _, r := range e.runningSince(t.Add(24 * time.Hour)) {
		if r.Started.Before(oldest) {
			oldest = r.Started
		}
	}
	return oldest
}
