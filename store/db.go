package store

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// Options configure the local database.
type Options struct {
	// Dir is where Pebble keeps its files.
	Dir string
	// ChunkDir is where chunk bytes are kept, in segment files; empty
	// means a "chunks" directory inside Dir.
	ChunkDir string
	// FS lets tests use pebble's crashable in-memory filesystem; nil is
	// the real disk.
	FS vfs.FS
	// Logger receives Pebble's log lines at debug and error levels.
	Logger *slog.Logger
}

// Validate reports what is wrong with o, naming the field.
func (o Options) Validate() error {
	if o.Dir == "" {
		return errors.New("store: Options.Dir is empty: give the directory for the local database")
	}
	return nil
}

// DB is a site's embedded key-value store. Every write is synced before
// it returns: a crash keeps every write that was acknowledged.
type DB struct {
	pdb   *pebble.DB
	segs  *segments
	codec *Codec
	bufs  Buffers // for stored forms and checks, see PutChunk and PutStoredChunk
	gc    gcGuard // see gc.go
	views viewSet // open Views, which a sweep marks through
	count chunkCount
}

// Open opens (creating if needed) the database in o.Dir.
func Open(o Options) (*DB, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pdb, err := pebble.Open(o.Dir, pebbleOptions(o, log))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", o.Dir, err)
	}
	db := &DB{pdb: pdb, gc: gcGuard{holds: map[uint64]int{}}, views: viewSet{open: map[*View]struct{}{}}}
	if db.codec, err = NewCodec(); err != nil {
		pdb.Close()
		return nil, err
	}
	if err := db.checkNoLegacyChunks(); err != nil {
		pdb.Close()
		return nil, fmt.Errorf("open database %s: %w", o.Dir, err)
	}
	if err := reclaimAtOpen(pdb, vfsOrDefault(o.FS), o.chunkDir()); err != nil {
		pdb.Close()
		return nil, fmt.Errorf("open database %s: %w", o.Dir, err)
	}
	if db.segs, err = openSegments(vfsOrDefault(o.FS), o.chunkDir()); err != nil {
		pdb.Close()
		return nil, fmt.Errorf("open database %s: %w", o.Dir, err)
	}
	return db, nil
}

func (o Options) chunkDir() string {
	if o.ChunkDir != "" {
		return o.ChunkDir
	}
	return filepath.Join(o.Dir, "chunks")
}

func vfsOrDefault(fs vfs.FS) vfs.FS {
	if fs == nil {
		return vfs.Default
	}
	return fs
}

// pebbleOptions tunes Pebble for what it holds: metadata only (chunk
// bytes live in segments), so its default 4 MiB memtables suffice, and
// Bloom filters make "is this chunk stored?" for a new chunk rarely read
// a block.
func pebbleOptions(o Options, log *slog.Logger) *pebble.Options {
	opts := &pebble.Options{
		Logger: pebbleLogger{log.With("component", "pebble")},
		FS:     o.FS,
	}
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	return opts
}

// Codec is the database's chunk codec, for others that compress the
// same way (snapshots seal with it).
func (db *DB) Codec() *Codec { return db.codec }

// Close flushes and closes the database.
func (db *DB) Close() error {
	defer db.codec.Close()
	return errors.Join(db.pdb.Close(), db.segs.close())
}

// Set stores value under key, synced.
func (db *DB) Set(key, value []byte) error {
	return db.pdb.Set(key, value, pebble.Sync)
}

// Get returns a copy of the value under key; found is false if absent.
func (db *DB) Get(key []byte) (value []byte, found bool, err error) { return get(db.pdb, key) }

// Scan calls fn for every key that starts with prefix, in key order. The
// slices are valid only during the call.
func (db *DB) Scan(prefix []byte, fn func(key, value []byte) error) error {
	return scan(db.pdb, prefix, fn)
}

// get and scan serve both the live database and a View (pebble.Reader).
func get(r pebble.Reader, key []byte) ([]byte, bool, error) {
	v, closer, err := r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer closer.Close()
	return bytes.Clone(v), true, nil
}

func scan(r pebble.Reader, prefix []byte, fn func(key, value []byte) error) error {
	it, err := r.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
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

// prefixEnd is the smallest key greater than every key with prefix.
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

type pebbleLogger struct{ log *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) {
	l.log.Debug(fmt.Sprintf(format, args...))
}
func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...))
}
func (l pebbleLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...)) // pebble's contract: Fatalf must not return
}
