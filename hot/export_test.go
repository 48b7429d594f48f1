package hot

import (
	"context"

	"github.com/meshvault/meshvault/store"
)

// SweepTreesOnly sweeps as a site would that keeps no log op's chunks
// (one that became primary, say): the fault the shipper's fallback to a
// state transfer exists for.
func (e *Engine) SweepTreesOnly(ctx context.Context) (store.SweepStats, error) {
	return e.cfg.DB.Sweep(ctx, func(ctx context.Context, r store.Scanner, mark func(store.Hash)) error {
		return r.Scan([]byte("hot/"), func(k, v []byte) error {
			if _, kind, _, ok := splitHotKey(k); ok && kind == "tree" {
				return markEntry(v, mark)
			}
			return nil
		})
	})
}
