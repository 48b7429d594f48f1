package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/meshvault/meshvault/store/directio"
)

// WriteFileAtomic replaces path with data so that a crash at any moment
// leaves either the previous file or the new one: it writes a temporary
// file in the same directory, fsyncs it, renames it over path and fsyncs
// the directory.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return WritePartsAtomic(path, perm, data)
}

// WritePartsAtomic is WriteFileAtomic of the parts one after the other.
func WritePartsAtomic(path string, perm os.FileMode, parts ...[]byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := writeSynced(tmp, parts, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return SyncDir(dir)
}

func writeSynced(f *os.File, parts [][]byte, perm os.FileMode) error {
	defer f.Close()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := write(f, parts); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// write writes the parts to a new file, a large one past the page
// cache: it is synced at once anyway (see store/directio).
func write(f *os.File, parts [][]byte) error {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n < directio.MinSize {
		return writeAll(f, parts)
	}
	w := directio.NewWriter(f)
	if err := writeAll(w, parts); err != nil {
		w.Discard() // gives its blocks back
		return err
	}
	return w.Flush()
}

func writeAll(w io.Writer, parts [][]byte) error {
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
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
