package snapshot

import (
	"context"
	"encoding/json"

	"github.com/meshvault/meshvault/store"
)

// dedupIndex maps a chunk hash to where an earlier snapshot of the
// dataset stored it. It lives in Pebble (memory stays flat in dataset
// size). It records which snapshot manifest it last took in (its own
// snapshot's, or one it was rebuilt from); when the dataset's latest
// snapshot has another one (taken at another site holding a copy, such
// as the primary before a failover, or recorded again by a repack
// elsewhere), the index first takes that manifest in, so the snapshot
// finds where those chunks are now instead of storing them again.
type dedupIndex struct {
	e       *Engine
	dataset string
	fresh   map[store.Hash]*chunkRef // added by the snapshot being taken
}

func (ix *dedupIndex) key(h store.Hash) []byte {
	return append([]byte("snapidx/"+ix.dataset+"/"), h[:]...)
}

// atKey holds the manifest the index last took in.
func (ix *dedupIndex) atKey() []byte { return []byte("snapidx-at/" + ix.dataset) }

func (e *Engine) loadIndex(ctx context.Context, dataset string) (*dedupIndex, error) {
	ix := &dedupIndex{e: e, dataset: dataset, fresh: map[store.Hash]*chunkRef{}}
	snaps := e.catalog.Snapshots(dataset)
	if len(snaps) == 0 || ix.tookIn(snaps[len(snaps)-1].Manifest) {
		return ix, nil
	}
	latest := snaps[len(snaps)-1]
	if err := ix.rebuild(ctx, latest); err != nil { // the snapshot goes on, deduplicating less
		e.log.Warn("dedup index: cannot read the latest snapshot's file list; its chunks may be stored again", "dataset", dataset, "snapshot", latest.ID, "err", err)
	}
	return ix, nil
}

// tookIn reports whether the index last took in manifest.
func (ix *dedupIndex) tookIn(manifest string) bool {
	v, ok, err := ix.e.cfg.DB.Get(ix.atKey())
	return err == nil && ok && string(v) == manifest
}

// rebuild takes s's manifest in: its chunks, where they are now.
func (ix *dedupIndex) rebuild(ctx context.Context, s Snapshot) error {
	m, err := ix.e.loadManifest(ctx, s)
	if err != nil {
		return err
	}
	b := ix.e.cfg.DB.NewBatch()
	for _, f := range m.Files {
		for _, c := range f.Chunks {
			v, _ := json.Marshal(c)
			b.Set(ix.key(c.Hash), v)
		}
	}
	b.Set(ix.atKey(), []byte(s.Manifest))
	return b.Commit()
}

// lookup finds a stored chunk whose pack is still in the catalog.
func (ix *dedupIndex) lookup(h store.Hash) (*chunkRef, bool) {
	if ref, ok := ix.fresh[h]; ok {
		return ref, true
	}
	v, ok, err := ix.e.cfg.DB.Get(ix.key(h))
	if err != nil || !ok {
		return nil, false
	}
	var ref chunkRef
	if json.Unmarshal(v, &ref) != nil {
		return nil, false
	}
	if p, live := ix.e.catalog.Pack(ref.Pack); !live || !p.Condemned.IsZero() {
		return nil, false // pruned or about to be: store the chunk again
	}
	return &ref, true
}

func (ix *dedupIndex) add(ref *chunkRef) { ix.fresh[ref.Hash] = ref }

// save records the chunks this snapshot stored, once their packs exist,
// and, if manifest is not empty, that the index now holds every chunk of
// that manifest (the snapshot's own: each chunk was found here or added).
func (ix *dedupIndex) save(manifest string) error {
	b := ix.e.cfg.DB.NewBatch()
	for _, ref := range ix.fresh {
		v, _ := json.Marshal(ref)
		b.Set(ix.key(ref.Hash), v)
	}
	if manifest != "" {
		b.Set(ix.atKey(), []byte(manifest))
	}
	return b.Commit()
}
