package main

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
	"github.com/meshvault/meshvault/bench/internal/harness"
)

// tpConfig is one replication set-up of the throughput measurement.
type tpConfig struct {
	label    string
	mode     string
	replicas []string
	stopped  bool // the only replica is SIGSTOPped: the primary's own path
}

var tpConfigs = []tpConfig{
	{"0 (async, its replica SIGSTOPped)", "async", []string{"s2"}, true},
	{"1 async", "async", []string{"s2"}, false},
	{"2 async", "async", []string{"s2", "s3"}, false},
	{"2 sync", "sync", []string{"s2", "s3"}, false},
}

// tpResult is one workload under one config: ack is until the last
// write was acknowledged, repl until every replica had applied it.
type tpResult struct {
	Config   string  `json:"config"`
	Workload string  `json:"workload"`
	Bytes    int64   `json:"bytes"`
	Ack      dur     `json:"ack_ms"`
	Repl     dur     `json:"replicated_ms"`
	AckMBs   float64 `json:"ack_mb_s"`
	ReplMBs  float64 `json:"replicated_mb_s"`
}

func (r tpResult) String() string {
	return fmt.Sprintf("%-34s %-16s %6.0f MB/s acked (%s)   %6.0f MB/s on every replica (%s)",
		r.Config, r.Workload, r.AckMBs, r.Ack, r.ReplMBs, r.Repl)
}

func measureThroughput(ctx context.Context, o options) ([]tpResult, error) {
	fmt.Printf("throughput: %d files of 1 MiB, then one file of %d MiB, random bytes, one client, profile lan\n", o.files, o.big>>20)
	var out []tpResult
	for _, cfg := range tpConfigs {
		rs, err := throughputConfig(ctx, o, cfg)
		if err != nil {
			return out, fmt.Errorf("throughput %s: %w", cfg.label, err)
		}
		for _, r := range rs {
			fmt.Println(r)
		}
		out = append(out, rs...)
	}
	return out, nil
}

func throughputConfig(ctx context.Context, o options, cfg tpConfig) (_ []tpResult, err error) {
	c, err := o.startCluster(ctx, "lan", 1+len(cfg.replicas))
	if err != nil {
		return nil, err
	}
	defer func() { err = c.Stop(err) }()
	if err := createDataset(ctx, c, "tp", cfg.mode, cfg.replicas...); err != nil {
		return nil, err
	}
	if cfg.stopped {
		c.Site("s2").Cmd.Process.Signal(syscall.SIGSTOP)
	}
	small, err := timeWrites(ctx, c, cfg, "1 MiB files", o.files, 1<<20)
	if err != nil {
		return nil, err
	}
	big, err := timeWrites(ctx, c, cfg, fmt.Sprintf("one %d MiB file", o.big>>20), 1, o.big)
	return []tpResult{small, big}, err
}

// timeWrites puts count files of size random bytes at s1, one after
// another, then waits for the replicas unless they are stopped.
func timeWrites(ctx context.Context, c *harness.Cluster, cfg tpConfig, workload string, count int, size int64) (tpResult, error) {
	p := c.Site("s1")
	start := time.Now()
	for i := range count {
		path := fmt.Sprintf("s%d/%05d", size, i)
		body := io.LimitReader(gentree.RandBytes(uint64(size)+uint64(i)), size)
		if _, err := p.API.Put(ctx, "tp", path, body, size, 0o644, time.Now()); err != nil {
			return tpResult{}, fmt.Errorf("put %s: %w", path, err)
		}
	}
	r := tpResult{Config: cfg.label, Workload: workload, Bytes: int64(count) * size, Ack: dur(time.Since(start))}
	r.AckMBs = mbps(r.Bytes, time.Since(start))
	if cfg.stopped {
		return r, nil
	}
	if err := p.WaitCaughtUp(ctx, "tp", catchUpTimeout); err != nil {
		return r, err
	}
	r.Repl, r.ReplMBs = dur(time.Since(start)), mbps(r.Bytes, time.Since(start))
	return r, nil
}

func mbps(n int64, d time.Duration) float64 { return float64(n) / 1e6 / d.Seconds() }
