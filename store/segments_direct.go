package store

import (
	"fmt"
	"path/filepath"

	"github.com/cespare/xxhash/v2"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store/directio"
)

// readDirectTo is readTo past the page cache, for a reader that reads
// each chunk once (a snapshot sealing a dataset file by file, a shipper
// sending chunks to a replica): segments are written direct, so such a
// read finds nothing cached and a buffered one only fills the cache
// with pages nobody reads again, at several times the CPU (BENCHMARKS.md:
// 1.3 s of system time for 600 MiB read buffered on the benchmark VM,
// 0.03 s direct). A chunk still in the stage, or a segment or file
// system that refuses O_DIRECT, is read through readTo.
func (s *segments) readDirectTo(dst []byte, l loc) ([]byte, error) {
	f := s.directFile(l.seg)
	if f == nil || s.isStaged(l) {
		return s.readTo(dst, l)
	}
	buf, err := directio.ReadAtTo(dst, f, int64(l.off), int(l.n))
	if err != nil {
		return s.readTo(dst, l) // refused at read time (EINVAL): the page cache says the same
	}
	if xxhash.Sum64(buf) != l.sum {
		return nil, fmt.Errorf("chunk segment %d at %d: stored bytes do not match their checksum (disk corruption)", l.seg, l.off)
	}
	return buf, nil
}

// isStaged reports whether any of l's bytes are still in the stage
// (unwritten, or in the padded last block that the next write rewrites).
func (s *segments) isStaged(l loc) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return l.seg == s.curID && s.st != nil && l.end() > s.st.off
}

// directFile returns segment id opened a second time, for direct reads,
// opening it on first use; nil when the segment is gone or its file
// system refuses O_DIRECT (remembered, so it is asked once).
func (s *segments) directFile(id uint32) vfs.File {
	s.rmu.RLock()
	f, ok := s.direct[id]
	s.rmu.RUnlock()
	if ok {
		return f
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if f, ok := s.direct[id]; ok {
		return f
	}
	if _, ok := s.files[id]; !ok {
		return nil
	}
	s.direct[id] = s.openDirect(id)
	return s.direct[id]
}

func (s *segments) openDirect(id uint32) vfs.File {
	f, err := s.fs.Open(filepath.Join(s.dir, segmentName(id)))
	if err != nil {
		return nil
	}
	if fd := f.Fd(); fd == vfs.InvalidFd || directio.SetDirect(fd, true) != nil {
		f.Close()
		return nil
	}
	return f
}

// closeDirect closes segment id's direct handle; the caller holds rmu.
func (s *segments) closeDirect(id uint32) {
	if f := s.direct[id]; f != nil {
		f.Close()
	}
	delete(s.direct, id)
}
