package main

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/meshvault/meshvault/bench/internal/gentree"
	"github.com/meshvault/meshvault/bench/internal/harness"
)

// lagPoll is how often the primary's status is read during the lag run:
// the resolution of the lag measurement.
const lagPoll = 5 * time.Millisecond

// write is one acknowledged write: its log position and when the ack
// arrived.
type write struct {
	pos   uint64
	acked time.Time
}

// sample is the replicas' applied positions at one status read.
type sample struct {
	at      time.Time
	applied []uint64
}

type lagResult struct {
	Rate     int       `json:"target_per_s"`
	Achieved float64   `json:"achieved_per_s"`
	Writes   int       `json:"writes"`
	Failed   int       `json:"failed"`
	Lag      quantiles `json:"lag_all_replicas"`
	MaxLagS  float64   `json:"max_status_lag_seconds"`
}

// measureLag writes 1 KiB files at o.rate per second for o.lagFor to an
// async dataset with two replicas, and times each write from its ack to
// the first status read showing every replica has applied it.
func measureLag(ctx context.Context, o options) (_ lagResult, err error) {
	fmt.Printf("lag: async, 2 replicas, %d writes/s of 1 KiB for %s, %d writers, status read every %s, profile lan\n",
		o.rate, o.lagFor, lagWriters, lagPoll)
	c, err := o.startCluster(ctx, "lan", 3)
	if err != nil {
		return lagResult{}, err
	}
	defer func() { err = c.Stop(err) }()
	if err := createDataset(ctx, c, "lag", "async", "s2", "s3"); err != nil {
		return lagResult{}, err
	}
	p := c.Site("s1")
	pctx, stopPoll := context.WithCancel(ctx)
	samples := make(chan []sample, 1)
	maxLag := make(chan float64, 1)
	go func() { s, m := pollApplied(pctx, p, "lag"); samples <- s; maxLag <- m }()
	writes, failed, took := pacedWrites(ctx, p, "lag", o.rate, o.lagFor)
	err = p.WaitCaughtUp(ctx, "lag", catchUpTimeout)
	time.Sleep(2 * lagPoll)
	stopPoll()
	r := lagResult{Rate: o.rate, Writes: len(writes), Failed: failed, Achieved: float64(len(writes)) / took.Seconds()}
	r.Lag, r.MaxLagS = quantilesOf(lags(writes, <-samples)), <-maxLag
	fmt.Printf("achieved %.0f writes/s (%d ok, %d failed); ack -> applied on both replicas: %s; max lag_seconds in status %.3f\n",
		r.Achieved, r.Writes, r.Failed, r.Lag, r.MaxLagS)
	return r, err
}

// lagWriters is how many writes may be in flight at once.
const lagWriters = 32

// pacedWrites starts one write every 1/rate for d, on up to lagWriters
// connections at once.
func pacedWrites(ctx context.Context, n *harness.Node, name string, rate int, d time.Duration) ([]write, int, time.Duration) {
	jobs := make(chan int, rate)
	var mu sync.Mutex
	var out []write
	failed := 0
	var wg sync.WaitGroup
	for range lagWriters {
		wg.Go(func() {
			for i := range jobs {
				w, err := putSmall(ctx, n, name, i)
				mu.Lock()
				if err != nil {
					failed++
				} else {
					out = append(out, w)
				}
				mu.Unlock()
			}
		})
	}
	start := time.Now()
	total := int(d.Seconds() * float64(rate))
	for i := range total {
		time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))))
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out, failed, time.Since(start)
}

func putSmall(ctx context.Context, n *harness.Node, name string, i int) (write, error) {
	body := gentree.RandBlock(uint64(i), 1024)
	res, err := n.API.Put(ctx, name, fmt.Sprintf("w/%06d", i), bytes.NewReader(body), 1024, 0o644, time.Now())
	return write{pos: res.Position, acked: time.Now()}, err
}

// pollApplied reads the dataset's status every lagPoll until ctx ends.
func pollApplied(ctx context.Context, n *harness.Node, name string) ([]sample, float64) {
	var out []sample
	maxLag := 0.0
	t := time.NewTicker(lagPoll)
	defer t.Stop()
	for ctx.Err() == nil {
		if st, err := n.DatasetStatus(ctx, name); err == nil {
			s := sample{at: time.Now()}
			for _, r := range st.Replicas {
				s.applied = append(s.applied, r.Applied)
				maxLag = max(maxLag, r.LagSeconds)
			}
			out = append(out, s)
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	return out, maxLag
}

// lags is, per write, the time from its ack to the first sample read
// after it in which every replica had applied it.
func lags(ws []write, ss []sample) []time.Duration {
	var out []time.Duration
	for _, w := range ws {
		for _, s := range ss {
			if s.at.After(w.acked) && minOf(s.applied) >= w.pos {
				out = append(out, s.at.Sub(w.acked))
				break
			}
		}
	}
	return out
}

func minOf(xs []uint64) uint64 {
	m := ^uint64(0)
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}
