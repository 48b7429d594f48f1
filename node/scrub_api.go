package node

import (
	"net/http"

	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/snapshot"
)

func (n *Node) handleScrub(w http.ResponseWriter, r *http.Request) {
	var req api.Scrub
	if r.ContentLength != 0 && !decodeBody(w, r, &req) {
		return
	}
	res, err := n.snaps.Scrub(r.Context(), snapshot.ScrubOptions{Repair: req.Repair})
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, scrubResult(res))
}

func scrubResult(r snapshot.ScrubResult) api.ScrubResult {
	out := api.ScrubResult{Packs: r.Packs, Shards: r.Shards, Bytes: r.Bytes, Unchecked: r.Unchecked, Down: r.Down,
		Bad: make([]api.BadShard, len(r.Bad)), Repaired: r.Repaired, Failed: r.Failed, Seconds: r.Seconds}
	for i, b := range r.Bad {
		out.Bad[i] = api.BadShard(b)
	}
	return out
}
