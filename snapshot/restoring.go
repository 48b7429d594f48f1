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

func (e *Engine) unmarkRestoring(key string) { e.catalog.state.Delete(restoringKind, key) }

// restoringNow lists the restores under way at live sites.
func (e *Engine) restoringNow() []restoring {
	var out []restoring
	for _, en := range e.catalog.state.List(restoringKind) {
		var r restoring
		if json.Unmarshal(en.Value, &r) == nil && e.isLive(r.Site) {
			out = append(out, r)
		}
	}
	return out
}

// restoreRefs adds to refs the packs that restores under way read. A
// restore whose manifest refs already holds reads a snapshot still in
// the catalog as it is; any other's manifest is read to find its packs,
// and if it cannot be read, nothing may be deleted.
func (e *Engine) restoreRefs(ctx context.Context, refs map[string]bool) error {
	for _, r := range e.restoringNow() {
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
