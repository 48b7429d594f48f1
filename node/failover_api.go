package node

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/meshvault/meshvault/node/api"
)

// handleFailover runs at the site that is to become primary: the request
// is forwarded to --to when given.
func (n *Node) handleFailover(w http.ResponseWriter, r *http.Request) {
	var req api.Failover
	if !decodeBody(w, r, &req) {
		return
	}
	if req.To != "" && req.To != n.id.Site {
		setJSONBody(r, req)
		n.forward(w, r, req.To)
		return
	}
	d, err := n.hot.Failover(r.Context(), r.PathValue("name"), req.Force)
	n.answerKnown(w, r, http.StatusOK, d, err)
}

func (n *Node) handleSwitchover(w http.ResponseWriter, r *http.Request) {
	var req api.Failover
	if !decodeBody(w, r, &req) {
		return
	}
	d, err := n.hot.Switchover(r.Context(), r.PathValue("name"), req.To)
	n.answerKnown(w, r, http.StatusOK, d, err)
}

// handleConflicts gathers the conflict sets of every live site of the
// dataset (conflicts stay at the old primary that accepted them).
func (n *Node) handleConflicts(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	d, err := n.hot.Dataset(name)
	if err != nil {
		writeErr(w, err)
		return
	}
	all, err := n.hot.Conflicts(name)
	if err != nil {
		writeErr(w, err)
		return
	}
	if r.URL.Query().Get("local") != "true" {
		all = append(all, n.remoteConflicts(r, name, append([]string{d.Primary}, d.Replicas...))...)
	}
	writeJSON(w, http.StatusOK, all)
}

func (n *Node) remoteConflicts(r *http.Request, name string, sites []string) []api.Conflict {
	var out []api.Conflict
	client := &http.Client{Transport: n.peerHTTP}
	for _, s := range sites {
		if s == n.id.Site {
			continue
		}
		u := "http://" + s + ":80/v1/datasets/" + url.PathEscape(name) + "/conflicts?local=true"
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, u, nil)
		resp, err := client.Do(req)
		if err != nil {
			continue // a site that is down keeps its conflicts until it returns
		}
		var cs []api.Conflict
		json.NewDecoder(resp.Body).Decode(&cs)
		resp.Body.Close()
		out = append(out, cs...)
	}
	return out
}
