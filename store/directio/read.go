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

// readDirect reads size bytes into aligned memory that rounds size up
// to whole blocks; a read the file system refuses is made buffered.
func readDirect(f *os.File, size int) ([]byte, error) {
	buf := AlignedBlock((size + align - 1) &^ (align - 1))
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil // the file ends inside its last block
	}
	if err != nil {
		if setDirect(f, false) != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name(), err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return io.ReadAll(f)
	}
	if n != size {
		return nil, fmt.Errorf("read %s: %d bytes, expected %d (the file changed while read)", f.Name(), n, size)
	}
	return buf[:size:size], nil
}
