package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/bench/internal/harness"
	"github.com/meshvault/meshvault/mesh"
)

// deadPoll is how often each surviving site's /v1/members is read after
// the kill: the resolution of the measurement.
const deadPoll = 10 * time.Millisecond

// measureRun starts a mesh, kills one non-seed site (a different one
// each run) and times its death on the others.
func measureRun(ctx context.Context, o options, prof mesh.Profile, i int) (_ runResult, err error) {
	c, err := harness.Start(ctx, harness.Config{Program: "detect", Meshnode: o.meshnode, Profile: prof.Name}, o.sites)
	if err != nil {
		return runResult{}, err
	}
	defer func() { err = c.Stop(err) }()
	victim := c.Nodes[1+i%(len(c.Nodes)-1)]
	return killAndTime(ctx, c, victim, detectTimeout(prof, o.sites))
}

// detectTimeout gives up at twice our bound, plus slack for a loaded
// machine.
func detectTimeout(prof mesh.Profile, sites int) time.Duration {
	return 2*prof.DeadBound(sites) + 10*time.Second
}

// killAndTime SIGKILLs victim, then polls every other site at once and
// returns when each has shown it dead.
func killAndTime(ctx context.Context, c *harness.Cluster, victim *harness.Node, timeout time.Duration) (runResult, error) {
	observers := c.Others(victim)
	times := make([]time.Duration, len(observers))
	errs := make([]error, len(observers))
	if err := victim.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return runResult{}, fmt.Errorf("kill %s: %w", victim.Site, err)
	}
	killed := time.Now()
	var wg sync.WaitGroup
	for i, o := range observers {
		wg.Go(func() { times[i], errs[i] = timeDead(ctx, o, victim.Site, killed, timeout) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return runResult{}, fmt.Errorf("interrupted while timing %s's death: %w", victim.Site, ctx.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return runResult{}, err
	}
	return runResult{Profile: c.Profile(), Killed: victim.Site, AllDead: dur(slices.Max(times)), FirstDead: dur(slices.Min(times))}, nil
}

// timeDead polls n until it shows site dead and returns the time from
// killed to the answer that showed it.
func timeDead(ctx context.Context, n *harness.Node, site string, killed time.Time, timeout time.Duration) (time.Duration, error) {
	var took time.Duration
	what := fmt.Sprintf("%s to see %s dead", n.Site, site)
	err := harness.Poll(ctx, what, timeout, deadPoll, func(ctx context.Context) (bool, string, error) {
		if err := n.ExitError(); err != nil {
			return false, "", err
		}
		states, err := n.States(ctx)
		took = time.Since(killed)
		if err != nil {
			return false, err.Error(), nil
		}
		return states[site] == "dead", fmt.Sprintf("%s %q after %s", site, states[site], took.Round(time.Millisecond)), nil
	})
	return took, err
}
