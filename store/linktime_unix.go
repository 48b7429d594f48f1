//go:build unix

package store

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// SetLinkTimeAt gives the symlink name in dir (not what it points to)
// t as its access and modification time: os.Chtimes follows links, so a
// restored link would otherwise carry the time it was made.
func SetLinkTimeAt(dir *os.File, name string, t time.Time) error {
	ts := []unix.Timespec{unix.NsecToTimespec(t.UnixNano()), unix.NsecToTimespec(t.UnixNano())}
	if err := unix.UtimesNanoAt(int(dir.Fd()), name, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &os.PathError{Op: "lutimes", Path: name, Err: err}
	}
	return nil
}
