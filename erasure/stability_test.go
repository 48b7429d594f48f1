package erasure

import (
	"fmt"
	"slices"
	"testing"
)

// moved counts the shard indexes whose site differs between two placements.
func moved(a, b []string) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// Removing a site that holds no shard of an object moves nothing. Removing
// one that does moves its shards and, because shard indexes are fixed, on
// average about one more shard per shard that had to move (bounded here at
// 1.3); adding a site moves at most 2.5 shards per shard it takes.
func TestPlaceMovesFewShardsWhenASiteGoesOrComes(t *testing.T) {
	for _, tc := range []struct {
		sites, zones, n int
	}{{8, 1, 6}, {8, 4, 6}, {10, 3, 6}, {6, 3, 6}, {6, 1, 6}, {5, 5, 5}, {12, 4, 5}} {
		sites := testSites(tc.sites, tc.zones)
		var must, extra, untouched, added, addMoved int
		for k := range 1000 {
			key := fmt.Sprintf("pack-%d", k)
			before := Place(key, sites, tc.n)
			for r := range sites {
				after := Place(key, slices.Delete(slices.Clone(sites), r, r+1), tc.n)
				on := countBy(before, func(n string) string { return n })[sites[r].Name]
				m := moved(before, after)
				if m < on {
					t.Fatalf("%s: shards stayed on removed site", key)
				}
				if on == 0 && m != 0 {
					untouched++
				}
				must, extra = must+on, extra+m-on
			}
			grown := append(slices.Clone(sites), Site{"new", "z0"})
			added += countBy(Place(key, grown, tc.n), func(n string) string { return n })["new"]
			addMoved += moved(before, Place(key, grown, tc.n))
		}
		if untouched != 0 || extra > must*13/10 || addMoved > added*5/2 {
			t.Errorf("too much churn:")
		}
		t.Logf("%d sites/%d zones n=%d: removal must move %d, extra moved %d (%.1f%%), unused-site removals that moved shards %d; add: %d shards to new site, %d moved",
			tc.sites, tc.zones, tc.n, must, extra, 100*float64(extra)/float64(must), untouched, added, addMoved)
	}
}
