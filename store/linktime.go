package store

import (
	"os"
	"path/filepath"
	"time"
)

// SetLinkTime is SetLinkTimeAt for the symlink at path.
func SetLinkTime(path string, t time.Time) error {
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return SetLinkTimeAt(dir, filepath.Base(path), t)
}
