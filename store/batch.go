package store

import (
	"errors"

	"github.com/cockroachdb/pebble/v2"
)

// Batch groups writes so that they land together or not at all: a crash
// before Commit returns leaves none of them, after it all of them.
type Batch struct {
	b    *pebble.Batch
	db   *DB
	segs bool // the batch points at chunk bytes written to segments
	last loc  // the furthest of them
}

// NewBatch starts an atomic group of writes.
func (db *DB) NewBatch() *Batch { return &Batch{b: db.pdb.NewBatch(), db: db} }

func (b *Batch) noteSegment(l loc) {
	if !b.segs || l.seg > b.last.seg || (l.seg == b.last.seg && l.end() > b.last.end()) {
		b.segs, b.last = true, l
	}
}

// SyncChunks makes the chunk bytes the batch points at durable now;
// Commit does it anyway, but a caller that serialises commits can do it
// first, outside its lock, and share the fsync with concurrent writers.
func (b *Batch) SyncChunks() error { return b.syncSegments() }

// Absorb appends other's writes to b, in order, and discards other.
func (b *Batch) Absorb(other *Batch) error {
	if other.segs {
		b.noteSegment(other.last)
	}
	err := b.b.Apply(other.b, nil)
	other.Discard()
	return err
}

// syncSegments makes the chunk bytes the batch points at durable before
// the batch can be: an index entry never outlives its bytes.
func (b *Batch) syncSegments() error {
	if !b.segs {
		return nil
	}
	return b.db.segs.sync(b.last)
}

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
	if err := b.syncSegments(); err != nil {
		b.b.Close()
		return err
	}
	err := b.b.Commit(pebble.Sync)
	return errors.Join(err, b.b.Close())
}

// CommitNoSync applies the batch atomically without waiting for the
// disk: a crash may lose it (whole, never in part), so it is for writes
// that can be fetched again, such as an async replica's copy. Chunk
// bytes it points at are synced all the same: Pebble may make the batch
// durable later (a flush, another synced write), and then its bytes must
// be there.
func (b *Batch) CommitNoSync() error {
	if err := b.syncSegments(); err != nil {
		b.b.Close()
		return err
	}
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
