//go:build !linux

package directio

import (
	"errors"
	"io"
	"os"
)

// setDirect has no O_DIRECT to set here: every write is buffered.
func setDirect(f *os.File, on bool) error { return SetDirect(0, on) }

// SetDirect has no O_DIRECT to set here: every write is buffered.
func SetDirect(fd uintptr, on bool) error {
	if !on {
		return nil
	}
	return errors.ErrUnsupported
}

// pread makes one read at off; the end of the file reads as 0 bytes.
func pread(f *os.File, p []byte, off int64) (int, error) {
	n, err := f.ReadAt(p, off)
	if err == io.EOF {
		err = nil
	}
	return n, err
}
