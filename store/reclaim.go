package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// A freed chunk's bytes are given back after its index entry is gone, in
// two steps that a crash may split: the sweep's batch deletes the entry
// and records a pending reclaim of its range ("gcpunch/" + segment +
// offset → length) or of its whole segment ("gcdrop/" + segment); the
// reclaim then punches or removes, and deletes the record. A record left
// by a crash is carried out at the next Open, before the first append.
// Ranges are never reused (segments are append-only and their numbers
// only grow while open), so a late punch can only hit freed bytes.
var (
	punchPrefix = []byte("gcpunch/")
	dropPrefix  = []byte("gcdrop/")
)

func punchKey(l loc) []byte {
	k := binary.BigEndian.AppendUint32(append([]byte(nil), punchPrefix...), l.seg)
	return binary.BigEndian.AppendUint64(k, l.off)
}

func dropKey(seg uint32) []byte {
	return binary.BigEndian.AppendUint32(append([]byte(nil), dropPrefix...), seg)
}

// deleteBatch deletes dead chunks that no write touched, with their
// pending reclaims, in one synced batch under the guard's lock.
func (db *DB) deleteBatch(dead []deadChunk, deleted map[uint32]int, st *SweepStats) error {
	g := &db.gc
	g.mu.Lock()
	defer g.mu.Unlock()
	b := db.NewBatch()
	for _, d := range dead {
		if _, ok := g.touched[hashOfKey(d.key)]; ok {
			continue
		}
		b.Delete(d.key)
		if d.seg {
			b.Set(punchKey(d.loc), binary.BigEndian.AppendUint32(nil, d.loc.n))
			deleted[d.loc.seg]++
		}
		st.Freed, st.FreedBytes = st.Freed+1, st.FreedBytes+int64(d.loc.n)
	}
	return b.Commit()
}

// markEmptySegments records the removal of each segment closed before
// the sweep whose every chunk it deleted.
func (db *DB) markEmptySegments(perSeg, deleted map[uint32]int, closed uint32) error {
	b := db.NewBatch()
	for seg, n := range deleted {
		if seg < closed && n == perSeg[seg] {
			b.Set(dropKey(seg), nil)
		}
	}
	return b.Commit()
}

// reclaim carries out the pending reclaims it can now: segment removals,
// then punches. A punch into the appending segment waits until its range
// is final on disk (a later sweep or Open does it).
func (db *DB) reclaim() (removed int, err error) {
	b := db.NewBatch()
	err = scan(db.pdb, dropPrefix, func(k, _ []byte) error {
		seg := binary.BigEndian.Uint32(k[len(dropPrefix):])
		if err := db.segs.remove(seg); err != nil {
			return err
		}
		removed++
		b.Delete(k)
		segPunches := binary.BigEndian.AppendUint32(append([]byte(nil), punchPrefix...), seg)
		return b.DeletePrefix(segPunches)
	})
	if err == nil {
		err = b.Commit() // removals first: their punches are then gone
	} else {
		b.Discard()
	}
	if err != nil {
		return removed, fmt.Errorf("reclaim segments: %w", err)
	}
	return removed, db.punchPending()
}

func (db *DB) punchPending() error {
	b := db.NewBatch()
	err := scan(db.pdb, punchPrefix, func(k, v []byte) error {
		if len(k) != len(punchPrefix)+12 || len(v) != 4 {
			return b.Delete(k) // malformed: nothing to punch safely
		}
		l := loc{seg: binary.BigEndian.Uint32(k[len(punchPrefix):]), off: binary.BigEndian.Uint64(k[len(punchPrefix)+4:]), n: binary.BigEndian.Uint32(v)}
		done, err := db.segs.punch(l)
		if err != nil || !done {
			return err
		}
		return b.Delete(k)
	})
	if err != nil {
		b.Discard()
		return fmt.Errorf("reclaim freed chunk bytes: %w", err)
	}
	return b.Commit()
}

// reclaimAtOpen carries out the reclaims a crash left pending, while no
// segment is open for appends.
func reclaimAtOpen(pdb *pebble.DB, fsys vfs.FS, dir string) error {
	db := &DB{pdb: pdb, segs: &segments{fs: fsys, dir: dir, files: map[uint32]vfs.File{}}}
	_, err := db.reclaim()
	return err
}

// remove deletes a closed segment's file; an appending or unknown one is
// left alone (a removal is only recorded for segments closed before the
// sweep began, so neither happens but after a crash, when it is gone).
func (s *segments) remove(id uint32) error {
	s.mu.Lock()
	appending := s.cur != nil && id >= s.curID
	s.mu.Unlock()
	if appending {
		return nil
	}
	s.rmu.Lock()
	f := s.files[id]
	delete(s.files, id)
	s.closeDirect(id)
	s.rmu.Unlock()
	if f != nil {
		f.Close()
	}
	err := s.fs.Remove(filepath.Join(s.dir, segmentName(id)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) && !os.IsNotExist(err) {
		return fmt.Errorf("chunk segment %d: remove: %w", id, err)
	}
	return syncDirFS(s.fs, s.dir)
}

// punch gives a freed range back to the file system; done is false while
// the range may still be rewritten (the appending segment's stage).
func (s *segments) punch(l loc) (done bool, err error) {
	s.mu.Lock()
	pending := s.cur != nil && l.seg == s.curID && (s.st == nil || l.end() > s.st.off)
	s.mu.Unlock()
	if pending {
		return false, nil
	}
	if s.fs != vfs.Default {
		return true, nil // an in-memory file system in tests: nothing to give back
	}
	err = punchHole(filepath.Join(s.dir, segmentName(l.seg)), int64(l.off), int64(l.n))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNoPunch) {
		return true, nil // gone already, or the file system keeps the bytes
	}
	return err == nil, err
}

// closedBefore is the appending segment's number: every segment below
// it is closed and gets no new chunk.
func (s *segments) closedBefore() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.curID
}
