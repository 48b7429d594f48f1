package directio

import "fmt"

// Close flushes and closes the file. It does not sync.
func (w *Writer) Close() error {
	err := w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Sync flushes and syncs the file; the Writer stays buffered from then on.
func (w *Writer) Sync() error {
	if err := w.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

// Flush waits for the block in flight and writes what is staged: its
// whole blocks direct, the last partial block through the page cache.
// The Writer stays buffered from then on.
func (w *Writer) Flush() error {
	if w.buf == nil {
		return nil
	}
	if err := w.wait(); err != nil {
		w.release()
		return err
	}
	whole := w.n &^ (align - 1)
	if _, err := w.f.WriteAt(w.buf[:whole], w.off); err != nil {
		w.fallBack() // the whole blocks go with the tail, buffered
		whole = 0
	}
	tail := w.buf[whole:w.n]
	w.off += int64(whole)
	if err := w.fallBack(); err != nil {
		return fmt.Errorf("write %s: %w", w.f.Name(), err)
	}
	n, err := w.f.WriteAt(tail, w.off)
	w.off += int64(n)
	w.release()
	if err != nil {
		return fmt.Errorf("write %s: %w", w.f.Name(), err)
	}
	return nil
}

// Discard waits for the block in flight and drops what is staged: for a
// file that is being given up.
func (w *Writer) Discard() {
	if w.flying != nil {
		<-w.flying.done
		w.flying = nil
	}
	w.release()
}

// release gives the buffers back; the Writer stages nothing from then on.
func (w *Writer) release() {
	for _, b := range []block{w.buf, w.spare} {
		if b != nil {
			putBlock(b)
		}
	}
	w.buf, w.spare, w.n, w.direct = nil, nil, 0, false
}

// fallBack turns O_DIRECT off: every later write is buffered.
func (w *Writer) fallBack() error {
	if err := setDirect(w.f, false); err != nil {
		return err
	}
	w.direct = false
	return nil
}
