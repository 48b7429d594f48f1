package directio

import (
	"os"

	"golang.org/x/sys/unix"
)

// setDirect turns O_DIRECT on or off for an open file.
func setDirect(f *os.File, on bool) error {
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := raw.Control(func(fd uintptr) { ferr = SetDirect(fd, on) }); err != nil {
		return err
	}
	return ferr
}

// SetDirect turns O_DIRECT on or off for an open file descriptor (fcntl
// F_SETFL): Linux refuses to turn it on where the file system does not
// support it. Direct writes need memory, offsets and lengths aligned to
// Align.
func SetDirect(fd uintptr, on bool) error {
	flags, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	if on {
		flags |= unix.O_DIRECT
	} else {
		flags &^= unix.O_DIRECT
	}
	_, err = unix.FcntlInt(fd, unix.F_SETFL, flags)
	return err
}

// pread makes one pread(2) at off, as os.File.ReadAt does not: ReadAt
// goes on after a short read, at an offset a direct read cannot take.
func pread(f *os.File, p []byte, off int64) (int, error) {
	raw, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var perr error
	err = raw.Read(func(fd uintptr) bool {
		for n, perr = unix.Pread(int(fd), p, off); perr == unix.EINTR; {
			n, perr = unix.Pread(int(fd), p, off)
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	if perr != nil {
		return 0, &os.PathError{Op: "read", Path: f.Name(), Err: perr}
	}
	return n, nil
}
