//go:build !linux

package dirsync

// closedWatcher is inert where inotify does not exist: files are taken
// after the stability wait alone.
type closedWatcher struct{ Closed chan string }

func newClosedWatcher() (*closedWatcher, error) {
	return &closedWatcher{Closed: make(chan string)}, nil
}

func (w *closedWatcher) add(string) error { return nil }

func (w *closedWatcher) close() error { return nil }
