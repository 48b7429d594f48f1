package store

import (
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store/directio"
)

// reader reads a segment, past the page cache where the file system
// allows: segments are written direct (see stage), so their bytes are
// seldom cached, and a buffered read of uncached bytes costs several
// times the CPU of a direct one. A chunk is read once per replica
// shipped to and once per snapshot that packs it.
type reader struct {
	f      vfs.File
	direct atomic.Bool
}

func newReader(f vfs.File) *reader {
	r := &reader{f: f}
	if fd := f.Fd(); fd != vfs.InvalidFd && directio.SetDirect(fd, true) == nil {
		r.direct.Store(true)
	}
	return r
}

// readAt fills buf from off, direct through an aligned buffer that spans
// it; a file system that refuses the direct read gets a buffered one.
func (r *reader) readAt(buf []byte, off uint64) error {
	if len(buf) == 0 {
		return nil
	}
	if r.direct.Load() {
		err := r.readDirect(buf, off)
		if err == nil || directio.SetDirect(r.f.Fd(), false) != nil {
			return err
		}
		r.direct.Store(false)
	}
	_, err := r.f.ReadAt(buf, int64(off))
	return err
}

func (r *reader) readDirect(buf []byte, off uint64) error {
	got, err := r.spanDirect(off, len(buf))
	if err == nil {
		copy(buf, got)
	}
	return err
}

// read returns n new bytes from off: a slice of the aligned span a
// direct read fills, so that no copy is made.
func (r *reader) read(off uint64, n int) ([]byte, error) {
	if r.direct.Load() {
		got, err := r.spanDirect(off, n)
		if err == nil || directio.SetDirect(r.f.Fd(), false) != nil {
			return got, err
		}
		r.direct.Store(false)
	}
	buf := make([]byte, n)
	return buf, r.readAt(buf, off)
}

// spanDirect reads the aligned blocks that hold [off, off+n) and returns
// that range of them.
func (r *reader) spanDirect(off uint64, n int) ([]byte, error) {
	const a = directio.Align
	start := off &^ (a - 1)
	end := (off + uint64(n) + a - 1) &^ (a - 1)
	span := directio.AlignedBlock(int(end - start))
	got, err := r.f.ReadAt(span, int64(start))
	want := int(off-start) + n
	if got >= want {
		err = nil // the file ended inside the last block, after the range
	}
	if err != nil {
		return nil, err
	}
	return span[off-start : want : want], nil
}
