package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/mesh"
)

// Write attempts after the kill: one every rtoEvery at each survivor,
// each given up after rtoAttempt.
const (
	rtoEvery   = 20 * time.Millisecond
	rtoAttempt = 2 * time.Second
)

type rtoRun struct {
	Profile    string `json:"profile"`
	Run        int    `json:"run"`
	RTO        dur    `json:"rto_ms"`
	NewPrimary string `json:"new_primary"`
	Epoch      uint64 `json:"epoch"`
}

func (r rtoRun) String() string {
	return fmt.Sprintf("%-4s run %d: SIGKILL s1 -> first write acked after %s (new primary %s, epoch %d)",
		r.Profile, r.Run, r.RTO, r.NewPrimary, r.Epoch)
}

type rtoSummary struct {
	Profile string   `json:"profile"`
	Median  dur      `json:"median_ms"`
	Min     dur      `json:"min_ms"`
	Max     dur      `json:"max_ms"`
	Runs    []rtoRun `json:"runs"`
}

func measureRTO(ctx context.Context, o options) ([]rtoSummary, error) {
	fmt.Printf("rto: 3 sites, async dataset s1 -> s2,s3; SIGKILL s1; a write tried at s2 and at s3 every %s (each up to %s)\n", rtoEvery, rtoAttempt)
	var out []rtoSummary
	for _, name := range o.profiles {
		s, err := rtoProfile(ctx, o, name)
		if err != nil {
			return out, err
		}
		fmt.Printf("%-4s median %s (min %s, max %s, %d runs)\n", s.Profile, s.Median, s.Min, s.Max, len(s.Runs))
		out = append(out, s)
	}
	return out, nil
}

func rtoProfile(ctx context.Context, o options, name string) (rtoSummary, error) {
	runs := o.runs
	if name == "wan" {
		runs = o.wanRuns
	}
	s := rtoSummary{Profile: name}
	var all []time.Duration
	for i := range runs {
		r, err := rtoOnce(ctx, o, name)
		if err != nil {
			return s, fmt.Errorf("rto %s run %d: %w", name, i+1, err)
		}
		r.Run = i + 1
		fmt.Println(r)
		s.Runs, all = append(s.Runs, r), append(all, time.Duration(r.RTO))
	}
	s.Median, s.Min, s.Max = dur(median(all)), dur(slices.Min(all)), dur(slices.Max(all))
	return s, nil
}

func rtoOnce(ctx context.Context, o options, name string) (_ rtoRun, err error) {
	prof, err := mesh.LookupProfile(name)
	if err != nil {
		return rtoRun{}, err
	}
	c, err := o.startCluster(ctx, name, 3)
	if err != nil {
		return rtoRun{}, err
	}
	defer func() { err = c.Stop(err) }()
	if err := createDataset(ctx, c, "rto", "async", "s2", "s3"); err != nil {
		return rtoRun{}, err
	}
	p := c.Site("s1")
	if _, err := p.API.Put(ctx, "rto", "before", bytes.NewReader([]byte("x")), 1, 0o644, time.Now()); err != nil {
		return rtoRun{}, err
	}
	if err := p.WaitCaughtUp(ctx, "rto", catchUpTimeout); err != nil {
		return rtoRun{}, err
	}
	if err := p.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return rtoRun{}, err
	}
	killed := time.Now()
	r, err := firstWrite(ctx, c, killed, 2*prof.DeadBound(3)+60*time.Second)
	r.Profile = name
	return r, err
}

// firstWrite tries a write at each survivor every rtoEvery, each attempt
// in its own goroutine, and returns when the first is acknowledged.
func firstWrite(parent context.Context, c *harness.Cluster, killed time.Time, timeout time.Duration) (rtoRun, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	won := make(chan rtoRun, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	t := time.NewTicker(rtoEvery)
	defer t.Stop()
	for i := 0; ; i++ {
		for _, n := range c.Nodes[1:] {
			wg.Go(func() { tryWrite(ctx, n, i, killed, won) })
		}
		select {
		case r := <-won:
			return r, nil
		case <-ctx.Done():
			return rtoRun{}, fmt.Errorf("no write acknowledged within %s of the kill", timeout)
		case <-t.C:
		}
	}
}

func tryWrite(ctx context.Context, n *harness.Node, i int, killed time.Time, won chan<- rtoRun) {
	ctx, cancel := context.WithTimeout(ctx, rtoAttempt)
	defer cancel()
	path := fmt.Sprintf("after/%s-%06d", n.Site, i)
	res, err := n.API.Put(ctx, "rto", path, bytes.NewReader([]byte("y")), 1, 0o644, time.Now())
	if err != nil {
		return
	}
	took := time.Since(killed)
	r := rtoRun{RTO: dur(took), Epoch: res.Epoch}
	if d, err := n.API.Dataset(ctx, "rto"); err == nil {
		r.NewPrimary = d.Primary
	}
	select {
	case won <- r:
	default:
	}
}
