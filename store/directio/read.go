package directio

import (
	"fmt"
	"io"
	"os"
)

// ReadFile returns the whole content of a file written once, read past
// the page cache where the file system allows: a file written direct is
// seldom cached, and a buffered read of uncached bytes costs several
// times the CPU of a direct one.
func ReadFile(path string) ([]byte, error) {
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
		return io.ReadAll(f)
	}
	return readDirect(f, size)
}

// readDirect reads the whole file direct; a read the file system
// refuses is made buffered.
func readDirect(f *os.File, size int) ([]byte, error) {
	buf, err := ReadSpan(f, 0, size)
	if err == nil {
		return buf, nil
	}
	if setDirect(f, false) != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	return io.ReadAll(io.NewSectionReader(f, 0, int64(size)))
}

// ReadSpan returns the n bytes at off of a file opened for direct
// reads: it reads the aligned blocks that hold them into aligned memory
// and returns that range of it, without a copy.
func ReadSpan(r io.ReaderAt, off int64, n int) ([]byte, error) {
	start := off &^ (align - 1)
	end := (off + int64(n) + align - 1) &^ (align - 1)
	span := AlignedBlock(int(end - start))
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
	return span[off-start : want : want], nil
}
