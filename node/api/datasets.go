package api

import "time"

// Dataset is a hot dataset's definition, the same at every site.
type Dataset struct {
	Name     string   `json:"name"`
	Primary  string   `json:"primary"`
	Replicas []string `json:"replicas"`
	Mode     string   `json:"mode"` // sync or async
	// EC is the erasure-coding scheme of the dataset's snapshots, "K+M";
	// empty: chosen from the mesh size when each snapshot is taken.
	EC    string `json:"ec,omitempty"`
	Epoch uint64 `json:"epoch"`
	// EpochStart is the log position at which Epoch began.
	EpochStart uint64         `json:"epoch_start"`
	Created    time.Time      `json:"created"`
	History    []DatasetEvent `json:"history"`
}

// DatasetEvent is one change of primary or epoch, kept forever.
type DatasetEvent struct {
	Time    time.Time `json:"time"`
	Epoch   uint64    `json:"epoch"`
	Start   uint64    `json:"start"` // log position the epoch began at
	Primary string    `json:"primary"`
	Reason  string    `json:"reason"` // created, failover, switchover, forced failover, ...
	Forced  bool      `json:"forced,omitempty"`
	By      string    `json:"by,omitempty"` // site that made the change
}

// CreateDataset is the body of POST /v1/datasets.
type CreateDataset struct {
	Name     string   `json:"name"`
	Primary  string   `json:"primary"`
	Replicas []string `json:"replicas"`
	Mode     string   `json:"mode"`
	EC       string   `json:"ec,omitempty"`
}

// DatasetStatus is GET /v1/datasets/{name}/status: replication as the
// primary sees it.
type DatasetStatus struct {
	Dataset  string          `json:"dataset"`
	Primary  string          `json:"primary"`
	Epoch    uint64          `json:"epoch"`
	Mode     string          `json:"mode"`
	Position uint64          `json:"position"` // primary's last log position
	Replicas []ReplicaStatus `json:"replicas"`
	// Degraded explains, in sync mode, which replicas acknowledged writes
	// are not waiting for (down), or is empty.
	Degraded string `json:"degraded,omitempty"`
}

// ReplicaStatus is one designated replica's replication state.
type ReplicaStatus struct {
	Site       string  `json:"site"`
	State      string  `json:"state"` // member state: alive, suspect, dead, left
	Sync       string  `json:"sync"`  // streaming, catching-up, down, fenced
	Applied    uint64  `json:"applied"`
	LagOps     uint64  `json:"lag_ops"`
	LagBytes   uint64  `json:"lag_bytes"`
	LagSeconds float64 `json:"lag_seconds"`
	LastError  string  `json:"last_error,omitempty"`
}

// FileEntry is one path of a dataset's tree.
type FileEntry struct {
	Path   string    `json:"path"`
	Size   int64     `json:"size"`
	Mode   uint32    `json:"mode"` // permission bits and os.ModeSymlink/os.ModeDir bits as Go's os.FileMode
	MTime  time.Time `json:"mtime"`
	Target string    `json:"target,omitempty"` // symlink target
}

// WriteResult answers a put or rm: the log position it was written at.
type WriteResult struct {
	Path     string `json:"path"`
	Size     int64  `json:"size,omitempty"`
	Position uint64 `json:"position"`
	Epoch    uint64 `json:"epoch"`
}

// Conflict is a write that an old primary acknowledged after a new epoch
// began; it is kept, never merged or dropped.
type Conflict struct {
	Site     string    `json:"site"` // the old primary that accepted it
	Epoch    uint64    `json:"epoch"`
	Position uint64    `json:"position"`
	Op       string    `json:"op"` // put or delete
	Path     string    `json:"path"`
	Size     int64     `json:"size,omitempty"`
	Time     time.Time `json:"time"`
}

// Failover is the body of POST /v1/datasets/{name}/failover and
// .../switchover.
type Failover struct {
	To    string `json:"to,omitempty"`
	Force bool   `json:"force,omitempty"`
}

// Directory is the body of POST /v1/datasets/{name}/source and .../mirror.
type Directory struct {
	Dir string `json:"dir"`
}

// Headers carrying a file's metadata on PUT and GET of file content.
const (
	HeaderMode   = "X-Meshvault-Mode"   // octal os.FileMode bits, e.g. 644
	HeaderMTime  = "X-Meshvault-Mtime"  // RFC 3339 with nanoseconds
	HeaderTarget = "X-Meshvault-Target" // symlink target (PUT with empty body makes a symlink)
	HeaderSize   = "X-Meshvault-Size"
)

// UpdateDataset is the body of PATCH /v1/datasets/{name}: fields left
// empty keep their value.
type UpdateDataset struct {
	Replicas []string `json:"replicas,omitempty"`
	Mode     string   `json:"mode,omitempty"`
	EC       string   `json:"ec,omitempty"`
}
