package snapshot_test

import (
	"context"
	"testing"
	"time"

	"github.com/meshvault/meshvault/policy"
	"github.com/meshvault/meshvault/simulations"
	"github.com/meshvault/meshvault/snapshot"
)

func TestAForgetAtAnotherSiteWinsOverARepackThatRecordsTheSnapshotAgainUnaware(t *testing.T) {
	c := startCluster(t, 3)
	old, kept := forgottenBesideKept(t, c, nil)
	newest := snap(t, c, "docs") // reads the same packs as old
	waitSnapshotAt(t, c, "s2", newest.ID)
	c.SetLink("s2", "s1", simulations.LinkFault{StateLag: time.Minute}) // s1 hears of s2's forget late
	if _, err := c.Node("s2").Snapshots().Forget(context.Background(), "docs", policy.Retention{Last: 1}, false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	res, err := c.Node("s1").Snapshots().Prune(ctxFor(t, time.Minute), snapshot.PruneOptions{Grace: 200 * time.Millisecond, MaxUnused: snapshot.DefaultMaxUnused})
	if err != nil || res.Repacked == 0 {
		t.Fatalf("prune at s1: %+v, %v; want partly used packs repacked, %s recorded again", res, err, old.ID)
	}
	c.Heal()
	err = simulations.WaitFor(ctxFor(t, 20*time.Second), old.ID+" forgotten at every site", func() (bool, string) {
		for _, site := range c.Names() {
			if _, err := c.Node(site).Snapshots().Catalog().Snapshot(old.ID); err == nil {
				return false, "still at " + site
			}
		}
		return true, ""
	})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, restoreAt(t, c, "s3", newest.ID), kept)
}
