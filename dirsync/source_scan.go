package dirsync

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// syncTree compares the directory under rel ("" for all of it) with the
// dataset: changed files become pending, vanished ones are removed.
func (s *Source) syncTree(ctx context.Context, rel string) error {
	local, err := s.walk(rel)
	if err != nil {
		return err
	}
	have, err := s.datasetUnder(rel)
	if err != nil {
		return err
	}
	for p, fi := range local {
		if fe, ok := have[p]; !ok || s.differs(p, fe, fi) {
			s.observe(p, fi)
		} else {
			delete(s.pending, p)
		}
	}
	var gone []string
	for p := range have {
		if _, ok := local[p]; !ok {
			gone = append(gone, p)
		}
	}
	deepestFirst(gone) // a directory's entry goes after its files'
	for _, p := range gone {
		delete(s.pending, p)
		if _, err := s.eng.Remove(ctx, s.name, p); err != nil {
			return err
		}
	}
	return nil
}

// walk lists the directories, regular files and symlinks under rel and
// watches every directory it passes.
func (s *Source) walk(rel string) (map[string]fs.FileInfo, error) {
	out := map[string]fs.FileInfo{}
	err := filepath.WalkDir(filepath.Join(s.dir, filepath.FromSlash(rel)), func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if err := s.watchDir(full); err != nil {
				return err
			}
		}
		fi, err := d.Info()
		if err != nil || !(fi.IsDir() || fi.Mode().IsRegular() || fi.Mode()&os.ModeSymlink != 0) {
			return nil // gone meanwhile, or a device, socket or pipe: skipped
		}
		if p, _ := filepath.Rel(s.dir, full); p != "." { // the root is the dataset, not an entry of it
			out[filepath.ToSlash(p)] = fi
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	return out, err
}

// datasetUnder is the dataset's files at rel or under rel/.
func (s *Source) datasetUnder(rel string) (map[string]api.FileEntry, error) {
	list, err := s.eng.List(s.name, rel)
	if err != nil {
		return nil, err
	}
	out := map[string]api.FileEntry{}
	for _, fe := range list {
		if rel == "" || fe.Path == rel || strings.HasPrefix(fe.Path, rel+"/") {
			out[fe.Path] = fe
		}
	}
	return out, nil
}

// watchDir watches a directory for changes and for files closed in it.
func (s *Source) watchDir(full string) error {
	if err := s.closed.add(full); err != nil {
		s.log.Debug("cannot watch for closed files here; they wait out the stability period", "dir", full, "err", err)
	}
	return s.watcher.Add(full)
}

// differs reports whether the file at p no longer matches its entry.
func (s *Source) differs(p string, fe api.FileEntry, fi fs.FileInfo) bool {
	if fe.Mode != fileMode(fi) || !fe.MTime.Equal(fi.ModTime()) {
		return true
	}
	if fi.IsDir() {
		return false
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(filepath.Join(s.dir, filepath.FromSlash(p)))
		return err != nil || target != fe.Target
	}
	return fe.Size != fi.Size()
}

// fileMode is the mode the dataset stores for fi.
func fileMode(fi fs.FileInfo) uint32 {
	if fi.IsDir() {
		return uint32(os.ModeDir | permBits(fi.Mode()))
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return uint32(fi.Mode())
	}
	return uint32(permBits(fi.Mode()))
}

// observe makes p pending; a file already quiet for Stable is due now.
func (s *Source) observe(p string, fi fs.FileInfo) {
	old, ok := s.pending[p]
	if ok && old.size == fi.Size() && old.mtime.Equal(fi.ModTime()) {
		return
	}
	now := time.Now()
	since := now
	if now.Sub(fi.ModTime()) >= s.opts.Stable && !ok {
		since = now.Add(-s.opts.Stable)
	}
	s.pending[p] = pend{size: fi.Size(), mtime: fi.ModTime(), since: since}
}
