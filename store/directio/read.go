package directio

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// ReadFile returns the whole content of a file written once, read past
// the page cache where the file system allows: a file written direct is
// seldom cached, and a buffered read of uncached bytes costs several
// times the CPU of a direct one.
func ReadFile(path string) ([]byte, error) { return ReadFileTo(nil, path) }

// ReadFileTo is ReadFile reading into dst's memory when it has room and
// starts at a multiple of Align (as a buffer from AlignedBlock, or one
// ReadFileTo returned, does), so that a caller that reads many files of
// one size reuses one buffer.
func ReadFileTo(dst []byte, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := int(fi.Size())
	if size < MinSize || setDirect(f, true) != nil {
		return readBuffered(dst, f, size)
	}
	return readDirect(dst, f, size)
}

// readDirect reads the whole file direct; a read the file system
// refuses is made buffered.
func readDirect(dst []byte, f *os.File, size int) ([]byte, error) {
	buf, err := readSpanTo(dst, f, 0, size)
	if err == nil {
		return buf, nil
	}
	if setDirect(f, false) != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	return readBuffered(dst, f, size)
}

// readBuffered reads the size bytes a file held when opened into dst's
// memory when it has room; a file that has grown since is read whole.
func readBuffered(dst []byte, f *os.File, size int) ([]byte, error) {
	buf := bytes.NewBuffer(dst[:0])
	buf.Grow(size + 1) // room for the EOF read: no second growth for a file of the size stat gave
	_, err := buf.ReadFrom(io.NewSectionReader(f, 0, 1<<62))
	return buf.Bytes(), err
}

// ReadAtTo returns the n bytes at off of a file opened for direct
// reads (SetDirect), as readSpanTo does: for a caller that keeps such a
// file open and reads ranges of it.
func ReadAtTo(dst []byte, r io.ReaderAt, off int64, n int) ([]byte, error) {
	return readSpanTo(dst, r, off, n)
}

// readSpanTo returns the n bytes at off of a file opened for direct
// reads: it reads the aligned blocks that hold them into dst's memory
// when it is aligned and has room (else into new aligned memory) and
// returns that range of it, without a copy; what it returns keeps the
// rest of the memory as capacity, for the next call.
func readSpanTo(dst []byte, r io.ReaderAt, off int64, n int) ([]byte, error) {
	start := off &^ (align - 1)
	end := (off + int64(n) + align - 1) &^ (align - 1)
	span := alignedInto(dst, int(end-start))
	got, err := r.ReadAt(span, start)
	want := int(off-start) + n
	if got >= want {
		err = nil // the file ended inside the last block, after the range
	} else if err == nil || err == io.EOF {
		err = fmt.Errorf("%d bytes at %d: %w", n, off, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return nil, err
	}
	return span[off-start : want], nil
}
