package dirsync

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/meshvault/meshvault/hot"
)

// takeStable writes into the dataset every pending file whose size and
// mtime have not changed for Stable.
func (s *Source) takeStable(ctx context.Context) {
	now := time.Now()
	for p, pd := range s.pending {
		fi, err := os.Lstat(s.full(p))
		if err != nil {
			delete(s.pending, p) // gone: the event or rescan removes it
			continue
		}
		if fi.Size() != pd.size || !fi.ModTime().Equal(pd.mtime) {
			s.pending[p] = pend{size: fi.Size(), mtime: fi.ModTime(), since: now}
			continue
		}
		if now.Sub(pd.since) < s.opts.Stable {
			continue
		}
		delete(s.pending, p)
		if err := s.put(ctx, p, fi); err != nil {
			s.log.Warn("could not take file; retried at the next rescan", "path", p, "err", err)
		}
	}
}

func (s *Source) full(p string) string { return filepath.Join(s.dir, filepath.FromSlash(p)) }

// put writes the file at p into the dataset; if it changed while being
// read, it becomes pending again.
func (s *Source) put(ctx context.Context, p string, fi fs.FileInfo) error {
	if _, err := hot.CleanPath(p); err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(s.full(p))
		if err != nil {
			return err
		}
		_, err = s.eng.Put(ctx, s.name, p, hot.File{Mode: fi.Mode(), MTime: fi.ModTime(), Target: target})
		return err
	}
	f, err := os.Open(s.full(p))
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("%s changed type while being read (err %v)", p, err)
	}
	if _, err := s.eng.Put(ctx, s.name, p, hot.File{Mode: permBits(fi.Mode()), MTime: fi.ModTime(), Body: f}); err != nil {
		return err
	}
	if after, err := f.Stat(); err == nil && (after.Size() != fi.Size() || !after.ModTime().Equal(fi.ModTime())) {
		s.observe(p, after)
	}
	return nil
}
