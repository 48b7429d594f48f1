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
