//go:build !linux

package snapshot

// syncFiles makes the files durable, one fsync each.
func syncFiles(dir string, files []pendingFile) error { return syncEach(files) }
