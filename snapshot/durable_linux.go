package snapshot

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// syncFiles makes the files durable with one syncfs(2) of the filesystem
// that holds dir (every file of a restore lives under it, and a restore
// never writes through a symlink, so on one filesystem unless a mount
// point lies inside dir: then each file is synced on its own).
func syncFiles(dir string, files []pendingFile) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if !sameDevice(d, files) {
		return syncEach(files)
	}
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

func sameDevice(d *os.File, files []pendingFile) bool {
	var root unix.Stat_t
	if unix.Fstat(int(d.Fd()), &root) != nil {
		return false
	}
	for _, p := range files {
		var st unix.Stat_t
		if unix.Stat(p.tmp, &st) != nil || st.Dev != root.Dev {
			return false
		}
	}
	return true
}
