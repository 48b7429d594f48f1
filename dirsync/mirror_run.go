package dirsync

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/hot"
)

func (m *Mirror) run(ctx context.Context) {
	defer close(m.done)
	for {
		var err error
		select {
		case <-ctx.Done():
			return
		case p := <-m.paths:
			err = m.syncPath(p)
		case <-m.kick:
			err = m.resync()
		}
		if err != nil {
			m.retryLater(ctx, err)
		}
	}
}

// retryLater logs err, waits a little and asks for a whole resync.
func (m *Mirror) retryLater(ctx context.Context, err error) {
	m.log.Warn("mirror update failed; resyncing the whole directory shortly", "err", err)
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
	}
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// syncPath brings one path of the directory up to date with the
// dataset: written if the dataset has it, removed otherwise.
func (m *Mirror) syncPath(p string) error {
	p, err := hot.CleanPath(p)
	if err != nil {
		return err
	}
	if en, err := m.eng.Stat(m.name, p); err == nil && en.IsDir() {
		return writeDir(m.root, en)
	}
	if err := m.syncFile(p); err != nil {
		return err
	}
	return m.restoreParent(p)
}

// syncFile writes or removes the file or link at p.
func (m *Mirror) syncFile(p string) error {
	f, err := m.eng.Open(m.name, p)
	if err == nil {
		defer f.Close()
		return m.write(f)
	}
	gone, lerr := m.missing(p)
	if lerr != nil || !gone {
		return err
	}
	return removeEntry(m.root, p, m.isDirEntry)
}

// restoreParent gives p's directory its entry's mtime back, which
// writing or removing p changed.
func (m *Mirror) restoreParent(p string) error {
	dir := path.Dir(p)
	if dir == "." {
		return nil
	}
	en, err := m.eng.Stat(m.name, dir)
	if err != nil || !en.IsDir() {
		return nil // no entry: an implicit directory, its mtime is not kept
	}
	return writeDir(m.root, en)
}

// isDirEntry reports whether the dataset keeps p as a directory, which
// must stay when the last file under it goes.
func (m *Mirror) isDirEntry(p string) bool {
	en, err := m.eng.Stat(m.name, p)
	return err == nil && en.IsDir()
}

// missing confirms the dataset has no file at p (Stat's error could
// also be a read failure, which must not delete anything).
func (m *Mirror) missing(p string) (bool, error) {
	list, err := m.eng.List(m.name, p)
	if err != nil {
		return false, err
	}
	for _, fe := range list {
		if fe.Path == p {
			return false, nil
		}
	}
	return true, nil
}

func (m *Mirror) write(f *hot.OpenFile) error {
	return writeEntry(m.root, f.Entry, f.Copy)
}

// resync makes the whole directory equal to the dataset.
func (m *Mirror) resync() error {
	list, err := m.eng.List(m.name, "")
	if err != nil {
		return err
	}
	want := make(map[string]bool, len(list))
	var dirs []string
	for _, fe := range list {
		want[fe.Path] = true
		if os.FileMode(fe.Mode).IsDir() {
			if !m.upToDate(fe.Path, fe.Size, fe.Mode, fe.MTime.UnixNano(), fe.Target) {
				dirs = append(dirs, fe.Path)
			}
			continue
		}
		if m.upToDate(fe.Path, fe.Size, fe.Mode, fe.MTime.UnixNano(), fe.Target) {
			continue
		}
		if err := m.syncPath(fe.Path); err != nil {
			return err
		}
	}
	if err := m.removeExtra(want); err != nil {
		return err
	}
	return m.syncDirs(dirs)
}

// syncDirs brings the directory entries' modes and mtimes, deepest
// first, after the files under them were written.
func (m *Mirror) syncDirs(dirs []string) error {
	deepestFirst(dirs)
	for _, p := range dirs {
		if err := m.syncPath(p); err != nil {
			return err
		}
	}
	return nil
}

// upToDate reports whether the file at p already has this metadata.
func (m *Mirror) upToDate(p string, size int64, mode uint32, mtime int64, target string) bool {
	fi, err := m.root.Lstat(p)
	if err != nil {
		return false
	}
	if os.FileMode(mode).IsDir() {
		return fi.IsDir() && fi.ModTime().UnixNano() == mtime && permBits(fi.Mode()) == permBits(os.FileMode(mode))
	}
	if os.FileMode(mode)&os.ModeSymlink != 0 {
		got, err := m.root.Readlink(p)
		return err == nil && fi.Mode()&os.ModeSymlink != 0 && got == target
	}
	return fi.Mode().IsRegular() && fi.Size() == size && fi.ModTime().UnixNano() == mtime &&
		permBits(fi.Mode()) == permBits(os.FileMode(mode))
}

// removeExtra deletes the files of the directory the dataset lacks.
func (m *Mirror) removeExtra(want map[string]bool) error {
	var extra, extraDirs []string
	err := fs.WalkDir(m.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != "." && !want[p]:
			extraDirs = append(extraDirs, p)
		case !d.IsDir() && !want[p]:
			extra = append(extra, p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	keep := func(d string) bool { return want[d] }
	for _, p := range extra {
		if err := removeEntry(m.root, filepath.ToSlash(p), keep); err != nil {
			return err
		}
	}
	return removeDirs(m.root, extraDirs)
}
