package snapshot

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/store/bufpool"
	"github.com/zeebo/blake3"
)

// packer gathers sealed chunks into packs and uploads each full pack's
// shards in the background, a few packs at a time.
type packer struct {
	e       *Engine
	dataset string
	scheme  erasure.Scheme
	sites   []erasure.Site
	size    int

	buf     []byte
	waiting []*chunkRef // refs into buf, awaiting their pack ID
	group   *errgroup.Group
	ctx     context.Context // the uploads': cancelled once they are waited for
	outer   context.Context // the snapshot's

	mu       sync.Mutex
	newBytes int64
	pending  []Pack        // staged, awaiting their commit
	bufs     *bufpool.Pool // pack buffers, outside the Go heap, taken again once a pack is stored
}

func (e *Engine) newPacker(ctx context.Context, dataset string, scheme erasure.Scheme) *packer {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.cfg.Uploads)
	return &packer{e: e, dataset: dataset, scheme: scheme, sites: e.aliveSites(), size: e.cfg.PackSize, group: g, ctx: gctx, outer: ctx,
		bufs: bufpool.New(erasure.InPlaceSize(scheme, e.cfg.PackSize), e.cfg.Uploads+1)}
}

// close waits for the uploads still under way and lets go of the pack
// buffers: once the snapshot is taken or has failed.
func (p *packer) close() {
	p.group.Wait()
	p.bufs.Put(p.buf)
	p.buf = nil
	p.bufs.Close()
}

// add appends sealed bytes to the current pack and returns their ref.
// A pack is cut before the chunk that would take it past the pack size,
// so that it is coded in place in a buffer sized for the pack size.
func (p *packer) add(ref *chunkRef, sealed []byte) error {
	if len(p.buf) > 0 && len(p.buf)+len(sealed) > p.size {
		if err := p.flush(); err != nil {
			return err
		}
	}
	if p.buf == nil {
		p.buf = p.newBuf()
	}
	if len(sealed) > cap(p.buf) { // a chunk larger than a pack: its pack has a buffer of its own
		p.bufs.Put(p.buf)
		p.buf = make([]byte, 0, erasure.InPlaceSize(p.scheme, len(sealed)))
	}
	ref.Off, ref.Len = len(p.buf), len(sealed)
	p.buf = append(p.buf, sealed...)
	p.waiting = append(p.waiting, ref)
	return p.ctx.Err()
}

// flush seals off the current pack and starts its upload.
func (p *packer) flush() error {
	if len(p.buf) == 0 {
		return nil
	}
	pack, refs := p.buf, p.waiting
	p.buf, p.waiting = nil, nil
	p.group.Go(func() error {
		id, err := p.upload(pack)
		for _, r := range refs {
			r.Pack = id // read only after wait
		}
		return err
	})
	return nil
}

// newBuf returns an empty pack buffer with room for the pack's parity,
// one that a stored pack left if there is one.
func (p *packer) newBuf() []byte { return p.bufs.Get()[:0] }

// wait returns once every pack is persisted at its sites.
func (p *packer) wait() (int64, error) {
	if err := p.flush(); err != nil {
		return 0, err
	}
	if err := p.group.Wait(); err != nil {
		return 0, err
	}
	return p.newBytes, p.e.commitPacks(p.outer, p.take(0))
}

// packID names a pack by its shards' checksums (each covers its header
// and payload, and the shards are a function of the pack and the
// scheme): as content-derived as a hash of the pack, without hashing
// the pack's bytes a second time.
func packID(shards []erasure.Shard) string {
	h := blake3.New()
	for i := range shards {
		h.Write(shards[i].Checksum())
	}
	sum := h.Sum(nil)
	return fmt.Sprintf("%x", sum[:16])
}

// upload codes a pack into shards in its own buffer, places them and
// stages each at its site (in parallel); the pack is recorded once a
// commit has made its shards durable (see stage.go). It returns the
// pack's ID. The buffer takes a later pack once every shard is written.
func (p *packer) upload(pack []byte) (string, error) {
	pl, err := p.e.writePack(p.ctx, "stage", p.dataset, pack, p.scheme, p.sites)
	p.bufs.Put(pack) // every shard call has returned: none reads it after
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.newBytes += int64(pl.Length)
	p.mu.Unlock()
	return pl.ID, p.staged(pl)
}

// storePack writes a pack's shards durably, one sync each, then records
// it: for a pack on its own, as a snapshot's manifest.
func (e *Engine) storePack(ctx context.Context, dataset string, pack []byte, s erasure.Scheme, sites []erasure.Site) (Pack, error) {
	pl, err := e.writePack(ctx, "put", dataset, pack, s, sites)
	if err != nil {
		return Pack{}, err
	}
	return pl, e.catalog.putJSON(packKind, pl.ID, pl)
}

// writePack codes pack in place (growing its buffer if it lacks room
// for the parity) and sends every shard to its site with op (put or
// stage); it returns the pack's entry, not yet recorded.
func (e *Engine) writePack(ctx context.Context, op, dataset string, pack []byte, s erasure.Scheme, sites []erasure.Site) (Pack, error) {
	n := len(pack)
	if need := erasure.InPlaceSize(s, n); cap(pack) < need {
		pack = slices.Grow(pack, need-n)
	}
	shards, err := erasure.EncodeInPlace(pack, n, s)
	if err != nil {
		return Pack{}, fmt.Errorf("pack of %d bytes: %w", n, err)
	}
	id := packID(shards)
	placed := erasure.Place(id, sites, s.K+s.M)
	g, gctx := errgroup.WithContext(ctx)
	for i, site := range placed {
		g.Go(func() error {
			_, err := e.shardCall(gctx, site, shardReq{Op: op, Pack: id, Index: i}, shards[i].Header[:], shards[i].Payload)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Pack{}, fmt.Errorf("store pack %s: %w", id, err)
	}
	return Pack{ID: id, Dataset: dataset, K: s.K, M: s.M, Sites: placed, Length: n, Created: time.Now().UTC()}, nil
}
