package snapshot

import (
	"maps"
	"sync"
)

// siteTally counts, per site, the shard gets a restore sent and the
// shards it used: a site asked far more often than it gave is slow or
// failing, and its place in the fetch order is to blame or to praise.
// Its methods do nothing on a nil tally.
type siteTally struct {
	mu      sync.Mutex
	asked   map[string]int
	gave    map[string]int
	rebuilt int // packs decoded with a parity shard in place of a data shard
}

func newSiteTally() *siteTally {
	return &siteTally{asked: map[string]int{}, gave: map[string]int{}}
}

// ask notes a get sent to site.
func (t *siteTally) ask(site string) { t.add(func() { t.asked[site]++ }) }

// give notes a shard from site that a pack was rebuilt from.
func (t *siteTally) give(site string) { t.add(func() { t.gave[site]++ }) }

// decoded notes a pack rebuilt from a parity shard.
func (t *siteTally) decoded() { t.add(func() { t.rebuilt++ }) }

func (t *siteTally) add(f func()) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	f()
}

// counts returns copies of the gets sent and the shards used, by site,
// and how many packs needed a parity shard.
func (t *siteTally) counts() (asked, gave map[string]int, rebuilt int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.asked), maps.Clone(t.gave), t.rebuilt
}
