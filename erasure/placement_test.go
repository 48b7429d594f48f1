package erasure

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// testSites makes n sites s0..s(n-1) spread round-robin over zones z0..
func testSites(n, zones int) []Site {
	out := make([]Site, n)
	for i := range out {
		out[i] = Site{Name: fmt.Sprintf("s%d", i), Zone: fmt.Sprintf("z%d", i%zones)}
	}
	return out
}

func countBy(placement []string, of func(string) string) map[string]int {
	c := map[string]int{}
	for _, p := range placement {
		c[of(p)]++
	}
	return c
}

func TestPlaceSpreadsByZoneThenSiteAndReportsSurvivableLosses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sites    []Site
		s        Scheme
		perZone  []int // sorted descending shard counts per zone
		perSite  []int // sorted descending shard counts per site
		survives int
	}{
		{"6 sites in 3 zones, 4+2: 2 per zone", testSites(6, 3), Scheme{4, 2}, []int{2, 2, 2}, []int{1, 1, 1, 1, 1, 1}, 2},
		{"3 sites, 2+1: one per site", testSites(3, 3), Scheme{2, 1}, []int{1, 1, 1}, []int{1, 1, 1}, 1},
		{"2 sites, 2+1: one site holds 2", testSites(2, 2), Scheme{2, 1}, []int{2, 1}, []int{2, 1}, 0},
		{"5 sites, 3+2", testSites(5, 5), Scheme{3, 2}, []int{1, 1, 1, 1, 1}, []int{1, 1, 1, 1, 1}, 2},
		{"1 site, 1+1: both on it", testSites(1, 1), Scheme{1, 1}, []int{2}, []int{2}, 0},
		{"4 sites in 2 zones, 2+2", testSites(4, 2), Scheme{2, 2}, []int{2, 2}, []int{1, 1, 1, 1}, 2},
		{"3 sites, 4+2: two each", testSites(3, 3), Scheme{4, 2}, []int{2, 2, 2}, []int{2, 2, 2}, 1},
		{"8 sites in 2 zones, 4+2: 3 per zone", testSites(8, 2), Scheme{4, 2}, []int{3, 3}, []int{1, 1, 1, 1, 1, 1}, 2},
		{"4 sites, 3 in one zone, 2+1", []Site{{"a", "x"}, {"b", "x"}, {"c", "x"}, {"d", "y"}}, Scheme{2, 1}, []int{2, 1}, []int{1, 1, 1}, 1},
		{"2 zones of 1 and 2 sites, 4+2", []Site{{"a", "x"}, {"b", "y"}, {"c", "y"}}, Scheme{4, 2}, []int{4, 2}, []int{2, 2, 2}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zone := map[string]string{}
			for _, s := range tc.sites {
				zone[s.Name] = s.Zone
			}
			for k := range 200 {
				p := Place(fmt.Sprintf("pack-%d", k), tc.sites, tc.s.Shards())
				z := sortedCounts(countBy(p, func(n string) string { return zone[n] }))
				st := sortedCounts(countBy(p, func(n string) string { return n }))
				if !slices.Equal(z, tc.perZone) || !slices.Equal(st, tc.perSite) {
					t.Fatalf("%v: per zone %v (want %v), per site %v (want %v)", p, z, tc.perZone, st, tc.perSite)
				}
				if got := Survives(p, tc.s.K); got != tc.survives {
					t.Fatalf("%v: survives %d, want %d", p, got, tc.survives)
				}
			}
		})
	}
}

func sortedCounts(m map[string]int) []int {
	var out []int
	for _, c := range m {
		out = append(out, c)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

func TestSurvivesRemovesTheFullestSitesFirst(t *testing.T) {
	for _, tc := range []struct {
		p    []string
		k    int
		want int
	}{
		{[]string{"a", "b", "c"}, 2, 1},
		{[]string{"a", "a", "b"}, 2, 0},
		{[]string{"a", "a", "b", "c", "d", "e"}, 4, 1},
		{[]string{"a", "b", "c", "d", "e", "f"}, 4, 2},
		{[]string{"a", "b"}, 1, 1},
		{[]string{"a"}, 2, -1},
		{nil, 1, -1},
	} {
		if got := Survives(tc.p, tc.k); got != tc.want {
			t.Errorf("Survives(%v, %d) = %d, want %d", tc.p, tc.k, got, tc.want)
		}
	}
}

func TestPlaceIgnoresInputOrderAndDuplicates(t *testing.T) {
	sites := testSites(7, 3)
	r := rand.New(rand.NewPCG(1, 2))
	for k := range 100 {
		key := fmt.Sprintf("pack-%d", k)
		want := Place(key, sites, 6)
		shuffled := append(slices.Clone(sites), sites[r.IntN(len(sites))])
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := Place(key, shuffled, 6); !slices.Equal(got, want) {
			t.Fatalf("%s: order changed placement: %v vs %v", key, got, want)
		}
	}
}

// A pinned example: placement decides where restores look for shards, so
// a change to the hashing must be deliberate (and migrate old snapshots).
func TestPlaceIsStableAcrossVersions(t *testing.T) {
	got := Place("dataset/a/pack-0001", testSites(6, 3), 6)
	want := []string{"s2", "s5", "s0", "s4", "s1", "s3"}
	if !slices.Equal(got, want) {
		t.Fatalf("placement changed: got %q, want %q", got, want)
	}
}

func TestPlaceReturnsNothingWithoutSitesOrShards(t *testing.T) {
	if Place("k", nil, 3) != nil || Place("k", testSites(3, 1), 0) != nil {
		t.Fatal("want nil placement")
	}
}
