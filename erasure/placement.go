package erasure

import (
	"cmp"
	"encoding/binary"
	"maps"
	"slices"

	"github.com/zeebo/blake3"
)

// Site is a place that can hold shards; sites in the same Zone are assumed
// to fail together, so placement spreads shards over zones first.
type Site struct{ Name, Zone string }

// Place returns the site name for each of the shards 0..n-1 of the object
// key. It is a pure function of key, the set of sites and n: the order of
// sites does not matter, and a repeated name counts once (with its
// lexically smallest zone). Which sites hold how many shards comes from
// rendezvous (highest random weight) hashing, spread over zones first: the
// zones take turns in the order of their best site's weight, each giving
// its next best site, and when n exceeds the number of sites the turns go
// round again, so every site holds either ⌊n/len⌋ or ⌈n/len⌉ shards. Each
// shard index then takes, in index order, the site with room left that
// weighs most for that index, which keeps shard indices on their sites
// when another site comes or goes. It returns nil when n ≤ 0 or there are
// no sites.
func Place(key string, sites []Site, n int) []string {
	if n <= 0 || len(sites) == 0 {
		return nil
	}
	order := spreadOrder(key, uniqueSites(sites))
	room := make(map[string]int, len(order))
	for i := range n {
		room[order[i%len(order)].Name]++
	}
	return assignShards(key, order, room, n)
}

// uniqueSites sorts a copy of sites by name and zone and drops repeated
// names, so that the input order cannot change the result.
func uniqueSites(sites []Site) []Site {
	out := slices.Clone(sites)
	slices.SortFunc(out, func(a, b Site) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Zone, b.Zone))
	})
	return slices.CompactFunc(out, func(a, b Site) bool { return a.Name == b.Name })
}

// spreadOrder ranks the sites by weight for key, then deals them zone by
// zone: the best site of each zone (zones by their best weight), then the
// second best of each, and so on.
func spreadOrder(key string, sites []Site) []Site {
	slices.SortStableFunc(sites, func(a, b Site) int {
		return cmp.Compare(weight(key, b.Name, -1), weight(key, a.Name, -1))
	})
	var zones [][]Site
	at := map[string]int{}
	for _, s := range sites {
		i, ok := at[s.Zone]
		if !ok {
			i, at[s.Zone] = len(zones), len(zones)
			zones = append(zones, nil)
		}
		zones[i] = append(zones[i], s)
	}
	var out []Site
	for round := 0; len(out) < len(sites); round++ {
		for _, z := range zones {
			if round < len(z) {
				out = append(out, z[round])
			}
		}
	}
	return out
}

// assignShards gives each shard index, in order, the site with room left
// that weighs most for that index (ties go to the first in order).
func assignShards(key string, order []Site, room map[string]int, n int) []string {
	out := make([]string, n)
	for i := range out {
		var best uint64
		for _, s := range order {
			if w := weight(key, s.Name, i); room[s.Name] > 0 && (out[i] == "" || w > best) {
				out[i], best = s.Name, w
			}
		}
		room[out[i]]--
	}
	return out
}

// weight is the rendezvous weight of a site for key, and for one shard
// index (-1 for the object as a whole): the first 8 bytes of a BLAKE3 hash
// over length-prefixed fields, so no two inputs share an encoding.
func weight(key, site string, index int) uint64 {
	b := binary.AppendUvarint(nil, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(site)))
	b = append(b, site...)
	b = binary.AppendVarint(b, int64(index))
	sum := blake3.Sum256(b)
	return binary.BigEndian.Uint64(sum[:8])
}

// Survives says how many whole-site losses a placement (as returned by
// Place) survives when any k shards rebuild the object: the largest L such
// that losing any L of its sites still leaves at least k shards. It is -1
// when the placement holds fewer than k shards to begin with.
func Survives(placement []string, k int) int {
	per := map[string]int{}
	for _, name := range placement {
		per[name]++
	}
	counts := slices.SortedFunc(maps.Values(per), func(a, b int) int { return b - a })
	k = max(k, 1)
	left, lost := len(placement), 0
	if left < k {
		return -1
	}
	for _, c := range counts {
		if left-c < k {
			break
		}
		left, lost = left-c, lost+1
	}
	return lost
}
