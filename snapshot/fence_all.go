package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// fenced is what a fence of every live site found.
type fenced struct {
	keep   map[string]bool // packs some site still needs
	oldest time.Time       // start of the oldest snapshot that was being taken, zero if none
	sites  map[string]bool // the sites that answered
}

// fenceAll fences every live site at once (fenceSite). A site that goes
// down meanwhile is left out, as a site that was down is; but down may
// be cut off, still taking snapshots, so the packs of a dataset that a
// site left out holds a copy of are not deleted (unfencedHolders). Any
// other failure stops the prune before it deletes anything.
func (e *Engine) fenceAll(ctx context.Context, q fence) (fenced, error) {
	out := fenced{keep: map[string]bool{}, sites: map[string]bool{}}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for _, site := range e.liveNames() {
		g.Go(func() error {
			r, err := e.fenceSite(gctx, site, q)
			if err != nil && !e.isLive(site) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("prune: asking %s which packs it still needs: %w; nothing was deleted", site, err)
			}
			mu.Lock()
			defer mu.Unlock()
			out.add(r)
			out.sites[site] = true
			return nil
		})
	}
	return out, g.Wait()
}

func (f *fenced) add(r fenceReply) {
	for _, id := range r.Keep {
		f.keep[id] = true
	}
	if !r.Oldest.IsZero() && (f.oldest.IsZero() || r.Oldest.Before(f.oldest)) {
		f.oldest = r.Oldest
	}
}

// askFence asks site once (this site too) for its fence reply.
func (e *Engine) askFence(ctx context.Context, site string, q fence) (fenceReply, error) {
	if site == e.site {
		return e.fenceHere(ctx, q.packs, q.snapshots)
	}
	var r fenceReply
	b, err := e.shardCall(ctx, site, shardReq{Op: "fence", Packs: q.packs, Snapshots: q.snapshots})
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: fence reply: %w", site, err)
	}
	return r, nil
}

// ownRunning lists the keys of the snapshots this site is taking, and
// when the first of them started.
func (e *Engine) ownRunning() ([]string, time.Time) {
	var keys []string
	var oldest time.Time
	for _, en := range e.catalog.state.List(runningKind) {
		var r running
		if json.Unmarshal(en.Value, &r) != nil || r.Site != e.site {
			continue
		}
		keys = append(keys, en.Key)
		if oldest.IsZero() || r.Started.Before(oldest) {
			oldest = r.Started
		}
	}
	return keys, oldest
}
