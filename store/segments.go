package store

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store/directio"
)

// segmentLimit is the size at which a segment is closed and the next one
// started: large enough that a site with terabytes holds a few thousand
// open files at most, small enough that one never nears a filesystem's
// file-size limit.
const segmentLimit = 1 << 30

// loc is where a chunk's stored form lives: a segment, a byte range in
// it, and the xxHash64 of those bytes, which every read checks.
type loc struct {
	seg uint32
	off uint64
	n   uint32
	sum uint64
}

func (l loc) end() uint64 { return l.off + uint64(l.n) }

func (l loc) encode() []byte {
	b := make([]byte, 24)
	binary.BigEndian.PutUint32(b, l.seg)
	binary.BigEndian.PutUint64(b[4:], l.off)
	binary.BigEndian.PutUint32(b[12:], l.n)
	binary.BigEndian.PutUint64(b[16:], l.sum)
	return b
}

func decodeLoc(b []byte) (loc, error) {
	if len(b) != 24 {
		return loc{}, fmt.Errorf("chunk location of %d bytes, want 24 (damaged index)", len(b))
	}
	be := binary.BigEndian
	return loc{seg: be.Uint32(b), off: be.Uint64(b[4:]), n: be.Uint32(b[12:]), sum: be.Uint64(b[16:])}, nil
}

// segments hold chunk bytes in append-only files, outside Pebble: a
// chunk is written once, in one write, and never moved by a compaction.
// Pebble keeps only where each chunk is. The order that keeps this safe
// is in Batch.Commit: segment bytes are synced before the index entries
// that point at them.
type segments struct {
	fs    vfs.FS
	dir   string
	limit uint64 // segmentLimit; smaller in tests

	mu     sync.Mutex // guards the appending segment
	cur    vfs.File   // the appending segment, opened for writes only
	st     *stage     // its newest bytes, not yet written
	buf    []byte     // the stage's buffer, kept across segments
	curID  uint32
	curOff uint64
	files  map[uint32]vfs.File // every segment, opened for reads; guarded by rmu
	direct map[uint32]vfs.File // segments opened for direct reads, on first use (nil: refused); guarded by rmu
	rmu    sync.RWMutex
	smu    sync.Mutex // one fsync at a time; a sync covers every earlier append
	synced loc        // end of the bytes known synced in the newest synced segment
}

func segmentName(id uint32) string { return fmt.Sprintf("%08d.seg", id) }

// openSegments opens every existing segment for reading and starts a new
// one for appends: a segment's unsynced tail from before a crash is
// never appended to, only left unreferenced.
func openSegments(fs vfs.FS, dir string) (*segments, error) {
	if err := fs.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("chunk directory %s: %w", dir, err)
	}
	if err := syncDirFS(fs, filepath.Dir(dir)); err != nil { // the directory's own entry
		return nil, err
	}
	s := &segments{fs: fs, dir: dir, limit: segmentLimit, files: map[uint32]vfs.File{}, direct: map[uint32]vfs.File{}}
	ids, err := s.list()
	if err != nil {
		return nil, err
	}
	if ids, err = s.dropEmptyLast(ids); err != nil {
		return nil, err
	}
	for _, id := range ids {
		f, err := fs.Open(filepath.Join(dir, segmentName(id)))
		if err != nil {
			s.close()
			return nil, fmt.Errorf("chunk segment %d: %w", id, err)
		}
		s.files[id] = f
		s.curID = id
	}
	return s, s.rotate()
}

// dropEmptyLast removes the newest segment if nothing was ever written
// to it, so that restarts do not leave a trail of empty files.
func (s *segments) dropEmptyLast(ids []uint32) ([]uint32, error) {
	if len(ids) == 0 {
		return ids, nil
	}
	last := filepath.Join(s.dir, segmentName(ids[len(ids)-1]))
	if fi, err := s.fs.Stat(last); err != nil || fi.Size() > 0 {
		return ids, err
	}
	if err := s.fs.Remove(last); err != nil {
		return nil, fmt.Errorf("chunk segment %s: %w", last, err)
	}
	return ids[:len(ids)-1], nil
}

