package snapshot

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/meshvault/meshvault/erasure"
)

// where names a chunk's sealed bytes: its pack and offset there.
type where struct {
	pack string
	off  int
}

// liveChunks lists, per pack, the distinct chunks that the snapshots'
// manifests reference (a chunk shared by several files or snapshots
// once). It reads one manifest at a time and keeps only the chunks, and
// fails if any manifest cannot be read: a pack's use is known only once
// every snapshot that may reference it has been read.
//
// It also returns, for each pack the newest snapshot reads, where in
// that snapshot's file order the pack is first read (snaps are oldest
// first): a restore reads packs in that order, so repacked chunks are
// copied in it too, and stay together with the files they belong to.
func (e *Engine) liveChunks(ctx context.Context, snaps []Snapshot) (map[string]map[int]chunkRef, map[string]int, error) {
	live, first := map[string]map[int]chunkRef{}, map[string]int{}
	for _, s := range snaps {
		m, err := e.loadManifest(ctx, s)
		if err != nil {
			return nil, nil, err
		}
		clear(first)
		for _, f := range m.Files {
			for _, c := range f.Chunks {
				if live[c.Pack] == nil {
					live[c.Pack] = map[int]chunkRef{}
				}
				live[c.Pack][c.Off] = *c
				if _, ok := first[c.Pack]; !ok {
					first[c.Pack] = len(first)
				}
			}
		}
	}
	return live, first, nil
}

// inReadOrder sorts packs by where the newest snapshot first reads them,
// those it does not read last.
func inReadOrder(packs []packUse, first map[string]int) {
	at := func(id string) int {
		if i, ok := first[id]; ok {
			return i
		}
		return len(first)
	}
	slices.SortStableFunc(packs, func(a, b packUse) int { return cmp.Compare(at(a.ID), at(b.ID)) })
}

// packUses sums what is used of each pack that holds chunks, among the
// packs whose sites are all live (one with a shard on a site down waits
// for a later prune, so that a repack never places data with less
// redundancy than it had); manifest packs hold no chunks and are never
// partly used.
func (e *Engine) packUses(live map[string]map[int]chunkRef) []packUse {
	var out []packUse
	for id, chunks := range live {
		p, ok := e.catalog.Pack(id)
		if !ok || len(e.livePlacement(p)) < len(p.Sites) {
			continue
		}
		u := packUse{ID: id, Length: p.Length}
		for _, c := range chunks {
			u.Used += c.Len
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b packUse) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// repack rewrites, for each dataset, the chunks still used in the packs
// chooseRepack picks into new packs, then points every kept snapshot at
// them (a new manifest each, same ID). The old packs are then
// unreferenced, and the rest of the prune frees them like any other. It
// is marked running for its dataset like a snapshot being taken, so a
// prune elsewhere leaves the new packs alone until they are referenced.
// A dataset whose repack fails (a manifest or pack unreadable now) is
// named in res.RepackSkipped and left as it was: its new packs, if any,
// are unreferenced and freed by a later prune, and a snapshot is only
// ever recorded pointing at packs already committed.
func (e *Engine) repack(ctx context.Context, res *PruneResult, maxUnused float64, repointed map[string]string) error {
	if maxUnused < 0 {
		return nil
	}
	for _, ds := range e.snapshotDatasets() {
		if err := e.repackDataset(ctx, res, ds, maxUnused, repointed); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("prune: repack %s: %w", ds, err)
			}
			res.RepackSkipped = append(res.RepackSkipped, fmt.Sprintf("%s: %v", ds, err))
		}
	}
	return nil
}

func (e *Engine) snapshotDatasets() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range e.catalog.Snapshots("") {
		if !seen[s.Dataset] {
			seen[s.Dataset] = true
			out = append(out, s.Dataset)
		}
	}
	return out
}

func (e *Engine) repackDataset(ctx context.Context, res *PruneResult, ds string, maxUnused float64, repointed map[string]string) error {
	snaps := e.catalog.Snapshots(ds)
	live, first, err := e.liveChunks(ctx, snaps)
	if err != nil {
		return err
	}
	chosen := chooseRepack(e.packUses(live), maxUnused)
	if len(chosen) == 0 {
		return nil
	}
	inReadOrder(chosen, first)
	key, err := e.markRunning(ds)
	if err != nil {
		return err
	}
	defer e.unmarkRunning(key)
	moved, err := e.copyLive(ctx, ds, chosen, live)
	if err != nil {
		return err
	}
	for _, s := range snaps {
		if !readsAny(s, chosen) {
			continue // none of its chunks moved: its manifest need not be read again
		}
		if err := e.repoint(ctx, s, moved, repointed); err != nil {
			return err
		}
	}
	for _, u := range chosen {
		res.Repacked++
		res.RepackedBytes += int64(u.Used)
	}
	return e.reindex(ds, moved)
}

// copyLive copies the used chunks of the chosen packs, each checked
// against its AEAD tag first, into new packs of the old pack's scheme,
// and returns where each chunk went. The new packs are committed, but
// unreferenced until repoint.
func (e *Engine) copyLive(ctx context.Context, ds string, chosen []packUse, live map[string]map[int]chunkRef) (map[where]*chunkRef, error) {
	seal, err := e.sealer(ds)
	if err != nil {
		return nil, err
	}
	defer seal.Close()
	moved := map[where]*chunkRef{}
	packers := map[erasure.Scheme]*packer{}
	defer func() {
		for _, p := range packers {
			p.close()
		}
	}()
	for _, u := range chosen {
		p, _ := e.catalog.Pack(u.ID)
		s := erasure.Scheme{K: p.K, M: p.M}
		if packers[s] == nil {
			packers[s] = e.newPacker(ctx, ds, s)
		}
		if err := e.copyPack(ctx, p, live[u.ID], packers[s], seal, moved); err != nil {
			return nil, err
		}
	}
	for _, p := range packers {
		if _, err := p.wait(); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// copyPack fetches one pack and adds its used chunks, in pack order, to
// the packer.
func (e *Engine) copyPack(ctx context.Context, p Pack, chunks map[int]chunkRef, to *packer, seal *erasure.Sealer, moved map[where]*chunkRef) error {
	parts, release, err := e.fetchPack(ctx, p.ID, nil, nil)
	defer release()
	if err != nil {
		return err
	}
	offs := make([]int, 0, len(chunks))
	for off := range chunks {
		offs = append(offs, off)
	}
	slices.Sort(offs)
	var buf []byte
	for _, off := range offs {
		c := chunks[off]
		buf = slices.Grow(buf[:0], c.Len)[:c.Len]
		if err := parts.CopyAt(buf, off); err != nil {
			return fmt.Errorf("pack %s at %d: %w", p.ID, off, err)
		}
		if _, err := seal.Open(buf, c.Hash[:]); err != nil {
			return fmt.Errorf("pack %s: chunk %s: %w", p.ID, c.Hash, err)
		}
		ref := &chunkRef{Hash: c.Hash, Size: c.Size}
		if err := to.add(ref, buf); err != nil {
			return err
		}
		moved[where{p.ID, off}] = ref
	}
	return nil
}

// readsAny reports whether s reads any of the packs.
func readsAny(s Snapshot, packs []packUse) bool {
	for _, u := range packs {
		if slices.Contains(s.Packs, u.ID) {
			return true
		}
	}
	return false
}
