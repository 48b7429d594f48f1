package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// restoringKind marks a restore under way, with the manifest it read,
// so that a prune never deletes a pack the restore still has to fetch:
// not when the snapshot is forgotten meanwhile, and not when a repack
// points the snapshot at new packs.
const restoringKind = "snapshot-restoring"

type restoring struct {
	Dataset  string    `json:"dataset"`
	Site     string    `json:"site"`
	Snapshot string    `json:"snapshot"`
	Manifest string    `json:"manifest"`
	Started  time.Time `json:"started"`
}

func (e *Engine) markRestoring(s Snapshot) (string, error) {
	key := fmt.Sprintf("%s/%s/%d", e.site, s.ID, time.Now().UnixNano())
	r := restoring{Dataset: s.Dataset, Site: e.site, Snapshot: s.ID, Manifest: s.Manifest, Started: time.Now().UTC()}
	return key, e.catalog.putJSON(restoringKind, key, r)
}

// pickAndMark picks the snapshot o names and marks the restore under
// way, both under fenceMu: a prune's fence here then finds either the
// marker or the catalog entry the restore read, never neither. If the
// entry changed while its placements were awaited, it picks again.
func (e *Engine) pickAndMark(ctx context.Context, o RestoreOptions) (Snapshot, string, error) {
	for {
		s, err := e.pick(o)
		if err != nil {
			return s, "", err
		}
		e.awaitPlacements(ctx, s)
		e.fenceMu.Lock()
		again, err := e.pick(o)
		if err == nil && again.ID == s.ID && again.Manifest == s.Manifest {
			key, err := e.markRestoring(s)
			e.fenceMu.Unlock()
			return s, key, err
		}
		e.fenceMu.Unlock()
		if err != nil {
			return again, "", err
		}
	}
}

func (e *Engine) unmarkRestoring(key string) { e.catalog.state.Delete(restoringKind, key) }

// ownRestores lists the restores under way at this site.
func (e *Engine) ownRestores() []restoring {
	return e.restores(func(r restoring) bool { return r.Site == e.site })
}

func (e *Engine) restores(keep func(restoring) bool) []restoring {
	var out []restoring
	for _, en := range e.catalog.state.List(restoringKind) {
		var r restoring
		if json.Unmarshal(en.Value, &r) == nil && keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// addRestoreRefs adds to refs the packs that restores read. A restore
// whose manifest refs already holds reads a snapshot still in the
// catalog as it is; any other's manifest is read to find its packs, and
// if it cannot be read, nothing may be deleted.
func (e *Engine) addRestoreRefs(ctx context.Context, refs map[string]bool, restores []restoring) error {
	for _, r := range restores {
		if refs[r.Manifest] {
			continue
		}
		m, err := e.loadManifest(ctx, Snapshot{ID: r.Snapshot, Dataset: r.Dataset, Manifest: r.Manifest})
		if err != nil {
			return fmt.Errorf("a restore of snapshot %s under way at %s reads packs no kept snapshot references, and its file list cannot be read now (%w): nothing was deleted; prune again once it has finished", r.Snapshot, r.Site, err)
		}
		refs[r.Manifest] = true
		for _, id := range m.packs() {
			refs[id] = true
		}
	}
	return nil
}
