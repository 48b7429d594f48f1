package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/meshvault/meshvault/erasure"
)

var errStop = errors.New("stop")

// fetchPack asks every live site holding a shard of the pack at once,
// keeps the first K that verify, and decodes the pack. Corrupted or
// truncated shards fail their checksum and are decoded around.
func (e *Engine) fetchPack(ctx context.Context, id string) ([]byte, error) {
	p, ok := e.catalog.Pack(id)
	if !ok {
		return nil, fmt.Errorf("pack %s is not in the catalog", id)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan shardResult, len(p.Sites))
	asked := 0
	for i, site := range p.Sites {
		if !e.isLive(site) {
			continue
		}
		asked++
		go func() {
			data, err := e.shardCall(ctx, site, shardReq{Op: "get", Pack: id, Index: i}, nil)
			results <- shardResult{i, site, data, err}
		}()
	}
	return e.gather(p, results, asked)
}

type shardResult struct {
	index int
	site  string
	data  []byte
	err   error
}

func (e *Engine) gather(p Pack, results <-chan shardResult, asked int) ([]byte, error) {
	shards := make([][]byte, p.K+p.M)
	valid := 0
	var problems []string
	for range asked {
		r := <-results
		if r.err == nil {
			_, r.err = erasure.Verify(r.data)
		}
		if r.err != nil {
			problems = append(problems, fmt.Sprintf("shard %d at %s: %v", r.index, r.site, r.err))
			continue
		}
		shards[r.index] = r.data
		if valid++; valid == p.K {
			return erasure.Decode(erasure.Scheme{K: p.K, M: p.M}, shards)
		}
	}
	return nil, &MissingPackError{Pack: p.ID, Valid: valid, Need: p.K, Problems: problems}
}

// MissingPackError says a pack cannot be rebuilt: too few valid shards.
type MissingPackError struct {
	Pack        string
	Valid, Need int
	Problems    []string
}

func (e *MissingPackError) Error() string {
	return fmt.Sprintf("pack %s: %d valid shards reachable, %d needed (%s)", e.Pack, e.Valid, e.Need, strings.Join(e.Problems, "; "))
}

// loadManifest fetches, decodes and opens a snapshot's file list.
func (e *Engine) loadManifest(ctx context.Context, s Snapshot) (manifest, error) {
	var m manifest
	sealed, err := e.fetchPack(ctx, s.Manifest)
	if err != nil {
		return m, fmt.Errorf("snapshot %s: manifest: %w", s.ID, err)
	}
	seal, err := e.sealer(s.Dataset)
	if err != nil {
		return m, err
	}
	defer seal.Close()
	raw, err := seal.Open(sealed, []byte("manifest"))
	if err != nil {
		return m, fmt.Errorf("snapshot %s: manifest: %w", s.ID, err)
	}
	return m, json.Unmarshal(raw, &m)
}
