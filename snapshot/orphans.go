package snapshot

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

type sweepResult struct {
	Shards int `json:"shards"`
}

// sweepOrphans deletes this site's shards of packs the catalog does not
// know that were stored before t: the leftovers of a snapshot that
// crashed or was cancelled before recording its packs.
func (e *Engine) sweepOrphans(before time.Time) (int, error) {
	type orphan struct {
		pack  string
		index int
	}
	var orphans []orphan
	err := e.cfg.DB.Scan([]byte("shardtime/"), func(k, v []byte) error {
		parts := strings.Split(string(bytes.TrimPrefix(k, []byte("shardtime/"))), "/")
		at, err := time.Parse(time.RFC3339Nano, string(v))
		if len(parts) != 2 || err != nil || !at.Before(before) {
			return nil
		}
		if _, known := e.catalog.Pack(parts[0]); !known {
			idx, _ := strconv.Atoi(parts[1])
			orphans = append(orphans, orphan{parts[0], idx})
		}
		return nil
	})
	for _, o := range orphans {
		if err := e.deleteShard(o.pack, o.index); err != nil {
			return 0, err
		}
	}
	return len(orphans), err
}

// sweepEverywhere asks every live site to sweep its orphan shards.
func (e *Engine) sweepEverywhere(ctx context.Context, before time.Time) int {
	total := 0
	for _, s := range e.aliveSites() {
		out, err := e.shardCall(ctx, s.Name, shardReq{Op: "sweep", Before: before}, nil)
		var r sweepResult
		if err == nil && json.Unmarshal(out, &r) == nil {
			total += r.Shards
		}
	}
	return total
}
