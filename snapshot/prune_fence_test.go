package snapshot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

// forgottenThenBack stores a.bin in docs (primary s1, replica s2),
// snapshots, removes it, snapshots and forgets the first snapshot, so
// that a.bin's packs are unreferenced and older than the grace the
// prunes below use; then puts a.bin back, so that a new snapshot at s1
// deduplicates against those packs. It returns a.bin's bytes.
func forgottenThenBack(t *testing.T, c *simulations.Cluster) []byte {
	t.Helper()
	a := randomBytes(21, 5<<20)
	load(t, c, "s1", "docs", map[string]file{"a.bin": {a, 0o644, time.Unix(1e9, 0), ""}}, "s2")
	snap(t, c, "docs")
	if _, err := c.Node("s1").Hot().Remove(context.Background(), "docs", "a.bin"); err != nil {
		t.Fatal(err)
	}
	putFile(t, c, "docs", "b.bin", []byte("b"))
	snap(t, c, "docs")
	forgetAllButLast(t, c)
	putFile(t, c, "docs", "a.bin", a)
	return a
}

var quickPrune = snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: -1}

func TestPruneKeepsThePacksOfASnapshotWhoseNewsHasNotReachedThePruningSite(t *testing.T) {
	c := startCluster(t, 3)
	a := forgottenThenBack(t, c)
	for _, to := range []string{"s2", "s3"} { // what s1 writes reaches the others a minute late
		c.SetLink("s1", to, simulations.LinkFault{StateLag: time.Minute})
	}
	s := snap(t, c, "docs") // reads a.bin's packs again
	res, err := c.Node("s2").Snapshots().Prune(ctxFor(t, time.Minute), quickPrune)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Node("s2").Snapshots().Catalog().Snapshot(s.ID); err == nil {
		t.Fatal("s2 already knew the new snapshot: the test needs its news to be late")
	}
	if res.Held == 0 || res.Packs == 0 {
		t.Fatalf("prune at s2 freed %d packs and held %d; want the forgotten manifest freed and a.bin's packs held", res.Packs, res.Held)
	}
	sameFiles(t, restoreAt(t, c, "s1", s.ID), map[string]file{"a.bin": {data: a}})
}

func TestPruneWaitsForSnapshotsUnderWayAndASecondPruneMeanwhileIsRefused(t *testing.T) {
	c := startCluster(t, 3)
	a := forgottenThenBack(t, c)
	z := randomBytes(22, 8<<20)
	putFile(t, c, "docs", "z.bin", z)
	c.SetLink("s1", "s3", simulations.LinkFault{Delay: 300 * time.Millisecond}) // the snapshot below is slow to commit
	staged := filesUnder(c, "s2")
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait) // before the cluster stops
	taken := make(chan time.Time, 1)
	var s snapshot.Snapshot
	var serr error
	wg.Go(func() {
		s, serr = c.Node("s1").Snapshots().Create(context.Background(), "docs", nil)
		taken <- time.Now()
	})
	for filesUnder(c, "s2") == staged {
		time.Sleep(time.Millisecond)
	}
	pruned := make(chan error, 1)
	var prunedAt time.Time
	wg.Go(func() {
		_, err := c.Node("s2").Snapshots().Prune(context.Background(), quickPrune)
		prunedAt = time.Now()
		pruned <- err
	})
	time.Sleep(200 * time.Millisecond) // s2's prune holds the mesh, waiting for the snapshot
	_, err := c.Node("s3").Snapshots().Prune(ctxFor(t, time.Minute), quickPrune)
	if err == nil || !strings.Contains(err.Error(), "under way at s2") {
		t.Fatalf("a second prune while one runs at s2: %v; want it refused, naming s2", err)
	}
	if busy := (*snapshot.PruneBusyError)(nil); !errors.As(err, &busy) || busy.Site != "s2" {
		t.Fatalf("a second prune's refusal %v is not a PruneBusyError naming s2: the API could not answer 409", err)
	}
	select {
	case <-taken:
		t.Fatal("the snapshot finished before the second prune: the test needs it slower")
	default:
	}
	done := <-taken
	if err := <-pruned; err != nil || serr != nil {
		t.Fatalf("prune: %v; snapshot: %v", err, serr)
	}
	if prunedAt.Before(done) {
		t.Fatalf("the prune at s2 returned %v before the snapshot under way at s1 finished", done.Sub(prunedAt))
	}
	c.Heal()
	sameFiles(t, restoreTo(t, c, s.ID), map[string]file{"a.bin": {data: a}, "z.bin": {data: z}})
}

func TestPruneLeavesADatasetsPacksWhileASiteHoldingItsCopyIsCutOffAndMaySnapshotAgainstThem(t *testing.T) {
	c := startCluster(t, 3)
	a := forgottenThenBack(t, c)
	c.Isolate("s1") // docs' primary: it goes on taking snapshots alone
	if err := c.WaitStates(ctxFor(t, 30*time.Second), []string{"s2"}, map[string]mesh.State{"s1": mesh.StateDead}); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitStates(ctxFor(t, 30*time.Second), []string{"s1"}, map[string]mesh.State{"s2": mesh.StateDead, "s3": mesh.StateDead}); err != nil {
		t.Fatal(err)
	}
	s := snap(t, c, "docs") // at s1, deduplicating against a.bin's forgotten packs
	res, err := c.Node("s2").Snapshots().Prune(ctxFor(t, time.Minute), quickPrune)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unfenced == 0 || len(res.WaitingFor) != 1 || res.WaitingFor[0] != "s1" {
		t.Fatalf("prune at s2 with s1 cut off: %+v; want docs' packs left for later, waiting for s1", res)
	}
	c.Heal()
	if err := c.WaitStates(ctxFor(t, 30*time.Second), []string{"s2"}, simulations.AllAlive(c.Names())); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, restoreAt(t, c, "s2", s.ID), map[string]file{"a.bin": {data: a}})
}

func TestPruneStopsWaitingForADownSiteOnceItIsNoLongerAReplicaOfTheDataset(t *testing.T) {
	c := startCluster(t, 3)
	forgottenThenBack(t, c)
	if err := c.Kill("s2"); err != nil { // docs' replica, lost for good
		t.Fatal(err)
	}
	if err := c.WaitStates(ctxFor(t, 30*time.Second), []string{"s1"}, map[string]mesh.State{"s2": mesh.StateDead}); err != nil {
		t.Fatal(err)
	}
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), quickPrune)
	if err != nil || res.Unfenced == 0 || !slices.Equal(res.WaitingFor, []string{"s2"}) {
		t.Fatalf("prune with docs' replica s2 down: %+v, %v; want docs' packs waiting for s2", res, err)
	}
	if _, err := c.Node("s1").Hot().Update(context.Background(), "docs", api.UpdateDataset{Replicas: []string{"s3"}}); err != nil {
		t.Fatal(err)
	}
	res, err = c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), quickPrune)
	if err != nil || res.Unfenced != 0 || len(res.WaitingFor) != 0 || res.Pending == 0 {
		t.Fatalf("prune once s2 is out of docs' replicas: %+v, %v; want no pack waiting for s2, those with a shard on it pending", res, err)
	}
}
