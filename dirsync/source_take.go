package dirsync

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/meshvault/meshvault/hot"
)

// takeStable writes into the dataset every pending file whose size and
// mtime have not changed for Stable, several at once and largest first,
// as many as fit in takeBudget (see takeWeight), so that the last to
// finish are small files rather than one large file on one core.
func (s *Source) takeStable(ctx context.Context) {
	ready := s.stableFiles(time.Now())
	slices.SortFunc(ready, func(a, b readyFile) int { return cmp.Compare(b.info.Size(), a.info.Size()) })
	changed := make([]fs.FileInfo, len(ready))
	budget := semaphore.NewWeighted(takeBudget())
	var wg sync.WaitGroup
	for i, r := range ready {
		w := takeWeight(r.info.Size())
		if budget.Acquire(ctx, w) != nil { // stopping: the next start rescans them
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer budget.Release(w)
			var err error
			if changed[i], err = s.put(ctx, r.path, r.info); err != nil {
				s.log.Warn("could not take file; retried at the next rescan", "path", r.path, "err", err)
			}
		}()
	}
	wg.Wait()
	for i, r := range ready {
		if changed[i] != nil {
			s.observe(r.path, changed[i])
		}
	}
}

// A file being taken holds a chunker's buffer of up to 4 MiB, and a
// small one waits most of its time for its commit's fsync, which
// concurrent commits share. So the files taken at once are bounded by
// their bytes, not their number: two large files per core, as before,
// or up to 16 times as many small ones, whose commits then share
// fsyncs (bench/prof's ingest of its 512 MiB tree, most of its files
// small: 3.7–4.1 s four files at a time, 2.6–2.9 s with the budget).
const (
	takeMaxWeight = 4 << 20
	takeMinWeight = takeMaxWeight / 16
)

func takeBudget() int64 { return int64(2 * runtime.GOMAXPROCS(0) * takeMaxWeight) }

func takeWeight(size int64) int64 { return min(max(size, takeMinWeight), takeMaxWeight) }

type readyFile struct {
	path string
	info fs.FileInfo
}

// stableFiles takes out of pending the files that have been stable for
// Stable, and notes new sizes and mtimes of the others.
func (s *Source) stableFiles(now time.Time) []readyFile {
	var ready []readyFile
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
		if now.Sub(pd.since) >= s.opts.Stable {
			delete(s.pending, p)
			ready = append(ready, readyFile{p, fi})
		}
	}
	return ready
}

func (s *Source) full(p string) string { return filepath.Join(s.dir, filepath.FromSlash(p)) }

// put writes the file at p into the dataset. If it changed while being
// read, put returns its new info: the caller makes it pending again.
func (s *Source) put(ctx context.Context, p string, fi fs.FileInfo) (fs.FileInfo, error) {
	if _, err := hot.CleanPath(p); err != nil {
		return nil, err
	}
	if fi.IsDir() {
		_, err := s.eng.Put(ctx, s.name, p, hot.File{Mode: os.ModeDir | permBits(fi.Mode()), MTime: fi.ModTime()})
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(s.full(p))
		if err != nil {
			return nil, err
		}
		_, err = s.eng.Put(ctx, s.name, p, hot.File{Mode: fi.Mode(), MTime: fi.ModTime(), Target: target})
		return nil, err
	}
	f, err := os.Open(s.full(p))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s changed type while being read (err %v)", p, err)
	}
	if _, err := s.eng.Put(ctx, s.name, p, hot.File{Mode: permBits(fi.Mode()), MTime: fi.ModTime(), Body: f}); err != nil {
		return nil, err
	}
	if after, err := f.Stat(); err == nil && (after.Size() != fi.Size() || !after.ModTime().Equal(fi.ModTime())) {
		return after, nil
	}
	return nil, nil
}
