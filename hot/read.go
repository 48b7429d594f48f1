package hot

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/zeebo/blake3"
)

func (l local) entry(p string) (Entry, bool, error) {
	var e Entry
	b, ok, err := l.db.Get(l.treeKey(p))
	if err != nil || !ok {
		return e, ok, err
	}
	return e, true, json.Unmarshal(b, &e)
}

// entries calls fn for every file under prefix, in path order.
func (l local) entries(prefix string, fn func(Entry) error) error {
	return l.db.Scan(l.treeKey(prefix), func(_, v []byte) error {
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		return fn(e)
	})
}

func (l local) op(pos uint64) (Op, bool, error) {
	var op Op
	b, ok, err := l.db.Get(l.logKey(pos))
	if err != nil || !ok {
		return op, ok, err
	}
	return op, true, json.Unmarshal(b, &op)
}

// stamp is what status needs of an op: when it was written and the
// cumulative bytes up to it.
type stamp struct {
	Time time.Time `json:"time"`
	Cum  uint64    `json:"cum,omitempty"`
}

// stamp reads the op at pos without building its entry, whose chunk
// list is most of a large file's op: status asks for three per replica.
func (l local) stamp(pos uint64) (stamp, bool) {
	var st stamp
	b, ok, err := l.db.Get(l.logKey(pos))
	if err != nil || !ok {
		return st, false
	}
	return st, json.Unmarshal(b, &st) == nil
}

// copyFile writes a file's bytes to w, checking each chunk's hash.
func (l local) copyFile(w io.Writer, e Entry) error {
	for _, c := range e.Chunks {
		data, err := l.db.Chunk(c.Hash)
		if err != nil {
			return fmt.Errorf("read %s: %w", e.Path, err)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// digest is a BLAKE3 of the whole tree (paths, metadata and chunk
// hashes, in path order): two sites with the same digest hold the same
// content.
func (l local) digest() (string, int, error) {
	h := blake3.New()
	n := 0
	err := l.entries("", func(e Entry) error {
		n++
		fmt.Fprintf(h, "%s\x00%d\x00%o\x00%d\x00%s\x00", e.Path, e.Size, e.Mode, e.MTime.UnixNano(), e.Target)
		for _, c := range e.Chunks {
			h.Write(c.Hash[:])
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil)), n, err
}

// isEmpty reports whether the tree holds no file.
func (l local) isEmpty() (bool, error) {
	empty := true
	err := l.entries("", func(Entry) error { empty = false; return errStop })
	if err == errStop {
		err = nil
	}
	return empty, err
}

var errStop = fmt.Errorf("stop")
