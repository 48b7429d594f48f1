package node

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/meshvault/meshvault/node/api"
)

// waitKnown waits until every live site of d answers for d's current
// epoch, so that a command given right after create or failover finds
// the definition wherever it lands. Sites that are down learn it by
// push/pull when they return.
func (n *Node) waitKnown(ctx context.Context, d api.Dataset) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var missing []string
	for {
		missing = missing[:0]
		for _, s := range append([]string{d.Primary}, d.Replicas...) {
			if s != n.id.Site && n.isLive(s) && !n.knows(ctx, s, d) {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("dataset %s defined, but %s did not learn it within 10s; it will by gossip", d.Name, strings.Join(missing, ", "))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (n *Node) isLive(site string) bool {
	m, ok := n.Mesh().Member(site)
	return ok && (m.State == "alive" || m.State == "suspect")
}

// knows asks site, over the peer API, for its view of d.
func (n *Node) knows(ctx context.Context, site string, d api.Dataset) bool {
	u := "http://" + site + ":80/v1/datasets/" + url.PathEscape(d.Name)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := (&http.Client{Transport: n.peerHTTP, Timeout: 2 * time.Second}).Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var got api.Dataset
	return resp.StatusCode == http.StatusOK && decodeJSON(resp, &got) == nil && got.Epoch >= d.Epoch
}

// answerKnown answers a change to a dataset's definition: with err if
// the change failed, else with d once every live site of d knows it.
func (n *Node) answerKnown(w http.ResponseWriter, r *http.Request, status int, d api.Dataset, err error) {
	if err == nil {
		err = n.waitKnown(r.Context(), d)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, status, d)
}
