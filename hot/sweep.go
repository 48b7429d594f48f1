package hot

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"

	"github.com/meshvault/meshvault/store"
)

// SweepChunks frees the site's chunks that no hot dataset here still
// needs (store.DB.Sweep), beside writes, replication and snapshots. A
// chunk is needed while a file of a tree or a conflict set references
// it, or an op in the log that a replica has not acknowledged yet (so
// that a replica catches up by log rather than by state transfer): a
// file's old bytes are freed once it is overwritten or deleted and
// every replica has applied the change; a deleted dataset's once its
// keys are dropped. Views (snapshots being taken) keep what they see.
func (e *Engine) SweepChunks(ctx context.Context) (store.SweepStats, error) {
	return e.cfg.DB.Sweep(ctx, e.chunkRefs)
}

// SweepChunksNow is SweepChunks counted in the site's totals, for an
// operator's request.
func (e *Engine) SweepChunksNow(ctx context.Context) (store.SweepStats, error) {
	st, err := e.SweepChunks(ctx)
	if !errors.Is(err, store.ErrSweepRunning) {
		e.recordSweep(st, err)
	}
	return st, err
}

// chunkRefs marks the chunks that the hot datasets' keys in r reference.
func (e *Engine) chunkRefs(ctx context.Context, r store.Scanner, mark func(store.Hash)) error {
	keepLog := e.unackedLogs()
	n := 0
	return r.Scan([]byte("hot/"), func(k, v []byte) error {
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		name, kind, rest, ok := splitHotKey(k)
		if !ok {
			return nil
		}
		switch {
		case kind == "tree":
			return markEntry(v, mark)
		case kind == "conflict":
			return markOp(v, mark)
		case kind == "log":
			if low, ok := keepLog[name]; ok && len(rest) == 8 && binary.BigEndian.Uint64(rest) > low {
				return markOp(v, mark)
			}
		}
		return nil
	})
}

// splitHotKey parses "hot/NAME/KIND/REST" (dataset names hold no '/').
func splitHotKey(k []byte) (name, kind string, rest []byte, ok bool) {
	s := strings.TrimPrefix(string(k), "hot/")
	name, tail, ok1 := strings.Cut(s, "/")
	kind, r, ok2 := strings.Cut(tail, "/")
	return name, kind, []byte(r), ok1 && ok2
}

func markEntry(v []byte, mark func(store.Hash)) error {
	var en Entry
	if err := json.Unmarshal(v, &en); err != nil {
		return err
	}
	for _, c := range en.Chunks {
		mark(c.Hash)
	}
	return nil
}

func markOp(v []byte, mark func(store.Hash)) error {
	var op Op
	if err := json.Unmarshal(v, &op); err != nil {
		return err
	}
	if op.Entry != nil {
		for _, c := range op.Entry.Chunks {
			mark(c.Hash)
		}
	}
	return nil
}

// unackedLogs is, for each dataset this site is the primary of, the
// lowest position its replicas have acknowledged: log ops after it are
// still to be shipped. Datasets missing from the map (this site is not
// their primary) keep no log op's chunks: a site that becomes primary
// and finds an op's chunks gone ships its tree instead.
func (e *Engine) unackedLogs() map[string]uint64 {
	out := map[string]uint64{}
	e.mu.Lock()
	all := make(map[string]*dataset, len(e.datasets))
	for name, ds := range e.datasets {
		all[name] = ds
	}
	e.mu.Unlock()
	for name, ds := range all {
		ds.mu.Lock()
		if len(ds.shippers) > 0 {
			low := uint64(math.MaxUint64)
			for _, s := range ds.shippers {
				s.mu.Lock()
				low = min(low, s.acked)
				s.mu.Unlock()
			}
			out[name] = low
		}
		ds.mu.Unlock()
	}
	return out
}
