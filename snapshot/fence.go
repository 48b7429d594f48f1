package snapshot

import (
	"context"
	"slices"
	"time"
)

// A prune's fence asks every live site directly what it still needs,
// instead of waiting out a gossip delay: a snapshot taken or a restore
// begun elsewhere loses no pack because news of it had not yet reached
// the pruning site, and a prune takes a round trip, not a grace period.
//
// At each site the answer is consistent with what that site does next:
// once it holds the packs condemned, no snapshot that starts there
// deduplicates against them (dedupIndex.lookup); the snapshots that
// started before are listed, and the prune waits for them; what they and
// every snapshot and restore known there read is kept.

// fence is what a prune asks every live site about.
type fence struct {
	start     time.Time         // when the prune began condemning
	packs     []string          // the condemned packs it would delete
	snapshots map[string]string // the snapshots its repack recorded again: ID → new manifest
}

// fenceReply is one site's answer to a fence.
type fenceReply struct {
	// Unknown lists the packs asked about that the site does not hold
	// condemned: the news has not reached it yet (or a repair there
	// rewrote the pack's entry first). They are kept.
	Unknown []string `json:"unknown,omitempty"`
	// Stale lists the snapshots asked about that the site holds with
	// another manifest: until it hears of the new one, what it reads
	// of the old one is kept.
	Stale []string `json:"stale,omitempty"`
	// Running lists the snapshots being taken at the site, Oldest when
	// the first of them started.
	Running []string  `json:"running,omitempty"`
	Oldest  time.Time `json:"oldest,omitzero"`
	// Pruning is when a prune under way at the site started.
	Pruning time.Time `json:"pruning,omitzero"`
	// Keep lists the packs asked about that a snapshot in the site's
	// catalog or a restore under way there reads.
	Keep []string `json:"keep,omitempty"`
}

// fenceHere answers a fence about packs from this site's own state. The
// catalog and the markers are read under fenceMu, which a restore holds
// while it picks its snapshot and marks itself, and a repair while it
// rewrites a pack's entry.
func (e *Engine) fenceHere(ctx context.Context, packs []string, snapshots map[string]string) (fenceReply, error) {
	e.fenceMu.Lock()
	r := fenceReply{Unknown: e.notCondemned(packs), Stale: e.staleSnapshots(snapshots), Pruning: e.pruning}
	r.Running, r.Oldest = e.ownRunning()
	refs := e.referenced()
	restores := e.ownRestores()
	e.fenceMu.Unlock()
	if err := e.addRestoreRefs(ctx, refs, restores); err != nil {
		return r, err
	}
	for _, id := range packs {
		if refs[id] {
			r.Keep = append(r.Keep, id)
		}
	}
	return r, nil
}

// notCondemned lists the packs of ids the catalog holds but not condemned.
func (e *Engine) notCondemned(ids []string) []string {
	var out []string
	for _, id := range ids {
		if p, ok := e.catalog.Pack(id); ok && p.Condemned.IsZero() {
			out = append(out, id)
		}
	}
	return out
}

// staleSnapshots lists the snapshots of want that the catalog holds
// with another manifest.
func (e *Engine) staleSnapshots(want map[string]string) []string {
	var out []string
	for id, man := range want {
		if s, ok := e.catalog.exact(id); ok && s.Manifest != man {
			out = append(out, id)
		}
	}
	return out
}

// fenceSite fences one site: it asks until the site holds the packs
// condemned (spreading them again meanwhile, for at most fenceSettle;
// the packs it still does not are kept), then until every snapshot that
// was being taken there has finished. The reply it returns keeps the
// packs a snapshot or restore there reads, and the unknown ones.
func (e *Engine) fenceSite(ctx context.Context, site string, q fence) (fenceReply, error) {
	settle := time.Now().Add(fenceSettle)
	r, err := e.askFence(ctx, site, q)
	for err == nil && len(r.Unknown)+len(r.Stale) > 0 && time.Now().Before(settle) {
		e.catalog.state.Spread(packKind, r.Unknown)
		e.catalog.state.Spread(snapshotKind, r.Stale)
		r, err = e.askFenceAfter(ctx, site, q, 20*time.Millisecond)
	}
	first := r
	for err == nil && overlap(first.Running, r.Running) {
		r, err = e.askFenceAfter(ctx, site, q, 50*time.Millisecond)
	}
	r.Keep = append(append(r.Keep, first.Unknown...), r.Unknown...)
	r.Oldest = first.Oldest
	return r, err
}

// fenceSettle is how long a fence waits for a site to hear of the packs
// condemned and the snapshots recorded again: spread over memberlist's
// reliable channel, they arrive in a round trip, and what a site has not
// heard of by then, it keeps.
const fenceSettle = 2 * time.Second

func (e *Engine) askFenceAfter(ctx context.Context, site string, q fence, d time.Duration) (fenceReply, error) {
	select {
	case <-ctx.Done():
		return fenceReply{}, ctx.Err()
	case <-time.After(d):
	}
	return e.askFence(ctx, site, q)
}

func overlap(a, b []string) bool {
	for _, k := range a {
		if slices.Contains(b, k) {
			return true
		}
	}
	return false
}
