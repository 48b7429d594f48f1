package hot

import (
	"encoding/json"
	"fmt"

	"github.com/meshvault/meshvault/store"
)

// View is a dataset's tree at one log position: writes that go on while
// it is open are not in it, and no file in it is half old, half new
// (every op is applied in one batch, and the view is one instant).
type View struct {
	Name  string
	Pos   uint64
	Epoch uint64
	local local
	snap  *store.View
}

// OpenView takes a consistent view of this site's copy of the dataset.
func (e *Engine) OpenView(name string) (*View, error) {
	if !e.HoldsCopy(name) {
		return nil, fmt.Errorf("dataset %s: this site holds no full copy; take the snapshot at its primary or a replica", name)
	}
	ds, err := e.dataset(name)
	if err != nil {
		return nil, err
	}
	snap := e.cfg.DB.View()
	var m meta
	if b, ok, err := snap.Get(ds.local.metaKey()); err != nil || (ok && json.Unmarshal(b, &m) != nil) {
		snap.Close()
		return nil, fmt.Errorf("dataset %s: read position: %v", name, err)
	}
	if m.Resync {
		snap.Close()
		return nil, fmt.Errorf("dataset %s: this site's copy is being re-synchronised; take the snapshot at the primary", name)
	}
	return &View{Name: name, Pos: m.Pos, Epoch: m.Epoch, local: ds.local, snap: snap}, nil
}

// Close releases the view.
func (v *View) Close() error { return v.snap.Close() }

// Entries calls fn for every file of the view, in path order.
func (v *View) Entries(fn func(Entry) error) error {
	return v.snap.Scan(v.local.treeKey(""), func(_, val []byte) error {
		var en Entry
		if err := json.Unmarshal(val, &en); err != nil {
			return err
		}
		return fn(en)
	})
}

// StoredChunk returns a chunk in its stored form (see store.Codec),
// checked against its checksum. Chunks are immutable, so reading them
// outside the image is consistent.
func (v *View) StoredChunk(h store.Hash) ([]byte, error) { return v.local.db.StoredChunk(h) }

// StoredChunkDirectTo is StoredChunk read past the page cache into
// dst's memory when it has room (see store.DB.StoredChunkDirectTo), for
// a reader that reads each chunk once.
func (v *View) StoredChunkDirectTo(dst []byte, h store.Hash) ([]byte, error) {
	return v.local.db.StoredChunkDirectTo(dst, h)
}
