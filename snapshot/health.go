package snapshot

import (
	"github.com/meshvault/meshvault/erasure"
)

// Health says how exposed a snapshot is now.
type Health struct {
	// Survives is how many more whole-site losses every pack of the
	// snapshot survives, given the sites that are down now and the
	// shards the last scrub found bad and left so (-1: some pack cannot
	// be rebuilt already).
	Survives int `json:"survives"`
	// Designed is how many site losses the placement survived when taken.
	Designed int      `json:"designed"`
	Packs    int      `json:"packs"`
	Degraded int      `json:"degraded_packs"` // packs with a shard on a site that is down
	Bad      int      `json:"bad_shards"`     // its shards the last scrub found bad and did not repair
	Sites    []string `json:"sites"`          // sites holding its shards
}

// Health computes a snapshot's health from the catalog, membership and
// the last scrub: a shard it found bad and left unrepaired counts as
// lost, as a shard on a site that is down does.
func (e *Engine) Health(s Snapshot) Health {
	h := Health{Survives: erasure.MaxShards, Designed: erasure.MaxShards}
	bad := e.catalog.knownBad()
	sites := map[string]bool{}
	for _, id := range s.Packs {
		p, ok := e.catalog.Pack(id)
		if !ok {
			h.Survives, h.Designed = -1, -1
			continue
		}
		h.Packs++
		live, lost := e.goodPlacement(p, bad)
		if len(live)+lost < len(p.Sites) {
			h.Degraded++
		}
		h.Bad += lost
		h.Survives = min(h.Survives, erasure.Survives(live, p.K))
		h.Designed = min(h.Designed, erasure.Survives(p.Sites, p.K))
		for _, site := range p.Sites {
			sites[site] = true
		}
	}
	for site := range sites {
		h.Sites = append(h.Sites, site)
	}
	return h
}

// goodPlacement is the sites of p's shards that can be read now: on a
// live site and not known bad. lost counts the known-bad ones on live
// sites.
func (e *Engine) goodPlacement(p Pack, bad map[ShardAt]bool) (live []string, lost int) {
	for i, s := range p.Sites {
		switch {
		case !e.isLive(s):
		case bad[ShardAt{Pack: p.ID, Index: i, Site: s}]:
			lost++
		default:
			live = append(live, s)
		}
	}
	return live, lost
}

func (e *Engine) livePlacement(p Pack) []string {
	var live []string
	for _, s := range p.Sites {
		if e.isLive(s) {
			live = append(live, s)
		}
	}
	return live
}
