package snapshot

import (
	"time"

	"github.com/meshvault/meshvault/store"
)

// manifest is a snapshot's file list; it is sealed and stored as a pack
// of its own, so it is as durable and as private as the data.
type manifest struct {
	Dataset  string  `json:"dataset"`
	Position uint64  `json:"position"`
	Files    []mfile `json:"files"`
}

type mfile struct {
	Path   string      `json:"path"`
	Size   int64       `json:"size"`
	Mode   uint32      `json:"mode"`
	MTime  time.Time   `json:"mtime"`
	Target string      `json:"target,omitempty"`
	Chunks []*chunkRef `json:"chunks,omitempty"`
}

// chunkRef says where a chunk's sealed bytes are: pack, offset, length.
type chunkRef struct {
	Hash store.Hash `json:"h"`
	Pack string     `json:"p"`
	Off  int        `json:"o"`
	Len  int        `json:"l"`
	Size int        `json:"n"` // plaintext size
}
