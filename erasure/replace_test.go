package erasure

import (
	"fmt"
	"slices"
	"testing"
)

func TestReplaceMovesOnlyTheLostShardsAndSpreadsThemAsFarAsTheSitesLeftAllow(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sites    []Site   // every site the pack was placed over
		scheme   Scheme   //
		lost     []string // sites lost for good
		extra    []Site   // sites that joined since
		survives int      // Survives after Replace, for every pack
		perSite  []int    // sorted shard counts per site after Replace
		perZone  []int    // sorted shard counts per zone after Replace (nil: not checked)
	}{
		{"5 sites, 3+2, one lost, a new site joined: back to one each", testSites(5, 5), Scheme{3, 2}, []string{"s0"}, []Site{{"n1", "zn"}}, 2, []int{1, 1, 1, 1, 1}, nil},
		{"5 sites, 3+2, one lost, no new site: a survivor takes two", testSites(5, 5), Scheme{3, 2}, []string{"s0"}, nil, 1, []int{2, 1, 1, 1}, nil},
		{"5 sites, 3+2, two lost, two joined", testSites(5, 5), Scheme{3, 2}, []string{"s0", "s3"}, []Site{{"n1", "zn"}, {"n2", "zn2"}}, 2, []int{1, 1, 1, 1, 1}, nil},
		{"6 sites in 3 zones, 4+2, one lost: its zone's other site takes it", testSites(6, 3), Scheme{4, 2}, []string{"s0"}, nil, 1, []int{2, 1, 1, 1, 1}, []int{2, 2, 2}},
		{"6 sites in 3 zones, 4+2, one lost, a site joined a full zone: zones first", testSites(6, 3), Scheme{4, 2}, []string{"s0"}, []Site{{"n1", "z1"}}, 1, []int{2, 1, 1, 1, 1}, []int{2, 2, 2}},
		{"6 sites in 3 zones, 4+2, one lost, a site joined its zone: one each again", testSites(6, 3), Scheme{4, 2}, []string{"s0"}, []Site{{"n0", "z0"}}, 2, []int{1, 1, 1, 1, 1, 1}, []int{2, 2, 2}},
		{"3 sites, 2+1, one lost: the two left hold it all", testSites(3, 3), Scheme{2, 1}, []string{"s1"}, nil, 0, []int{2, 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets := slices.Concat(remove(tc.sites, tc.lost), tc.extra)
			zone := map[string]string{}
			for _, s := range slices.Concat(tc.sites, tc.extra) {
				zone[s.Name] = s.Zone
			}
			for k := range 200 {
				key := fmt.Sprintf("pack-%d", k)
				before := Place(key, tc.sites, tc.scheme.Shards())
				after := Replace(key, before, tc.lost, targets)
				for i := range after {
					if slices.Contains(tc.lost, after[i]) {
						t.Fatalf("%v -> %v: shard %d still on a lost site", before, after, i)
					}
					if !slices.Contains(tc.lost, before[i]) && after[i] != before[i] {
						t.Fatalf("%v -> %v: shard %d moved though its site was not lost", before, after, i)
					}
				}
				if got := Survives(after, tc.scheme.K); got != tc.survives {
					t.Fatalf("%v -> %v: survives %d, want %d", before, after, got, tc.survives)
				}
				if st := sortedCounts(countBy(after, func(n string) string { return n })); !slices.Equal(st, tc.perSite) {
					t.Fatalf("%v -> %v: per site %v, want %v", before, after, st, tc.perSite)
				}
				if z := sortedCounts(countBy(after, func(n string) string { return zone[n] })); tc.perZone != nil && !slices.Equal(z, tc.perZone) {
					t.Fatalf("%v -> %v: per zone %v, want %v", before, after, z, tc.perZone)
				}
				if again := Replace(key, before, tc.lost, reversed(targets)); !slices.Equal(again, after) {
					t.Fatalf("targets in another order: %v, then %v", after, again)
				}
			}
		})
	}
}

func TestReplaceWithNoTargetLeavesThePlacementAsItIs(t *testing.T) {
	before := []string{"a", "b", "c"}
	if got := Replace("k", before, []string{"a"}, nil); !slices.Equal(got, before) {
		t.Fatalf("got %v, want %v unchanged", got, before)
	}
}

func remove(sites []Site, names []string) []Site {
	return slices.DeleteFunc(slices.Clone(sites), func(s Site) bool { return slices.Contains(names, s.Name) })
}

func reversed(sites []Site) []Site {
	out := slices.Clone(sites)
	slices.Reverse(out)
	return out
}
