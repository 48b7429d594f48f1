package snapshot

import (
	"context"
	"errors"
	"fmt"

	"github.com/meshvault/meshvault/erasure"
)

var errUnrepairable = errors.New("fewer than k shards on live sites")

// repairPack rebuilds p's shards on the lost sites onto targets and
// records where they went; it returns how many shards it stored and
// their bytes (for a dry run, would store).
func (e *Engine) repairPack(ctx context.Context, p Pack, lost []string, targets []erasure.Site, dryRun bool) (int, int64, error) {
	next := erasure.Replace(p.ID, p.Sites, lost, targets)
	moved := movedShards(p.Sites, next)
	if len(moved) == 0 {
		return 0, 0, nil // no alive site to take them
	}
	if len(e.livePlacement(p)) < p.K {
		return 0, 0, errUnrepairable
	}
	shardSize := int64(erasure.HeaderSize + (p.Length+p.K-1)/p.K)
	if dryRun {
		return len(moved), int64(len(moved)) * shardSize, nil
	}
	shards, err := e.rebuildShards(ctx, p)
	if err != nil {
		return 0, 0, err
	}
	for _, i := range moved {
		if _, err := e.shardCall(ctx, next[i], shardReq{Op: "put", Pack: p.ID, Index: i}, shards[i].Header[:], shards[i].Payload); err != nil {
			return 0, 0, fmt.Errorf("store shard %d at %s: %w", i, next[i], err)
		}
	}
	return len(moved), int64(len(moved)) * shardSize, e.recordMoves(p, next, moved)
}

func movedShards(before, after []string) []int {
	var out []int
	for i := range before {
		if before[i] != after[i] {
			out = append(out, i)
		}
	}
	return out
}

// rebuildShards fetches p from any k shards and codes it again: the
// shards come out byte for byte as first stored, which the pack's ID
// (a hash of every shard's checksum) proves.
func (e *Engine) rebuildShards(ctx context.Context, p Pack) ([]erasure.Shard, error) {
	parts, release, err := e.fetchPack(ctx, p.ID, nil, nil)
	if err != nil {
		return nil, err
	}
	defer release()
	s := erasure.Scheme{K: p.K, M: p.M}
	buf := make([]byte, p.Length, erasure.InPlaceSize(s, p.Length))
	copy(buf, parts.Bytes())
	shards, err := erasure.EncodeInPlace(buf, p.Length, s)
	if err != nil {
		return nil, err
	}
	if id := packID(shards); id != p.ID {
		return nil, fmt.Errorf("rebuilt shards hash to pack %s, not %s: not repaired", id, p.ID)
	}
	return shards, nil
}

// recordMoves writes p's new placement over the catalog's current entry
// (which a prune may have changed since, condemning it) and spreads it
// to every site.
func (e *Engine) recordMoves(p Pack, next []string, moved []int) error {
	e.fenceMu.Lock() // a fence here sees the entry before or after, whole
	defer e.fenceMu.Unlock()
	cur, ok := e.catalog.Pack(p.ID)
	if !ok {
		return fmt.Errorf("pack %s left the catalog during its repair (pruned): its new shards are orphans for prune", p.ID)
	}
	for _, i := range moved {
		if cur.Sites[i] == p.Sites[i] {
			cur.Sites[i] = next[i]
		}
	}
	if err := e.catalog.putJSON(packKind, p.ID, cur); err != nil {
		return err
	}
	e.catalog.state.Spread(packKind, []string{p.ID})
	return nil
}
