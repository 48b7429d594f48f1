package snapshot_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/node/api"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func TestRepairRebuildsALostSitesShardsSoTheSnapshotSurvivesMSitesAgain(t *testing.T) {
	c := startCluster(t, 6)
	files := fixture(12 << 20)
	loadCoded(t, c, "3+2", files)
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	c.Kill("s6") // lost for good, as far as the mesh can tell
	waitDead(t, c, "s5", "s6")
	eng := c.Node("s5").Snapshots()
	before := eng.Health(s)
	if before.Survives != 1 || before.Degraded == 0 {
		t.Fatalf("health with s6 dead: %+v, want survives 1 with degraded packs", before)
	}

	dry, err := eng.Repair(ctxFor(t, time.Minute), snapshot.RepairOptions{DryRun: true})
	if err != nil || dry.Shards != before.Degraded || !slices.Equal(dry.Lost, []string{"s6"}) {
		t.Fatalf("dry run: %+v, %v; want %d shards to rebuild, lost [s6]", dry, err, before.Degraded)
	}
	if h := eng.Health(s); h.Survives != 1 {
		t.Fatalf("a dry run changed the placement: %+v", h)
	}
	res, err := eng.Repair(ctxFor(t, time.Minute), snapshot.RepairOptions{})
	if err != nil || res.Packs != before.Degraded || res.Shards != before.Degraded || len(res.Failed)+len(res.Unrepairable) != 0 {
		t.Fatalf("repair: %+v, %v; want %d packs, one shard each", res, err, before.Degraded)
	}
	if h := eng.Health(s); h.Survives != 2 || h.Degraded != 0 || slices.Contains(h.Sites, "s6") {
		t.Fatalf("health after repair: %+v, want survives 2, nothing on s6", h)
	}

	// m more sites lost, the primary and its replica: three are left,
	// and each pack needs the shard the repair put on one of them.
	c.Kill("s1")
	c.Kill("s2")
	waitDead(t, c, "s5", "s1", "s2")
	dir := t.TempDir()
	if _, err := eng.Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: s.ID, Dir: dir, Verify: true}); err != nil {
		t.Fatalf("restore with s6 repaired away and s1, s2 dead: %v", err)
	}
	checkRestored(t, dir, files)
}

func TestPruneSweepsTheShardsARepairMovedAwayFromASiteThatCameBack(t *testing.T) {
	c := startCluster(t, 6)
	if _, err := c.Node("s1").Hot().Create(context.Background(), api.CreateDataset{Name: "docs", Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeSync, EC: "3+2"}); err != nil {
		t.Fatal(err)
	}
	putFile(t, c, "docs", "f", randomBytes(3, 12<<20))
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	held := countShards(t, c, "s6")
	c.Kill("s6")
	waitDead(t, c, "s1", "s6")
	if res, err := c.Node("s1").Snapshots().Repair(ctxFor(t, time.Minute), snapshot.RepairOptions{}); err != nil || res.Shards != held {
		t.Fatalf("repair: %+v, %v; want the %d shards s6 held rebuilt", res, err, held)
	}
	if err := c.Restart(ctxFor(t, time.Minute), "s6"); err != nil {
		t.Fatal(err)
	}
	err := simulations.WaitFor(ctxFor(t, 20*time.Second), "s6 alive with the new placement", func() (bool, string) {
		h := c.Node("s6").Snapshots().Health(s)
		return c.StatesSeenBy("s1")["s6"] == "alive" && !slices.Contains(h.Sites, "s6"), "not yet"
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countShards(t, c, "s6"); n != held {
		t.Fatalf("s6 came back with %d shards, want its %d stale ones still on disk", n, held)
	}
	if _, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused}); err != nil {
		t.Fatal(err)
	}
	if n := countShards(t, c, "s6"); n != 0 {
		t.Fatalf("after prune s6 still holds %d shards the catalog places elsewhere", n)
	}
	checkRestored(t, restoreTo(t, c, s.ID), map[string]file{"f": {randomBytes(3, 12<<20), 0o644, time.Unix(1e9, 0), ""}})
}

func TestASiteDownForRepairAfterHasItsShardsRebuiltWithoutAnOperator(t *testing.T) {
	c := simulations.Start(t, simulations.Options{N: 6, RepairAfter: 2 * time.Second})
	if _, err := c.Node("s1").Hot().Create(context.Background(), api.CreateDataset{Name: "docs", Primary: "s1", Replicas: []string{"s2"}, Mode: hot.ModeSync, EC: "3+2"}); err != nil {
		t.Fatal(err)
	}
	putFile(t, c, "docs", "f", randomBytes(5, 12<<20))
	s := snap(t, c, "docs")
	waitCatalog(t, c, "docs", c.Names()...)
	held := countShards(t, c, "s6")
	killed := time.Now()
	c.Kill("s6")
	waitDead(t, c, "s5", "s6")
	if h := c.Node("s5").Snapshots().Health(s); h.Survives != 1 {
		t.Fatalf("health with s6 just dead: %+v, want survives 1 (not repaired before --repair-after)", h)
	}
	err := simulations.WaitFor(ctxFor(t, 40*time.Second), "automatic repair", func() (bool, string) {
		h := c.Node("s5").Snapshots().Health(s)
		return h.Survives == 2 && h.Degraded == 0, fmt.Sprintf("health %+v", h)
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(killed); took < 2*time.Second {
		t.Fatalf("repaired %v after the kill, before --repair-after (2s)", took)
	}
	total := 0
	for _, site := range c.Running() {
		total += countShards(t, c, site)
	}
	if want := 5 * len(s.Packs); total != want {
		t.Fatalf("%d shards on the 5 sites left, want %d (5 per pack, %d rebuilt from s6 once, by one site)", total, want, held)
	}
}
