package snapshot_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

// smallPacks is a 3-site mesh whose snapshots cut 256 KiB packs: chunks
// (512 KiB on average) are then larger than a pack, and a few MiB of
// data span more packs than one commit batch (32) holds, as a GiB does
// at the default pack size.
func smallPacks(t *testing.T) *simulations.Cluster {
	t.Helper()
	return simulations.Start(t, simulations.Options{Dir: t.TempDir(), N: 3, PackSize: 256 << 10})
}

// manySmall is n files of a few KiB each, several to a pack.
func manySmall(n int) map[string]file {
	files := map[string]file{}
	for i := range n {
		files[fmt.Sprintf("small/%03d.txt", i)] = file{randomBytes(uint64(100+i), 3000+i*7), 0o644, time.Unix(1e9, 0), ""}
	}
	return files
}

func TestASnapshotOfSeveralCommitBatchesRecordsEveryPackAndRestoresByteIdentical(t *testing.T) {
	c := smallPacks(t)
	files := manySmall(300)
	files["big.bin"] = file{randomBytes(7, 40<<20), 0o600, time.Unix(2e9, 0), ""}
	load(t, c, "s1", "docs", files, "s2")
	s := snap(t, c, "docs")
	if len(s.Packs) <= 2*32 {
		t.Fatalf("%d packs: too few to span several commit batches", len(s.Packs))
	}
	waitCatalog(t, c, "docs", "s3")
	for _, id := range s.Packs {
		if _, ok := c.Node("s3").Snapshots().Catalog().Pack(id); !ok {
			t.Errorf("pack %s is not in s3's catalog", id)
		}
	}
	for _, site := range c.Names() {
		if all, final := filesUnder(c, site), countShards(t, c, site); all != final {
			t.Errorf("%s holds %d shard files, of which only %d under their final names", site, all, final)
		}
	}
	dir := t.TempDir()
	if _, err := c.Node("s3").Snapshots().Restore(ctxFor(t, time.Minute), snapshot.RestoreOptions{Snapshot: s.ID, Dir: dir, Verify: true}); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dir, files)
}

func TestASnapshotCancelledAfterABatchWasCommittedLeavesNoSnapshotAndPruneReclaimsItsPacks(t *testing.T) {
	c := smallPacks(t)
	load(t, c, "s1", "docs", map[string]file{"big.bin": {randomBytes(8, 80<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	committed := make(chan int, 1)
	go func() { // cancelled once a batch of packs is in the catalog: mid-snapshot, past a commit
		for ctx.Err() == nil && len(c.Node("s1").Snapshots().Catalog().Packs()) == 0 {
			time.Sleep(time.Millisecond)
		}
		committed <- len(c.Node("s1").Snapshots().Catalog().Packs())
		cancel()
	}()
	_, err := c.Node("s1").Snapshots().Create(ctx, "docs", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("snapshot with a cancelled context: %v", err)
	}
	if n := <-committed; n == 0 {
		t.Fatal("the snapshot ended before any batch was committed")
	}
	if n := len(c.Node("s1").Snapshots().Catalog().Snapshots("docs")); n != 0 {
		t.Fatalf("a cancelled snapshot left %d catalog entries", n)
	}
	time.Sleep(250 * time.Millisecond) // past the grace below
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil {
		t.Fatal(err)
	}
	if res.Packs == 0 {
		t.Errorf("prune freed no pack of the cancelled snapshot's committed batch")
	}
	for _, s := range c.Names() {
		if n := filesUnder(c, s); n != 0 {
			t.Errorf("%s still holds %d shard files (staged or committed) of the cancelled snapshot", s, n)
		}
	}
}
