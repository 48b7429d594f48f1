package erasure

import "slices"

// Replace returns a copy of placement (as returned by Place) with each
// shard held by a lost site moved to one of targets, the sites that may
// take shards now; shards on sites not lost stay where they are. The
// lost shards are placed one at a time in index order, each on the
// target whose zone holds the fewest of key's shards, then that holds
// the fewest itself, then that weighs most for that index: zones first,
// as Place spreads them, so that a pack ends as spread as the sites
// left allow. Like Place it is a pure function:
// the order of targets does not matter. A shard stays on its lost site
// when there is no target.
func Replace(key string, placement, lost []string, targets []Site) []string {
	out := slices.Clone(placement)
	order := uniqueSites(targets)
	if len(order) == 0 {
		return out
	}
	perSite, perZone := holdings(out, lost, order)
	for i, site := range out {
		if !slices.Contains(lost, site) {
			continue
		}
		best := bestTarget(key, i, order, perSite, perZone)
		out[i] = best.Name
		perSite[best.Name]++
		perZone[best.Zone]++
	}
	return out
}

// holdings counts the shards of placement that stay, by site and by the
// zone of the targets among them.
func holdings(placement, lost []string, targets []Site) (perSite, perZone map[string]int) {
	perSite, perZone = map[string]int{}, map[string]int{}
	for _, site := range placement {
		if slices.Contains(lost, site) {
			continue
		}
		perSite[site]++
		if i := slices.IndexFunc(targets, func(t Site) bool { return t.Name == site }); i >= 0 {
			perZone[targets[i].Zone]++
		}
	}
	return perSite, perZone
}

// bestTarget is the target for shard index: fewest shards in its zone,
// then fewest held, then the highest weight.
func bestTarget(key string, index int, targets []Site, perSite, perZone map[string]int) Site {
	best := targets[0]
	for _, t := range targets[1:] {
		switch {
		case perZone[t.Zone] != perZone[best.Zone]:
			if perZone[t.Zone] < perZone[best.Zone] {
				best = t
			}
		case perSite[t.Name] != perSite[best.Name]:
			if perSite[t.Name] < perSite[best.Name] {
				best = t
			}
		case weight(key, t.Name, index) > weight(key, best.Name, index):
			best = t
		}
	}
	return best
}
