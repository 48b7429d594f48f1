package store

import (
	"bytes"
	"errors"

	"github.com/cockroachdb/pebble/v2"
)

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
func (v *View) Get(key []byte) ([]byte, bool, error) {
	val, closer, err := v.snap.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer closer.Close()
	return bytes.Clone(val), true, nil
}

// Scan calls fn for every key with prefix, as of the image.
func (v *View) Scan(prefix []byte, fn func(key, value []byte) error) error {
	it, err := v.snap.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return err
	}
	for it.First(); it.Valid(); it.Next() {
		if err := fn(it.Key(), it.Value()); err != nil {
			it.Close()
			return err
		}
	}
	return it.Close()
}
