package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

var errNoPunch = errors.New("the file system cannot punch holes")

// punchHole frees the blocks of [off, off+n) in the file at path and
// reads them back as zeros; the file keeps its size, and bytes outside
// the range are untouched.
func punchHole(path string, off, n int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	err = unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, off, n)
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOSYS) {
		return errNoPunch
	}
	return err
}
