package store

import (
	"errors"
	"fmt"
)

// ErrChunkMissing means no chunk with that hash is stored at this site.
var ErrChunkMissing = errors.New("chunk not stored at this site")

// chunkPrefix keys where each chunk's bytes are in the segments.
// legacyChunkPrefix held the bytes themselves, in Pebble, before
// segments; Open refuses a database that still has such keys.
var (
	chunkPrefix       = []byte("chunkat/")
	legacyChunkPrefix = []byte("chunk/")
)

func chunkKey(h Hash) []byte { return append(append([]byte(nil), chunkPrefix...), h[:]...) }

// HasChunk reports whether the chunk is stored here. A write that relies
// on the answer (and does not store the chunk) must hold the store
// (Hold) until the entry that references the chunk commits; a sweep
// running meanwhile spares every chunk asked about.
func (db *DB) HasChunk(h Hash) (bool, error) {
	db.gc.mu.Lock()
	defer db.gc.mu.Unlock()
	db.gc.touchLocked(h)
	return db.Has(chunkKey(h))
}

// PutChunk writes the chunk's stored form to a segment and its location
// to b, unless this site already stores it: identical chunks are stored
// once per site, whatever dataset or file they belong to. The bytes are
// synced when b commits, before the location.
func (db *DB) PutChunk(b *Batch, h Hash, data []byte) (stored bool, err error) {
	has, err := db.HasChunk(h)
	if err != nil || has {
		return false, err
	}
	buf := db.bufs.Get()
	defer db.bufs.Put(buf)
	return true, db.putStored(b, h, db.codec.EncodeTo(buf, data)) // copied into the segment or the batch
}

// PutStoredChunk is PutChunk for a chunk already in its stored form, as
// a peer sent it; it is decoded and checked against h before it is kept.
func (db *DB) PutStoredChunk(b *Batch, h Hash, stored []byte) (bool, error) {
	has, err := db.HasChunk(h)
	if err != nil || has {
		return false, err
	}
	buf := db.bufs.Get()
	defer db.bufs.Put(buf)
	data, err := db.codec.DecodeTo(buf, stored) // only to be checked
	if err != nil {
		return false, fmt.Errorf("chunk %s: %w", h, err)
	}
	if HashOf(data) != h {
		return false, fmt.Errorf("chunk %s arrived corrupted: its bytes do not match its hash", h)
	}
	return true, db.putStored(b, h, stored)
}

// inlineLimit is the stored size under which a chunk is kept inside
// Pebble rather than in a segment: a small file then costs one fsync
// (Pebble's log) instead of two.
const inlineLimit = 64 << 10

// The index value of a chunk is a tag and either the chunk's location
// in a segment or, for a small chunk, its stored form itself.
const (
	tagSegment = 'S'
	tagInline  = 'I'
)

func (db *DB) putStored(b *Batch, h Hash, stored []byte) error {
	db.count.stored()
	if len(stored) < inlineLimit {
		return b.Set(chunkKey(h), append([]byte{tagInline}, stored...))
	}
	l, err := db.segs.append(stored)
	if err != nil {
		return fmt.Errorf("chunk %s: %w", h, err)
	}
	b.noteSegment(l)
	return b.Set(chunkKey(h), append([]byte{tagSegment}, l.encode()...))
}

// Chunk returns the chunk's bytes after checking them against its hash.
func (db *DB) Chunk(h Hash) ([]byte, error) {
	stored, err := db.StoredChunk(h)
	if err != nil {
		return nil, err
	}
	data, err := db.codec.Decode(stored)
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", h, err)
	}
	if HashOf(data) != h {
		return nil, fmt.Errorf("chunk %s: stored bytes do not match their hash (disk corruption)", h)
	}
	return data, nil
}

// StoredChunk returns the chunk's stored form (see Codec), checked
// against the checksum it was written with.
func (db *DB) StoredChunk(h Hash) ([]byte, error) { return db.StoredChunkTo(nil, h) }

// StoredChunkTo is StoredChunk reading a chunk from a segment into
// dst's memory when it has room.
func (db *DB) StoredChunkTo(dst []byte, h Hash) ([]byte, error) {
	return db.storedChunk(dst, h, db.segs.readTo)
}

// StoredChunkDirectTo is StoredChunkTo reading past the page cache, for
// a caller that reads each chunk once (a snapshot sealing it, a shipper
// sending it to a replica); dst is best a buffer from Buffers, whose
// memory is aligned as direct reads need (else each read allocates).
func (db *DB) StoredChunkDirectTo(dst []byte, h Hash) ([]byte, error) {
	return db.storedChunk(dst, h, db.segs.readDirectTo)
}

func (db *DB) storedChunk(dst []byte, h Hash, read func([]byte, loc) ([]byte, error)) ([]byte, error) {
	raw, ok, err := db.Get(chunkKey(h))
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", h, err)
	}
	if !ok {
		return nil, fmt.Errorf("chunk %s: %w", h, ErrChunkMissing)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("chunk %s: empty index entry (damaged index)", h)
	}
	switch raw[0] {
	case tagInline:
		return raw[1:], nil
	case tagSegment:
	default:
		return nil, fmt.Errorf("chunk %s: index entry of unknown kind %q (damaged index)", h, raw[0])
	}
	l, err := decodeLoc(raw[1:])
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", h, err)
	}
	stored, err := read(dst, l)
	if err != nil {
		return nil, fmt.Errorf("chunk %s: %w", h, err)
	}
	return stored, nil
}

// checkNoLegacyChunks refuses a database whose chunks are still inside
// Pebble: this version cannot read them.
func (db *DB) checkNoLegacyChunks() error {
	found := false
	err := db.Scan(legacyChunkPrefix, func(_, _ []byte) error { found = true; return errStopScan })
	if err != nil && !errors.Is(err, errStopScan) {
		return err
	}
	if found {
		return errors.New("this data directory keeps chunks inside its database (written by a meshvault before chunk segments): " +
			"start a fresh data directory and let the site catch up from its peers")
	}
	return nil
}

var errStopScan = errors.New("stop scan")
