package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/store/bufpool"
)

var errStop = errors.New("stop")

// fetchPack fetches K shards of a pack, data shards first (so nothing
// needs reconstructing when all is well), from live sites in parallel.
// A shard that fails, fails its checksum or is slow to come is replaced
// by asking the next holder; the pack is decoded from the first K valid.
// The shards are received into bufs' buffers (new memory if bufs is
// nil): the pack's bytes are theirs until its release is called, and a
// pack that is dropped unreleased keeps them out of bufs until bufs is
// closed. tally, if not nil, counts the gets sent and the shards used
// by site.
func (e *Engine) fetchPack(ctx context.Context, id string, bufs *bufpool.Pool, tally *siteTally) (erasure.Parts, func(), error) {
	parts, f, err := e.fetchParts(ctx, id, bufs, tally)
	return parts, f.release, err
}

// fetchParts is fetchPack giving the fetch itself back, so that each
// data part's buffer can be given back on its own (releasePart).
func (e *Engine) fetchParts(ctx context.Context, id string, bufs *bufpool.Pool, tally *siteTally) (erasure.Parts, *fetch, error) {
	f := &fetch{e: e, bufs: bufs, tally: tally}
	p, ok := e.catalog.Pack(id)
	if !ok {
		return erasure.Parts{}, f, fmt.Errorf("pack %s is not in the catalog", id)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f.ctx, f.p, f.order, f.held = ctx, p, e.fetchOrder(p), make([][]byte, p.K)
	f.results = make(chan shardResult, len(p.Sites))
	for range min(p.K, len(f.order)) {
		f.launch()
	}
	parts, err := f.gather()
	go f.drain(f.inFlight)
	return parts, f, err
}

// fetchOrder lists the shard indices on live sites, data shards first,
// the sites clearly slower than the k-th fastest last.
func (e *Engine) fetchOrder(p Pack) []int {
	var order []int
	for i, site := range p.Sites {
		if e.isLive(site) {
			order = append(order, i)
		}
	}
	return e.speeds.rank(order, p.Sites, p.K)
}

type fetch struct {
	e        *Engine
	ctx      context.Context
	p        Pack
	order    []int
	bufs     *bufpool.Pool // where shards are received, nil for new memory
	next     int
	inFlight int
	tally    *siteTally
	results  chan shardResult
	held     [][]byte // by data shard index, the buffer it was received into: the pack's
	spent    [][]byte // buffers of the others received, free once it is decoded
}

type shardResult struct {
	index int
	site  string
	buf   []byte // the pool's buffer it was to be received into, if any
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
	f.tally.ask(site)
	var buf []byte
	if f.bufs != nil {
		buf = f.bufs.Get()[:0]
	}
	go func() {
		start, end := time.Now(), f.e.speeds.begin(site)
		data, err := f.e.shardCall(f.ctx, site, shardReq{Op: "get", Pack: f.p.ID, Index: i}, buf)
		end()
		switch {
		case err == nil:
			f.e.speeds.observe(site, time.Since(start))
		case f.ctx.Err() != nil:
			f.e.speeds.observeCutShort(site, time.Since(start))
		}
		f.results <- shardResult{i, site, buf, data, err}
	}()
	return true
}

// keep notes a received shard's buffer: a data shard's stays the pack's
// until the pack is released; a parity shard's, one that failed, or one
// the shard did not fit in (it came in new memory) is free once the pack
// is decoded.
func (f *fetch) keep(r shardResult, data bool) {
	if data && len(r.data) > 0 && unsafe.SliceData(r.data) == unsafe.SliceData(r.buf) {
		f.held[r.index] = r.buf
	} else {
		f.spent = append(f.spent, r.buf)
	}
}

// recycle gives back the buffers that the decoded pack does not use.
func (f *fetch) recycle() {
	for _, b := range f.spent {
		f.bufs.Put(b)
	}
	f.spent = nil
}

// release gives the buffers of the pack's shards back for reuse: its
// Parts must not be read after.
func (f *fetch) release() {
	for i := range f.held {
		f.releasePart(i)
	}
}

// releasePart gives back the buffer data shard i was received into, if
// it came into one: the pack's part i must not be read after.
func (f *fetch) releasePart(i int) {
	if f.held[i] != nil {
		f.bufs.Put(f.held[i])
		f.held[i] = nil
	}
}

// drain gives back the buffers of the n calls still under way once the
// pack was decoded (each ends soon: its context is cancelled).
func (f *fetch) drain(n int) {
	for range n {
		f.bufs.Put((<-f.results).buf)
	}
}

// hedgeDelay is how long the shards asked for may wait for another
// before one more holder is asked: 4 times the k-th fastest holder's
// recent time (the time k shards take; the fastest alone may be a local
// disk read), within [250 ms, 2 s], so a site that stalls holds a pack
// up briefly on a fast mesh and a loaded one is not flooded with spare
// requests.
func (f *fetch) hedgeDelay() time.Duration {
	var times []time.Duration
	for _, i := range f.order {
		if t := f.e.speeds.estimate(f.p.Sites[i]); t > 0 {
			times = append(times, t)
		}
	}
	var kth time.Duration
	if len(times) > 0 {
		slices.Sort(times)
		kth = times[min(f.p.K, len(times))-1]
	}
	return min(2*time.Second, max(250*time.Millisecond, 4*kth))
}

func (f *fetch) gather() (erasure.Parts, error) {
	shards := make([][]byte, f.p.K+f.p.M)
	valid := 0
	var problems []string
	hedge := f.hedgeDelay()
	// After the decode (its result is computed before deferred calls
	// run), or on failure: parity is not read after, and buffers that
	// are never given back would stay mapped.
	defer f.recycle()
	for f.inFlight > 0 {
		var r shardResult
		select {
		case r = <-f.results:
		case <-time.After(hedge):
			f.launch()
			continue
		}
		f.inFlight--
		if r.err == nil {
			_, r.err = erasure.Verify(r.data)
		}
		f.keep(r, r.err == nil && r.index < f.p.K)
		if r.err != nil {
			problems = append(problems, fmt.Sprintf("shard %d at %s: %v", r.index, r.site, r.err))
			f.launch()
			continue
		}
		shards[r.index] = r.data
		f.tally.give(r.site)
		if valid++; valid == f.p.K {
			// Each passed Verify above.
			if slices.ContainsFunc(shards[:f.p.K], func(s []byte) bool { return s == nil }) {
				f.tally.decoded()
			}
			return erasure.DecodePartsVerified(erasure.Scheme{K: f.p.K, M: f.p.M}, shards)
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
	parts, release, err := e.fetchPack(ctx, s.Manifest, nil, nil)
	defer release() // after the manifest is opened, which copies it
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
