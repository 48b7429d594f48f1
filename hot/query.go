package hot

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/meshvault/meshvault/node/api"
)

// HoldsCopy reports whether this site keeps a full copy of the dataset
// (it is its primary or one of its replicas).
func (e *Engine) HoldsCopy(name string) bool {
	d, ok := e.def(name)
	return ok && (d.Primary == e.site || contains(d.Replicas, e.site))
}

// Stat returns the entry at path from this site's copy.
func (e *Engine) Stat(name, path string) (Entry, error) {
	p, err := CleanPath(path)
	if err != nil {
		return Entry{}, err
	}
	ds, err := e.dataset(name)
	if err != nil {
		return Entry{}, err
	}
	en, ok, err := ds.local.entry(p)
	if err == nil && !ok {
		err = fmt.Errorf("%s/%s: no such file", name, p)
	}
	return en, err
}

// List returns the files under prefix from this site's copy.
func (e *Engine) List(name, prefix string) ([]api.FileEntry, error) {
	ds, err := e.dataset(name)
	if err != nil {
		return nil, err
	}
	out := []api.FileEntry{}
	err = ds.local.entries(prefix, func(en Entry) error {
		out = append(out, ToAPIEntry(en))
		return nil
	})
	return out, err
}

// ToAPIEntry converts a tree entry for the API.
func ToAPIEntry(en Entry) api.FileEntry {
	return api.FileEntry{Path: en.Path, Size: en.Size, Mode: en.Mode, MTime: en.MTime, Target: en.Target}
}

// Digest is a hash of this site's whole copy of the dataset and its
// number of files: equal digests mean equal content.
func (e *Engine) Digest(name string) (string, int, error) {
	ds, err := e.dataset(name)
	if err != nil {
		return "", 0, err
	}
	return ds.local.digest()
}

// Position is this site's last applied log position and epoch.
func (e *Engine) Position(name string) (pos, epoch uint64) {
	ds, err := e.dataset(name)
	if err != nil {
		return 0, 0
	}
	m := ds.snapshot()
	return m.Pos, m.Epoch
}

// Conflicts lists the writes this site accepted as primary after a new
// epoch had begun elsewhere.
func (e *Engine) Conflicts(name string) ([]api.Conflict, error) {
	ds, err := e.dataset(name)
	if err != nil {
		return nil, err
	}
	out := []api.Conflict{}
	err = ds.local.db.Scan([]byte(ds.local.prefix()+"conflict/"), func(_, v []byte) error {
		var op Op
		if err := json.Unmarshal(v, &op); err != nil {
			return err
		}
		out = append(out, api.Conflict{Site: op.Site, Epoch: op.Epoch, Position: op.Pos, Op: op.Type, Path: op.Path, Size: int64(op.bytes()), Time: op.Time})
		return nil
	})
	return out, err
}

// FileMode returns the os.FileMode of an entry.
func (en Entry) FileMode() os.FileMode { return os.FileMode(en.Mode) }

// IsDir reports whether the entry is a directory's.
func (en Entry) IsDir() bool { return en.FileMode().IsDir() }
