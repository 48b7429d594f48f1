package snapshot

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/meshvault/meshvault/hot"
)

// RestoreOptions say what to restore and where.
type RestoreOptions struct {
	Dataset   string
	Snapshot  string    // ID or prefix; empty: the latest (at or before At)
	At        time.Time // zero: now
	Dir       string    // a file at dataset path a/b lands at Dir/a/b
	Prefix    string    // only paths under it
	Overwrite bool
	Verify    bool // re-read every file written and check its hashes
	// Progress is called as bytes are written (done of total).
	Progress func(done, total int64)
}

// RestoreResult sums up a restore.
type RestoreResult struct {
	Snapshot string  `json:"snapshot"`
	Files    int     `json:"files"` // regular files and symlinks
	Dirs     int     `json:"dirs"`  // directories given their mode and mtime
	Bytes    int64   `json:"bytes"`
	Seconds  float64 `json:"seconds"`
	Verified bool    `json:"verified"`
	// ShardsFrom is how many shards each site gave: the fastest sites
	// give most, a site behind a slow link few or none.
	ShardsFrom map[string]int `json:"shards_from"`
	// ShardsAsked is how many shard gets were sent to each site: more
	// than it gave when a get failed, or was cut short because k shards
	// came first from faster sites.
	ShardsAsked map[string]int `json:"shards_asked"`
	// ParityPacks is how many packs were decoded with a parity shard in
	// place of a data shard (a site down, slow or holding a bad shard).
	ParityPacks int `json:"parity_packs"`
}

// Restore writes a snapshot's files under o.Dir. It checks first that
// every pack it needs is reachable and that no file would be overwritten
// without o.Overwrite, so a refused restore writes nothing.
func (e *Engine) Restore(ctx context.Context, o RestoreOptions) (RestoreResult, error) {
	start := time.Now()
	s, key, err := e.pickAndMark(ctx, o) // before the manifest is read: a prune now keeps its packs
	if err != nil {
		return RestoreResult{}, err
	}
	defer e.unmarkRestoring(key)
	if err := e.reachable(s.Manifest); err != nil {
		return RestoreResult{}, fmt.Errorf("restore %s: its file list cannot be rebuilt, too many sites are down: %w", s.ID, err)
	}
	m, err := e.loadManifest(ctx, s)
	if err != nil {
		return RestoreResult{}, err
	}
	files, total, err := selectFiles(m, o)
	if err != nil {
		return RestoreResult{}, err
	}
	if err := e.preflight(files, o); err != nil {
		return RestoreResult{}, fmt.Errorf("restore %s: %w", s.ID, err)
	}
	w := &writer{e: e, dir: o.Dir, dataset: s.Dataset, overwrite: o.Overwrite, verify: o.Verify, total: total, progress: o.Progress}
	if err := w.run(ctx, files); err != nil {
		return RestoreResult{}, fmt.Errorf("restore %s: %w", s.ID, err)
	}
	asked, gave, rebuilt := w.cache.tally.counts()
	dirs, rest := splitDirs(files)
	return RestoreResult{Snapshot: s.ID, Files: len(rest), Dirs: len(dirs), Bytes: total, Seconds: time.Since(start).Seconds(), Verified: o.Verify,
		ShardsFrom: gave, ShardsAsked: asked, ParityPacks: rebuilt}, nil
}

// pick finds the snapshot to restore: by ID, else the latest of the
// dataset taken at or before At.
func (e *Engine) pick(o RestoreOptions) (Snapshot, error) {
	if o.Snapshot != "" {
		return e.catalog.Snapshot(o.Snapshot)
	}
	at := o.At
	if at.IsZero() {
		at = time.Now()
	}
	var best *Snapshot
	for _, s := range e.catalog.Snapshots(o.Dataset) {
		if !s.Time.After(at) {
			best = &s
		}
	}
	if best == nil {
		return Snapshot{}, fmt.Errorf("no snapshot of %s at or before %s: see 'meshctl snapshot ls %s'", o.Dataset, at.Format(time.RFC3339), o.Dataset)
	}
	return *best, nil
}

func selectFiles(m manifest, o RestoreOptions) ([]mfile, int64, error) {
	if o.Dir == "" || !filepath.IsAbs(o.Dir) {
		return nil, 0, fmt.Errorf("restore needs an absolute --to directory, got %q", o.Dir)
	}
	var out []mfile
	var total int64
	for _, f := range m.Files {
		if underPrefix(f.Path, o.Prefix) {
			if _, err := hot.CleanPath(f.Path); err != nil {
				return nil, 0, fmt.Errorf("snapshot holds an unsafe path: %w", err)
			}
			out = append(out, f)
			total += f.Size
		}
	}
	if len(out) == 0 {
		return nil, 0, fmt.Errorf("no file under %q in this snapshot", o.Prefix)
	}
	return out, total, nil
}

// preflight refuses, before writing anything, a restore whose packs are
// not all reachable or that would overwrite files without --overwrite.
func (e *Engine) preflight(files []mfile, o RestoreOptions) error {
	var missing []string
	for _, id := range (manifest{Files: files}).packs() {
		if err := e.reachable(id); err != nil {
			missing = append(missing, err.Error())
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d packs cannot be rebuilt, too many sites are down: %s", len(missing), strings.Join(missing, "; "))
	}
	if o.Overwrite {
		return nil
	}
	return noneExist(o.Dir, files)
}

func (e *Engine) reachable(id string) error {
	p, ok := e.catalog.Pack(id)
	if !ok {
		return fmt.Errorf("pack %s is missing from the catalog", id)
	}
	live := 0
	for _, s := range p.Sites {
		if e.isLive(s) {
			live++
		}
	}
	if live < p.K {
		return fmt.Errorf("pack %s: %d of its %d shards on live sites, %d needed", id, live, len(p.Sites), p.K)
	}
	return nil
}

func noneExist(dir string, files []mfile) error {
	var exist []string
	for _, f := range files {
		in, err := inTheWay(filepath.Join(dir, filepath.FromSlash(f.Path)), f)
		if err != nil {
			return err
		}
		if in {
			exist = append(exist, f.Path)
		}
	}
	if len(exist) > 0 {
		return fmt.Errorf("%d files already exist under %s (first: %s): nothing was written; add --overwrite to replace them, or restore to an empty directory", len(exist), dir, exist[0])
	}
	return nil
}

// awaitPlacements gives pack entries still travelling by gossip a few
// seconds to arrive; any still missing are reported by the preflight.
func (e *Engine) awaitPlacements(ctx context.Context, s Snapshot) {
	deadline := time.Now().Add(10 * time.Second)
	for len(e.catalog.Missing(s)) > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
}
