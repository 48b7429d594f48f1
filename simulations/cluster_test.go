package simulations_test

import (
	"context"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/simulations"
)

// startCluster starts n sites on the fast profile; see Start.
func startCluster(t *testing.T, n int) *simulations.Cluster {
	t.Helper()
	return simulations.Start(t, simulations.Options{N: n})
}

func waitCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestFiveSitesJoinThroughOneSeedAndAllSeeFiveAlive(t *testing.T) {
	c := startCluster(t, 5)
	if err := c.WaitStates(waitCtx(t, 20*time.Second), c.Names(), simulations.AllAlive(c.Names())); err != nil {
		t.Fatal(err)
	}
}

func TestKilledSiteIsDeadWithinProfileBoundAndRestartsWithSamePeerID(t *testing.T) {
	c := startCluster(t, 5)
	names := c.Names()
	if err := c.WaitStates(waitCtx(t, 20*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
	victim, others := names[2], append(append([]string{}, names[:2]...), names[3:]...)
	peerID := c.Node(victim).Identity().PeerID
	bound := mesh.FastProfile().DeadBound(len(names))
	start := time.Now()
	if err := c.Kill(victim); err != nil {
		t.Fatal(err)
	}
	want := map[string]mesh.State{victim: mesh.StateDead}
	if err := c.WaitStates(waitCtx(t, bound), others, want); err != nil {
		t.Fatalf("not dead within the fast profile's bound %v: %v", bound, err)
	}
	t.Logf("dead at every other site after %v (bound %v)", time.Since(start), bound)

	if err := c.Restart(waitCtx(t, 20*time.Second), victim); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitStates(waitCtx(t, 20*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
	if got := c.Node(victim).Identity().PeerID; got != peerID {
		t.Fatalf("restarted %s has peer ID %s, want %s", victim, got, peerID)
	}
	for _, o := range others {
		m, _ := c.Node(o).Mesh().Member(victim)
		if m.PeerID != peerID.String() {
			t.Errorf("%s sees %s with peer ID %s, want %s", o, victim, m.PeerID, peerID)
		}
	}
}

func TestPartitionThenHealEndsWithAllFiveAliveEverywhere(t *testing.T) {
	c := startCluster(t, 5)
	names := c.Names()
	if err := c.WaitStates(waitCtx(t, 20*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
	left, right := names[:2], names[2:]
	c.Partition(left, right)
	// Each side declares the other dead.
	wantLeft := map[string]mesh.State{}
	for _, s := range right {
		wantLeft[s] = mesh.StateDead
	}
	if err := c.WaitStates(waitCtx(t, 20*time.Second), left, wantLeft); err != nil {
		t.Fatal(err)
	}
	wantRight := map[string]mesh.State{}
	for _, s := range left {
		wantRight[s] = mesh.StateDead
	}
	if err := c.WaitStates(waitCtx(t, 20*time.Second), right, wantRight); err != nil {
		t.Fatal(err)
	}
	c.Heal()
	if err := c.WaitStates(waitCtx(t, 30*time.Second), names, simulations.AllAlive(names)); err != nil {
		t.Fatal(err)
	}
}
