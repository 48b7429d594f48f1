package dirsync

import (
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// closedWatcher reports files closed after writing (inotify's
// IN_CLOSE_WRITE, which fsnotify does not export): a file its writer has
// closed is taken at once instead of after the stability wait. fsnotify
// still drives everything else; this only makes finished files due. A
// file written in a directory made after the source started may be
// closed before its directory is watched: it waits out the stability
// period, as every file does where inotify is missing.
type closedWatcher struct {
	fd     int
	file   *os.File // owns fd; closing it ends the reader
	mu     sync.Mutex
	dirs   map[int32]string // watch descriptor → directory
	Closed chan string      // full paths
}

func newClosedWatcher() (*closedWatcher, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, err
	}
	w := &closedWatcher{fd: fd, file: os.NewFile(uintptr(fd), "inotify"), dirs: map[int32]string{}, Closed: make(chan string, 1024)}
	go w.read()
	return w, nil
}

// add watches dir (not its sub-directories) for files closed after writing.
func (w *closedWatcher) add(dir string) error {
	if w.file == nil {
		return nil
	}
	wd, err := unix.InotifyAddWatch(w.fd, dir, unix.IN_CLOSE_WRITE)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.dirs[int32(wd)] = dir
	w.mu.Unlock()
	return nil
}

func (w *closedWatcher) close() error {
	if w.file == nil {
		return nil
	}
	return w.file.Close()
}

// read turns inotify records into paths until the watcher is closed.
// A full channel drops paths: the stability wait still takes those files.
func (w *closedWatcher) read() {
	defer close(w.Closed)
	buf := make([]byte, 64<<10)
	for {
		n, err := w.file.Read(buf)
		if err != nil {
			return // closed, or broken: the stability wait takes over
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			w.emit(ev.Wd, cString(name))
		}
	}
}

func (w *closedWatcher) emit(wd int32, name string) {
	w.mu.Lock()
	dir, ok := w.dirs[wd]
	w.mu.Unlock()
	if !ok || name == "" {
		return
	}
	select {
	case w.Closed <- filepath.Join(dir, name):
	default:
	}
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
