package snapshot

import (
	"context"
	"encoding/json"
	"time"
)

type sweepResult struct {
	Shards int `json:"shards"`
}

// sweepEverywhere asks every live site to sweep its orphan shards.
func (e *Engine) sweepEverywhere(ctx context.Context, before time.Time) int {
	total := 0
	for _, s := range e.aliveSites() {
		out, err := e.shardCall(ctx, s.Name, shardReq{Op: "sweep", Before: before})
		var r sweepResult
		if err == nil && json.Unmarshal(out, &r) == nil {
			total += r.Shards
		}
	}
	return total
}