func (s *segments) list() ([]uint32, error) {
	names, err := s.fs.List(s.dir)
	if err != nil {
		return nil, fmt.Errorf("chunk directory %s: %w", s.dir, err)
	}
	var ids []uint32
	for _, n := range names {
		id, err := strconv.ParseUint(strings.TrimSuffix(n, ".seg"), 10, 32)
		if err == nil && strings.HasSuffix(n, ".seg") {
			ids = append(ids, uint32(id))
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// rotate syncs and closes the appending segment and starts the next;
// the caller holds mu (or is opening). The new file's name is synced
// into the directory so that a crash cannot lose a segment that holds
// synced bytes.
func (s *segments) rotate() error {
	if err := s.closeAppending(); err != nil {
		return err
	}
	id := s.curID + 1
	path := filepath.Join(s.dir, segmentName(id))
	f, err := s.fs.Create(path, vfs.WriteCategoryUnspecified)
	if err != nil {
		return fmt.Errorf("chunk segment %d: %w", id, err)
	}
	r, err := s.fs.Open(path)
	if err == nil {
		err = syncDirFS(s.fs, s.dir)
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("chunk segment %d: %w", id, err)
	}
	s.rmu.Lock()
	s.files[id] = r
	s.rmu.Unlock()
	if s.buf == nil {
		s.buf = directio.AlignedBlock(stageSize)
	}
	s.cur, s.st, s.curID, s.curOff = f, newStage(f, s.buf), id, 0
	return nil
}

// closeAppending writes, syncs and closes the appending segment; one
// that fails to write or sync stays the appending one, so that later
// syncs report the failure too.
func (s *segments) closeAppending() error {
	if s.cur == nil {
		return nil
	}
	err := s.st.flush()
	if err == nil {
		err = s.cur.Sync()
	}
	if err != nil {
		return fmt.Errorf("chunk segment %d: %w", s.curID, err)
	}
	err = s.cur.Close()
	s.cur, s.st = nil, nil
	if err != nil {
		return fmt.Errorf("chunk segment %d: close: %w", s.curID, err)
	}
	return nil
}

// append adds data at the end of the appending segment. The bytes are
// not durable until sync covers them (they may not even be written).
func (s *segments) append(data []byte) (loc, error) {
	sum := xxhash.Sum64(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil || (s.curOff+uint64(len(data)) > s.limit && s.curOff > 0) { // none: a rotation failed
		if err := s.rotate(); err != nil {
			return loc{}, err
		}
	}
	if err := s.st.put(data); err != nil {
		return loc{}, fmt.Errorf("chunk segment %d: %w", s.curID, err)
	}
	l := loc{seg: s.curID, off: s.curOff, n: uint32(len(data)), sum: sum}
	s.curOff += uint64(len(data))
	return l, nil
}

// sync makes every byte up to l durable. Segments before the appending
// one were synced when they were closed; one fsync of the appending
// segment covers every append before it, so concurrent committers share it.
func (s *segments) sync(l loc) error {
	s.smu.Lock()
	defer s.smu.Unlock()
	if l.seg < s.synced.seg || (l.seg == s.synced.seg && l.end() <= s.synced.off) {
		return nil
	}
	f, id, end, err := s.writeOut()
	if l.seg < id {
		return nil // closed by a rotation, which synced it
	}
	if err != nil {
		return err
	}
	if err := f.SyncData(); err != nil && !s.rotatedPast(id) {
		return fmt.Errorf("chunk segment %d: sync: %w", id, err)
	} // a rotation that closed f meanwhile synced it first
	s.synced = loc{seg: id, off: end}
	return nil
}

// rotatedPast reports whether segment id has been closed by a rotation,
// which syncs a segment before closing it.
func (s *segments) rotatedPast(id uint32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.curID > id
}

// staged returns l's bytes that are still in the stage, in a buffer of
// l.n bytes whose first head bytes the caller reads from the file; nil
// when none of them is staged.
func (s *segments) staged(dst []byte, l loc) (buf []byte, head int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.seg != s.curID || s.st == nil || l.end() <= s.st.off {
		return nil, 0
	}
	buf = into(dst, int(l.n))
	return buf, s.st.copyOut(buf, l.off)
}

// writeOut writes everything appended to the appending segment, and
// returns it and where it ends.
func (s *segments) writeOut() (vfs.File, uint32, uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		return nil, s.curID, 0, fmt.Errorf("chunk segment %d: closed, and no next one could be started", s.curID)
	}
	if err := s.st.flush(); err != nil {
		return nil, s.curID, 0, fmt.Errorf("chunk segment %d: %w", s.curID, err)
	}
	return s.cur, s.curID, s.curOff, nil
}

// read returns a copy of the bytes at l: from the stage those not yet
// written, the rest from the file, through the page cache (for the
// readers that read a chunk more than once or out of the daemon's hot
// paths; the snapshot and the shipper read direct: readDirectTo).
func (s *segments) read(l loc) ([]byte, error) { return s.readTo(nil, l) }

// readTo is read into dst's memory when it has room.
func (s *segments) readTo(dst []byte, l loc) ([]byte, error) {
	s.rmu.RLock()
	f, ok := s.files[l.seg]
	s.rmu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("chunk segment %d is missing from %s", l.seg, s.dir)
	}
	buf, head := s.staged(dst, l)
	if buf == nil {
		buf, head = into(dst, int(l.n)), int(l.n)
	}
	if _, err := f.ReadAt(buf[:head], int64(l.off)); head > 0 && err != nil {
		return nil, fmt.Errorf("chunk segment %d at %d: %w", l.seg, l.off, err)
	}
	if xxhash.Sum64(buf) != l.sum {
		return nil, fmt.Errorf("chunk segment %d at %d: stored bytes do not match their checksum (disk corruption)", l.seg, l.off)
	}
	return buf, nil
}

func (s *segments) close() error {
	s.mu.Lock()
	first := s.closeAppending()
	s.mu.Unlock()
	s.rmu.Lock()
	defer s.rmu.Unlock()
	for id, f := range s.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
		s.closeDirect(id)
	}
	s.files = nil
	return first
}

func syncDirFS(fs vfs.FS, dir string) error {
	d, err := fs.OpenDir(dir)
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
