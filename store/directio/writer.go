package directio

import (
	"fmt"
	"os"
)

// Writer writes a file's bytes in order, direct where it can. While the
// device writes one block, the caller fills the next: one write is in
// flight at a time, and Flush waits for it.
type Writer struct {
	f      *os.File
	buf    block   // aligned staging buffer, nil once writes go straight through
	n      int     // bytes staged in buf
	off    int64   // where the next write lands: buf's start when staging
	direct bool    // O_DIRECT is set on f
	spare  block   // the other buffer, being written while in flight
	flying *flight // the block being written, nil if none
}

// flight is a block being written in the background.
type flight struct {
	off  int64
	b    block
	done chan error
}

// MinSize is the size below which a file gains little from a Writer:
// a direct write costs a round trip to the device, a buffered one does not.
const MinSize = 256 << 10

// NewWriter takes over f, an empty file opened for writing, and sets it
// direct if its file system allows. f is still the caller's to Chmod,
// Sync, name and close, after Flush (or Discard).
func NewWriter(f *os.File) *Writer { return newWriter(f, setDirect(f, true) == nil) }

// newWriter stages for direct writes if direct, else writes straight
// through the page cache.
func newWriter(f *os.File, direct bool) *Writer {
	w := &Writer{f: f, direct: direct}
	if direct {
		w.buf = getBlock()
	}
	return w
}

// Direct reports whether the Writer still writes past the page cache.
func (w *Writer) Direct() bool { return w.direct }

// Write stages p and sends every block it fills to the device.
func (w *Writer) Write(p []byte) (int, error) {
	if w.buf == nil { // not staging: buffered
		n, err := w.f.WriteAt(p, w.off)
		w.off += int64(n)
		return n, err
	}
	total := len(p)
	for len(p) > 0 {
		c := copy(w.buf[w.n:], p)
		w.n, p = w.n+c, p[c:]
		if w.n == len(w.buf) {
			if err := w.launch(); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

// launch starts writing the full staging buffer and stages into the
// spare one.
func (w *Writer) launch() error {
	if err := w.wait(); err != nil {
		return err
	}
	if w.spare == nil {
		w.spare = getBlock()
	}
	fl := &flight{off: w.off, b: w.buf, done: make(chan error, 1)}
	go func() {
		_, err := w.f.WriteAt(fl.b, fl.off)
		fl.done <- err
	}()
	w.flying, w.off = fl, w.off+int64(len(w.buf))
	w.buf, w.spare, w.n = w.spare, w.buf, 0
	return nil
}

// wait waits for the block in flight; one the file system refused
// direct is written again, at the same offset, through the page cache.
func (w *Writer) wait() error {
	fl := w.flying
	if fl == nil {
		return nil
	}
	w.flying = nil
	err := <-fl.done
	if err != nil && w.fallBack() == nil {
		_, err = w.f.WriteAt(fl.b, fl.off)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", w.f.Name(), err)
	}
	return nil
}
