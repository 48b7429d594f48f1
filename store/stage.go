package store

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/meshvault/meshvault/store/directio"
)

// stageSize is how many bytes the appending segment gathers before one
// write: large enough for an efficient direct write, small enough to
// cost nothing per site.
const stageSize = 1 << 20

// stage gathers the appending segment's newest bytes in an aligned
// buffer and writes them a whole buffer at a time, past the page cache
// where the file system allows (see store/directio: on the benchmark VM
// a buffered write into new blocks costs ten times the CPU). A sync
// writes the partial last block padded with zeros, and the next write
// rewrites that block whole: a segment may end in padding that no chunk
// location covers. Its callers hold segments.mu.
type stage struct {
	f      vfs.File
	buf    []byte // aligned; buf[:n] holds the segment's bytes from off
	n      int
	off    uint64 // segment offset of buf[0], a multiple of directio.Align
	direct bool
}

func newStage(f vfs.File, buf []byte) *stage {
	st := &stage{f: f, buf: buf}
	if fd := f.Fd(); fd != vfs.InvalidFd && directio.SetDirect(fd, true) == nil {
		st.direct = true
	}
	return st
}

// put stages data, writing each buffer it fills.
func (st *stage) put(data []byte) error {
	for len(data) > 0 {
		c := copy(st.buf[st.n:], data)
		st.n, data = st.n+c, data[c:]
		if st.n == len(st.buf) {
			if err := st.write(st.n); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush writes everything staged: whole blocks, and the partial last
// block padded to a whole one, which stays staged to be rewritten.
func (st *stage) flush() error {
	whole := st.n &^ (directio.Align - 1)
	if st.n > whole {
		end := whole + directio.Align
		clear(st.buf[st.n:end])
		if err := st.writeAt(st.buf[:end]); err != nil {
			return err
		}
	} else if whole > 0 {
		if err := st.writeAt(st.buf[:whole]); err != nil {
			return err
		}
	}
	st.off, st.n = st.off+uint64(whole), copy(st.buf, st.buf[whole:st.n])
	return nil
}

// write writes the first n staged bytes (a whole number of blocks) and
// keeps the rest staged.
func (st *stage) write(n int) error {
	if err := st.writeAt(st.buf[:n]); err != nil {
		return err
	}
	st.off, st.n = st.off+uint64(n), copy(st.buf, st.buf[n:st.n])
	return nil
}

// writeAt writes b at the stage's offset; a file system that accepts
// O_DIRECT but refuses the write gets it again through the page cache.
func (st *stage) writeAt(b []byte) error {
	_, err := st.f.WriteAt(b, int64(st.off))
	if err != nil && st.direct && directio.SetDirect(st.f.Fd(), false) == nil {
		st.direct = false
		_, err = st.f.WriteAt(b, int64(st.off))
	}
	if err != nil {
		return fmt.Errorf("write at %d: %w", st.off, err)
	}
	return nil
}

// copyOut copies into dst the staged bytes of [from, from+len(dst)) that
// lie at or after off, and returns how many leading bytes of dst are
// not staged (the caller reads those from the file).
func (st *stage) copyOut(dst []byte, from uint64) int {
	end := from + uint64(len(dst))
	if end <= st.off {
		return len(dst)
	}
	head := 0
	if from < st.off {
		head = int(st.off - from)
	}
	copy(dst[head:], st.buf[from+uint64(head)-st.off:end-st.off])
	return head
}
