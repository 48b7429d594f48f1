package snapshot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A snapshot's directory entries are restored around its files: each
// directory is made before any file is written, so that an empty one
// comes back too, and gets its mode and mtime only once every file is in
// place, deepest first: writing into a directory changes its mtime, and
// a read-only mode would refuse the writes. The directories are synced
// with the files' renames at the end.

func (f mfile) isDir() bool { return os.FileMode(f.Mode).IsDir() }

// splitDirs separates the directory entries from the files and links.
func splitDirs(files []mfile) (dirs, rest []mfile) {
	for _, f := range files {
		if f.isDir() {
			dirs = append(dirs, f)
		} else {
			rest = append(rest, f)
		}
	}
	return dirs, rest
}

// makeDirs creates every directory entry's directory. A file or link in
// its way is replaced only with overwrite (the preflight refused it
// otherwise).
func (w *writer) makeDirs(dirs []mfile) error {
	for _, d := range dirs {
		full, err := w.target(d.Path)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Path, err)
		}
		if fi, err := os.Lstat(full); err == nil && !fi.IsDir() && w.overwrite {
			if err := os.Remove(full); err != nil {
				return fmt.Errorf("%s: replace it by a directory: %w", d.Path, err)
			}
		}
		if err := os.Mkdir(full, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", d.Path, err)
		}
		w.dirs[full], w.dirs[filepath.Dir(full)] = true, true
	}
	return nil
}

// setDirMeta gives each directory its mode and mtime, deepest first.
func (w *writer) setDirMeta(dirs []mfile) error {
	slices.SortFunc(dirs, func(a, b mfile) int { return strings.Count(b.Path, "/") - strings.Count(a.Path, "/") })
	for _, d := range dirs {
		full := filepath.Join(w.dir, filepath.FromSlash(d.Path))
		if err := os.Chmod(full, dirPerm(d.Mode)); err != nil {
			return fmt.Errorf("%s: %w", d.Path, err)
		}
		if err := os.Chtimes(full, d.MTime, d.MTime); err != nil {
			return fmt.Errorf("%s: %w", d.Path, err)
		}
	}
	return nil
}

// dirPerm is a directory entry's permission, setgid and sticky bits.
func dirPerm(mode uint32) os.FileMode {
	return os.FileMode(mode) & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
}

// inTheWay reports whether what is at full would have to be replaced
// to restore f there: an existing directory is no conflict for a
// directory entry.
func inTheWay(full string, f mfile) (bool, error) {
	fi, err := os.Lstat(full)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !(f.isDir() && fi.IsDir()), nil
}
