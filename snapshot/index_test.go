package snapshot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func TestASnapshotAtAReplicaDeduplicatesAgainstTheSnapshotsThePrimaryTookSinceItsLast(t *testing.T) {
	c := startCluster(t, 3)
	load(t, c, "s1", "docs", map[string]file{"a.bin": {randomBytes(31, 2<<20), 0o644, time.Unix(1e9, 0), ""}}, "s2")
	if _, err := c.Node("s2").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil); err != nil {
		t.Fatal(err) // s2's index now holds a.bin
	}
	b := randomBytes(32, 6<<20)
	putFile(t, c, "docs", "b.bin", b)
	atPrimary := snap(t, c, "docs") // stores b.bin
	if err := c.WaitReplicated(ctxFor(t, 20*time.Second), "s1", "docs"); err != nil {
		t.Fatal(err)
	}
	waitSnapshotAt(t, c, "s2", atPrimary.ID)
	s, err := c.Node("s2").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.NewBytes > int64(len(b))/10 || s.DedupBytes < int64(len(b)) {
		t.Fatalf("snapshot at s2 stored %d new bytes, deduplicated %d; want b.bin (%d bytes), stored by s1's snapshot, deduplicated", s.NewBytes, s.DedupBytes, len(b))
	}
	waitKnownAt(t, c, "s1", s.ID) // restoreAt compares with s1's entry
	sameFiles(t, restoreAt(t, c, "s3", s.ID), map[string]file{"b.bin": {data: b}})
}

func TestAfterARepackElsewhereASnapshotFindsTheMovedChunksInsteadOfStoringThemAgain(t *testing.T) {
	c := startCluster(t, 3)
	_, kept := forgottenBesideKept(t, c, nil)
	if err := c.WaitReplicated(ctxFor(t, 20*time.Second), "s1", "docs"); err != nil {
		t.Fatal(err)
	}
	atReplica, err := c.Node("s2").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil) // s2's index: the packs before the repack
	if err != nil {
		t.Fatal(err)
	}
	waitKnownAt(t, c, "s1", atReplica.ID)
	time.Sleep(300 * time.Millisecond) // past the grace of the prune below
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil || res.Repacked == 0 || res.Packs == 0 {
		t.Fatalf("prune at s1: %+v, %v; want the partly used packs repacked and freed", res, err)
	}
	waitSnapshotAt(t, c, "s2", atReplica.ID) // recorded again by the repack
	s, err := c.Node("s2").Snapshots().Create(ctxFor(t, time.Minute), "docs", nil)
	if err != nil {
		t.Fatal(err)
	}
	used := int64(len(kept)) * 100 << 10
	if s.NewBytes > used/4 {
		t.Fatalf("snapshot at s2 after the repack stored %d new bytes of %d kept: it stored the moved chunks again", s.NewBytes, used)
	}
	waitKnownAt(t, c, "s1", s.ID)
	sameFiles(t, restoreAt(t, c, "s3", s.ID), kept)
}

// waitKnownAt waits until site's catalog holds snapshot id.
func waitKnownAt(t *testing.T, c *simulations.Cluster, site, id string) {
	t.Helper()
	err := simulations.WaitFor(ctxFor(t, 20*time.Second), site+" holds "+id, func() (bool, string) {
		_, err := c.Node(site).Snapshots().Catalog().Snapshot(id)
		return err == nil, fmt.Sprint(err)
	})
	if err != nil {
		t.Fatal(err)
	}
}
