package snapshot

import (
	"github.com/meshvault/meshvault/erasure"
)

// Health says how exposed a snapshot is now.
type Health struct {
	// Survives is how many more whole-site losses every pack of the
	// snapshot survives, given the sites that are down now (-1: some pack
	// cannot be rebuilt already).
	Survives int `json:"survives"`
	// Designed is how many site losses the placement survived when taken.
	Designed int      `json:"designed"`
	Packs    int      `json:"packs"`
	Degraded int      `json:"degraded_packs"` // packs with a shard on a site that is down
	Sites    []string `json:"sites"`          // sites holding its shards
}

// Health computes a snapshot's health from the catalog and membership.
func (e *Engine) Health(s Snapshot) Health {
	h := Health{Survives: erasure.MaxShards, Designed: erasure.MaxShards}
	sites := map[string]bool{}
	for _, id := range s.Packs {
		p, ok := e.catalog.Pack(id)
		if !ok {
			h.Survives, h.Designed = -1, -1
			continue
		}
		h.Packs++
		live := e.livePlacement(p)
		if len(live) < len(p.Sites) {
			h.Degraded++
		}
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

func (e *Engine) livePlacement(p Pack) []string {
	var live []string
	for _, s := range p.Sites {
		if e.isLive(s) {
			live = append(live, s)
		}
	}
	return live
}
