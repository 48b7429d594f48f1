package store

import (
	"sync"

	"github.com/cockroachdb/pebble/v2"
)

// View is a consistent read-only image of the database at one instant:
// writes made after it was taken are not visible through it. The chunks
// its data references stay stored while it is open: a sweep marks
// through every open View.
type View struct {
	snap   *pebble.Snapshot
	set    *viewSet
	refs   int  // the owner's, and a sweep's while it marks; guarded by set.mu
	closed bool // the owner's Close was called; guarded by set.mu
}

// viewSet is the Views open on a DB.
type viewSet struct {
	mu   sync.Mutex
	open map[*View]struct{}
}

// View takes a consistent image of the database. Close it when done.
func (db *DB) View() *View {
	v := &View{snap: db.pdb.NewSnapshot(), set: &db.views, refs: 1}
	db.views.mu.Lock()
	db.views.open[v] = struct{}{}
	db.views.mu.Unlock()
	return v
}

// Close releases the image; a second Close does nothing.
func (v *View) Close() error {
	v.set.mu.Lock()
	if v.closed {
		v.set.mu.Unlock()
		return nil
	}
	v.closed = true
	v.set.mu.Unlock()
	return v.release()
}

func (v *View) release() error {
	v.set.mu.Lock()
	v.refs--
	last := v.refs == 0
	if last {
		delete(v.set.open, v)
	}
	v.set.mu.Unlock()
	if last {
		return v.snap.Close()
	}
	return nil
}

// acquireAll returns every open View, each kept open until released.
func (s *viewSet) acquireAll() []*View {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*View, 0, len(s.open))
	for v := range s.open {
		v.refs++
		out = append(out, v)
	}
	return out
}

// Get returns a copy of the value under key as of the image.
func (v *View) Get(key []byte) ([]byte, bool, error) { return get(v.snap, key) }

// Scan calls fn for every key with prefix, as of the image.
func (v *View) Scan(prefix []byte, fn func(key, value []byte) error) error {
	return scan(v.snap, prefix, fn)
}
