package snapshot

import (
	"context"
	"encoding/json"

	"github.com/meshvault/meshvault/store"
)

// dedupIndex maps a chunk hash to where an earlier snapshot of the
// dataset stored it. It lives in Pebble (memory stays flat in dataset
// size); a site that has none yet, as after a failover, rebuilds it from
// the latest snapshot's manifest.
type dedupIndex struct {
	e       *Engine
	dataset string
	fresh   map[store.Hash]*chunkRef // added by the snapshot being taken
}

func (ix *dedupIndex) key(h store.Hash) []byte {
	return append([]byte("snapidx/"+ix.dataset+"/"), h[:]...)
}

func (e *Engine) loadIndex(ctx context.Context, dataset string) (*dedupIndex, error) {
	ix := &dedupIndex{e: e, dataset: dataset, fresh: map[store.Hash]*chunkRef{}}
	empty := true
	e.cfg.DB.Scan([]byte("snapidx/"+dataset+"/"), func(_, _ []byte) error { empty = false; return errStop })
	snaps := e.catalog.Snapshots(dataset)
	if !empty || len(snaps) == 0 {
		return ix, nil
	}
	return ix, ix.rebuild(ctx, snaps[len(snaps)-1])
}

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

// save records the chunks this snapshot stored, once their packs exist.
func (ix *dedupIndex) save() error {
	b := ix.e.cfg.DB.NewBatch()
	for _, ref := range ix.fresh {
		v, _ := json.Marshal(ref)
		b.Set(ix.key(ref.Hash), v)
	}
	return b.Commit()
}
