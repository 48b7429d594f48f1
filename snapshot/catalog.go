package snapshot

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// Cluster-state kinds of the catalog, replicated to every site.
const (
	snapshotKind = "snapshot"
	packKind     = "pack"
)

// Snapshot is a catalog entry: one immutable point-in-time version.
type Snapshot struct {
	ID         string    `json:"id"`
	Dataset    string    `json:"dataset"`
	Time       time.Time `json:"time"`
	Tags       []string  `json:"tags,omitempty"`
	Site       string    `json:"site"`     // where it was taken
	Position   uint64    `json:"position"` // dataset log position it shows
	Epoch      uint64    `json:"epoch"`
	Scheme     string    `json:"scheme"`         // k+m of the packs it wrote
	Manifest   string    `json:"manifest"`       // pack holding the file list
	Files      int       `json:"files"`          // regular files and symlinks
	Dirs       int       `json:"dirs,omitempty"` // directory entries
	Bytes      int64     `json:"bytes"`          // logical size of the files
	NewBytes   int64     `json:"new_bytes"`      // sealed bytes this snapshot added
	DedupBytes int64     `json:"dedup_bytes"`    // file bytes found already stored
	Packs      []string  `json:"packs"`          // every pack the snapshot needs
	Seconds    float64   `json:"seconds"`
}

// Pack is where one pack's shards live.
type Pack struct {
	ID      string    `json:"id"`
	Dataset string    `json:"dataset"`
	K       int       `json:"k"`
	M       int       `json:"m"`
	Sites   []string  `json:"sites"` // shard i is on Sites[i]
	Length  int       `json:"length"`
	Created time.Time `json:"created"`
	// Condemned is when a prune found the pack unreferenced; it is deleted
	// once no snapshot that could still reference it is being taken.
	Condemned time.Time `json:"condemned,omitzero"`
}

func (c *Catalog) putJSON(kind, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = c.state.Set(kind, key, b)
	return err
}

// Catalog reads and writes the snapshot catalog in the cluster state.
type Catalog struct{ state *mesh.ClusterState }

// Snapshots lists snapshots, of one dataset or all if dataset is "",
// oldest first.
func (c *Catalog) Snapshots(dataset string) []Snapshot {
	var out []Snapshot
	for _, e := range c.state.List(snapshotKind) {
		var s Snapshot
		if json.Unmarshal(e.Value, &s) == nil && (dataset == "" || s.Dataset == dataset) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Snapshot) int { return a.Time.Compare(b.Time) })
	return out
}

// Snapshot finds one by ID or unique ID prefix.
func (c *Catalog) Snapshot(id string) (Snapshot, error) {
	var found []Snapshot
	for _, s := range c.Snapshots("") {
		if strings.HasPrefix(s.ID, id) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return Snapshot{}, fmt.Errorf("no snapshot %q: see 'meshctl snapshot ls'", id)
	case 1:
		return found[0], nil
	}
	return Snapshot{}, fmt.Errorf("snapshot ID %q is ambiguous (%d match): give more characters", id, len(found))
}

// exact returns the snapshot with exactly this ID.
func (c *Catalog) exact(id string) (Snapshot, bool) {
	e, ok := c.state.Get(snapshotKind, id)
	if !ok {
		return Snapshot{}, false
	}
	var s Snapshot
	if json.Unmarshal(e.Value, &s) != nil {
		return Snapshot{}, false
	}
	return s, true
}

// Pack returns a pack's placement.
func (c *Catalog) Pack(id string) (Pack, bool) {
	e, ok := c.state.Get(packKind, id)
	if !ok {
		return Pack{}, false
	}
	var p Pack
	return p, json.Unmarshal(e.Value, &p) == nil
}

// Packs lists every pack of the catalog.
func (c *Catalog) Packs() []Pack {
	var out []Pack
	for _, e := range c.state.List(packKind) {
		var p Pack
		if json.Unmarshal(e.Value, &p) == nil {
			out = append(out, p)
		}
	}
	return out
}

// Missing lists the packs of s whose placement has not reached this site
// yet (catalog entries travel separately by gossip).
func (c *Catalog) Missing(s Snapshot) []string {
	var out []string
	for _, id := range s.Packs {
		if _, ok := c.Pack(id); !ok {
			out = append(out, id)
		}
	}
	return out
}
