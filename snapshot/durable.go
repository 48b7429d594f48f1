package snapshot

import (
	"errors"
	"os"
	"path/filepath"
)

// A restore makes files durable a batch at a time: the files of a batch
// are written under temporary names, then one sync of the filesystem
// makes all their bytes durable, and only then is each renamed to its
// final name. A crash leaves every final name either absent or complete,
// as a sync per file would, for one sync per batch instead of thousands.
const (
	batchBytes = 256 << 20
	batchFiles = 1024
)

type batch struct {
	files []pendingFile
	bytes int64
}

type pendingFile struct{ tmp, full string }

// queue adds a written file to the batch, and makes the batch durable
// when it is full.
func (w *writer) queue(tmp, full string, size int64) error {
	w.mu.Lock()
	w.pending.files = append(w.pending.files, pendingFile{tmp, full})
	w.pending.bytes += size
	isFull := w.pending.bytes >= batchBytes || len(w.pending.files) >= batchFiles
	w.mu.Unlock()
	if !isFull {
		return nil
	}
	return w.flush(w.take())
}

// take empties the batch and returns what it held.
func (w *writer) take() batch {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.pending
	w.pending = batch{}
	return b
}

// flush syncs the batch's bytes, then renames each file to its name.
func (w *writer) flush(b batch) error {
	if len(b.files) == 0 {
		return nil
	}
	if err := syncFiles(w.dir, b.files); err != nil {
		removeTemps(b.files)
		return err
	}
	for i, p := range b.files {
		if err := os.Rename(p.tmp, p.full); err != nil {
			removeTemps(b.files[i:])
			return err
		}
		w.mu.Lock()
		w.dirs[filepath.Dir(p.full)] = true
		w.mu.Unlock()
	}
	return nil
}

// discard removes the temporary files of a failed restore.
func (w *writer) discard() { removeTemps(w.take().files) }

func removeTemps(files []pendingFile) {
	for _, p := range files {
		os.Remove(p.tmp)
	}
}

// syncEach is the portable way: one fsync per file.
func syncEach(files []pendingFile) error {
	var errs []error
	for _, p := range files {
		f, err := os.Open(p.tmp)
		if err != nil {
			return err
		}
		errs = append(errs, f.Sync(), f.Close())
	}
	return errors.Join(errs...)
}
