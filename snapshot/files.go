package snapshot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// FileInfo is one file of a snapshot as its manifest records it.
type FileInfo struct {
	Path   string
	Size   int64
	Mode   uint32 // Go's fs.FileMode bits
	MTime  time.Time
	Target string // a symlink's target
}

// Files lists the files of snapshot id under prefix (empty: all) in the
// order they were taken, from its manifest: it fetches and opens the
// manifest pack from any k of its shards, as a restore does.
func (e *Engine) Files(ctx context.Context, id, prefix string) ([]FileInfo, error) {
	s, err := e.catalog.Snapshot(id)
	if err != nil {
		return nil, err
	}
	e.awaitPlacements(ctx, s)
	if err := e.reachable(s.Manifest); err != nil {
		return nil, fmt.Errorf("snapshot %s: its file list cannot be rebuilt, too many sites are down: %w", s.ID, err)
	}
	m, err := e.loadManifest(ctx, s)
	if err != nil {
		return nil, err
	}
	out := []FileInfo{}
	for _, f := range m.Files {
		if underPrefix(f.Path, prefix) {
			out = append(out, FileInfo{Path: f.Path, Size: f.Size, Mode: f.Mode, MTime: f.MTime, Target: f.Target})
		}
	}
	return out, nil
}

// underPrefix reports whether path is prefix itself or lies under it as
// a directory (empty: every path).
func underPrefix(path, prefix string) bool {
	return prefix == "" || path == prefix || strings.HasPrefix(path, strings.TrimSuffix(prefix, "/")+"/")
}
