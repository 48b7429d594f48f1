package dirsync

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/meshvault/meshvault/hot"
)

// Mirror keeps a directory equal to this site's copy of a dataset.
type Mirror struct {
	eng     *hot.Engine
	name    string
	dir     string
	root    *os.Root
	log     *slog.Logger
	paths   chan string   // paths to bring up to date
	kick    chan struct{} // a whole-tree resync is needed
	stopped atomic.Bool
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

// StartMirror checks dir, writes the whole dataset into it and follows
// every later change. dir must be empty (it is created if missing) and
// writable, and this site must hold a copy of the dataset.
func StartMirror(ctx context.Context, eng *hot.Engine, name, dir string, log *slog.Logger) (*Mirror, error) {
	if _, err := eng.Dataset(name); err != nil {
		return nil, err
	}
	if !eng.HoldsCopy(name) {
		return nil, fmt.Errorf("dataset %s: this site holds no copy of it: mirror it on its primary's or a replica's node", name)
	}
	if err := checkMirrorDir(dir); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("mirror directory %s: %w", dir, err)
	}
	m := &Mirror{eng: eng, name: name, dir: dir, root: root, log: log.With("component", "mirror", "dataset", name, "dir", dir),
		paths: make(chan string, 4096), kick: make(chan struct{}, 1), done: make(chan struct{})}
	eng.Watch(name, m.onOp)
	if err := m.resync(); err != nil {
		m.stopped.Store(true)
		root.Close()
		return nil, err
	}
	ctx, m.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go m.run(ctx)
	m.log.Info("mirroring dataset into directory")
	return m, nil
}

// checkMirrorDir refuses a directory that is relative, not empty or not
// writable, naming the problem.
func checkMirrorDir(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("mirror directory %q: give an absolute path on this node's machine", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("mirror directory %s: cannot create it: %w", dir, err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("mirror directory %s: cannot read it: %w", dir, err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("mirror directory %s is not empty (%d entries, e.g. %s): give an empty directory", dir, len(ents), ents[0].Name())
	}
	f, err := os.CreateTemp(dir, tmpPrefix)
	if err != nil {
		return fmt.Errorf("mirror directory %s is not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// onOp is the engine's Watch callback: it only queues work.
func (m *Mirror) onOp(op hot.Op) {
	if m.stopped.Load() {
		return
	}
	if op.Type == hot.OpPut || op.Type == hot.OpDelete {
		select {
		case m.paths <- op.Path:
			return
		default: // queue full: fall back to a whole-tree resync
		}
	}
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// Dir is the mirror directory.
func (m *Mirror) Dir() string { return m.dir }

// Stop stops following the dataset; the directory keeps its files.
func (m *Mirror) Stop() {
	m.once.Do(func() {
		m.stopped.Store(true)
		m.cancel()
		<-m.done
		m.root.Close()
	})
}
