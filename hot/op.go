package hot

import (
	"time"

	"github.com/meshvault/meshvault/store"
)

// Op types.
const (
	OpPut    = "put"
	OpDelete = "delete"
)

// Op is one entry of a dataset's log: a whole-file put or a delete,
// written by the primary of Epoch at log position Pos.
type Op struct {
	Pos   uint64    `json:"pos"`
	Epoch uint64    `json:"epoch"`
	Type  string    `json:"type"`
	Path  string    `json:"path"`
	Entry *Entry    `json:"entry,omitempty"`
	Time  time.Time `json:"time"`
	Site  string    `json:"site"`
	// Cum is the file bytes of every op up to and including this one, so
	// the bytes between two positions cost two lookups.
	Cum uint64 `json:"cum,omitempty"`
}

// Entry is a file of the tree: its metadata and its chunks in order. A
// symlink has a Target and no chunks.
type Entry struct {
	Path   string     `json:"path"`
	Size   int64      `json:"size"`
	Mode   uint32     `json:"mode"`
	MTime  time.Time  `json:"mtime"`
	Target string     `json:"target,omitempty"`
	Chunks []ChunkRef `json:"chunks,omitempty"`
}

// ChunkRef names a chunk by hash and gives its length.
type ChunkRef struct {
	Hash store.Hash `json:"h"`
	Size int        `json:"n"`
}

// bytes is how much chunk data an op carries.
func (o Op) bytes() uint64 {
	if o.Entry == nil {
		return 0
	}
	return uint64(o.Entry.Size)
}
