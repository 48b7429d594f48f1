package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// deadPoll is how often each surviving site's /v1/members is read after
// the kill: the resolution of the measurement.
const deadPoll = 10 * time.Millisecond

// measureRun starts a mesh, kills one non-seed site (a different one
// each run) and times its death on the others.
func measureRun(ctx context.Context, o options, prof mesh.Profile, i int) (_ runResult, err error) {
	c, err := newCluster(o.meshnode, prof.Name)
	if err != nil {
		return runResult{}, err
	}
	defer func() { err = c.close(err) }()
	if err := c.start(ctx, o.sites); err != nil {
		return runResult{}, err
	}
	if err := c.waitAllAlive(ctx); err != nil {
		return runResult{}, err
	}
	victim := c.nodes[1+i%(len(c.nodes)-1)]
	return c.killAndTime(ctx, victim, detectTimeout(prof, o.sites))
}

// detectTimeout gives up at twice our bound, plus slack for a loaded
// machine.
func detectTimeout(prof mesh.Profile, sites int) time.Duration {
	return 2*prof.DeadBound(sites) + 10*time.Second
}

// killAndTime SIGKILLs victim, then polls every other site at once and
// returns when each has shown it dead.
func (c *cluster) killAndTime(ctx context.Context, victim *nodeProc, timeout time.Duration) (runResult, error) {
	observers := c.others(victim)
	times := make([]time.Duration, len(observers))
	errs := make([]error, len(observers))
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return runResult{}, fmt.Errorf("kill %s: %w", victim.site, err)
	}
	killed := time.Now()
	var wg sync.WaitGroup
	for i, o := range observers {
		wg.Go(func() { times[i], errs[i] = o.timeDead(ctx, victim.site, killed, timeout) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return runResult{}, fmt.Errorf("interrupted while timing %s's death: %w", victim.site, ctx.Err())
	}
	if err := errors.Join(errs...); err != nil {
		return runResult{}, err
	}
	return runResult{Profile: c.profile, Killed: victim.site, AllDead: dur(slices.Max(times)), FirstDead: dur(slices.Min(times))}, nil
}

// timeDead polls n until it shows site dead and returns the time from
// killed to the answer that showed it.
func (n *nodeProc) timeDead(ctx context.Context, site string, killed time.Time, timeout time.Duration) (time.Duration, error) {
	var took time.Duration
	what := fmt.Sprintf("%s to see %s dead", n.site, site)
	err := poll(ctx, what, timeout, deadPoll, func(ctx context.Context) (bool, string, error) {
		if err := n.exitError(); err != nil {
			return false, "", err
		}
		states, err := n.states(ctx)
		took = time.Since(killed)
		if err != nil {
			return false, err.Error(), nil
		}
		return states[site] == "dead", fmt.Sprintf("%s %q after %s", site, states[site], took.Round(time.Millisecond)), nil
	})
	return took, err
}

// poll calls check every interval until it reports done or fails, or
// timeout passes. On timeout the error names what was awaited and what
// check last saw.
func poll(parent context.Context, what string, timeout, every time.Duration, check func(context.Context) (bool, string, error)) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	t := time.NewTicker(every)
	defer t.Stop()
	saw := "nothing"
	for {
		done, s, err := check(ctx)
		if done || err != nil {
			return err
		}
		saw = s
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				return fmt.Errorf("interrupted while waiting for %s: %w", what, parent.Err())
			}
			return fmt.Errorf("gave up after %s waiting for %s; last saw: %s", timeout, what, saw)
		case <-t.C:
		}
	}
}
