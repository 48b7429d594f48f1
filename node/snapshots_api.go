package node

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/policy"
	"github.com/meshvault/meshvault/snapshot"
)

// snapshotRoutes serve the snapshot catalog, restore and retention.
func (n *Node) snapshotRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/snapshots", n.handleCreateSnapshot)
	mux.HandleFunc("GET /v1/snapshots", n.handleListSnapshots)
	mux.HandleFunc("GET /v1/snapshots/{id}", n.handleShowSnapshot)
	mux.HandleFunc("GET /v1/snapshots/{id}/files", n.handleSnapshotFiles)
}

// handleCreateSnapshot snapshots the dataset here if this site holds a
// copy, else at its primary, and answers once every alive site lists it.
func (n *Node) handleCreateSnapshot(w http.ResponseWriter, r *http.Request) {
	var req api.CreateSnapshot
	if !decodeBody(w, r, &req) {
		return
	}
	d, err := n.hot.Dataset(req.Dataset)
	if err != nil {
		writeErr(w, err)
		return
	}
	if !n.hot.HoldsCopy(d.Name) {
		setJSONBody(r, req)
		n.forward(w, r, d.Primary)
		return
	}
	s, err := n.snaps.Create(r.Context(), d.Name, req.Tags)
	if err == nil {
		err = n.waitCataloged(r.Context(), []string{s.ID}, true)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, apiSnapshot(s))
}

