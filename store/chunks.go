package store

import (
	"errors"
	"fmt"
)

// ErrChunkMissing means no chunk with that hash is stored at this site.
var ErrChunkMissing = errors.New("chunk not stored at this site")

var chunkPrefix = []byte("chunk/")

func chunkKey(h Hash) []byte { return append(append([]byte(nil), chunkPrefix...), h[:]...) }

// HasChunk reports whether the chunk is stored here.
func (db *DB) HasChunk(h Hash) (bool, error) { return db.Has(chunkKey(h)) }

// PutChunk adds the chunk to b unless this site already stores it;
// identical chunks are stored once per site, whatever dataset or file
// they belong to.
func (db *DB) PutChunk(b *Batch, h Hash, data []byte) (stored bool, err error) {
	has, err := db.HasChunk(h)
	if err != nil || has {
		return false, err
	}
	return true, b.Set(chunkKey(h), data)
}

// Chunk returns the chunk's bytes after checking them against its hash.
func (db *DB) Chunk(h Hash) ([]byte, error) {
	data, ok, err := db.Get(chunkKey(h))
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", h, err)
	}
	if !ok {
		return nil, fmt.Errorf("chunk %s: %w", h, ErrChunkMissing)
	}
	if HashOf(data) != h {
		return nil, fmt.Errorf("chunk %s: stored bytes do not match their hash (disk corruption)", h)
	}
	return data, nil
}
