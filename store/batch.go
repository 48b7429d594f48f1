package store

import (
	"errors"

	"github.com/cockroachdb/pebble/v2"
)

// Batch groups writes so that they land together or not at all: a crash
// before Commit returns leaves none of them, after it all of them.
type Batch struct {
	b *pebble.Batch
}

// NewBatch starts an atomic group of writes.
func (db *DB) NewBatch() *Batch { return &Batch{b: db.pdb.NewBatch()} }

// Set adds a write of value under key.
func (b *Batch) Set(key, value []byte) error { return b.b.Set(key, value, nil) }

// Delete adds a deletion of key.
func (b *Batch) Delete(key []byte) error { return b.b.Delete(key, nil) }

// DeletePrefix adds a deletion of every key that starts with prefix.
func (b *Batch) DeletePrefix(prefix []byte) error {
	return b.b.DeleteRange(prefix, prefixEnd(prefix), nil)
}

// Len is the number of bytes the batch holds.
func (b *Batch) Len() int { return b.b.Len() }

// Commit applies the batch atomically and syncs it to disk.
func (b *Batch) Commit() error {
	err := b.b.Commit(pebble.Sync)
	return errors.Join(err, b.b.Close())
}

// CommitNoSync applies the batch atomically without waiting for the
// disk: a crash may lose it (whole, never in part), so it is for writes
// that can be fetched again, such as an async replica's copy.
func (b *Batch) CommitNoSync() error {
	err := b.b.Commit(pebble.NoSync)
	return errors.Join(err, b.b.Close())
}

// Discard drops an uncommitted batch.
func (b *Batch) Discard() { b.b.Close() }

// Has reports whether key exists.
func (db *DB) Has(key []byte) (bool, error) {
	_, closer, err := db.pdb.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, closer.Close()
}
