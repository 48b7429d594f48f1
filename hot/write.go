package hot

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/meshvault/meshvault/store"
)

// NotPrimaryError means a write reached a site that is not the dataset's
// primary; Primary names the one that is.
type NotPrimaryError struct{ Dataset, Primary string }

func (e *NotPrimaryError) Error() string {
	return fmt.Sprintf("dataset %s: this site is not its primary (%s is): send writes there", e.Dataset, e.Primary)
}

// UnknownDatasetError means no dataset has that name.
type UnknownDatasetError struct{ Dataset string }

func (e *UnknownDatasetError) Error() string {
	return fmt.Sprintf("no dataset %q: see 'meshctl dataset ls'", e.Dataset)
}

// File is what a write puts at a path: a regular file, a symlink
// (Target), or a directory (Mode has os.ModeDir; Body and Target are
// ignored), kept so that its mode, mtime and emptiness are restored.
type File struct {
	Mode   os.FileMode
	MTime  time.Time
	Target string    // symlink target; Body is ignored
	Body   io.Reader // the bytes, streamed
}

// Put writes a whole file at the primary and, in sync mode, returns only
// once every alive designated replica has persisted it.
func (e *Engine) Put(ctx context.Context, name, path string, f File) (Op, error) {
	p, err := CleanPath(path)
	if err != nil {
		return Op{}, err
	}
	d, ds, err := e.primaryFor(name)
	if err != nil {
		return Op{}, err
	}
	if err := e.syncPrecheck(d); err != nil {
		return Op{}, err
	}
	defer e.cfg.DB.Hold()() // chunks found or stored stay until the op references them
	entry, b, err := e.storeFile(p, f)
	if err != nil {
		return Op{}, fmt.Errorf("put %s/%s: %w", name, p, err)
	}
	return e.append(ctx, d, ds, b, Op{Type: OpPut, Path: p, Entry: &entry})
}

// Remove deletes a path at the primary.
func (e *Engine) Remove(ctx context.Context, name, path string) (Op, error) {
	p, err := CleanPath(path)
	if err != nil {
		return Op{}, err
	}
	d, ds, err := e.primaryFor(name)
	if err != nil {
		return Op{}, err
	}
	if _, ok, err := ds.local.entry(p); err != nil || !ok {
		return Op{}, fmt.Errorf("rm %s/%s: no such file (err %v)", name, p, err)
	}
	if err := e.syncPrecheck(d); err != nil {
		return Op{}, err
	}
	return e.append(ctx, d, ds, e.cfg.DB.NewBatch(), Op{Type: OpDelete, Path: p})
}

func (e *Engine) primaryFor(name string) (Def, *dataset, error) {
	d, ok := e.def(name)
	if !ok {
		return d, nil, &UnknownDatasetError{name}
	}
	if d.Primary != e.site {
		return d, nil, &NotPrimaryError{Dataset: name, Primary: d.Primary}
	}
	ds, err := e.dataset(name)
	return d, ds, err
}

// storeFile chunks the body into the chunk store, committing every
// stageLimit bytes so memory stays bounded (chunks not yet referenced by a
// committed op are harmless). The last chunks stay in the returned
// batch, which the op commits with them: a small file costs one fsync.
func (e *Engine) storeFile(p string, f File) (Entry, *store.Batch, error) {
	entry := Entry{Path: p, Mode: uint32(f.Mode), MTime: f.MTime.UTC(), Target: f.Target}
	b := e.cfg.DB.NewBatch()
	if f.Mode&os.ModeDir != 0 {
		entry.Mode, entry.Target = uint32(f.Mode&(os.ModeDir|os.ModePerm|os.ModeSetuid|os.ModeSetgid|os.ModeSticky)), ""
		return entry, b, nil
	}
	if f.Target != "" {
		entry.Mode |= uint32(os.ModeSymlink)
		return entry, b, nil
	}
	err := store.Split(f.Body, func(data []byte, h store.Hash) error {
		entry.Chunks = append(entry.Chunks, ChunkRef{Hash: h, Size: len(data)})
		entry.Size += int64(len(data))
		if _, err := e.cfg.DB.PutChunk(b, h, data); err != nil {
			return err
		}
		if b.Len() >= stageLimit {
			err := b.Commit()
			b = e.cfg.DB.NewBatch()
			return err
		}
		return nil
	})
	if err != nil {
		b.Discard()
		return entry, nil, err
	}
	return entry, b, nil
}

// append assigns the op the next position in the current epoch, commits
// it (in a group with the ops of concurrent writers, see commit.go), and
// waits for replicas as the mode says.
func (e *Engine) append(ctx context.Context, d Def, ds *dataset, b *store.Batch, op Op) (Op, error) {
	if err := b.SyncChunks(); err != nil { // outside the lock: concurrent writers share the fsync
		b.Discard()
		return op, err
	}
	ds.mu.Lock()
	cur, ok := e.def(d.Name)
	if !ok || cur.Primary != e.site || cur.Epoch != d.Epoch || ds.draining {
		ds.mu.Unlock()
		b.Discard()
		return op, fmt.Errorf("dataset %s: primary changed or switchover under way; retry at %s", d.Name, cur.Primary)
	}
	base := ds.headLocked()
	op.Pos, op.Epoch, op.Time, op.Site = base.Pos+1, d.Epoch, time.Now().UTC(), e.site
	op.Cum = base.Bytes + op.bytes()
	m, err := ds.local.prepare(b, base, op, e.cfg.LogRetain)
	if err != nil {
		ds.mu.Unlock()
		return op, err
	}
	done := ds.enqueueLocked(b, m)
	if err := <-done; err != nil {
		return op, err
	}
	e.notify(d.Name, op)
	if d.Mode != ModeSync {
		return op, nil
	}
	return op, e.waitReplicated(ctx, d, ds, op.Pos)
}
