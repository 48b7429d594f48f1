package main

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
	"github.com/meshvault/meshvault/bench/internal/harness"
)

// latResult is the latency of sequential small writes in one mode.
type latResult struct {
	Mode    string    `json:"mode"`
	Size    int       `json:"size"`
	Latency quantiles `json:"latency"`
}

// measureLatency times writes of 4 KiB, one at a time, at a sync and an
// async dataset with two replicas each, on one 3-site mesh.
func measureLatency(ctx context.Context, o options) (_ []latResult, err error) {
	fmt.Printf("latency: %d sequential writes of 4 KiB (after 50 not counted), 2 replicas, profile lan\n", o.writes)
	c, err := o.startCluster(ctx, "lan", 3)
	if err != nil {
		return nil, err
	}
	defer func() { err = c.Stop(err) }()
	var out []latResult
	for _, mode := range []string{"sync", "async"} {
		if err := createDataset(ctx, c, "lat-"+mode, mode, "s2", "s3"); err != nil {
			return out, err
		}
		q, err := timeSmallWrites(ctx, c.Site("s1"), "lat-"+mode, o.writes)
		if err != nil {
			return out, err
		}
		r := latResult{Mode: mode, Size: 4096, Latency: q}
		fmt.Printf("%-5s 4 KiB write, 2 replicas: %s\n", mode, q)
		out = append(out, r)
	}
	return out, nil
}

func timeSmallWrites(ctx context.Context, n *harness.Node, name string, count int) (quantiles, error) {
	var ds []time.Duration
	for i := range 50 + count {
		body := gentree.RandBlock(uint64(i), 4096)
		start := time.Now()
		_, err := n.API.Put(ctx, name, fmt.Sprintf("w/%05d", i), bytes.NewReader(body), 4096, 0o644, start)
		if err != nil {
			return quantiles{}, fmt.Errorf("write %d: %w", i, err)
		}
		if i >= 50 {
			ds = append(ds, time.Since(start))
		}
	}
	return quantilesOf(ds), nil
}
