package store

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/meshvault/meshvault/store/directio"
)

// WriteFileAtomic replaces path with data so that a crash at any moment
// leaves either the previous file or the new one: it writes a temporary
// file in the same directory, fsyncs it, renames it over path and fsyncs
// the directory.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := writeSynced(tmp, data, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return SyncDir(dir)
}

func writeSynced(f *os.File, data []byte, perm os.FileMode) error {
	defer f.Close()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := write(f, data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// write writes data to a new file, a large one past the page cache: it
// is synced at once anyway (see store/directio).
func write(f *os.File, data []byte) error {
	if len(data) < directio.MinSize {
		_, err := f.Write(data)
		return err
	}
	w := directio.NewWriter(f)
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Flush()
}

// SyncDir fsyncs a directory so that a rename inside it survives a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}
