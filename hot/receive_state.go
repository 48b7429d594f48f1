package hot

import (
	"encoding/json"
)

// applyEntry writes one tree entry of a state transfer with its chunks.
// The dataset is marked Resync first, so a crash midway restarts the
// transfer instead of leaving a mixed tree looking complete.
func (e *Engine) applyEntry(c *conn, ds *dataset, payload []byte, received map[string]bool) error {
	var en Entry
	if err := json.Unmarshal(payload, &en); err != nil {
		return err
	}
	if err := ds.markResync(); err != nil {
		return err
	}
	defer e.cfg.DB.Hold()()
	b, err := e.receiveChunks(c, &en)
	if err != nil {
		return err
	}
	setJSON(b, ds.local.treeKey(en.Path), en)
	received[en.Path] = true
	return b.Commit()
}

func (ds *dataset) markResync() error {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if ds.meta.Resync {
		return nil
	}
	m := ds.meta
	m.Resync = true
	if err := ds.local.setMeta(m); err != nil {
		return err
	}
	ds.setMetaLocked(m)
	return nil
}

// endState deletes the paths the primary did not send, drops the old
// log and sets the position the transferred tree corresponds to, in one
// batch.
func (e *Engine) endState(c *conn, ds *dataset, payload []byte, received map[string]bool) error {
	var end stateEnd
	if err := json.Unmarshal(payload, &end); err != nil {
		return err
	}
	ds.mu.Lock()
	b := e.cfg.DB.NewBatch()
	err := ds.local.entries("", func(en Entry) error {
		if !received[en.Path] {
			return b.Delete(ds.local.treeKey(en.Path))
		}
		return nil
	})
	b.DeletePrefix([]byte(ds.local.prefix() + "log/"))
	m := meta{Pos: end.Pos, Epoch: max(end.Epoch, ds.meta.Epoch), Oldest: end.Pos + 1}
	setJSON(b, ds.local.metaKey(), m)
	if err == nil {
		err = b.Commit()
	} else {
		b.Discard()
	}
	if err == nil {
		ds.setMetaLocked(m)
	}
	ds.mu.Unlock()
	clear(received)
	if err != nil {
		return err
	}
	e.notify(ds.local.name, Op{Type: OpResync, Pos: end.Pos})
	return sendAck(c, end.Pos)
}
