package snapshot

import (
	"context"
	"fmt"

	"github.com/meshvault/meshvault/policy"
)

// Forget applies a retention policy to a dataset's snapshots: it removes
// from the catalog the ones no rule keeps (unless dryRun) and returns
// every decision with its reasons. Their packs are freed by Prune.
func (e *Engine) Forget(ctx context.Context, dataset string, r policy.Retention, dryRun bool) ([]policy.Decision, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var snaps []policy.Snapshot
	for _, s := range e.catalog.Snapshots(dataset) {
		snaps = append(snaps, policy.Snapshot{ID: s.ID, Time: s.Time, Tags: s.Tags})
	}
	if len(snaps) == 0 {
		return nil, fmt.Errorf("no snapshot of %s: see 'meshctl snapshot ls'", dataset)
	}
	decisions := policy.Apply(snaps, r)
	if dryRun {
		return decisions, nil
	}
	for _, d := range decisions {
		if !d.Keep {
			if _, err := e.catalog.state.DeleteRanked(snapshotKind, d.Snapshot.ID, forgottenRank); err != nil {
				return decisions, fmt.Errorf("forget %s: %w", d.Snapshot.ID, err)
			}
		}
	}
	return decisions, nil
}

// forgottenRank is the rank of a forget's tombstone: above the rank 0
// every record of a snapshot is written with, so that once forgotten a
// snapshot stays forgotten at every site, whenever a prune's repack at
// a site that had not heard of the forget records it again.
const forgottenRank = 1
