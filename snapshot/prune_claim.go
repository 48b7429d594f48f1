package snapshot

import (
	"context"
	"fmt"
	"time"
)

// PruneBusyError is a prune refused because another is under way.
type PruneBusyError struct {
	Site  string
	Since time.Time
}

func (e *PruneBusyError) Error() string {
	return fmt.Sprintf("prune: another prune is under way at %s (since %s): nothing was changed; run this one again once it has finished",
		e.Site, e.Since.Format(time.RFC3339))
}

// claimPrune makes this prune the only one under way in the mesh: it
// refuses while another runs here, notes this one (fences then report
// it), then asks every live site whether it is pruning. Two prunes that
// start at once may both refuse, never both run: each notes itself
// before it asks, so the later to note itself sees the other. Prunes
// repack and condemn on what they read of the catalog; two at once could
// each undo what the other wrote. release ends the claim.
func (e *Engine) claimPrune(ctx context.Context) (release func(), err error) {
	e.fenceMu.Lock()
	if !e.pruning.IsZero() {
		busy := &PruneBusyError{Site: e.site, Since: e.pruning}
		e.fenceMu.Unlock()
		return nil, busy
	}
	e.pruning = time.Now().UTC()
	e.fenceMu.Unlock()
	release = func() {
		e.fenceMu.Lock()
		e.pruning = time.Time{}
		e.fenceMu.Unlock()
	}
	if err := e.onlyPrune(ctx); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// onlyPrune fails if another live site is pruning.
func (e *Engine) onlyPrune(ctx context.Context) error {
	for _, site := range e.liveNames() {
		if site == e.site {
			continue
		}
		r, err := e.askFence(ctx, site, fence{})
		if err != nil && e.isLive(site) {
			return fmt.Errorf("prune: asking %s whether it is pruning: %w; nothing was changed", site, err)
		}
		if !r.Pruning.IsZero() {
			return &PruneBusyError{Site: site, Since: r.Pruning}
		}
	}
	return nil
}
