package snapshot

import (
	"context"
	"fmt"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/store"
)

// repoint rewrites s's manifest with the chunks that moved and records
// the snapshot again under its ID, with the new manifest and pack list:
// the same files, the same bytes, read from other packs. A snapshot
// that no moved chunk concerns is left as it is, and so is one forgotten
// meanwhile here (its new manifest is then an orphan the next prune
// frees). A forget at another site that has not reached this one yet
// wins over this record wherever the two meet (forgottenRank), so the
// snapshot does not come back. repointed notes the new manifest under
// the snapshot's ID.
func (e *Engine) repoint(ctx context.Context, s Snapshot, moved map[where]*chunkRef, repointed map[string]string) error {
	m, err := e.loadManifest(ctx, s) // again: only one manifest is held at a time
	if err != nil {
		return err
	}
	if !remap(m, moved) {
		return nil
	}
	manID, err := e.storeManifestOf(ctx, s, m)
	if err != nil {
		return err
	}
	if _, err := e.catalog.Snapshot(s.ID); err != nil {
		return nil // forgotten while the packs were copied
	}
	s.Manifest, s.Packs = manID, append(m.packs(), manID)
	e.catalog.state.Spread(packKind, s.Packs)
	repointed[s.ID] = manID
	return e.catalog.putJSON(snapshotKind, s.ID, s)
}

// remap points m's chunks that moved at their new place; it reports
// whether any did.
func remap(m manifest, moved map[where]*chunkRef) bool {
	changed := false
	for _, f := range m.Files {
		for i, c := range f.Chunks {
			if n, ok := moved[where{c.Pack, c.Off}]; ok {
				f.Chunks[i] = &chunkRef{Hash: c.Hash, Size: c.Size, Pack: n.Pack, Off: n.Off, Len: n.Len}
				changed = true
			}
		}
	}
	return changed
}

// storeManifestOf stores m as s's manifest, of s's scheme.
func (e *Engine) storeManifestOf(ctx context.Context, s Snapshot, m manifest) (string, error) {
	scheme, err := erasure.ParseScheme(s.Scheme)
	if err != nil {
		return "", fmt.Errorf("snapshot %s: %w", s.ID, err)
	}
	seal, err := e.sealer(s.Dataset)
	if err != nil {
		return "", err
	}
	defer seal.Close()
	pl, err := e.putManifest(ctx, seal, s.Dataset, m, scheme)
	return pl.ID, err
}

// reindex points this site's deduplication index at the chunks' new
// packs, so that the next snapshot here finds them there (another site's
// index takes in the latest snapshot's new manifest before its next
// snapshot: loadIndex).
func (e *Engine) reindex(ds string, moved map[where]*chunkRef) error {
	ix := &dedupIndex{e: e, dataset: ds, fresh: map[store.Hash]*chunkRef{}}
	for _, ref := range moved {
		ix.add(ref)
	}
	return ix.save("") // the snapshots it was recorded again with are taken in by the next snapshot here
}
