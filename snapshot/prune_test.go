package snapshot_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/meshvault/meshvault/hot"
	"github.com/meshvault/meshvault/policy"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func putFile(t *testing.T, c *simulations.Cluster, name, path string, data []byte) {
	t.Helper()
	if _, err := c.Node("s1").Hot().Put(context.Background(), name, path, hot.File{Mode: 0o644, MTime: time.Unix(1e9, 0), Body: bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
}

func snap(t *testing.T, c *simulations.Cluster, name string) snapshot.Snapshot {
	t.Helper()
	s, err := c.Node("s1").Snapshots().Create(ctxFor(t, time.Minute), name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func restoreTo(t *testing.T, c *simulations.Cluster, id string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := c.Node("s1").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: id, Dir: dir, Verify: true}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestForgetThenPruneFreesOnlyPacksNoKeptSnapshotNeeds(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"keep.bin": {randomBytes(1, 3<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	snap(t, c, "docs")
	putFile(t, c, "docs", "old.bin", randomBytes(2, 6<<20))
	snap(t, c, "docs")
	if _, err := c.Node("s1").Hot().Remove(context.Background(), "docs", "old.bin"); err != nil {
		t.Fatal(err)
	}
	kept := snap(t, c, "docs")
	decisions, err := c.Node("s1").Snapshots().Forget(context.Background(), "docs", policy.Retention{Last: 1}, false)
	if err != nil || len(decisions) != 3 || !decisions[0].Keep || decisions[0].Reasons[0] != "last snapshot" {
		t.Fatalf("forget: %v %+v", err, decisions)
	}
	time.Sleep(300 * time.Millisecond) // packs younger than the grace are left alone by design
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 300 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil {
		t.Fatal(err)
	}
	if res.Packs == 0 || res.Bytes < 6<<20 {
		t.Fatalf("prune freed %d packs, %d bytes; want old.bin's packs", res.Packs, res.Bytes)
	}
	dir := restoreTo(t, c, kept.ID)
	if b, _ := os.ReadFile(filepath.Join(dir, "keep.bin")); !bytes.Equal(b, randomBytes(1, 3<<20)) {
		t.Fatal("the kept snapshot no longer restores")
	}
}

func TestPruneRacingNewSnapshotsNeverDeletesAPackTheyNeed(t *testing.T) {
	c := startCluster(t, 3)
	x := randomBytes(3, 5<<20)
	load(t, c, "s1", "docs", map[string]file{"x.bin": {x, 0o644, time.Unix(1e9, 0), ""}}, "s2")
	snap(t, c, "docs")
	c.Node("s1").Hot().Remove(context.Background(), "docs", "x.bin")
	putFile(t, c, "docs", "y.bin", []byte("y"))
	snap(t, c, "docs")
	c.Node("s1").Snapshots().Forget(context.Background(), "docs", policy.Retention{Last: 1}, false)
	time.Sleep(250 * time.Millisecond) // x's packs are now older than the prune's grace
	putFile(t, c, "docs", "x.bin", x)  // x's chunks are back: a new snapshot would deduplicate them
	for round := range 3 {
		pruned := make(chan error, 1)
		go func() {
			_, err := c.Node("s2").Snapshots().Prune(context.Background(), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
			pruned <- err
		}()
		time.Sleep(time.Duration(round*120) * time.Millisecond)
		s := snap(t, c, "docs")
		if err := <-pruned; err != nil {
			t.Fatal(err)
		}
		dir := restoreTo(t, c, s.ID)
		if b, _ := os.ReadFile(filepath.Join(dir, "x.bin")); !bytes.Equal(b, x) {
			t.Fatalf("round %d: a snapshot taken during a prune lost x.bin", round)
		}
	}
}

func TestCancelledSnapshotLeavesNoSnapshotAndPruneReclaimsItsShards(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"big.bin": {randomBytes(4, 80<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // cancelled once its first shards are written (staged): mid-snapshot
		for ctx.Err() == nil && filesUnder(c, "s3") == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Node("s1").Snapshots().Create(ctx, "docs", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("snapshot with a cancelled context: %v", err)
	}
	if n := len(c.Node("s1").Snapshots().Catalog().Snapshots("docs")); n != 0 {
		t.Fatalf("a cancelled snapshot left %d catalog entries", n)
	}
	time.Sleep(250 * time.Millisecond) // packs younger than the grace are left alone by design
	if _, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused}); err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Names() {
		if n := filesUnder(c, s); n != 0 {
			t.Errorf("%s still holds %d shard files (staged or not) of the cancelled snapshot", s, n)
		}
	}
}

// filesUnder counts a site's shard files, staged ones included.
func filesUnder(c *simulations.Cluster, site string) int {
	n := 0
	filepath.WalkDir(filepath.Join(c.Node(site).DataDir(), "shards"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func countShards(t *testing.T, c *simulations.Cluster, site string) int {
	t.Helper()
	return c.Node(site).Snapshots().ShardCount()
}

func TestPruneLeavesUnreferencedPacksYoungerThanTheGraceAndCountsThem(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"a.bin": {randomBytes(3, 1<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	first := snap(t, c, "docs")
	putFile(t, c, "docs", "a.bin", randomBytes(4, 1<<20))
	snap(t, c, "docs")
	if _, err := c.Node("s1").Snapshots().Forget(context.Background(), "docs", policy.Retention{Last: 1}, false); err != nil {
		t.Fatal(err)
	}
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 5 * time.Second, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil {
		t.Fatal(err)
	}
	if res.Packs != 0 || res.Condemned != 0 || res.Young != len(first.Packs) {
		t.Fatalf("prune within the grace: freed %d, condemned %d, young %d; want 0, 0, %d", res.Packs, res.Condemned, res.Young, len(first.Packs))
	}
	time.Sleep(250 * time.Millisecond) // the first snapshot's packs are now older than the next prune's grace
	res, err = c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil || res.Packs != len(first.Packs) || res.Young != 0 {
		t.Fatalf("prune after the grace: %v, freed %d, young %d; want %d freed", err, res.Packs, res.Young, len(first.Packs))
	}
}

func TestASnapshotReturnsWithEveryShardCommittedAndNoneLeftStaged(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"big.bin": {randomBytes(5, 40<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	s := snap(t, c, "docs")
	total := 0
	for _, site := range c.Names() {
		if all, final := filesUnder(c, site), countShards(t, c, site); all != final {
			t.Errorf("%s holds %d shard files, of which only %d under their final names", site, all, final)
		}
		total += countShards(t, c, site)
	}
	if want := len(s.Packs) * 3; total != want { // 2+1 on 3 sites
		t.Fatalf("%d shards stored for %d packs; want %d", total, len(s.Packs), want)
	}
}
