package dirsync

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"github.com/meshvault/meshvault/hot"
)

// A dataset's directory entries keep directories' modes and mtimes and
// empty directories. A mirror makes each one a directory (replacing a
// file or link in its way), then gives it its mode and mtime; writing a
// file into it changes its mtime again, so a resync sets directories'
// metadata after their files, deepest first.

// writeDir makes p a directory with en's mode and mtime.
func writeDir(root *os.Root, en hot.Entry) error {
	p := en.Path
	if fi, err := root.Lstat(p); err == nil && !fi.IsDir() {
		if err := root.Remove(p); err != nil {
			return fmt.Errorf("replace %s by a directory: %w", p, err)
		}
	}
	if err := root.MkdirAll(p, 0o755); err != nil {
		return fmt.Errorf("mkdir %s: %w", p, err)
	}
	if err := root.Chmod(p, permBits(en.FileMode())); err != nil {
		return fmt.Errorf("chmod %s: %w", p, err)
	}
	if err := root.Chtimes(p, en.MTime, en.MTime); err != nil {
		return fmt.Errorf("set the mtime of %s: %w", p, err)
	}
	return syncDir(root, path.Dir(p))
}

// deepestFirst orders paths so that every directory comes after what is
// under it.
func deepestFirst(ps []string) {
	slices.SortFunc(ps, func(a, b string) int {
		if d := strings.Count(b, "/") - strings.Count(a, "/"); d != 0 {
			return d
		}
		return strings.Compare(b, a)
	})
}

// removeDirs removes the directories in ps that are empty, deepest
// first; one that still holds something is left.
func removeDirs(root *os.Root, ps []string) error {
	deepestFirst(ps)
	for _, p := range ps {
		if err := root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) && !isNotEmpty(err) {
			return fmt.Errorf("remove %s: %w", p, err)
		}
	}
	return nil
}

func isNotEmpty(err error) bool { return errors.Is(err, syscall.ENOTEMPTY) }
