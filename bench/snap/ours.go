package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/node/api"
)

const (
	dataset        = "snap"
	ingestTimeout  = 20 * time.Minute
	listTimeout    = 30 * time.Second
	catchUpTimeout = 20 * time.Minute // replicas applying every write
)

// snapRun is one snapshot: the wait for the source to reach the
// primary, then the snapshot call.
type snapRun struct {
	Ingest      float64 `json:"ingest_s"`           // until the primary lists every file of the directory
	ReplicaDone float64 `json:"replica_done_s"`     // until the replica applied the primary's position (from the same start)
	IngestHWM   int64   `json:"ingest_vmhwm_bytes"` // s1's peak RSS once the primary had every file, before the snapshot
	Snapshot    float64 `json:"snapshot_s"`         // POST /v1/snapshots round trip
	Server      float64 `json:"snapshot_server_s"`
	NewBytes    int64   `json:"new_bytes"`
	DedupBytes  int64   `json:"dedup_bytes"`
	Scheme      string  `json:"scheme"`
	ID          string  `json:"id"`
}

// followSource sets src as the dataset's source at s1 with a plain
// request: the node answers only once the initial scan has put every
// stable file, which can outlast the API client's 30 s timeout.
func followSource(ctx context.Context, c *harness.Cluster, src string) error {
	body, _ := json.Marshal(api.Directory{Dir: src})
	resp, err := c.Site("s1").Do(ctx, http.MethodPost, "/v1/datasets/"+dataset+"/source", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	return resp.Body.Close()
}

// waitIngested polls the primary's file list until it equals the
// directory (paths, sizes, mtimes).
func waitIngested(ctx context.Context, c *harness.Cluster, src string) error {
	want, err := scanTree(src)
	if err != nil {
		return err
	}
	p := c.Site("s1")
	what := "the primary to list every file of " + src
	return harness.Poll(ctx, what, ingestTimeout, 100*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		lctx, cancel := context.WithTimeout(ctx, listTimeout)
		defer cancel()
		got, err := p.API.List(lctx, dataset, "")
		if err != nil {
			return false, err.Error(), nil
		}
		bad, summary := differs(want, got)
		return bad == 0, summary, nil
	})
}

// snapshot ingests (start has already happened at t0: the source is
// set or the tree was changed), waits for the primary, snapshots at
// s1, and records the replica's catch-up alongside.
func snapshot(ctx context.Context, c *harness.Cluster, src string, t0 time.Time, tag string) (snapRun, error) {
	var r snapRun
	replica := make(chan time.Duration, 1)
	go func() {
		c.Site("s1").WaitCaughtUp(ctx, dataset, catchUpTimeout)
		replica <- time.Since(t0)
	}()
	if err := waitIngested(ctx, c, src); err != nil {
		return r, err
	}
	r.Ingest, r.IngestHWM = time.Since(t0).Seconds(), hwm(c, "s1")
	s0 := time.Now()
	s, err := c.Site("s1").API.CreateSnapshot(ctx, api.CreateSnapshot{Dataset: dataset, Tags: []string{tag}})
	if err != nil {
		return r, fmt.Errorf("snapshot %s: %w", tag, err)
	}
	r.Snapshot, r.Server = time.Since(s0).Seconds(), s.Seconds
	r.NewBytes, r.DedupBytes, r.Scheme, r.ID = s.NewBytes, s.DedupBytes, s.Scheme, s.ID
	r.ReplicaDone = (<-replica).Seconds()
	return r, nil
}

// restore has site restore the snapshot into dir, timed.
func restore(ctx context.Context, c *harness.Cluster, site, id, dir string) (restoreRun, error) {
	t0 := time.Now()
	res, err := c.Site(site).API.Restore(ctx, api.Restore{Dataset: dataset, Snapshot: id, Dir: dir}, nil)
	r := restoreRun{Site: site, Seconds: time.Since(t0).Seconds(), Server: res.Seconds, Bytes: res.Bytes, Files: res.Files,
		From: res.ShardsFrom, Asked: res.ShardsAsked, ParityPacks: res.ParityPacks}
	if err != nil {
		return r, fmt.Errorf("restore at %s: %w", site, err)
	}
	return r, nil
}

// restoreRun is one restore of ours.
type restoreRun struct {
	Site    string  `json:"site"`
	Seconds float64 `json:"seconds"`
	Server  float64 `json:"server_s"`
	Bytes   int64   `json:"bytes"`
	Files   int     `json:"files"`
	Down    string  `json:"sites_down,omitempty"`
	// From, Asked and ParityPacks are the restore's own account of where
	// its shards came from.
	From        map[string]int `json:"shards_from"`
	Asked       map[string]int `json:"shards_asked"`
	ParityPacks int            `json:"parity_packs"`
}

// killSites SIGKILLs the named sites and waits until from sees them dead.
func killSites(ctx context.Context, c *harness.Cluster, from string, sites ...string) error {
	for _, s := range sites {
		c.Site(s).Cmd.Process.Kill()
		<-c.Site(s).Exited()
	}
	what := fmt.Sprintf("%s to see %v dead", from, sites)
	return harness.Poll(ctx, what, harness.JoinTimeout, 50*time.Millisecond, func(ctx context.Context) (bool, string, error) {
		st, err := c.Site(from).States(ctx)
		if err != nil {
			return false, err.Error(), nil
		}
		for _, s := range sites {
			if st[s] != "dead" {
				return false, fmt.Sprintf("%s is %q", s, st[s]), nil
			}
		}
		return true, "", nil
	})
}

// siteBytes is the size of each site's data dir.
func siteBytes(c *harness.Cluster) (sizes, error) {
	out := sizes{}
	for _, n := range c.Nodes {
		b, err := dirBytes(n.Dir)
		if err != nil {
			return nil, err
		}
		out[n.Site] = b
	}
	return out, nil
}

// hwm is the VmHWM of a site's process, or -1 once it has exited.
// meshCPU is the CPU time all sites' processes have used so far.
func meshCPU(c *harness.Cluster) float64 {
	var s float64
	for _, v := range siteCPU(c) {
		s += v
	}
	return s
}

// siteCPU is the CPU time each site's process has used so far.
func siteCPU(c *harness.Cluster) map[string]float64 {
	m := map[string]float64{}
	for _, n := range c.Nodes {
		m[n.Site] = cpuSeconds(n.Cmd.Process.Pid)
	}
	return m
}

// since is each site's CPU time from before to now.
func since(c *harness.Cluster, before map[string]float64) map[string]float64 {
	now := siteCPU(c)
	for site, v := range before {
		now[site] = math.Round((now[site]-v)*100) / 100
	}
	return now
}

func hwm(c *harness.Cluster, site string) int64 {
	v, err := vmHWM(c.Site(site).Cmd.Process.Pid)
	if err != nil {
		return -1
	}
	return v
}
