package store

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Scanner reads keys by prefix: a View, or the image a sweep marks.
type Scanner interface {
	Scan(prefix []byte, fn func(key, value []byte) error) error
}

// Refs calls mark for every chunk that the data in r references. The
// store holds chunks for others (hot datasets' trees and conflicts), so
// they say what is still in use.
type Refs func(ctx context.Context, r Scanner, mark func(Hash)) error

// SweepStats is what a sweep found and freed.
type SweepStats struct {
	Live            int     `json:"live_chunks"` // kept: marked (or, for ~0.05 % of the dead, kept by the filter until a later sweep)
	Freed           int     `json:"freed_chunks"`
	FreedBytes      int64   `json:"freed_bytes"` // stored (compressed) bytes of the freed chunks
	SegmentsRemoved int     `json:"segments_removed"`
	Seconds         float64 `json:"seconds"`
}

// Sweep deletes every chunk that refs does not mark, in an image taken
// once the writes under way have committed and in every open View, and
// that no write looked up meanwhile (see gc.go). Freed segment bytes are
// given back to the file system: a segment left with no chunk is
// removed, other freed ranges are punched out of their segment where
// the file system can (Linux: fallocate PUNCH_HOLE), else left in place.
// It runs beside writes and reads; one sweep runs at a time.
func (db *DB) Sweep(ctx context.Context, refs Refs) (SweepStats, error) {
	t0 := time.Now()
	if err := db.gc.begin(ctx); err != nil {
		return SweepStats{}, err
	}
	defer db.gc.end()
	closed := db.segs.closedBefore() // read before the image: those segments get no new chunk
	n, known := db.count.forSweep()
	if !known {
		db.count.restart() // before the image: what is stored after it adds to its count
	}
	img := db.View()
	defer img.Close()
	counted, err := db.sizeFor(img, known)
	if err != nil {
		return SweepStats{}, fmt.Errorf("sweep chunks: count: %w", err)
	}
	live, err := db.markLive(ctx, img, refs, max(n, counted))
	if err != nil {
		return SweepStats{}, fmt.Errorf("sweep chunks: mark: %w", err)
	}
	st, err := db.deleteUnmarked(ctx, img, live, closed)
	if err != nil {
		db.count.forget() // a batch counted as freed may not have committed
		return st, fmt.Errorf("sweep chunks: %w", err)
	}
	db.count.swept(counted, st.Freed)
	removed, err := db.reclaim()
	st.SegmentsRemoved, st.Seconds = removed, time.Since(t0).Seconds()
	return st, err
}

// sizeFor counts the image's chunks unless the count is known already
// (every sweep after the first since Open): it returns what it counted,
// 0 if it did not count.
func (db *DB) sizeFor(img *View, known bool) (int, error) {
	if known {
		return 0, nil
	}
	return countChunks(img)
}

// markLive marks through every open View, the image among them, in a
// set sized for n chunks.
func (db *DB) markLive(ctx context.Context, img *View, refs Refs, n int) (*liveSet, error) {
	live := newLiveSet(n, rand.Uint64())
	mark := live.add
	views := db.views.acquireAll()
	defer func() {
		for _, v := range views {
			v.release()
		}
	}()
	for _, v := range views {
		if err := refs(ctx, v, mark); err != nil {
			return nil, err
		}
	}
	return live, nil
}

func countChunks(img *View) (int, error) {
	n := 0
	err := img.Scan(chunkPrefix, func(_, _ []byte) error { n++; return nil })
	return n, err
}

// deadChunk is an index entry no reference marked.
type deadChunk struct {
	key []byte
	loc loc  // for a chunk in a segment
	seg bool // false: inline in Pebble
}

// deleteUnmarked deletes the image's chunks that are not live and were
// not touched, with a pending reclaim for their bytes, a batch at a time
// as the scan finds them (so a sweep's memory does not grow with the
// garbage: the image does not change under the deletes).
func (db *DB) deleteUnmarked(ctx context.Context, img *View, live *liveSet, closed uint32) (SweepStats, error) {
	var st SweepStats
	perSeg, deleted := map[uint32]int{}, map[uint32]int{}
	dead := make([]deadChunk, 0, sweepBatch)
	flush := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.deleteBatch(dead, deleted, &st)
		dead = dead[:0]
		return err
	}
	err := img.Scan(chunkPrefix, func(k, v []byte) error {
		d, err := parseIndex(k, v)
		if err != nil {
			return err
		}
		if d.seg {
			perSeg[d.loc.seg]++
		}
		if live.has(hashOfKey(k)) {
			st.Live++
			return nil
		}
		d.key = bytes.Clone(k) // k is valid only during the call
		if dead = append(dead, d); len(dead) == sweepBatch {
			return flush()
		}
		return nil
	})
	if err == nil && len(dead) > 0 {
		err = flush()
	}
	if err != nil {
		return st, err
	}
	return st, db.markEmptySegments(perSeg, deleted, closed)
}

// sweepBatch is how many chunks one synced batch deletes: a write waits
// for the guard's lock at most one such batch.
const sweepBatch = 4096

func hashOfKey(k []byte) Hash {
	var h Hash
	copy(h[:], k[len(chunkPrefix):])
	return h
}

func parseIndex(k, v []byte) (deadChunk, error) {
	var d deadChunk
	if len(k) != len(chunkPrefix)+len(Hash{}) || len(v) == 0 {
		return d, fmt.Errorf("index entry %x is malformed (damaged index)", k)
	}
	if v[0] != tagSegment {
		d.loc.n = uint32(len(v) - 1)
		return d, nil
	}
	l, err := decodeLoc(v[1:])
	d.loc, d.seg = l, true
	return d, err
}
