package snapshot

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/meshvault/meshvault/erasure"
)

// shardCheck is what a site found of one of its shards: what the
// shard's header says, or the problem ("" when it verified).
type shardCheck struct {
	K       int    `json:"k"`
	M       int    `json:"m"`
	Index   int    `json:"index"`
	Length  int    `json:"length"`
	Bytes   int    `json:"bytes"`
	Problem string `json:"problem,omitempty"`
}

// checkShard reads one of this site's shards and verifies it on its own
// (erasure.Inspect): its header, its length and its checksum.
func (e *Engine) checkShard(pack string, index int) shardCheck {
	p := e.sendBufs.Get().(*[]byte)
	defer e.sendBufs.Put(p)
	data, err := e.getShard(*p, pack, index)
	if err != nil {
		return shardCheck{Problem: err.Error()}
	}
	if cap(data) > cap(*p) {
		*p = data[:0]
	}
	info, err := erasure.Inspect(data)
	if err != nil {
		return shardCheck{Bytes: len(data), Problem: err.Error()}
	}
	return shardCheck{K: info.Scheme.K, M: info.Scheme.M, Index: info.Index, Length: info.PackLen, Bytes: len(data)}
}

// scrubShard has site check shard i of p, and holds what the shard's
// header says against the catalog.
func (e *Engine) scrubShard(ctx context.Context, site string, p Pack, i int) (shardCheck, error) {
	data, err := e.shardCall(ctx, site, shardReq{Op: "check", Pack: p.ID, Index: i})
	if err != nil {
		return shardCheck{}, err
	}
	var c shardCheck
	if err := json.Unmarshal(data, &c); err != nil {
		return shardCheck{}, fmt.Errorf("%s: check answer: %w", site, err)
	}
	if c.Problem == "" && (c.K != p.K || c.M != p.M || c.Index != i || c.Length != p.Length) {
		c.Problem = fmt.Sprintf("its header says shard %d of a %d+%d pack of %d bytes, the catalog shard %d of a %d+%d pack of %d bytes (a shard of another pack?)",
			c.Index, c.K, c.M, c.Length, i, p.K, p.M, p.Length)
	}
	return c, nil
}

// repairBad rebuilds the bad shards of each pack that has k good ones
// left and stores each again at the site that holds it; the placement
// does not change.
func (e *Engine) repairBad(ctx context.Context, packs []Pack, res *ScrubResult) error {
	byID := map[string]Pack{}
	for _, p := range packs {
		byID[p.ID] = p
	}
	for start := 0; start < len(res.Bad); {
		end := start + 1
		for end < len(res.Bad) && res.Bad[end].Pack == res.Bad[start].Pack {
			end++
		}
		e.repairPackShards(ctx, byID[res.Bad[start].Pack], res.Bad[start:end])
		res.Repaired += repaired(res.Bad[start:end])
		start = end
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// repairPackShards rebuilds p from any k good shards (a bad one fetched
// is found by its checksum and decoded around) and puts each bad shard
// back at its site.
func (e *Engine) repairPackShards(ctx context.Context, p Pack, bad []BadShard) {
	shards, err := e.rebuildShards(ctx, p)
	for i := range bad {
		if err == nil {
			sh := shards[bad[i].Index]
			_, err := e.shardCall(ctx, bad[i].Site, shardReq{Op: "put", Pack: p.ID, Index: bad[i].Index}, sh.Header[:], sh.Payload)
			bad[i].Repaired, bad[i].RepairError = err == nil, errText(err)
			continue
		}
		bad[i].RepairError = fmt.Sprintf("rebuild: %v", err)
	}
}

func repaired(bad []BadShard) int {
	n := 0
	for _, b := range bad {
		if b.Repaired {
			n++
		}
	}
	return n
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
