package snapshot

import (
	"context"
	"time"
)

// autoRepair runs a repair of the sites down for RepairAfter or more,
// checking every repairTick, until ctx ends. One site does it: the alive
// site first by name, so that the sites do not all rebuild the same
// shards (two that each think they are first, while membership changes,
// rebuild the same bytes to the same sites, and the catalog ends the
// same).
func (e *Engine) autoRepair(ctx context.Context) {
	e.whileLeading(ctx, repairTick(e.cfg.RepairAfter), func() bool {
		return e.anyDownFor(e.cfg.RepairAfter) && len(e.lostHolders(e.cfg.RepairAfter)) > 0
	}, e.repairNow)
}

// whileLeading looks every tick, until ctx ends, and runs do when this
// site leads repairs and due says there is work; it ends e.loops' count.
func (e *Engine) whileLeading(ctx context.Context, every time.Duration, due func() bool, do func(context.Context)) {
	defer e.loops.Done()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if e.leadsRepair() && due() {
			do(ctx)
		}
	}
}

// repairTick is how often autoRepair looks: a quarter of the wait, at
// most a minute, so a site is repaired at most that late.
func repairTick(after time.Duration) time.Duration {
	return max(10*time.Millisecond, min(time.Minute, after/4))
}

func (e *Engine) repairNow(ctx context.Context) {
	res, err := e.Repair(ctx, RepairOptions{DownFor: e.cfg.RepairAfter})
	if err != nil || len(res.Failed) > 0 || len(res.Unrepairable) > 0 {
		e.log.Warn("automatic repair incomplete", "lost_sites", res.Lost, "shards", res.Shards,
			"failed", len(res.Failed), "unrepairable", len(res.Unrepairable), "err", err)
		return
	}
	e.log.Info("automatic repair done", "lost_sites", res.Lost, "packs", res.Packs, "shards", res.Shards,
		"bytes", res.Bytes, "seconds", res.Seconds)
}

// anyDownFor reports whether a member site has been down at least d: a
// look at the member table, before the catalog's packs are read.
func (e *Engine) anyDownFor(d time.Duration) bool {
	for _, m := range e.cfg.Mesh.Members() {
		if e.downFor(m.Site, d) {
			return true
		}
	}
	return false
}

// leadsRepair reports whether this site is the alive site first by name.
func (e *Engine) leadsRepair() bool {
	alive := e.aliveSites() // sorted by name
	return len(alive) > 0 && alive[0].Name == e.site
}
