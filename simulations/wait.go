package simulations

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/meshvault/meshvault/mesh"
)

// PollInterval is how often wait helpers look again.
const PollInterval = 20 * time.Millisecond

// WaitFor polls check until it reports true or ctx ends. check returns
// what it saw; on timeout the error says what was awaited and the last
// thing seen, so a failure explains itself.
func WaitFor(ctx context.Context, what string, check func() (bool, string)) error {
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	var saw string
	for {
		ok, s := check()
		if ok {
			return nil
		}
		saw = s
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w; last saw: %s", what, ctx.Err(), saw)
		case <-t.C:
		}
	}
}

// WaitStates waits until every observer sees each site of want in the
// wanted state.
func (c *Cluster) WaitStates(ctx context.Context, observers []string, want map[string]mesh.State) error {
	what := fmt.Sprintf("%v to see %v", observers, want)
	return WaitFor(ctx, what, func() (bool, string) { return c.statesMatch(observers, want) })
}

func (c *Cluster) statesMatch(observers []string, want map[string]mesh.State) (bool, string) {
	var wrong []string
	for _, o := range observers {
		seen := c.StatesSeenBy(o)
		for _, site := range slices.Sorted(maps.Keys(want)) {
			if seen[site] != want[site] {
				wrong = append(wrong, fmt.Sprintf("%s sees %s %s", o, site, orNone(seen[site])))
			}
		}
	}
	return len(wrong) == 0, strings.Join(wrong, "; ")
}

func orNone(s mesh.State) string {
	if s == "" {
		return "(unknown)"
	}
	return string(s)
}

// StatesSeenBy maps each site to its state as observer sees it.
func (c *Cluster) StatesSeenBy(observer string) map[string]mesh.State {
	n := c.Node(observer)
	out := map[string]mesh.State{}
	if n == nil || n.Mesh() == nil {
		return out
	}
	for _, m := range n.Mesh().Members() {
		out[m.Site] = m.State
	}
	return out
}

// AllAlive is the want-map of every named site alive.
func AllAlive(sites []string) map[string]mesh.State {
	out := map[string]mesh.State{}
	for _, s := range sites {
		out[s] = mesh.StateAlive
	}
	return out
}

// WaitReplicated waits until the dataset's primary holds every
// replica's acknowledgement of its head.
func (c *Cluster) WaitReplicated(ctx context.Context, primary, dataset string) error {
	return WaitFor(ctx, "every replica acked "+dataset, func() (bool, string) {
		st, err := c.Node(primary).Hot().Status(dataset)
		if err != nil {
			return false, err.Error()
		}
		for _, r := range st.Replicas {
			if r.Applied < st.Position {
				return false, fmt.Sprintf("%s applied %d of %d", r.Site, r.Applied, st.Position)
			}
		}
		return true, ""
	})
}
