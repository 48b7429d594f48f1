package store

import "github.com/cockroachdb/pebble/v2"

// View is a consistent read-only image of the database at one instant:
// writes made after it was taken are not visible through it.
type View struct {
	snap *pebble.Snapshot
}

// View takes a consistent image of the database. Close it when done.
func (db *DB) View() *View { return &View{snap: db.pdb.NewSnapshot()} }

// Close releases the image.
func (v *View) Close() error { return v.snap.Close() }

// Get returns a copy of the value under key as of the image.
func (v *View) Get(key []byte) ([]byte, bool, error) { return get(v.snap, key) }

// Scan calls fn for every key with prefix, as of the image.
func (v *View) Scan(prefix []byte, fn func(key, value []byte) error) error {
	return scan(v.snap, prefix, fn)
}
