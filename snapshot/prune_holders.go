package snapshot

import (
	"maps"
	"slices"
)

// A site counted down may be cut off rather than gone: if it holds a
// full copy of a dataset it goes on taking that dataset's snapshots,
// deduplicating against packs it has not heard are condemned. So a prune
// deletes a dataset's condemned packs only once every site that holds a
// copy of it (its primary and replicas) has answered the fence; until
// then they wait, counted in unfenced_packs, and waiting_for names the
// sites. A site lost for good is taken out of the dataset's replicas
// (meshctl dataset update), and the next prune frees them.

// unfencedHolders reports whether a site holding a copy of dataset did
// not answer the fence (fenced), adding each such site to waiting.
func (e *Engine) unfencedHolders(dataset string, fenced, waiting map[string]bool) bool {
	found := false
	for _, site := range e.copyHolders(dataset) {
		if !fenced[site] {
			waiting[site], found = true, true
		}
	}
	return found
}

// copyHolders lists the sites that hold a full copy of dataset, as this
// site knows it: none once the dataset is deleted.
func (e *Engine) copyHolders(dataset string) []string {
	d, err := e.cfg.Hot.Dataset(dataset)
	if err != nil {
		return nil
	}
	return append([]string{d.Primary}, d.Replicas...)
}

func sortedKeys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