// waitCataloged waits until every live site lists the snapshots ids
// (listed) or no longer does. Sites that are down learn it by gossip when
// they return.
func (n *Node) waitCataloged(ctx context.Context, ids []string, listed bool) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	want, what := http.StatusOK, "taken"
	if !listed {
		want, what = http.StatusNotFound, "forgotten"
	}
	for {
		var missing []string
		for _, m := range n.Mesh().Members() {
			if m.Site != n.id.Site && n.isLive(m.Site) && !n.allStatus(ctx, m.Site, ids, want) {
				missing = append(missing, m.Site)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("snapshot %s %s, but %s did not learn it within 10s; it will by gossip",
				strings.Join(ids, ", "), what, strings.Join(missing, ", "))
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (n *Node) allStatus(ctx context.Context, site string, ids []string, want int) bool {
	for _, id := range ids {
		if n.snapshotStatus(ctx, site, id) != want {
			return false
		}
	}
	return true
}

// snapshotStatus asks site, over the peer API, for snapshot id: 200 if
// it lists it, 404 if not, 0 if it did not answer.
func (n *Node) snapshotStatus(ctx context.Context, site, id string) int {
	u := "http://" + site + ":80/v1/snapshots/" + url.PathEscape(id)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := (&http.Client{Transport: n.peerHTTP, Timeout: 2 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (n *Node) handleListSnapshots(w http.ResponseWriter, r *http.Request) {
	out := []api.Snapshot{}
	for _, s := range n.snaps.Catalog().Snapshots(r.URL.Query().Get("dataset")) {
		out = append(out, apiSnapshot(s))
	}
	writeJSON(w, http.StatusOK, out)
}

func (n *Node) handleShowSnapshot(w http.ResponseWriter, r *http.Request) {
	s, err := n.snaps.Catalog().Snapshot(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	if missing := n.snaps.Catalog().Missing(s); len(missing) > 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("snapshot %s: the placement of %d packs has not reached this site yet", s.ID, len(missing)))
		return
	}
	writeJSON(w, http.StatusOK, api.SnapshotDetail{Snapshot: apiSnapshot(s),
		Health: apiHealth(n.snaps.Health(s)), Placement: n.placement(s)})
}

// handleSnapshotFiles lists a snapshot's files (under ?prefix=), read
// from its manifest, rebuilt from any k of the manifest pack's shards.
func (n *Node) handleSnapshotFiles(w http.ResponseWriter, r *http.Request) {
	s, err := n.snaps.Catalog().Snapshot(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	fs, err := n.snaps.Files(r.Context(), s.ID, r.URL.Query().Get("prefix"))
	if err != nil {
		writeErr(w, err)
		return
	}
	out := make([]api.FileEntry, len(fs))
	for i, f := range fs {
		out[i] = api.FileEntry{Path: f.Path, Size: f.Size, Mode: f.Mode, MTime: f.MTime, Target: f.Target}
	}
	writeJSON(w, http.StatusOK, out)
}

// placement counts the snapshot's shards per site, sites sorted.
func (n *Node) placement(s snapshot.Snapshot) []api.SiteShards {
	count := map[string]int{}
	for _, id := range s.Packs {
		if p, ok := n.snaps.Catalog().Pack(id); ok {
			for _, site := range p.Sites {
				count[site]++
			}
		}
	}
	out := []api.SiteShards{}
	for site, c := range count {
		state := "unknown"
		if m, ok := n.Mesh().Member(site); ok {
			state = string(m.State)
		}
		out = append(out, api.SiteShards{Site: site, State: state, Shards: c})
	}
	slices.SortFunc(out, func(a, b api.SiteShards) int { return strings.Compare(a.Site, b.Site) })
	return out
}

func (n *Node) handleForget(w http.ResponseWriter, r *http.Request) {
	var req api.Forget
	if !decodeBody(w, r, &req) {
		return
	}
	ret, err := retention(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ds, err := n.snaps.Forget(r.Context(), req.Dataset, ret, req.DryRun)
	if err == nil && !req.DryRun {
		err = n.waitCataloged(r.Context(), forgotten(ds), false)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	out := []api.ForgetDecision{}
	for _, d := range ds {
		out = append(out, api.ForgetDecision{Keep: d.Keep, Reasons: orNone(d.Reasons),
			Snapshot: api.DecisionSnapshot{ID: d.Snapshot.ID, Time: d.Snapshot.Time, Tags: d.Snapshot.Tags}})
	}
	writeJSON(w, http.StatusOK, out)
}

func forgotten(ds []policy.Decision) []string {
	var ids []string
	for _, d := range ds {
		if !d.Keep {
			ids = append(ids, d.Snapshot.ID)
		}
	}
	return ids
}

func retention(req api.Forget) (policy.Retention, error) {
	r := policy.Retention{Last: req.KeepLast, Hourly: req.KeepHourly, Daily: req.KeepDaily,
		Weekly: req.KeepWeekly, Monthly: req.KeepMonthly, Yearly: req.KeepYearly, Tags: req.KeepTags}
	if req.KeepWithin != "" {
		d, err := time.ParseDuration(req.KeepWithin)
		if err != nil {
			return r, fmt.Errorf("keep_within %q is not a duration such as 72h", req.KeepWithin)
		}
		r.Within = d
	}
	return r, r.Validate()
}

func orNone(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (n *Node) handlePrune(w http.ResponseWriter, r *http.Request) {
	var req api.Prune
	if r.ContentLength != 0 && !decodeBody(w, r, &req) {
		return
	}
	o := snapshot.PruneOptions{MaxUnused: snapshot.DefaultMaxUnused}
	if req.MaxUnused != nil {
		o.MaxUnused = *req.MaxUnused
	}
	res, err := n.snaps.Prune(r.Context(), o)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, api.PruneResult{Packs: res.Packs, Bytes: res.Bytes,
		Condemned: res.Condemned, Pending: res.Pending, Young: res.Young, Kept: res.Kept, Held: res.Held, Orphans: res.Orphans,
		Grace: res.Grace.Seconds(), RepackedPacks: res.Repacked, RepackedBytes: res.RepackedBytes, RepackSkipped: res.RepackSkipped,
		UnfencedPacks: res.Unfenced, WaitingFor: res.WaitingFor})
}

func (n *Node) handleRepair(w http.ResponseWriter, r *http.Request) {
	var req api.Repair
	if r.ContentLength != 0 && !decodeBody(w, r, &req) {
		return
	}
	res, err := n.snaps.Repair(r.Context(), snapshot.RepairOptions{DryRun: req.DryRun})
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, api.RepairResult(res))
}

// handleRestore restores at this site, into a directory on its machine,
// streaming progress as NDJSON once bytes start to be written: an error
// before that is an ordinary error answer, after it an {"error"} line.
func (n *Node) handleRestore(w http.ResponseWriter, r *http.Request) {
	var req api.Restore
	if !decodeBody(w, r, &req) {
		return
	}
	st := &restoreStream{w: w}
	res, err := n.snaps.Restore(r.Context(), snapshot.RestoreOptions{Dataset: req.Dataset, Snapshot: req.Snapshot,
		At: req.At, Dir: req.Dir, Prefix: req.Prefix, Overwrite: req.Overwrite, Verify: req.Verify,
		Progress: st.progress})
	if err != nil {
		st.fail(err)
		return
	}
	out := api.RestoreResult(res)
	st.send(api.RestoreEvent{Result: &out}, true)
}

// restoreStream writes a restore's NDJSON answer, progress lines at most
// every 100ms.
type restoreStream struct {
	w       http.ResponseWriter
	mu      sync.Mutex
	started bool
	last    time.Time
}

func (s *restoreStream) progress(done, total int64) {
	s.send(api.RestoreEvent{Done: done, Total: total}, done == total)
}

func (s *restoreStream) send(ev api.RestoreEvent, always bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !always && time.Since(s.last) < 100*time.Millisecond {
		return
	}
	if !s.started {
		s.w.Header().Set("Content-Type", "application/x-ndjson")
		s.w.WriteHeader(http.StatusOK)
		s.started = true
	}
	json.NewEncoder(s.w).Encode(ev)
	http.NewResponseController(s.w).Flush()
	s.last = time.Now()
}

func (s *restoreStream) fail(err error) {
	s.mu.Lock()
	started := s.started
	s.mu.Unlock()
	if !started {
		writeErr(s.w, err)
		return
	}
	s.send(api.RestoreEvent{Error: err.Error()}, true)
}

func apiSnapshot(s snapshot.Snapshot) api.Snapshot {
	return api.Snapshot{ID: s.ID, Dataset: s.Dataset, Time: s.Time, Tags: s.Tags, Site: s.Site,
		Position: s.Position, Epoch: s.Epoch, Scheme: s.Scheme, Manifest: s.Manifest, Files: s.Files, Dirs: s.Dirs,
		Bytes: s.Bytes, NewBytes: s.NewBytes, DedupBytes: s.DedupBytes, Packs: s.Packs, Seconds: s.Seconds}
}

func apiHealth(h snapshot.Health) api.SnapshotHealth {
	return api.SnapshotHealth{Survives: h.Survives, Designed: h.Designed, Packs: h.Packs,
		Degraded: h.Degraded, BadShards: h.Bad, Sites: orNone(slices.Sorted(slices.Values(h.Sites)))}
}
