package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/meshvault/meshvault/erasure"
)

var errStop = errors.New("stop")

// fetchPack fetches K shards of a pack, data shards first (so nothing
// needs reconstructing when all is well), from live sites in parallel.
// A shard that fails, fails its checksum or is slow to come is replaced
// by asking the next holder; the pack is decoded from the first K valid.
func (e *Engine) fetchPack(ctx context.Context, id string) (erasure.Parts, error) {
	p, ok := e.catalog.Pack(id)
	if !ok {
		return erasure.Parts{}, fmt.Errorf("pack %s is not in the catalog", id)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &fetch{e: e, ctx: ctx, p: p, order: e.fetchOrder(p), results: make(chan shardResult, len(p.Sites))}
	for range min(p.K, len(f.order)) {
		f.launch()
	}
	return f.gather()
}

// fetchOrder lists the shard indices on live sites, data shards first.
func (e *Engine) fetchOrder(p Pack) []int {
	var order []int
	for i, site := range p.Sites {
		if e.isLive(site) {
			order = append(order, i)
		}
	}
	return order
}

type fetch struct {
	e        *Engine
	ctx      context.Context
	p        Pack
	order    []int
	next     int
	inFlight int
	results  chan shardResult
}

type shardResult struct {
	index int
	site  string
	data  []byte
	err   error
}

// launch asks the next holder in order, if any is left.
func (f *fetch) launch() bool {
	if f.next >= len(f.order) {
		return false
	}
	i := f.order[f.next]
	f.next++
	f.inFlight++
	site := f.p.Sites[i]
	go func() {
		data, err := f.e.shardCall(f.ctx, site, shardReq{Op: "get", Pack: f.p.ID, Index: i}, nil)
		f.results <- shardResult{i, site, data, err}
	}()
	return true
}

// hedgeAfter is how long a shard may take before another holder is asked.
const hedgeAfter = 2 * time.Second

func (f *fetch) gather() (erasure.Parts, error) {
	shards := make([][]byte, f.p.K+f.p.M)
	valid := 0
	var problems []string
	for f.inFlight > 0 {
		var r shardResult
		select {
		case r = <-f.results:
		case <-time.After(hedgeAfter):
			f.launch()
			continue
		}
		f.inFlight--
		if r.err == nil {
			_, r.err = erasure.Verify(r.data)
		}
		if r.err != nil {
			problems = append(problems, fmt.Sprintf("shard %d at %s: %v", r.index, r.site, r.err))
			f.launch()
			continue
		}
		shards[r.index] = r.data
		if valid++; valid == f.p.K {
			return erasure.DecodePartsVerified(erasure.Scheme{K: f.p.K, M: f.p.M}, shards) // each passed Verify above
		}
	}
	return erasure.Parts{}, &MissingPackError{Pack: f.p.ID, Valid: valid, Need: f.p.K, Problems: problems}
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
	parts, err := e.fetchPack(ctx, s.Manifest)
	if err != nil {
		return m, fmt.Errorf("snapshot %s: manifest: %w", s.ID, err)
	}
	sealed := parts.Bytes()
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
