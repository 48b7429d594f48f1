package hot

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/meshvault/meshvault/store"
)

// meta is a site's position in a dataset's log.
type meta struct {
	Pos    uint64 `json:"pos"`    // last applied log position
	Epoch  uint64 `json:"epoch"`  // epoch of the last applied op, or the highest seen
	Oldest uint64 `json:"oldest"` // oldest log position still kept
	Bytes  uint64 `json:"bytes"`  // file bytes of every op applied (Op.Cum of the last)
	// Resync is set while a state transfer is under way: the tree may be
	// a mix until it completes, so the next session starts it again.
	Resync bool `json:"resync,omitempty"`
}

// local is one site's copy of one dataset in the site's Pebble database.
type local struct {
	db   *store.DB
	name string
}

func (l local) prefix() string           { return "hot/" + l.name + "/" }
func (l local) metaKey() []byte          { return []byte(l.prefix() + "meta") }
func (l local) treeKey(p string) []byte  { return []byte(l.prefix() + "tree/" + p) }
func (l local) logKey(pos uint64) []byte { return posKey(l.prefix()+"log/", pos) }
func (l local) conflictKey(pos uint64) []byte {
	return posKey(l.prefix()+"conflict/", pos)
}

func posKey(prefix string, pos uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(prefix), pos)
}

func (l local) meta() (meta, error) {
	var m meta
	b, ok, err := l.db.Get(l.metaKey())
	if err != nil || !ok {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

func setJSON(b *store.Batch, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Set(key, data)
}

// commit adds op to b, applies it to the tree and advances the position,
// then commits b: the op is applied entirely or not at all. durable
// waits for the disk; without it a crash may lose the op (whole), which
// a replica of an async dataset fetches again from the primary.
func (l local) commit(b *store.Batch, m meta, op Op, retain uint64, durable bool) (meta, error) {
	m, err := l.prepare(b, m, op, retain)
	if err != nil {
		return m, err
	}
	if !durable {
		return m, b.CommitNoSync()
	}
	return m, b.Commit()
}

// prepare adds op, its tree change and the position after it to b
// without committing; on error b is discarded.
func (l local) prepare(b *store.Batch, m meta, op Op, retain uint64) (meta, error) {
	if op.Pos != m.Pos+1 {
		b.Discard()
		return m, fmt.Errorf("dataset %s: op at position %d does not follow %d", l.name, op.Pos, m.Pos)
	}
	if err := l.applyToTree(b, op); err != nil {
		b.Discard()
		return m, err
	}
	setJSON(b, l.logKey(op.Pos), op)
	m.Pos, m.Epoch, m.Bytes = op.Pos, max(m.Epoch, op.Epoch), op.Cum
	m = l.trimLog(b, m, retain)
	if err := setJSON(b, l.metaKey(), m); err != nil {
		b.Discard()
		return m, err
	}
	return m, nil
}

func (l local) applyToTree(b *store.Batch, op Op) error {
	switch op.Type {
	case OpPut:
		return setJSON(b, l.treeKey(op.Path), op.Entry)
	case OpDelete:
		return b.Delete(l.treeKey(op.Path))
	}
	return fmt.Errorf("dataset %s: unknown op type %q at %d", l.name, op.Type, op.Pos)
}

// trimLog drops the oldest ops so that at most retain are kept; a
// replica further behind catches up by state transfer.
func (l local) trimLog(b *store.Batch, m meta, retain uint64) meta {
	if m.Oldest == 0 {
		m.Oldest = 1
	}
	for retain > 0 && m.Pos >= m.Oldest+retain {
		b.Delete(l.logKey(m.Oldest))
		m.Oldest++
	}
	return m
}

func (l local) setMeta(m meta) error {
	b := l.db.NewBatch()
	setJSON(b, l.metaKey(), m)
	return b.Commit()
}
