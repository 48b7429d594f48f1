package hot

import "fmt"

// admit fences stale primaries and, for a primary of a newer epoch,
// moves ops this site wrote past the fork into the conflict set.
func (e *Engine) admit(ds *dataset, h hello) (uint64, bool, error) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	known := max(ds.meta.Epoch, ds.votedEpoch)
	if d, ok := e.def(h.Dataset); ok {
		known = max(known, d.Epoch)
	}
	if h.Epoch < known {
		return 0, false, fmt.Errorf("%s: dataset %s is at epoch %d, %s's epoch %d is over", errFencedText, h.Dataset, known, h.Primary, h.Epoch)
	}
	if h.Def.Primary == e.site {
		return 0, false, fmt.Errorf("%s: this site is the primary of %s at epoch %d", errFencedText, h.Dataset, h.Epoch)
	}
	m, err := ds.divergeLocked(h)
	if err != nil {
		return 0, false, err
	}
	return m.Pos, m.Resync || m.Pos+1 < h.Oldest, nil
}

// divergeLocked handles a log that runs past the new epoch's start: the
// ops beyond it become conflicts, and the tree is rebuilt by state
// transfer (chunks already here are not sent again).
func (ds *dataset) divergeLocked(h hello) (meta, error) {
	m := ds.meta
	fork, ok := forkPoint(h.Def, m.Epoch)
	diverged := m.Epoch < h.Epoch && ok && m.Pos > fork
	if !diverged && m.Epoch == h.Epoch && m.Pos > h.Head {
		fork, diverged = h.Head, true
	}
	if diverged {
		if err := ds.moveToConflicts(fork+1, m.Pos); err != nil {
			return m, err
		}
		m.Pos, m.Resync = fork, true
	}
	m.Epoch = max(m.Epoch, h.Epoch) // fenced from now on, durably
	if m == ds.meta {
		return m, nil
	}
	if err := ds.local.setMeta(m); err != nil {
		return m, err
	}
	ds.setMetaLocked(m)
	return m, nil
}

func (ds *dataset) moveToConflicts(from, to uint64) error {
	b := ds.local.db.NewBatch()
	for pos := from; pos <= to; pos++ {
		op, ok, err := ds.local.op(pos)
		if err != nil {
			b.Discard()
			return err
		}
		if ok {
			setJSON(b, ds.local.conflictKey(pos), op)
			b.Delete(ds.local.logKey(pos))
		}
	}
	ds.e.log.Warn("writes past the new epoch's start kept as conflicts", "dataset", ds.local.name, "from", from, "to", to)
	return b.Commit()
}
