package dirsync

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/meshvault/meshvault/hot"
)

// SourceOptions tune how a Source follows its directory.
type SourceOptions struct {
	Rescan time.Duration // full rescan period; default 30s
	Stable time.Duration // a file is taken once unchanged this long; default 1s
}

// Source feeds a dataset, at its primary, from a directory.
type Source struct {
	eng     *hot.Engine
	name    string
	dir     string
	opts    SourceOptions
	log     *slog.Logger
	watcher *fsnotify.Watcher
	closed  *closedWatcher  // files closed after writing are due soon
	quiet   *time.Timer     // fires closeQuiet after the last close
	pending map[string]pend // paths that differ, waiting to be stable
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

// pend is a file seen changed: its size and mtime, and since when.
type pend struct {
	size  int64
	mtime time.Time
	since time.Time
}

// StartSource checks dir and this site's role, brings the dataset equal
// to dir and then follows dir.
func StartSource(ctx context.Context, eng *hot.Engine, name, dir string, log *slog.Logger, opts SourceOptions) (*Source, error) {
	if err := checkSourceDir(dir); err != nil {
		return nil, err
	}
	if _, err := eng.Status(name); err != nil { // fails unless this site is the primary
		return nil, err
	}
	if opts.Rescan <= 0 {
		opts.Rescan = 30 * time.Second
	}
	if opts.Stable <= 0 {
		opts.Stable = time.Second
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("source directory %s: %w", dir, err)
	}
	s := &Source{eng: eng, name: name, dir: filepath.Clean(dir), opts: opts, watcher: w,
		log: log.With("component", "source", "dataset", name, "dir", dir), pending: map[string]pend{}, done: make(chan struct{})}
	if s.closed, err = newClosedWatcher(); err != nil {
		s.log.Warn("cannot watch for closed files; every file waits out the stability period", "err", err)
		s.closed = &closedWatcher{Closed: make(chan string)}
	}
	ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := s.syncTree(ctx, ""); err != nil {
		s.cancel()
		w.Close()
		s.closed.close()
		return nil, err
	}
	s.takeStable(ctx)
	go s.run(ctx)
	s.log.Info("following source directory")
	return s, nil
}

func checkSourceDir(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("source directory %q: give an absolute path on this node's machine", dir)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("source directory %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("source directory %s is not a directory", dir)
	}
	return nil
}

// Dir is the source directory.
func (s *Source) Dir() string { return s.dir }

// Stop stops following the directory.
func (s *Source) Stop() {
	s.once.Do(func() {
		s.cancel()
		<-s.done
		s.watcher.Close()
		s.closed.close()
	})
}

func (s *Source) run(ctx context.Context) {
	defer close(s.done)
	rescan := time.NewTicker(s.opts.Rescan)
	check := time.NewTicker(max(s.opts.Stable/4, 10*time.Millisecond))
	s.quiet = time.NewTimer(time.Hour)
	s.quiet.Stop()
	defer s.quiet.Stop()
	defer rescan.Stop()
	defer check.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.watcher.Events:
			s.onEvent(ctx, ev)
		case full, ok := <-s.closed.Closed:
			if ok {
				s.onClosed(full)
			}
		case <-s.quiet.C:
			s.takeStable(ctx)
		case err := <-s.watcher.Errors:
			s.log.Warn("directory watch error; rescanning", "err", err)
			s.logErr(s.syncTree(ctx, ""))
		case <-rescan.C:
			s.logErr(s.syncTree(ctx, ""))
		case <-check.C:
			s.takeStable(ctx)
		}
	}
}

func (s *Source) onEvent(ctx context.Context, ev fsnotify.Event) {
	rel, err := filepath.Rel(s.dir, ev.Name)
	if err != nil || rel == "." {
		return
	}
	s.logErr(s.syncTree(ctx, filepath.ToSlash(rel)))
	s.checkParent(filepath.ToSlash(rel))
}

// checkParent makes rel's directory pending when its mode or mtime no
// longer match its entry: adding or removing rel changed its mtime.
func (s *Source) checkParent(rel string) {
	dir := path.Dir(rel)
	if dir == "." {
		return
	}
	fi, err := os.Lstat(s.full(dir))
	if err != nil {
		return // gone: its own event removes it
	}
	if en, err := s.eng.Stat(s.name, dir); err != nil || s.differs(dir, hot.ToAPIEntry(en), fi) {
		s.observe(dir, fi)
	}
}

// closeQuiet is how long after its writer closed it a file is taken,
// if nothing writes to it meanwhile: a writer that edits a file in
// several open-write-close rounds is let finish.
const closeQuiet = 100 * time.Millisecond

// onClosed makes a file its writer has just closed due closeQuiet from
// now, and sets the take for then.
func (s *Source) onClosed(full string) {
	s.markClosed(full)
	s.quiet.Reset(closeQuiet)
}

// markClosed records the file's size and mtime, due closeQuiet from now;
// if they change before it is taken, it waits out the stability period
// again (or until its next close).
func (s *Source) markClosed(full string) {
	rel, err := filepath.Rel(s.dir, full)
	if err != nil || strings.HasPrefix(rel, "..") {
		return
	}
	fi, err := os.Lstat(full)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	due := time.Now().Add(closeQuiet - s.opts.Stable)
	s.pending[filepath.ToSlash(rel)] = pend{size: fi.Size(), mtime: fi.ModTime(), since: due}
}

func (s *Source) logErr(err error) {
	if err != nil {
		s.log.Warn("source sync failed; retried at the next rescan", "err", err)
	}
}
