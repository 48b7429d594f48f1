//go:build !linux

package snapshot

import "github.com/meshvault/meshvault/store"

// syncFiles makes the files durable, one fsync each.
func syncFiles(dir string, files []pendingFile) error { return syncEach(files) }

// syncDirs makes renames inside dirs durable, one fsync each.
func syncDirs(_ string, dirs []string) error {
	for _, d := range dirs {
		if err := store.SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}
